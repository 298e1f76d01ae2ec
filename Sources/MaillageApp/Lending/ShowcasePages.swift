import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/lending/showcase`: staff set the showcase location — name, address, commune or
/// exact coordinates, opening hours — where members drop and collect items.
enum ShowcasePages {
    struct ShowcaseForm: Content {
        var name: String?
        var address: String?
        var commune: String?
        var latitude: String?
        var longitude: String?
        var hours_1: String?, hours_2: String?, hours_3: String?, hours_4: String?, hours_5: String?, hours_6: String?, hours_7: String?

        var lines: [String] { [hours_1, hours_2, hours_3, hours_4, hours_5, hours_6, hours_7].map { $0 ?? "" } }
        var draft: ShowcaseDraft {
            ShowcaseDraft(name: name ?? "", address: address ?? "", commune: commune ?? "", latitude: latitude ?? "", longitude: longitude ?? "",
                          hours: lines)
        }
        var values: [String: String] {
            var out = ["name": name ?? "", "address": address ?? "", "commune": commune ?? "", "latitude": latitude ?? "", "longitude": longitude ?? ""]
            for (index, line) in lines.enumerated() { out[ShowcaseDraft.hoursField(index + 1)] = line }
            return out
        }
    }

    @Sendable static func edit(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true, minimum: .staff)
        var values = ["commune": access.coop.commune]
        if let place = try await LendingStore.showcase(of: access.coopID, on: req.db)?.location {
            values = ["name": place.name, "address": place.address, "commune": place.commune,
                      "latitude": String(place.position.lat), "longitude": String(place.position.lon)]
            for (index, line) in place.hours.formLines.enumerated() { values[ShowcaseDraft.hoursField(index + 1)] = line }
        }
        return view(req, access: access, state: FormState(values: values))
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true, minimum: .staff)
        let form = try req.content.decode(ShowcaseForm.self)
        do {
            let existing = try await LendingStore.showcase(of: access.coopID, on: req.db)
            let place = try form.draft.validated(id: existing?.id ?? UUID())
            try await LendingStore.saveShowcase(place, of: access.coopID, on: req.db)
            return req.done(Localized(fr: "Lieu vitrine enregistré.", en: "Showcase location saved."), goTo: "/c/\(access.coop.slug)/lending")
        } catch {
            return view(req, access: access, state: try FormState(refused: error, values: form.values), status: .unprocessableEntity)
        }
    }

    static func view(_ req: Request, access: LendingAccess, state: FormState, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t, language = req.language, coop = access.coop
        return Layout.page(req, title: t("Lieu vitrine — \(coop.name)", "Showcase location — \(coop.name)"), status: status,
            .p(.a(.href("/c/\(coop.slug)/lending"), .text("← " + t("Objets à emprunter", "Items to borrow")))),
            .h1(.text(t("Lieu vitrine", "Showcase location"))),
            .p(.text(t("Le lieu où les membres déposent et retirent les objets gardés par la coopérative.",
                       "Where members drop and collect the items the cooperative keeps."))),
            Form.post(req, action: "/c/\(coop.slug)/lending/showcase",
                Form.summary(state, t),
                Form.field("name", label: t("Nom", "Name"), state: state, t),
                Form.field("address", label: t("Adresse", "Address"), state: state, t, autocomplete: "street-address"),
                Form.select("commune", label: t("Commune", "Commune"), state: state, t, options: NeighbourhoodSearch.communeOptions()),
                .fieldset(.element(named: "legend", nodes: [.text(t("Coordonnées exactes (facultatif)", "Exact coordinates (optional)"))]),
                          Form.field("latitude", label: t("Latitude", "Latitude"), state: state, t, required: false,
                                     hint: t("Degrés décimaux, par ex. 47.1833 ; vide : la mairie de la commune.", "Decimal degrees, e.g. 47.1833; empty: the commune's town hall."),
                                     extra: [.attribute(named: "inputmode", value: "decimal")]),
                          Form.field("longitude", label: t("Longitude", "Longitude"), state: state, t, required: false,
                                     extra: [.attribute(named: "inputmode", value: "decimal")])),
                .fieldset(.element(named: "legend", nodes: [.text(t("Horaires d’ouverture", "Opening hours"))]),
                          .p(.class("hint"), .text(t("Par ex. « 14:00-18:30 » ou « 10:00-12:30, 14:00-18:00 » ; vide si fermé.",
                                                     "E.g. “14:00-18:30” or “10:00-12:30, 14:00-18:00”; empty when closed."))),
                          .forEach(1...7) { weekday in
                              Form.field(ShowcaseDraft.hoursField(weekday), label: WeeklyHours.weekdayName(weekday, language).capitalized,
                                         state: state, t, required: false)
                          }),
                Form.submit(t("Enregistrer le lieu vitrine", "Save the showcase location"))))
    }
}
