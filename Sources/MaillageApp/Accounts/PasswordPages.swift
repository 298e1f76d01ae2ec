import Fluent
import MaillageCore
import Plot
import SQLKit
import Vapor

/// Forgotten password (a single-use link by mail) and changing one's password.
enum PasswordPages {
    struct ForgotForm: Content { var email: String? }
    struct ResetForm: Content { var password: String?; var password_again: String? }
    struct ChangeForm: Content { var current_password: String?; var password: String?; var password_again: String? }

    static let askedWords = Localized(
        fr: "Si un compte utilise cette adresse, un courriel vient d’y partir avec un lien pour choisir un nouveau mot de passe (valable une heure). Pensez à regarder dans les indésirables.",
        en: "If an account uses this address, a mail is on its way with a link to choose a new password (valid for one hour). Check your spam folder too.")
    static let tooManyAsks = DomainError(.tooManyRequests, code: "too_many_password_requests", field: "email",
                                         fr: "Trop de demandes depuis cette connexion. Réessayez dans une heure.",
                                         en: "Too many requests from this connection. Try again in an hour.")
    static let linkGone = DomainError(.notFound, code: "link_expired",
                                      fr: "Ce lien ne fonctionne plus : il a déjà servi ou a expiré. Demandez-en un nouveau.",
                                      en: "This link no longer works: it was used already or has expired. Ask for a new one.")
    static let notTheSame = DomainError(.invalid, code: "passwords_differ", field: "password_again",
                                        fr: "Les deux mots de passe ne sont pas identiques.", en: "The two passwords are not the same.")
    static let wrongCurrent = DomainError(.invalid, code: "wrong_password", field: "current_password",
                                          fr: "Ce n’est pas votre mot de passe actuel.", en: "That is not your current password.")

    // MARK: forgotten password

    @Sendable static func forgotPage(_ req: Request) async throws -> Response {
        forgotView(req, state: FormState(values: ["email": req.query[String.self, at: "email"] ?? ""]), sent: false)
    }

    @Sendable static func forgot(_ req: Request) async throws -> Response {
        let form = try req.content.decode(ForgotForm.self)
        do {
            let email = try Validate.email(form.email ?? "")
            // A stranger may type anyone's address: each connection may ask a few times an hour.
            let key = "password:" + ClientAddress.of(req)
            do { try await SignUpAttempts.check(address: key, rule: SignUpThrottle(limit: 5), on: req.db) }
            catch { throw tooManyAsks }
            try await SignUpAttempts.record(address: key, on: req.db)
            let baseURL = PublicAddress.baseURL(req)
            try await req.db.writeTransaction { tx in
                if let user = try await User.query(on: tx).filter(\.$email == email).first() {
                    let link = try await AccountLinks.make(.passwordReset, for: try user.requireID(), baseURL: baseURL, on: tx)
                    let language = user.language.flatMap(Language.init(rawValue:)) ?? req.language
                    try await Mail.send(AccountMails.resetPassword(to: user.email, name: user.displayName, language: language, link: link), on: tx)
                } else {
                    try await Mail.send(AccountMails.noAccount(to: email, language: req.language, baseURL: baseURL), on: tx)
                }
            }
            // The same page whether or not the address has an account.
            return req.redirect(to: "/password/forgot?sent=1", redirectType: .normal)
        } catch {
            let state = try FormState(refused: error, values: ["email": form.email ?? ""])
            let throttled = (error as? DomainError)?.kind == .tooManyRequests
            return forgotView(req, state: state, sent: false, status: throttled ? .tooManyRequests : .unprocessableEntity)
        }
    }

    static func forgotView(_ req: Request, state: FormState, sent: Bool, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t
        let sent = sent || req.query[String.self, at: "sent"] != nil
        return Layout.page(req, title: t("Mot de passe oublié", "Forgotten password"), status: status,
            .h1(.text(t("Mot de passe oublié", "Forgotten password"))),
            sent ? .p(.class("notice"), .attribute(named: "role", value: "status"), .text(t(askedWords)))
                 : .p(.text(t("Indiquez l’adresse de votre compte : nous y envoyons un lien pour choisir un nouveau mot de passe.",
                              "Give your account's address: we send it a link to choose a new password."))),
            Form.post(req, action: "/password/forgot",
                Form.summary(state, t),
                Form.field("email", label: t("Adresse e-mail", "Email address"), state: state, t, type: .email, autocomplete: "email"),
                Form.submit(t("Recevoir le lien", "Send me the link"))),
            .p(.a(.href("/login"), .text(t("Retour à la connexion", "Back to log in"))))
        )
    }

    // MARK: the link

    @Sendable static func resetPage(_ req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard try await AccountLinks.peek(.passwordReset, token: token, on: req.db) != nil else { throw linkGone }
        return resetView(req, token: token, state: FormState())
    }

    @Sendable static func reset(_ req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let form = try req.content.decode(ResetForm.self)
        do {
            let password = try checkedNewPassword(form.password, again: form.password_again)
            let hash = try await req.passwords.hash(password)
            let user: User = try await req.db.writeTransaction { tx in
                guard let used = try await AccountLinks.use(.passwordReset, token: token, on: tx),
                      let user = try await User.find(used.userID, on: tx) else { throw linkGone }
                try await setPassword(hash, of: user, on: tx)
                // Whoever could read the mail proved the address is theirs.
                if user.emailConfirmedAt == nil {
                    user.emailConfirmedAt = Date()
                    try await user.save(on: tx)
                }
                return user
            }
            // The mailed link stands in for the password, not for the second factor.
            return try await TwoFactorLogin.proceed(user, next: "/account?password=changed", on: req)
        } catch let error as DomainError where error == linkGone {
            throw error
        } catch {
            return resetView(req, token: token, state: try FormState(refused: error, values: [:]), status: .unprocessableEntity)
        }
    }

    static func resetView(_ req: Request, token: String, state: FormState, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t
        return Layout.page(req, title: t("Nouveau mot de passe", "New password"), status: status,
            .h1(.text(t("Choisir un nouveau mot de passe", "Choose a new password"))),
            .p(.text(t("Après ce changement, vos autres connexions et vos jetons d’API sont fermés.",
                       "After this change, your other sessions and API tokens are closed."))),
            Form.post(req, action: "/password/reset/\(token)",
                Form.summary(state, t),
                Form.field("password", label: t("Nouveau mot de passe", "New password"), state: state, t, type: .password,
                           hint: t("Au moins 10 caractères.", "At least 10 characters."), autocomplete: "new-password"),
                Form.field("password_again", label: t("Le même, une seconde fois", "The same again"), state: state, t, type: .password,
                           autocomplete: "new-password"),
                Form.submit(t("Enregistrer et me connecter", "Save and log in")))
        )
    }

    // MARK: change, signed in

    @Sendable static func change(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(ChangeForm.self)
        do {
            let password = try checkedNewPassword(form.password, again: form.password_again)
            guard try await req.passwords.verify(form.current_password ?? "", created: user.passwordHash) else { throw wrongCurrent }
            let hash = try await req.passwords.hash(password)
            let baseURL = PublicAddress.baseURL(req)
            try await req.db.writeTransaction { tx in
                try await setPassword(hash, of: user, on: tx)
                let language = user.language.flatMap(Language.init(rawValue:)) ?? req.language
                try await Mail.send(AccountMails.passwordChanged(to: user.email, name: user.displayName, language: language, baseURL: baseURL), on: tx)
            }
            // The other sessions are gone; this one gets a new id and goes on.
            try await AccountPages.logIn(user, on: req)
            return req.redirect(to: "/account?password=changed#security", redirectType: .normal)
        } catch {
            return try await AccountHome.render(req, newToken: nil, tokenState: FormState(),
                                                passwordState: try FormState(refused: error, values: [:]), status: .unprocessableEntity)
        }
    }

    static func checkedNewPassword(_ password: String?, again: String?) throws -> String {
        var errors = ValidationErrors()
        let password = password ?? ""
        _ = try errors.collect { try Validate.password(password) }
        if errors.isEmpty && password != (again ?? "") { errors.add(notTheSame) }
        try errors.throwIfAny()
        return password
    }

    /// The new hash, and every way in that the old password opened is closed: sessions, tokens.
    static func setPassword(_ hash: String, of user: User, on db: any Database) async throws {
        let userID = try user.requireID()
        user.passwordHash = hash
        try await user.save(on: db)
        try await DatabaseSessions.endAll(ofUser: userID, on: db)
        try await TwoFactor.forgetTrustedDevices(of: userID, on: db)
        try await db.sql.update(AccessToken.schema).set("revoked_at", to: SQLBind(Date()))
            .where("user_id", .equal, SQLBind(userID)).where("revoked_at", .is, SQLLiteral.null).run()
    }
}
