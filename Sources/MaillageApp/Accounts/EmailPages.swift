import Fluent
import MaillageCore
import Plot
import Vapor

/// Confirming one's address, asking for a new confirmation mail, changing one's address.
enum EmailPages {
    struct ChangeForm: Content { var new_email: String?; var email_password: String? }
    static let wrongPassword = DomainError(.invalid, code: "wrong_password", field: "email_password",
                                           fr: "Ce n’est pas votre mot de passe actuel.", en: "That is not your current password.")

    static let addressInUse = DomainError(.conflict, code: "email_in_use", field: "new_email",
                                          fr: "Cette adresse est déjà celle d’un autre compte.", en: "This address already belongs to another account.")

    /// The link opens a page with one button: a mail scanner that follows links does not confirm.
    @Sendable static func confirmPage(_ req: Request) async throws -> Response {
        try await linkPage(req, purpose: .emailConfirmation, action: "/account/confirm/",
                           title: req.t("Confirmer votre adresse", "Confirm your address"),
                           button: req.t("Confirmer mon adresse", "Confirm my address"))
    }

    @Sendable static func confirmChangePage(_ req: Request) async throws -> Response {
        try await linkPage(req, purpose: .emailChange, action: "/account/email/confirm/",
                           title: req.t("Confirmer votre nouvelle adresse", "Confirm your new address"),
                           button: req.t("Utiliser cette adresse", "Use this address"))
    }

    static func linkPage(_ req: Request, purpose: AccountLinks.Purpose, action: String, title: String, button: String) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        guard let link = try await AccountLinks.peek(purpose, token: token, on: req.db) else { throw PasswordPages.linkGone }
        return Layout.page(req, title: title,
            .h1(.text(title)),
            .unwrap(link.newEmail) { .p(.text(req.t("Nouvelle adresse : ", "New address: ") + $0)) },
            Form.post(req, action: action + token + AccountPages.nextQuery(req.query[String.self, at: "next"]), Form.submit(button)))
    }

    @Sendable static func confirm(_ req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let user: User = try await req.db.writeTransaction { tx in
            guard let used = try await AccountLinks.use(.emailConfirmation, token: token, on: tx),
                  let user = try await User.find(used.userID, on: tx) else { throw PasswordPages.linkGone }
            if user.emailConfirmedAt == nil {
                user.emailConfirmedAt = Date()
                try await user.save(on: tx)
            }
            return user
        }
        // Following the link proves the person reads this address: they are signed in (after
        // their second factor, if they have one).
        if req.user?.id != user.id, let detour = try await TwoFactorLogin.signIn(fromLink: user, next: "/account?confirmed=1", on: req) {
            return detour
        }
        // Signed up from a cooperative's page: back there, where joining is the next step.
        if let next = req.query[String.self, at: "next"], case let safe = LanguageSwitch.safeReturnPath(next), safe != "/" {
            return req.done(Localized(fr: "Votre adresse est confirmée.", en: "Your address is confirmed."), goTo: safe)
        }
        return req.redirect(to: "/account?confirmed=1", redirectType: .normal)
    }

    @Sendable static func confirmChange(_ req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let user: User = try await req.db.writeTransaction { tx in
            guard let used = try await AccountLinks.use(.emailChange, token: token, on: tx), let newEmail = used.newEmail,
                  let user = try await User.find(used.userID, on: tx) else { throw PasswordPages.linkGone }
            user.email = newEmail
            user.emailConfirmedAt = Date()
            do { try await user.save(on: tx) } catch let error as any DatabaseError where error.isConstraintFailure { throw addressInUse }
            return user
        }
        if req.user?.id != user.id, let detour = try await TwoFactorLogin.signIn(fromLink: user, next: "/account?email=changed#email", on: req) {
            return detour
        }
        return req.redirect(to: "/account?email=changed#email", redirectType: .normal)
    }

    /// A new confirmation mail, from the account page.
    @Sendable static func resend(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard !user.emailConfirmed else { return req.redirect(to: "/account#email", redirectType: .normal) }
        let key = "confirm:" + (try user.requireID().uuidString)
        do { try await SignUpAttempts.check(address: key, rule: SignUpThrottle(limit: 5), on: req.db) }
        catch { throw PasswordPages.tooManyAsks }
        try await SignUpAttempts.record(address: key, on: req.db)
        let baseURL = PublicAddress.baseURL(req)
        try await req.db.writeTransaction { tx in
            let link = try await AccountLinks.make(.emailConfirmation, for: try user.requireID(), baseURL: baseURL, on: tx)
            let language = user.language.flatMap(Language.init(rawValue:)) ?? req.language
            try await Mail.send(AccountMails.confirmAddress(to: user.email, name: user.displayName, language: language, link: link), on: tx)
        }
        return req.redirect(to: "/account?confirmation=sent#email", redirectType: .normal)
    }

    /// Asks for a new address: confirmed by a link sent there; the old address is told.
    @Sendable static func change(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(ChangeForm.self)
        do {
            var errors = ValidationErrors()
            let newEmail = try errors.collect { try Validate.email(form.new_email ?? "", field: "new_email") }
            try errors.throwIfAny()
            guard let newEmail else { throw Problem.forbidden }
            guard try await req.passwords.verify(form.email_password ?? "", created: user.passwordHash) else { throw wrongPassword }
            guard newEmail != user.email else { return req.redirect(to: "/account#email", redirectType: .normal) }
            if try await User.query(on: req.db).filter(\.$email == newEmail).first() != nil { throw addressInUse }
            let baseURL = PublicAddress.baseURL(req)
            let language = user.language.flatMap(Language.init(rawValue:)) ?? req.language
            try await req.db.writeTransaction { tx in
                let link = try await AccountLinks.make(.emailChange, for: try user.requireID(), newEmail: newEmail, baseURL: baseURL, on: tx)
                try await Mail.send(AccountMails.confirmNewAddress(to: newEmail, name: user.displayName, language: language, link: link), on: tx)
                try await Mail.send(AccountMails.addressChangeAsked(to: user.email, name: user.displayName, newEmail: newEmail, language: language), on: tx)
            }
            return req.redirect(to: "/account?email=asked#email", redirectType: .normal)
        } catch {
            return try await AccountHome.render(req, newToken: nil, tokenState: FormState(),
                                                emailState: try FormState(refused: error, values: ["new_email": form.new_email ?? ""]),
                                                status: error is DomainError && (error as? DomainError)?.kind == .conflict ? .conflict : .unprocessableEntity)
        }
    }
}
