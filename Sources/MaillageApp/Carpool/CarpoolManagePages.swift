import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/carpool/settings`, for staff and board: the money rule (free rides or a suggested
/// contribution per km, paid directly or through the cooperative's accounts), reviews on or off,
/// and the relay points people meet at.
enum CarpoolManagePages {
    struct SettingsForm: Content {
        var contribution: String?
        var rate: String?
        var payment: String?
        var reviews: String?
    }

    struct RelayForm: Content {
        var name: String?
        var kind: String?
        var commune: String?
        var lat: String?
        var lon: String?
        var description: String?
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        return try await view(req, access: access)
    }

    static func view(_ req: Request, access: CarpoolAccess, settingsState: FormState? = nil, relayState: FormState = FormState(values: ["kind": "carpool-area"]),
                     status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, base = access.base
        let settings = try await CarpoolSettings.of(access.coopID, on: req.db)
        let points = try await RelayPoint.all(of: access.coopID, on: req.db)
        let rate = t.decimal(Double(settings.centsPerKm) / 100, digits: 2)
        let state = settingsState ?? FormState(values: [
            "contribution": settings.contribution == .free ? "free" : "at-cost", "rate": rate,
            "payment": settings.payment.rawValue, "reviews": settings.reviews ? "1" : "",
        ])
        return Layout.page(req, title: t("Réglages du covoiturage", "Carpool settings"), status: status,
            .p(.a(.href(base), .text("← " + t("Covoiturage", "Carpooling")))),
            .h1(.text(t("Réglages du covoiturage", "Carpool settings"))),
            .p(.a(.href("\(base)/partners"), .text(t("Opérateurs partenaires et leurs clés d’API", "Partner operators and their API keys")))),
            .section(.h2(.text(t("Participation aux frais", "Cost sharing"))),
                .p(.class("hint"), .text(t("La loi limite le covoiturage au partage des frais : la suggestion ne dépasse jamais le taux × les kilomètres, et la coopérative ne prend aucune commission.",
                                           "The law limits carpooling to sharing costs: the suggestion never exceeds the rate × the kilometres, and the cooperative takes no commission."))),
                Form.post(req, action: "\(base)/settings",
                    Form.summary(state, t),
                    Form.select("contribution", label: t("Les trajets sont", "Rides are"), state: state, t,
                                options: [("free", t("Gratuits", "Free")), ("at-cost", t("Avec une participation suggérée", "With a suggested contribution"))]),
                    Form.field("rate", label: t("Taux (€ par km et par place)", "Rate (€ per km per seat)"), state: state, t, required: false,
                               hint: t("0,06 € par défaut, comme Mobicoop.", "€0.06 by default, as Mobicoop.")),
                    Form.select("payment", label: t("Elle se règle", "It is paid"), state: state, t,
                                options: ContributionPayment.allCases.map { ($0.rawValue, t($0.label)) }),
                    Form.checkbox("reviews", value: "1", label: t("Permettre un avis écrit après un trajet (sans étoiles ni note)", "Allow a written review after a ride (no stars, no score)"),
                                  checked: state["reviews"] == "1", id: "reviews"),
                    Form.submit(t("Enregistrer", "Save")))),
            .section(.h2(.text(t("Points de rendez-vous", "Meeting points"))),
                points.isEmpty ? .p(.text(t("Aucun point pour l’instant.", "No point yet."))) :
                .table(.class("stack"),
                    .caption(.text(t("Les points proposés dans les formulaires", "The points offered in the forms"))),
                    .thead(.tr(.th(.text(t("Nom", "Name"))), .th(.text(t("Type", "Kind"))), .th(.text(t("Commune", "Commune"))),
                               .th(.text(t("Coordonnées", "Coordinates"))), .th(.text(t("Action", "Action"))))),
                    .tbody(.forEach(points) { point in
                        .tr(.td(.attribute(named: "data-label", value: t("Nom", "Name")), .text(point.name)),
                            .td(.attribute(named: "data-label", value: t("Type", "Kind")), .text(t(RelayPoint.kindLabel(point.kind)))),
                            .td(.attribute(named: "data-label", value: t("Commune", "Commune")), .text(point.commune)),
                            .td(.attribute(named: "data-label", value: t("Coordonnées", "Coordinates")),
                                .text("\(t.decimal(point.lat, digits: 4)), \(t.decimal(point.lon, digits: 4))")),
                            .td(.attribute(named: "data-label", value: t("Action", "Action")),
                                Form.post(req, action: "\(base)/relay-points/\(point.id)/withdraw",
                                          .button(.type(.submit), .class("secondary"), .attribute(named: "aria-label", value: t("Retirer « \(point.name) »", "Withdraw “\(point.name)”")),
                                                  .text(t("Retirer", "Withdraw"))))))
                    })),
                .h3(.text(t("Ajouter un point", "Add a point"))),
                Form.post(req, action: "\(base)/relay-points",
                    Form.summary(relayState, t),
                    Form.field("name", label: t("Nom", "Name"), state: relayState, t),
                    Form.select("kind", label: t("Type", "Kind"), state: relayState, t, options: RelayPoint.kinds.map { ($0.0, t($0.1)) }),
                    Form.select("commune", label: t("Commune", "Commune"), state: relayState, t, options: Communes.known.map { ($0.name, $0.name) }),
                    Form.field("lat", label: t("Latitude", "Latitude"), state: relayState, t, required: false,
                               hint: t("En degrés décimaux ; vide : la mairie de la commune.", "Decimal degrees; empty: the commune's town hall.")),
                    Form.field("lon", label: t("Longitude", "Longitude"), state: relayState, t, required: false),
                    Form.textarea("description", label: t("Comment s’y retrouver", "How to find it"), state: relayState, t, rows: 2, required: false),
                    Form.submit(t("Ajouter le point", "Add the point")))))
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let form = try req.content.decode(SettingsForm.self)
        let values = ["contribution": form.contribution ?? "", "rate": form.rate ?? "", "payment": form.payment ?? "", "reviews": form.reviews ?? ""]
        do {
            guard let payment = ContributionPayment(rawValue: form.payment ?? "") else { throw CarpoolErrors.unknownChoice("payment") }
            let rate = (form.rate ?? "").isEmpty ? "0.06" : form.rate ?? ""
            let settings = CarpoolSettings(contribution: try CarpoolContribution.parse(mode: form.contribution ?? "", rate: rate),
                                           payment: payment, reviews: form.reviews == "1")
            try await settings.save(for: access.coopID, by: try access.memberID(), on: req.db)
            return req.done(Localized(fr: "Réglages enregistrés.", en: "Settings saved."), goTo: "\(access.base)/settings")
        } catch {
            return try await view(req, access: access, settingsState: try FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    @Sendable static func addRelayPoint(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let form = try req.content.decode(RelayForm.self)
        let values = ["name": form.name ?? "", "kind": form.kind ?? "", "commune": form.commune ?? "", "lat": form.lat ?? "", "lon": form.lon ?? "",
                      "description": form.description ?? ""]
        do {
            _ = try await RelayPoint.add(name: values["name"]!, kind: values["kind"]!, commune: values["commune"]!, lat: values["lat"]!,
                                         lon: values["lon"]!, description: values["description"]!, to: access.coopID, on: req.db)
            return req.done(Localized(fr: "Point de rendez-vous ajouté.", en: "Meeting point added."), goTo: "\(access.base)/settings")
        } catch {
            return try await view(req, access: access, relayState: try FormState(refused: error, values: values),
                                  status: (error as? DomainError)?.status ?? .unprocessableEntity)
        }
    }

    @Sendable static func withdrawRelayPoint(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        try await RelayPoint.withdraw(try req.parameters.require("id", as: UUID.self), in: access.coopID, on: req.db)
        return req.done(Localized(fr: "Point retiré des listes.", en: "Point withdrawn from the lists."), goTo: "\(access.base)/settings")
    }
}
