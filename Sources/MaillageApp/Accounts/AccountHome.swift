import Fluent
import MaillageCore
import Plot
import Vapor

/// The signed-in person's home: what concerns them, their memberships, their API tokens.
enum AccountHome {
    /// What the last action did, said on the page the person lands on.
    static func notice(_ req: Request) -> String? {
        let t = req.t
        if req.query[String.self, at: "confirmed"] != nil { return t("Votre adresse est confirmée : vous pouvez rejoindre une coopérative.", "Your address is confirmed: you can join a cooperative.") }
        if req.query[String.self, at: "confirmation"] == "sent" { return t("Un nouveau courriel de confirmation est parti.", "A new confirmation mail is on its way.") }
        switch req.query[String.self, at: "email"] {
        case "asked": return t("Un lien de confirmation est parti vers la nouvelle adresse ; l’ancienne reste en place jusque-là.", "A confirmation link went to the new address; the old one stays until then.")
        case "changed": return t("Votre adresse e-mail est changée.", "Your email address is changed.")
        default: break
        }
        if req.query[String.self, at: "password"] == "changed" { return t("Votre mot de passe est changé ; vos autres connexions et jetons sont fermés.", "Your password is changed; your other sessions and tokens are closed.") }
        return nil
    }

    static func emailSection(_ req: Request, user: User, state: FormState) -> Node<HTML.BodyContext> {
        let t = req.t
        return .section(.id("email"), .attribute(named: "aria-labelledby", value: "email-title"),
            .h2(.id("email-title"), .text(t("Adresse e-mail", "Email address"))),
            .p(.text(user.email + " — "), .strong(.text(user.emailConfirmed ? t("confirmée", "confirmed") : t("pas encore confirmée", "not confirmed yet")))),
            .if(!user.emailConfirmed, .group(
                .p(.text(t("Pour rejoindre une coopérative, voter, commander ou emprunter, suivez le lien du courriel de confirmation.",
                           "To join a cooperative, vote, order or borrow, follow the link of the confirmation mail."))),
                Form.post(req, action: "/account/confirm", Form.submit(t("Renvoyer le courriel de confirmation", "Send the confirmation mail again")))
            )),
            Form.post(req, action: "/account/email",
                Form.summary(state, t),
                Form.field("new_email", label: t("Nouvelle adresse", "New address"), state: state, t, type: .email,
                           hint: t("Un lien de confirmation part vers la nouvelle adresse ; l’ancienne est prévenue.", "A confirmation link goes to the new address; the old one is told."),
                           autocomplete: "email"),
                // Its own name: the password form below has a `current_password` field on the same page.
                Form.field("email_password", label: t("Mot de passe actuel", "Current password"), state: state, t, type: .password,
                           autocomplete: "current-password"),
                Form.submit(t("Changer d’adresse", "Change address"))))
    }

    static func passwordSection(_ req: Request, state: FormState) -> Node<HTML.BodyContext> {
        let t = req.t
        return .section(.id("security"), .attribute(named: "aria-labelledby", value: "security-title"),
            .h2(.id("security-title"), .text(t("Mot de passe", "Password"))),
            Form.post(req, action: "/account/password",
                Form.summary(state, t),
                Form.field("current_password", label: t("Mot de passe actuel", "Current password"), state: state, t, type: .password,
                           autocomplete: "current-password"),
                Form.field("password", label: t("Nouveau mot de passe", "New password"), state: state, t, type: .password,
                           hint: t("Au moins 10 caractères. Vos autres connexions et jetons seront fermés.", "At least 10 characters. Your other sessions and tokens will be closed."),
                           autocomplete: "new-password"),
                Form.field("password_again", label: t("Le même, une seconde fois", "The same again"), state: state, t, type: .password,
                           autocomplete: "new-password"),
                Form.submit(t("Changer de mot de passe", "Change password"))))
    }

    struct TokenForm: Content { var name: String?; var scope: String?; var lifetime: String? }

    @Sendable static func show(_ req: Request) async throws -> Response {
        // A token just made is shown once, on the page its form led to (then only its hash is kept).
        let fresh = req.session.data[freshToken]
        if fresh != nil { req.session.data[freshToken] = nil }
        return try await render(req, newToken: fresh, tokenState: FormState())
    }

    private static let freshToken = "fresh_token"

    @Sendable static func createToken(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(TokenForm.self)
        do {
            let secret = try await Tokens.create(for: user, name: form.name, scope: form.scope, lifetime: form.lifetime, on: req.db)
            req.session.data[freshToken] = secret
            return req.done(Localized(fr: "Jeton créé. Copiez-le maintenant : il ne sera plus affiché.",
                                      en: "Token created. Copy it now: it will not be shown again."), goTo: "/account#tokens")
        } catch {
            return try await render(req, newToken: nil, tokenState: FormState(refused: error, values: [
                "name": form.name ?? "", "scope": form.scope ?? "", "lifetime": form.lifetime ?? ""]), status: .unprocessableEntity)
        }
    }

    /// Revoking asks first: what uses the token stops at once, and it cannot be undone.
    @Sendable static func revokeQuestion(_ req: Request) async throws -> Response {
        let token = try await ownToken(req)
        let t = req.t
        let used = token.lastUsedAt.map { t("Il a servi pour la dernière fois le \(DateText.short($0, .fr)).", "It was last used on \(DateText.short($0, .en)).") }
            ?? t("Il n’a encore jamais servi.", "It has never been used yet.")
        return Confirmation.page(req, title: t("Révoquer le jeton « \(token.name) »", "Revoke the token “\(token.name)”"),
            consequences: [t("Les programmes qui utilisent ce jeton (\(token.hint)) perdent l’accès à votre compte aussitôt.",
                             "Programs using this token (\(token.hint)) lose access to your account at once."),
                           used,
                           t("Cela ne peut pas être annulé : il faudra créer un nouveau jeton et le donner à ces programmes.",
                             "This cannot be undone: you will have to create a new token and give it to those programs.")],
            action: "/account/tokens/\(try token.requireID())/revoke", button: t("Révoquer le jeton", "Revoke the token"),
            back: "/account#tokens")
    }

    @Sendable static func revokeToken(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let token = try await ownToken(req)
        let id = try token.requireID()
        guard req.isConfirmed else { return req.askFirst("/account/tokens/\(id)/revoke") }
        try await Tokens.revoke(id, of: user, on: req.db)
        return req.done(Localized(fr: "Jeton « \(token.name) » révoqué.", en: "Token “\(token.name)” revoked."), goTo: "/account#tokens")
    }

    /// One of the signed-in person's tokens still in force; anyone else's is not found.
    private static func ownToken(_ req: Request) async throws -> AccessToken {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self),
              let token = try await AccessToken.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == user.requireID())
                .filter(\.$revokedAt == nil).first()
        else { throw Problem.notFound(Localized(fr: "Jeton", en: "Token")) }
        return token
    }

    static func render(_ req: Request, newToken: String?, tokenState: FormState, emailState: FormState = FormState(),
                       passwordState: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let userID = try user.requireID()
        let t = req.t
        let now = Date()
        let tokens = try await AccessToken.query(on: req.db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).all()
            .filter { ($0.expiresAt ?? .distantFuture) > now }
        // A fresh form proposes the prudent choices: read only, 90 days.
        var tokenState = tokenState
        if tokenState.values["scope", default: ""].isEmpty { tokenState.values["scope"] = TokenScope.read.rawValue }
        if tokenState.values["lifetime", default: ""].isEmpty { tokenState.values["lifetime"] = TokenLifetime.days90.rawValue }
        var sections: [Node<HTML.BodyContext>] = []
        for module in Modules.all { if let section = try await module.accountSection(req, user: user) { sections.append(section) } }
        return Layout.page(req, title: t("Mon compte", "My account"), status: status,
            .h1(.text(t("Bonjour \(user.displayName)", "Hello \(user.displayName)"))),
            .if(req.query[String.self, at: "welcome"] != nil,
                .p(.class("notice"), .attribute(named: "role", value: "status"),
                   .text(t("Votre compte est créé. Parcourez l’annuaire pour rejoindre une coopérative.",
                           "Your account is ready. Browse the directory to join a cooperative.")))),
            .unwrap(notice(req)) { .p(.class("notice"), .attribute(named: "role", value: "status"), .text($0)) },
            .group(sections),
            emailSection(req, user: user, state: emailState),
            passwordSection(req, state: passwordState),
            try await TwoFactorPages.accountSection(req, user: user),
            // Tokens are for people who write programs: folded away under "Advanced", opened when
            // a token was just made or its form needs a correction.
            .details(
              .class("advanced"), .id("tokens"),
              .open(newToken != nil || !tokenState.errors.isEmpty),
              .summary(.text(t("Avancé : accès pour des programmes (API)", "Advanced: access for programs (API)"))),
              .p(.class("hint"), .text(t("Pour relier un logiciel à votre compte (une caisse, un tableur) ; vous n’en avez pas besoin pour utiliser le site.",
                                         "To connect software to your account (a till, a spreadsheet); you do not need it to use the site."))),
              .section(
                .attribute(named: "aria-labelledby", value: "tokens-title"),
                .h2(.id("tokens-title"), .text(t("Jetons d’accès à l’API", "API access tokens"))),
                .p(.text(t("Un jeton permet à un programme d’agir en votre nom via l’API ", "A token lets a program act on your behalf through the ")),
                   .a(.href("/api/docs"), .text("/api/v1")),
                   .text(t(". Il n’est affiché qu’une fois ; nous n’en gardons qu’une empreinte.", " API. It is shown once; we keep only a fingerprint of it."))),
                .unwrap(newToken) { secret in
                    .div(.class("notice"), .attribute(named: "role", value: "status"),
                         .p(.strong(.text(t("Copiez ce jeton maintenant, il ne sera plus affiché :", "Copy this token now, it will not be shown again:")))),
                         .p(.code(.id("new-token"), .text(secret))))
                },
                .if(!tokens.isEmpty, StackedTable.node(.table(
                    .caption(.text(t("Jetons actifs", "Active tokens"))),
                    .thead(.tr(.th(.text(t("Nom", "Name"))), .th(.text(t("Début", "Starts with"))), .th(.text(t("Droits", "Rights"))),
                               .th(.text(t("Créé", "Created"))), .th(.text(t("Expire", "Expires"))),
                               .th(.text(t("Dernier usage", "Last used"))), .th(.text(t("Action", "Action"))))),
                    .tbody(.forEach(tokens) { token in
                        .tr(.td(.text(token.name)), .td(.code(.text(token.hint))),
                            .td(.text(token.scope == TokenScope.read.rawValue ? t("lecture seule", "read only")
                                     : token.scope == TokenScope.dfc.rawValue ? t("commandes DFC", "DFC orders") : t("lecture et écriture", "read and write"))),
                            .td(.text(DateText.short(token.createdAt, req.language))),
                            .td(.text(token.expiresAt.map { DateText.short($0, req.language) } ?? t("jamais", "never"))),
                            .td(.text(token.lastUsedAt.map { DateText.short($0, req.language) } ?? t("jamais", "never"))),
                            .td(Confirmation.ask(t("Révoquer…", "Revoke…"), at: "/account/tokens/\(token.id?.uuidString ?? "")/revoke",
                                                 ariaLabel: t("Révoquer le jeton « \(token.name) »", "Revoke the token “\(token.name)”"))))
                    })
                ))),
                Form.post(req, action: "/account/tokens",
                    Form.summary(tokenState, t),
                    Form.field("name", label: t("Nom du jeton", "Token name"), state: tokenState, t,
                               hint: t("Par exemple : « script de la caisse ».", "For example: “till script”.")),
                    Form.select("scope", label: t("Droits", "Rights"), state: tokenState, t, options: [
                        (TokenScope.read.rawValue, t("Lecture seule : consulter, sans rien modifier", "Read only: look, change nothing")),
                        (TokenScope.full.rawValue, t("Lecture et écriture : tout ce que vous pouvez faire", "Read and write: everything you may do")),
                        (TokenScope.dfc.rawValue, t("Commandes DFC : une plateforme (Open Food Network…) passe, lit, modifie et annule des commandes de vos produits, rien d’autre",
                                                    "DFC orders: a platform (Open Food Network…) places, reads, changes and cancels orders of your products, nothing else")),
                    ]),
                    Form.select("lifetime", label: t("Valable", "Valid for"), state: tokenState, t, options: [
                        (TokenLifetime.days30.rawValue, t("30 jours", "30 days")),
                        (TokenLifetime.days90.rawValue, t("90 jours", "90 days")),
                        (TokenLifetime.year.rawValue, t("1 an", "1 year")),
                        (TokenLifetime.never.rawValue, t("Sans limite (jusqu’à révocation)", "No limit (until revoked)")),
                    ]),
                    Form.submit(t("Créer un jeton", "Create a token"))
                )
              )
            )
        )
    }
}

