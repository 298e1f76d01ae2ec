import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/carpool/alerts`: a member's saved searches — a trip, the side they look for, the
/// days and time — each paused, resumed or deleted; a new ride that matches is sent to their inbox.
enum CarpoolAlertPages {
    struct AlertForm: Content {
        var from: String?
        var to: String?
        var lookingFor: String?
        var weekday: [String]?
        var time: String?
        var margin: String?

        enum CodingKeys: String, CodingKey {
            case from, to, weekday, time, margin
            case lookingFor = "looking_for"
        }

        var values: [String: String] {
            var out = ["from": from ?? "", "to": to ?? "", "looking_for": lookingFor ?? "", "time": time ?? "", "margin": margin ?? ""]
            for day in weekday ?? [] { out["day-" + day] = "1" }
            return out
        }
    }

    static func pages(_ routes: any RoutesBuilder) {
        let alerts = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug", "carpool", "alerts")
        alerts.get(use: list)
        alerts.post(use: create)
        alerts.post(":id", "pause", use: pause)
        alerts.post(":id", "resume", use: resume)
        alerts.get(":id", "delete", use: deleteQuestion)
        alerts.post(":id", "delete", use: delete)
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        return try await listView(req, access: access, state: FormState(values: [
            "from": req.query[String.self, at: "from"] ?? "", "to": req.query[String.self, at: "to"] ?? "",
            "looking_for": req.query[String.self, at: "looking_for"] ?? "driver", "margin": "\(RideAlert.defaultMargin)",
        ]))
    }

    static func describe(_ alert: RideAlertRow, _ t: Translator, _ language: Language) -> String {
        let rule = alert.rule
        let side = rule.lookingFor == .driver ? t("je cherche une place", "I look for a seat") : t("je cherche des passager·ères", "I look for passengers")
        let days = rule.weekdays.isEmpty ? t("tous les jours", "every day")
            : rule.weekdays.sorted().compactMap { CarpoolAdPages.weekdayNames[$0].map { language == .fr ? t($0).lowercased() : t($0) } }.joined(separator: ", ")
        let time = rule.time.map { t("vers \($0.clock) (± \($0.margin) min)", "around \($0.clock) (± \($0.margin) min)") } ?? t("à toute heure", "at any time")
        return [side, days, time].joined(separator: " · ")
    }

    static func listView(_ req: Request, access: CarpoolAccess, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, base = access.base
        let alerts = try await CarpoolAlerts.mine(try access.memberID(), in: access.coopID, on: req.db)
        let relayPoints = try await RelayPoint.all(of: access.coopID, on: req.db)
        let places = CarpoolPlaces.options(relayPoints, t, empty: t("— choisir —", "— choose —"))
        return Layout.page(req, title: t("Mes alertes — \(access.coop.name)", "My alerts — \(access.coop.name)"), status: status,
            .p(.a(.href(base), .text("← " + t("Covoiturage", "Carpooling")))),
            .h1(.text(t("Mes alertes", "My alerts"))),
            .p(.class("lead"), .text(t("Dès qu’un trajet qui vous convient est publié, vous recevez un avis (et un e-mail selon vos préférences).",
                                       "As soon as a ride that suits you is published, you get a notice (and an e-mail if you chose so)."))),
            alerts.isEmpty ? .p(.text(t("Vous n’avez pas encore d’alerte.", "You have no alert yet."))) : .ul(.class("cards"), .forEach(alerts) { alert in
                let trip = "\(alert.origin_name) → \(alert.destination_name)"
                return .li(.class("card"), .article(
                    .h2(.text(trip)),
                    .p(.class("meta"), .text(describe(alert, t, req.language) + (alert.paused_at == nil ? "" : " · " + t("en pause", "paused")))),
                    .div(.class("actions"),
                        Form.post(req, action: "\(base)/alerts/\(alert.id)/\(alert.paused_at == nil ? "pause" : "resume")",
                                  .button(.type(.submit), .attribute(named: "aria-label", value: (alert.paused_at == nil ? t("Mettre en pause", "Pause") : t("Reprendre", "Resume")) + " : " + trip),
                                          .text(alert.paused_at == nil ? t("Mettre en pause", "Pause") : t("Reprendre", "Resume")))),
                        Confirmation.ask(t("Supprimer", "Delete"), at: "\(base)/alerts/\(alert.id)/delete", ariaLabel: t("Supprimer l’alerte \(trip)", "Delete the alert \(trip)")))))
            }),
            .section(.attribute(named: "aria-labelledby", value: "new-alert"),
                .h2(.id("new-alert"), .text(t("Créer une alerte", "Create an alert"))),
                Form.post(req, action: "\(base)/alerts",
                    Form.summary(state, t),
                    Form.select("from", label: t("Départ", "From"), state: state, t, options: places),
                    Form.select("to", label: t("Arrivée", "To"), state: state, t, options: places),
                    Form.select("looking_for", label: t("Je cherche", "I look for"), state: state, t,
                                options: [("driver", t("Une place (conducteur·rice)", "A seat (a driver)")), ("passenger", t("Des passager·ères", "Passengers"))]),
                    .fieldset(.attribute(named: "id", value: "weekdays"), .element(named: "legend", nodes: [.text(t("Jours (aucun coché : tous les jours)", "Days (none ticked: every day)"))]),
                              .unwrap(state.errors.message(for: "weekdays")) { .p(.class("field-error"), .text(t($0))) },
                              .forEach(1...7) { day in
                                  Form.checkbox("weekday", value: "\(day)", label: t(CarpoolAdPages.weekdayNames[day]!), checked: state["day-\(day)"] == "1", id: "day-\(day)")
                              }),
                    Form.field("time", label: t("Heure de départ", "Departure time"), state: state, t, type: .time, required: false,
                               hint: t("Laissez vide pour toute heure.", "Leave empty for any time.")),
                    Form.field("margin", label: t("Marge (minutes, avant ou après)", "Margin (minutes, before or after)"), state: state, t, type: .number, required: false),
                    Form.submit(t("Créer l’alerte", "Create the alert")))))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let form = try req.content.decode(AlertForm.self)
        do {
            let relayPoints = try await RelayPoint.all(of: access.coopID, on: req.db)
            let rule = try RideAlert.parse(lookingFor: form.lookingFor ?? "", weekdays: form.weekday ?? [], time: form.time ?? "", margin: form.margin ?? "")
            _ = try await CarpoolAlerts.create(rule, from: CarpoolPlaces.resolve(form.from ?? "", relayPoints), to: CarpoolPlaces.resolve(form.to ?? "", relayPoints),
                                               person: try access.memberID(), coop: access.coopID, on: req.db)
            return req.done(Localized(fr: "Alerte créée.", en: "Alert created."), goTo: "\(access.base)/alerts")
        } catch {
            return try await listView(req, access: access, state: try FormState(refused: error, values: form.values),
                                      status: (error as? DomainError)?.status ?? .unprocessableEntity)
        }
    }

    @Sendable static func pause(_ req: Request) async throws -> Response { try await pausing(req, true) }
    @Sendable static func resume(_ req: Request) async throws -> Response { try await pausing(req, false) }

    static func pausing(_ req: Request, _ paused: Bool) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        try await CarpoolAlerts.pause(req.parameters.get("id", as: UUID.self), paused, of: try access.memberID(), in: access.coopID, on: req.db)
        return req.done(paused ? Localized(fr: "Alerte en pause.", en: "Alert paused.") : Localized(fr: "Alerte reprise.", en: "Alert resumed."),
                        goTo: "\(access.base)/alerts")
    }

    @Sendable static func deleteQuestion(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let t = req.t
        let alert = try await CarpoolAlerts.find(req.parameters.get("id", as: UUID.self), of: try access.memberID(), in: access.coopID, on: req.db)
        return Confirmation.page(req, title: t("Supprimer l’alerte \(alert.origin_name) → \(alert.destination_name) ?",
                                               "Delete the alert \(alert.origin_name) → \(alert.destination_name)?"),
            consequences: [t("Vous ne serez plus prévenu·e des trajets publiés pour ce parcours.", "You will no longer be told of rides published for this trip."),
                           t("Pour seulement l’interrompre un temps, mettez-la en pause.", "To stop it for a while only, pause it instead.")],
            action: "\(access.base)/alerts/\(alert.id)/delete", button: t("Supprimer l’alerte", "Delete the alert"), back: "\(access.base)/alerts")
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let id = req.parameters.get("id", as: UUID.self)
        guard req.isConfirmed else { return req.askFirst("\(access.base)/alerts/\(id?.uuidString ?? "")/delete") }
        try await CarpoolAlerts.delete(id, of: try access.memberID(), in: access.coopID, on: req.db)
        return req.done(Localized(fr: "Alerte supprimée.", en: "Alert deleted."), goTo: "\(access.base)/alerts")
    }
}
