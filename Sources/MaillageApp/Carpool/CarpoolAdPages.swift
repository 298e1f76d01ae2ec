import Fluent
import MaillageCore
import Plot
import Vapor

/// Publishing a ride (punctual or regular), its page with the way to ask for a seat, and
/// withdrawing it.
enum CarpoolAdPages {
    struct AdForm: Content {
        var role: String?
        var from: String?
        var to: String?
        var frequency: String?
        var date: String?
        var time: String?
        var returnDate: String?
        var returnTime: String?
        var margin: String?
        var fromDate: String?
        var untilDate: String?
        var seats: String?
        var option: [String]?
        var comment: String?
        var phone: String?
        var community: String?

        enum CodingKeys: String, CodingKey {
            case role, from, to, frequency, date, time, margin, seats, option, comment, phone, community
            case returnDate = "return_date", returnTime = "return_time", fromDate = "from_date", untilDate = "until_date"
        }
    }

    static let weekdayNames: [Int: Localized] = [
        1: Localized(fr: "Lundi", en: "Monday"), 2: Localized(fr: "Mardi", en: "Tuesday"), 3: Localized(fr: "Mercredi", en: "Wednesday"),
        4: Localized(fr: "Jeudi", en: "Thursday"), 5: Localized(fr: "Vendredi", en: "Friday"), 6: Localized(fr: "Samedi", en: "Saturday"),
        7: Localized(fr: "Dimanche", en: "Sunday"),
    ]

    /// The form's values, the per-weekday times included (`out_1` … `back_7`), for a refused form.
    static func values(_ req: Request, _ form: AdForm) -> [String: String] {
        var out = ["role": form.role ?? "", "from": form.from ?? "", "to": form.to ?? "", "frequency": form.frequency ?? "",
                   "date": form.date ?? "", "time": form.time ?? "", "return_date": form.returnDate ?? "", "return_time": form.returnTime ?? "",
                   "margin": form.margin ?? "", "from_date": form.fromDate ?? "", "until_date": form.untilDate ?? "", "seats": form.seats ?? "",
                   "comment": form.comment ?? "", "phone": form.phone ?? "", "community": form.community ?? ""]
        for day in 1...7 {
            out["out_\(day)"] = (try? req.content.get(String.self, at: "out_\(day)")) ?? ""
            out["back_\(day)"] = (try? req.content.get(String.self, at: "back_\(day)")) ?? ""
        }
        for option in form.option ?? [] { out["opt-" + option] = "1" }
        return out
    }

    static func draft(_ values: [String: String], options: [String]) -> RideDraft {
        var weekdays: [Int: (outward: String, back: String)] = [:]
        for day in 1...7 where !(values["out_\(day)"] ?? "").isEmpty || !(values["back_\(day)"] ?? "").isEmpty {
            weekdays[day] = (values["out_\(day)"] ?? "", values["back_\(day)"] ?? "")
        }
        return RideDraft(role: values["role"] ?? "", frequency: values["frequency"] ?? "", date: values["date"] ?? "", time: values["time"] ?? "",
                         returnDate: values["return_date"] ?? "", returnTime: values["return_time"] ?? "", margin: values["margin"] ?? "",
                         fromDate: values["from_date"] ?? "", untilDate: values["until_date"] ?? "", weekdays: weekdays,
                         seats: values["seats"] ?? "", options: options, comment: values["comment"] ?? "")
    }

    @Sendable static func newPage(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let today = LocalZone.paris.localDate(at: Date())
        return try await newView(req, access: access, state: FormState(values: [
            "role": "driver", "frequency": "punctual", "date": today.iso, "margin": "\(RideTime.defaultMargin)", "from_date": today.iso,
            "until_date": today.adding(days: 180)?.iso ?? "", "from": req.query[String.self, at: "from"] ?? "", "to": req.query[String.self, at: "to"] ?? "",
        ]))
    }

    static func newView(_ req: Request, access: CarpoolAccess, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, base = access.base
        let relayPoints = try await RelayPoint.all(of: access.coopID, on: req.db)
        let communities = try await CarpoolAds.communityChoices(of: try access.memberID(), in: access.coopID, on: req.db)
        let places = CarpoolPlaces.options(relayPoints, t, empty: t("— choisir —", "— choose —"))
        return Layout.page(req, title: t("Publier un trajet", "Publish a ride"), status: status,
            .p(.a(.href(base), .text("← " + t("Covoiturage", "Carpooling")))),
            .h1(.text(t("Publier un trajet", "Publish a ride"))),
            Form.post(req, action: "\(base)/ads",
                Form.summary(state, t),
                Form.select("role", label: t("Je suis", "I am"), state: state, t, options: RideRole.allCases.map { ($0.rawValue, t($0.label)) }),
                Form.select("from", label: t("Départ", "From"), state: state, t, options: places),
                Form.select("to", label: t("Arrivée", "To"), state: state, t, options: places),
                Form.select("frequency", label: t("Fréquence", "Frequency"), state: state, t,
                            options: [("punctual", t("Un trajet à une date", "One trip on a date")), ("regular", t("Trajet régulier (chaque semaine)", "Regular trip (every week)"))]),
                .fieldset(.element(named: "legend", nodes: [.text(t("Un trajet à une date", "One trip on a date"))]),
                    Form.field("date", label: t("Date", "Date"), state: state, t, type: .date, required: false),
                    Form.field("time", label: t("Heure de départ", "Departure time"), state: state, t, type: .time, required: false),
                    Form.field("return_date", label: t("Date du retour", "Return date"), state: state, t, type: .date, required: false,
                               hint: t("Laissez vide pour un retour le même jour.", "Leave empty for a return the same day.")),
                    Form.field("return_time", label: t("Heure du retour", "Return time"), state: state, t, type: .time, required: false,
                               hint: t("Laissez vide s’il n’y a pas de retour.", "Leave empty if there is no return."))),
                .fieldset(.element(named: "legend", nodes: [.text(t("Trajet régulier", "Regular trip"))]),
                    Form.field("from_date", label: t("À partir du", "From"), state: state, t, type: .date, required: false),
                    Form.field("until_date", label: t("Jusqu’au", "Until"), state: state, t, type: .date, required: false),
                    .table(.class("stack weekdays"),
                        .caption(.text(t("Heures de départ par jour (laissez vide les jours sans trajet)", "Departure times per day (leave the days without a trip empty)"))),
                        .thead(.tr(.th(.text(t("Jour", "Day"))), .th(.text(t("Aller", "Outward"))), .th(.text(t("Retour", "Return"))))),
                        .tbody(.forEach(1...7) { day in
                            .tr(.th(.attribute(named: "scope", value: "row"), .text(t(weekdayNames[day]!))),
                                .td(.attribute(named: "data-label", value: t("Aller", "Outward")), timeInput("out_\(day)", label: t("Aller le \(t(weekdayNames[day]!).lowercased())", "Outward on \(t(weekdayNames[day]!))"), state: state, t)),
                                .td(.attribute(named: "data-label", value: t("Retour", "Return")), timeInput("back_\(day)", label: t("Retour le \(t(weekdayNames[day]!).lowercased())", "Return on \(t(weekdayNames[day]!))"), state: state, t)))
                        }))),
                Form.field("margin", label: t("Marge (minutes, avant ou après)", "Margin (minutes, before or after)"), state: state, t, type: .number, required: false),
                Form.field("seats", label: t("Places (offertes ou cherchées)", "Seats (offered or wanted)"), state: state, t, type: .number, required: false,
                           hint: t("3 par défaut pour un·e conducteur·rice, 1 pour un·e passager·ère.", "3 by default for a driver, 1 for a passenger.")),
                .fieldset(.element(named: "legend", nodes: [.text(t("Dans la voiture", "In the car"))]),
                    .forEach(RideOption.allCases) { option in
                        Form.checkbox("option", value: option.rawValue, label: t(option.label), checked: state["opt-" + option.rawValue] == "1", id: "opt-" + option.rawValue)
                    }),
                communities.isEmpty ? .empty : Form.select("community", label: t("Visible par", "Visible to"), state: state, t,
                    options: [("", t("Tous les membres", "All members"))] + communities.map { ($0.id.uuidString, t("La communauté « \($0.name) » seulement", "The “\($0.name)” community only")) }),
                Form.field("phone", label: t("Téléphone", "Phone"), state: state, t, type: .tel, required: false,
                           hint: t("Montré seulement à la personne dont vous acceptez la demande.", "Shown only to the person whose request you accept.")),
                Form.textarea("comment", label: t("Commentaire", "Comment"), state: state, t, rows: 3, required: false),
                Form.submit(t("Publier", "Publish"))))
    }

    static func timeInput(_ name: String, label: String, state: FormState, _ t: Translator) -> Node<HTML.BodyContext> {
        .group(.label(.for(name), .class("visually-hidden"), .text(label)),
               .input(.type(.time), .name(name), .id(name), .value(state[name]),
                      .attribute(named: "aria-invalid", value: state.errors.message(for: name) == nil ? nil : "true")),
               .unwrap(state.errors.message(for: name)) { .span(.class("field-error"), .text(t($0))) })
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let form = try req.content.decode(AdForm.self)
        let values = values(req, form)
        do {
            let relayPoints = try await RelayPoint.all(of: access.coopID, on: req.db)
            let member = try access.memberID()
            let community = try await CarpoolAds.community(form.community, for: member, in: access.coopID, on: req.db)
            let ad = try draft(values, options: form.option ?? []).validated(
                origin: CarpoolPlaces.resolve(values["from"] ?? "", relayPoints), destination: CarpoolPlaces.resolve(values["to"] ?? "", relayPoints),
                community: community, now: Date())
            let id = try await CarpoolAds.publish(ad, phone: form.phone, author: member, coop: access.coopID, on: req.db)
            try await CarpoolAlerts.adPublished(id, in: access.coopID, slug: access.coop.slug, on: req.db)
            return req.done(Localized(fr: "Trajet publié.", en: "Ride published."), goTo: "\(access.base)/ads/\(id)")
        } catch {
            return try await newView(req, access: access, state: try FormState(refused: error, values: values), status: (error as? DomainError)?.status ?? .unprocessableEntity)
        }
    }
}
