import Fluent
import MaillageCore
import Plot
import Vapor

/// The person's control over their data: download, delete, see who looked.
enum PrivacyPages {
    static var register: [TableRegister] { Modules.all.flatMap(\.dataRegister) }

    @Sendable static func export(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let tables = try await DataExport.tables(for: try user.requireID(), register: register, on: req.db)
        let response = Response(status: .ok, body: .init(data: try DataExport.archive(tables, user: user)))
        response.headers.replaceOrAdd(name: .contentType, value: "application/x-tar")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"maillage-mes-donnees.tar\"")
        return response
    }

    @Sendable static func deletePage(_ req: Request) async throws -> Response {
        try await deleteView(req, problem: nil)
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        struct Confirm: Content { var password: String? }
        let password = try req.content.decode(Confirm.self).password ?? ""
        guard try await req.passwords.verify(password, created: user.passwordHash) else {
            return try await deleteView(req, problem: Accounts.badCredentials, status: .unprocessableEntity)
        }
        do {
            try await Erasure.erase(user, on: req.db)
        } catch let error as DomainError {
            return try await deleteView(req, problem: error, status: .conflict)
        }
        req.auth.logout(User.self)
        req.session.destroy()
        return req.redirect(to: "/account/deleted", redirectType: .normal)
    }

    /// Where the deletion leads: the session is gone, so the page itself says what happened.
    @Sendable static func deleted(_ req: Request) async throws -> Response {
        let t = req.t
        return Layout.page(req, title: t("Compte supprimé", "Account deleted"),
            .h1(.text(t("Compte supprimé", "Account deleted"))),
            .p(.class("notice"), .attribute(named: "role", value: "status"),
               .text(t("Votre compte est supprimé : votre nom et votre adresse ont disparu. Ce que les coopératives doivent garder reste, sous un pseudonyme.",
                       "Your account is deleted: your name and address are gone. What the cooperatives must keep stays, under a pseudonym."))),
            .p(.a(.href("/"), .text(t("Retour à l’annuaire", "Back to the directory")))))
    }

    static func deleteView(_ req: Request, problem: DomainError?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let t = req.t
        let reasons = try await Erasure.openObligations(of: user, on: req.db)
        // What deleting does to each membership, in figures: it is also leaving each cooperative.
        let memberships = try await Membership.query(on: req.db).filter(\.$user.$id == user.requireID())
            .filter(\.$status == MembershipStatus.active.rawValue).with(\.$cooperative).all()
        let leaving = memberships.map { membership -> String in
            let coop = membership.cooperative, shares = membership.shares, plural = shares > 1 ? "s" : ""
            let value = MembershipRules.capital(shares: shares, nominalCents: coop.shareNominalCents)
            return coop.form.hasShareCapital && shares > 0
                ? t("Vous quittez \(coop.name) : vos \(shares) part\(plural) sociale\(plural) (\(Euros.format(cents: value, .fr))) vous seront remboursées selon ses règles.",
                    "You leave \(coop.name): your \(shares) share\(plural) (\(Euros.format(cents: value, .en))) will be paid back under its rules.")
                : t("Vous quittez \(coop.name) et y perdez votre voix.", "You leave \(coop.name) and lose your vote there.")
        }
        return Layout.page(req, title: t("Supprimer mon compte", "Delete my account"), status: status,
            .h1(.text(t("Supprimer mon compte", "Delete my account"))),
            .unwrap(problem) { .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t($0.message))) },
            .if(!leaving.isEmpty, .div(.class("confirm"), .p(.strong(.text(t("Avant de confirmer :", "Before you confirm:")))),
                                       .ul(.forEach(leaving) { .li(.text($0)) }))),
            .p(.text(t("Votre nom et votre adresse disparaissent aussitôt, remplacés par un pseudonyme. Ce que les coopératives doivent garder (registre des sociétaires, bulletins, présences, décisions) reste, rattaché à ce pseudonyme. Vos jetons, notifications et sessions sont effacés.",
                       "Your name and address disappear at once, replaced by a pseudonym. What the cooperatives must keep (register of members, ballots, attendance, decisions) stays, linked to that pseudonym. Your tokens, notifications and sessions are erased."))),
            .if(!reasons.isEmpty, .div(.class("form-errors"), .p(.strong(.text(t("Pas encore possible :", "Not possible yet:")))),
                                       .ul(.forEach(reasons) { .li(.text(t($0))) })),
                else: Form.post(req, action: "/account/delete",
                    Form.field("password", label: t("Confirmez avec votre mot de passe", "Confirm with your password"), state: FormState(), t,
                               type: .password, autocomplete: "current-password"),
                    .button(.type(.submit), .class("danger"), .text(t("Supprimer définitivement mon compte", "Delete my account for good"))))))
    }

    /// The account page's section on the person's data.
    static func accountSection(_ req: Request, user: User) async throws -> Node<HTML.BodyContext> {
        let t = req.t
        let log = try await AccessLog.entries(about: user.requireID(), on: req.db)
        return .section(
            .id("my-data"), .attribute(named: "aria-labelledby", value: "my-data-title"),
            .h2(.id("my-data-title"), .text(t("Mes données", "My data"))),
            .p(.a(.href("/account/export"), .text(t("Télécharger toutes mes données", "Download all my data"))), .text(" (JSON + CSV) · "),
               .a(.href("/about/privacy"), .text(t("Registre des traitements", "Register of processing"))), .text(" · "),
               .a(.href("/account/delete"), .text(t("Supprimer mon compte", "Delete my account")))),
            .h3(.text(t("Qui a consulté mes données", "Who looked at my data"))),
            .if(log.isEmpty, .p(.text(t("Personne pour l’instant.", "Nobody so far."))),
                else: StackedTable.node(.table(.thead(.tr(.th(.text(t("Quand", "When"))), .th(.text(t("Qui", "Who"))), .th(.text(t("Coopérative", "Cooperative"))),
                                        .th(.text(t("Quoi", "What"))))),
                             .tbody(.forEach(log) { entry in
                                 .tr(.td(.text(DateText.short(entry.at, req.language))), .td(.text(entry.actor)), .td(.text(entry.cooperative)),
                                     .td(.text(accessLabel(entry.what, t))))
                             })))))
    }

    static func accessLabel(_ what: String, _ t: Translator) -> String {
        switch what {
        case "members-list": t("Liste des sociétaires (nom, collège, parts, message)", "Members list (name, college, shares, message)")
        case "members-api": t("Liste des sociétaires via l’API", "Members list through the API")
        default: what
        }
    }
}
