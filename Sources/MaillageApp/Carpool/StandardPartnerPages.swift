import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/carpool/partners`, for staff and board: the partner operators allowed to use the
/// standard operator API, each with its own key (shown once, at creation), and its revocation.
enum StandardPartnerPages {
    struct NewForm: Content { var name: String? }

    static func routes(_ routes: any RoutesBuilder) {
        let staff = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug", "carpool", "partners")
        staff.get(use: show)
        staff.post(use: create)
        staff.get(":id", "revoke", use: revokeQuestion)
        staff.post(":id", "revoke", use: revoke)
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await view(req, access: try await CarpoolAccess(req, member: true, minimum: .staff))
    }

    static func view(_ req: Request, access: CarpoolAccess, state: FormState = FormState(), operatorState: FormState = FormState(),
                     status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, base = access.base
        let partners = try await StandardPartners.all(in: access.coopID, on: req.db)
        let queried = try await PartnerOperatorPages.section(req, access: access, state: operatorState)
        let endpoint = "\(PublicAddress.baseURL(req))\(base)/standard"
        return Layout.page(req, title: t("Opérateurs partenaires", "Partner operators"), status: status,
            .p(.a(.href("\(base)/settings"), .text("← " + t("Réglages du covoiturage", "Carpool settings")))),
            .h1(.text(t("Opérateurs partenaires", "Partner operators"))),
            .p(.text(t("Les plateformes de covoiturage partenaires cherchent vos trajets et y réservent des places pour leurs inscrits par l’API « standard covoiturage », à l’adresse ",
                       "Partner carpool platforms search your rides and book seats on them for their users through the “standard covoiturage” API, at "))),
            .p(.code(.text(endpoint))),
            .p(.class("hint"), .text(t("Chaque partenaire envoie sa clé dans l’en-tête X-API-Key. Elle n’est affichée qu’une fois : seule son empreinte est gardée. Une clé révoquée est refusée aussitôt.",
                                       "Each partner sends its key in the X-API-Key header. It is shown once: only its fingerprint is kept. A revoked key is refused at once."))),
            .section(.h2(.text(t("Clés", "Keys"))),
                partners.isEmpty ? .p(.text(t("Aucun partenaire pour l’instant.", "No partner yet."))) :
                .table(.class("stack"),
                    .caption(.text(t("Les partenaires et leurs clés", "The partners and their keys"))),
                    .thead(.tr(.th(.text(t("Partenaire", "Partner"))), .th(.text(t("Créée le", "Created"))), .th(.text(t("État", "State"))),
                               .th(.text(t("Action", "Action"))))),
                    .tbody(.forEach(partners) { partner in
                        .tr(.td(.attribute(named: "data-label", value: t("Partenaire", "Partner")), .text(partner.name)),
                            .td(.attribute(named: "data-label", value: t("Créée le", "Created")),
                                .text(DayText.short(LocalZone.paris.localDate(at: partner.created_at), t.language))),
                            .td(.attribute(named: "data-label", value: t("État", "State")),
                                .text(partner.revoked_at == nil ? t("Active", "Active") : t("Révoquée", "Revoked"))),
                            .td(.attribute(named: "data-label", value: t("Action", "Action")),
                                partner.revoked_at == nil
                                    ? Confirmation.ask(t("Révoquer", "Revoke"), at: "\(base)/partners/\(partner.id)/revoke",
                                                       ariaLabel: t("Révoquer la clé de « \(partner.name) »", "Revoke the key of “\(partner.name)”"))
                                    : .text("—")))
                    }))),
            .section(.h2(.text(t("Nouvelle clé", "New key"))),
                Form.post(req, action: "\(base)/partners",
                    Form.summary(state, t),
                    Form.field("name", label: t("Nom de l’opérateur partenaire", "Partner operator's name"), state: state, t),
                    Form.submit(t("Créer la clé", "Create the key")))),
            queried)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let name = (try req.content.decode(NewForm.self)).name ?? ""
        do {
            let made = try await StandardPartners.create(name: name, in: access.coopID, by: try access.memberID(), on: req.db)
            return req.done(Localized(fr: "Clé créée pour « \(name) » : \(made.key) — copiez-la maintenant, elle ne sera plus affichée.",
                                      en: "Key created for “\(name)”: \(made.key) — copy it now, it will not be shown again."),
                            goTo: "\(access.base)/partners")
        } catch {
            return try await view(req, access: access, state: try FormState(refused: error, values: ["name": name]), status: .unprocessableEntity)
        }
    }

    @Sendable static func revokeQuestion(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let partner = try await StandardPartners.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let t = req.t
        return Confirmation.page(req, title: t("Révoquer la clé de « \(partner.name) » ?", "Revoke the key of “\(partner.name)”?"),
            consequences: [t("Le partenaire ne pourra plus chercher vos trajets ni y réserver de place.", "The partner will no longer search your rides or book seats on them."),
                           t("Les réservations déjà faites restent ; une nouvelle clé sera nécessaire pour reprendre.",
                             "Bookings already made stay; a new key will be needed to resume.")],
            action: "\(access.base)/partners/\(partner.id)/revoke", button: t("Révoquer la clé", "Revoke the key"), back: "\(access.base)/partners")
    }

    @Sendable static func revoke(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let partner = try await StandardPartners.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        guard req.isConfirmed else { return req.askFirst("\(access.base)/partners/\(partner.id)/revoke") }
        try await StandardPartners.revoke(partner.id, in: access.coopID, on: req.db)
        return req.done(Localized(fr: "Clé de « \(partner.name) » révoquée.", en: "Key of “\(partner.name)” revoked."), goTo: "\(access.base)/partners")
    }
}
