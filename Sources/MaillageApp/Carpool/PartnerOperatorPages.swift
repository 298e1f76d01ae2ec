import Fluent
import MaillageCore
import Plot
import Vapor

/// The section "Operators we query" of `/c/<slug>/carpool/partners`, for staff and board: the
/// partner platforms whose journeys the search also shows, their address and key (never shown
/// back but for its last characters), turned on or off, and removed after a confirmation.
enum PartnerOperatorPages {
    struct NewForm: Content {
        var operator_name: String?
        var operator_url: String?
        var operator_key: String?
    }

    static func routes(_ routes: any RoutesBuilder) {
        let staff = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug", "carpool", "partners", "operators")
        staff.post(use: add)
        staff.post(":id", "enable") { try await turn($0, on: true) }
        staff.post(":id", "disable") { try await turn($0, on: false) }
        staff.get(":id", "remove", use: removeQuestion)
        staff.post(":id", "remove", use: remove)
    }

    static func section(_ req: Request, access: CarpoolAccess, state: FormState) async throws -> Node<HTML.BodyContext> {
        let t = req.t, base = access.base
        let operators = try await PartnerOperators.all(in: access.coopID, on: req.db)
        return .section(.id("operators"),
            .h2(.text(t("Opérateurs interrogés", "Operators we query"))),
            .p(.text(t("Quand quelqu’un cherche une place ici, la recherche interroge aussi ces plateformes partenaires (leur API « standard covoiturage », route driver_journeys) et montre leurs trajets à part, sous « Aussi sur … », avec un lien vers leur site pour réserver.",
                       "When someone looks for a seat here, the search also asks these partner platforms (their “standard covoiturage” API, driver_journeys route) and shows their journeys apart, under “Also on …”, with a link to their site to book."))),
            operators.isEmpty ? .p(.text(t("Aucun opérateur interrogé pour l’instant.", "No operator queried yet."))) :
            .table(.class("stack"),
                .caption(.text(t("Les opérateurs interrogés", "The operators we query"))),
                .thead(.tr(.th(.text(t("Opérateur", "Operator"))), .th(.text(t("Adresse de l’API", "API address"))), .th(.text(t("Clé", "Key"))),
                           .th(.text(t("État", "State"))), .th(.text(t("Actions", "Actions"))))),
                .tbody(.forEach(operators) { row in
                    .tr(.td(.attribute(named: "data-label", value: t("Opérateur", "Operator")), .text(row.name)),
                        .td(.attribute(named: "data-label", value: t("Adresse de l’API", "API address")), .code(.text(row.base_url))),
                        .td(.attribute(named: "data-label", value: t("Clé", "Key")),
                            .text(row.key_end.map { "…" + $0 } ?? t("aucune", "none"))),
                        .td(.attribute(named: "data-label", value: t("État", "State")),
                            .text(row.enabled ? t("Interrogé", "Queried") : t("En pause", "Paused"))),
                        .td(.attribute(named: "data-label", value: t("Actions", "Actions")),
                            Form.post(req, action: "\(base)/partners/operators/\(row.id)/\(row.enabled ? "disable" : "enable")",
                                .button(.type(.submit), .class("secondary"),
                                        .attribute(named: "aria-label", value: row.enabled ? t("Mettre « \(row.name) » en pause", "Pause “\(row.name)”")
                                                                                           : t("Interroger de nouveau « \(row.name) »", "Query “\(row.name)” again")),
                                        .text(row.enabled ? t("Mettre en pause", "Pause") : t("Reprendre", "Resume")))),
                            Confirmation.ask(t("Retirer", "Remove"), at: "\(base)/partners/operators/\(row.id)/remove",
                                             ariaLabel: t("Retirer « \(row.name) »", "Remove “\(row.name)”"))))
                })),
            .h3(.text(t("Ajouter un opérateur", "Add an operator"))),
            Form.post(req, action: "\(base)/partners/operators",
                Form.summary(state, t),
                Form.field("operator_name", label: t("Nom de l’opérateur", "Operator's name"), state: state, t),
                Form.field("operator_url", label: t("Adresse de son API standard covoiturage", "Address of its standard covoiturage API"), state: state, t,
                           type: .url, hint: t("Celle que l’opérateur vous a donnée, sans « /driver_journeys » à la fin.",
                                               "The one the operator gave you, without “/driver_journeys” at the end.")),
                Form.field("operator_key", label: t("Clé d’API qu’il vous a donnée", "API key it gave you"), state: FormState(errors: state.errors), t,
                           type: .password, required: false,
                           hint: t("Envoyée dans l’en-tête X-API-Key. Gardée chiffrée ; seuls ses quatre derniers caractères seront affichés.",
                                   "Sent in the X-API-Key header. Kept encrypted; only its last four characters will be shown."),
                           autocomplete: "off"),
                Form.submit(t("Ajouter l’opérateur", "Add the operator"))))
    }

    @Sendable static func add(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let form = try req.content.decode(NewForm.self)
        let draft = PartnerOperators.Draft(name: form.operator_name ?? "", baseURL: form.operator_url ?? "", key: form.operator_key ?? "")
        do {
            _ = try await PartnerOperators.add(draft, in: access.coopID, by: try access.memberID(), on: req.db)
            return req.done(Localized(fr: "« \(draft.name) » ajouté : la recherche l’interroge désormais.",
                                      en: "“\(draft.name)” added: the search now asks it."), goTo: "\(access.base)/partners#operators")
        } catch {
            // The key typed is not given back: it would sit in the page's source.
            let state = try FormState(refused: error, values: ["operator_name": draft.name, "operator_url": draft.baseURL])
            return try await StandardPartnerPages.view(req, access: access, operatorState: state,
                                                       status: (error as? DomainError)?.status ?? .unprocessableEntity)
        }
    }

    static func turn(_ req: Request, on enabled: Bool) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let row = try await PartnerOperators.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        try await PartnerOperators.setEnabled(row.id, enabled, in: access.coopID, on: req.db)
        return req.done(enabled ? Localized(fr: "« \(row.name) » est de nouveau interrogé.", en: "“\(row.name)” is queried again.")
                                : Localized(fr: "« \(row.name) » est en pause : la recherche ne l’interroge plus.", en: "“\(row.name)” is paused: the search no longer asks it."),
                        goTo: "\(access.base)/partners#operators")
    }

    @Sendable static func removeQuestion(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let row = try await PartnerOperators.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let t = req.t
        return Confirmation.page(req, title: t("Retirer « \(row.name) » ?", "Remove “\(row.name)”?"),
            consequences: [t("La recherche ne montrera plus ses trajets.", "The search will no longer show its journeys."),
                           t("Sa clé est effacée d’ici : pour l’interroger de nouveau, il faudra la saisir encore.",
                             "Its key is deleted from here: to query it again, it will have to be typed again.")],
            action: "\(access.base)/partners/operators/\(row.id)/remove", button: t("Retirer l’opérateur", "Remove the operator"),
            back: "\(access.base)/partners#operators")
    }

    @Sendable static func remove(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let row = try await PartnerOperators.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        guard req.isConfirmed else { return req.askFirst("\(access.base)/partners/operators/\(row.id)/remove") }
        try await PartnerOperators.remove(row.id, in: access.coopID, on: req.db)
        return req.done(Localized(fr: "« \(row.name) » retiré.", en: "“\(row.name)” removed."), goTo: "\(access.base)/partners#operators")
    }
}
