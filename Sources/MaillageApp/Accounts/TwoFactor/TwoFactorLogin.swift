import Fluent
import Foundation
import MaillageCore
import Plot
import Vapor

/// The second step of a login. After the right password, a person with a second factor is not
/// signed in yet: the session (a row on the server, its id in the cookie) remembers who is
/// halfway and until when, and `/login/code` finishes with a code from the app or a recovery code.
enum TwoFactorLogin {
    static let pendingUser = "2fa_pending_user"
    static let pendingUntil = "2fa_pending_until"
    static let pendingNext = "2fa_pending_next"
    /// Set at login for a person whose cooperative asks for a second factor they have not set up.
    static let enrolmentDue = "2fa_enrolment_due"

    struct CodeForm: Content { var code: String?; var trust: String? }

    /// Where a correct password (or a mailed link) leads: signed in at once, or to the code page.
    static func proceed(_ user: User, next: String, on req: Request) async throws -> Response {
        let userID = try user.requireID()
        if try await TwoFactor.isEnabled(for: userID, on: req.db),
           try await !TwoFactor.isTrusted(req.cookies[TwoFactor.trustCookie]?.string, by: userID, on: req.db) {
            let language = req.session.data["lang"]
            try await req.renewSession()
            req.session.data = SessionData()
            if let language { req.session.data["lang"] = language }
            req.session.data[pendingUser] = userID.uuidString
            req.session.data[pendingUntil] = String(TwoFactor.now() + TwoFactorRules.pendingLoginSeconds)
            req.session.data[pendingNext] = next
            return req.redirect(to: "/login/code", redirectType: .normal)
        }
        return try await finish(user, next: next, on: req)
    }

    /// Signed in; a person whose cooperative asks for a second factor they lack goes to set it up first.
    static func finish(_ user: User, next: String, on req: Request) async throws -> Response {
        try await AccountPages.logIn(user, on: req)
        let userID = try user.requireID()
        if try await !TwoFactor.isEnabled(for: userID, on: req.db),
           try await !Modules.twoFactorRequirements(of: user, on: req.db).isEmpty {
            req.session.data[enrolmentDue] = "1"
            return req.redirect(to: "/account/two-factor", redirectType: .normal)
        }
        return req.redirect(to: next, redirectType: .normal)
    }

    /// A mailed link signs its reader in: at once without a second factor (nil: go on), else the
    /// answer that leads to the code page.
    static func signIn(fromLink user: User, next: String, on req: Request) async throws -> Response? {
        let response = try await proceed(user, next: next, on: req)
        return req.auth.has(User.self) ? nil : response
    }

    /// The person halfway through a login, while there is time left.
    static func pending(_ req: Request) async throws -> User? {
        guard let raw = req.session.data[pendingUser], let id = UUID(uuidString: raw),
              let until = req.session.data[pendingUntil].flatMap(Int64.init), until > TwoFactor.now() else { return nil }
        return try await User.find(id, on: req.db)
    }

    static func codeAttemptsKey(_ userID: UUID) -> String { "second-factor:" + userID.uuidString.lowercased() }

    @Sendable static func codePage(_ req: Request) async throws -> Response {
        guard try await pending(req) != nil else { return req.redirect(to: "/login", redirectType: .normal) }
        return view(req, state: FormState())
    }

    @Sendable static func submitCode(_ req: Request) async throws -> Response {
        guard let user = try await pending(req) else { throw TwoFactorRules.pendingLoginGone }
        let form = try req.content.decode(CodeForm.self)
        let userID = try user.requireID()
        let address = ClientAddress.of(req)
        // Counted like passwords (six digits are guessable without a limit), under a key of their
        // own: typing the right password again, which clears the password's failures, does not
        // clear the code's.
        let key = codeAttemptsKey(userID)
        do {
            try await LoginAttempts.check(email: key, address: address, rule: LoginThrottle(), on: req.db)
            guard try await TwoFactor.use(code: form.code ?? "", for: userID, on: req.db) != nil else {
                try await LoginAttempts.recordFailure(email: key, address: address, on: req.db)
                throw TwoFactorRules.wrongCode
            }
        } catch {
            let state = try FormState(refused: error, values: ["code": form.code ?? "", "trust": form.trust ?? ""])
            let throttled = (error as? DomainError)?.kind == .tooManyRequests
            return view(req, state: state, status: throttled ? .tooManyRequests : .unauthorized)
        }
        try await LoginAttempts.clear(email: key, on: req.db)
        let next = req.session.data[pendingNext] ?? "/account"
        let response = try await finish(user, next: next, on: req)
        if form.trust == "yes" {
            let label = req.headers.first(name: .userAgent).map(TrustedDevicesView.shortName) ?? ""
            let token = try await TwoFactor.trust(userID, label: label, on: req.db)
            response.cookies[TwoFactor.trustCookie] = HTTPCookies.Value(
                string: token, maxAge: TwoFactorRules.trustedDeviceDays * 86_400, path: "/",
                isSecure: req.application.maillage.secureCookies, isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }

    static func view(_ req: Request, state: FormState, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t
        return Layout.page(req, title: t("Code de connexion", "Login code"), status: status,
            .h1(.text(t("Code de connexion", "Login code"))),
            .p(.text(t("Votre compte est protégé par une double authentification. Ouvrez votre application d’authentification et tapez le code à 6 chiffres qu’elle affiche pour Maillage.",
                       "Your account is protected by two-factor authentication. Open your authenticator app and type the 6-digit code it shows for Maillage."))),
            Form.post(req, action: "/login/code",
                Form.summary(state, t),
                Form.field("code", label: t("Code à 6 chiffres ou code de secours", "6-digit code or recovery code"), state: state, t,
                           hint: t("Sans téléphone ? Tapez l’un de vos codes de secours (de la forme abcde-fghjk) ; chacun ne sert qu’une fois.",
                                   "No phone? Type one of your recovery codes (like abcde-fghjk); each works once."),
                           autocomplete: "one-time-code"),
                Form.checkbox("trust", value: "yes", label: t("Faire confiance à cet appareil pendant 30 jours (ne plus demander de code ici)",
                                                            "Trust this device for 30 days (no code asked here)"),
                              checked: state["trust"] == "yes", id: "trust"),
                Form.submit(t("Valider", "Confirm"))),
            .p(.a(.href("/login"), .text(t("Recommencer avec un autre compte", "Start again with another account"))))
        )
    }
}
