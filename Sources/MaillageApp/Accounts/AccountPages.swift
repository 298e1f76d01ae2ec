import Fluent
import MaillageCore
import Plot
import Vapor

/// Sign up, log in, log out.
enum AccountPages {
    struct SignUpForm: Content {
        var email: String?
        var password: String?
        var display_name: String?
        /// Where the person was when they chose to sign up (a cooperative's page): they land back there.
        var next: String?
    }
    struct LoginForm: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    @Sendable static func signUpPage(_ req: Request) async throws -> Response {
        signUpView(req, state: FormState(values: ["next": req.query[String.self, at: "next"] ?? ""]))
    }

    /// A return path fit to put in a link's query ("" when there is none or it leads elsewhere).
    static func nextQuery(_ next: String?) -> String {
        guard let next, !next.isEmpty else { return "" }
        let safe = LanguageSwitch.safeReturnPath(next)
        guard safe != "/" else { return "" }
        return "?next=" + (safe.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }

    @Sendable static func signUp(_ req: Request) async throws -> Response {
        let form = try req.content.decode(SignUpForm.self)
        do {
            try await Accounts.signUp(.init(email: form.email ?? "", password: form.password ?? "", displayName: form.display_name),
                                      language: req.language, next: nextQuery(form.next), on: req)
            return req.redirect(to: "/signup/sent" + nextQuery(form.next), redirectType: .normal)
        } catch {
            let state = try FormState(refused: error, values: ["email": form.email ?? "", "display_name": form.display_name ?? "",
                                                               "next": form.next ?? ""])
            let throttled = (error as? DomainError)?.kind == .tooManyRequests
            return signUpView(req, state: state, status: throttled ? .tooManyRequests : .unprocessableEntity)
        }
    }

    static let checkYourMail = Localized(
        fr: "Un courriel vient de partir vers cette adresse : suivez son lien pour confirmer votre adresse et vous connecter. Vous pouvez déjà vous connecter avec votre mot de passe pour parcourir le site.",
        en: "A mail is on its way to this address: follow its link to confirm your address and log in. You can already log in with your password to look around.")

    @Sendable static func signUpSent(_ req: Request) async throws -> Response {
        let t = req.t
        return Layout.page(req, title: t("Regardez vos courriels", "Check your mail"),
            .h1(.text(t("Regardez vos courriels", "Check your mail"))),
            .p(.class("notice"), .attribute(named: "role", value: "status"), .text(t(checkYourMail))),
            .p(.text(t("Rien reçu après quelques minutes ? Regardez dans les indésirables, ou ", "Nothing after a few minutes? Check your spam folder, or ")),
               .a(.href("/login" + nextQuery(req.query[String.self, at: "next"])), .text(t("connectez-vous", "log in"))),
               .text(t(" et demandez un nouveau courriel depuis votre compte.", " and ask for a new mail from your account."))))
    }

    @Sendable static func loginPage(_ req: Request) async throws -> Response {
        loginView(req, state: FormState(values: ["next": req.query[String.self, at: "next"] ?? ""]))
    }

    @Sendable static func login(_ req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        do {
            let user = try await Accounts.logIn(email: form.email ?? "", password: form.password ?? "", on: req)
            // A second factor, when the person has one, comes before the session is theirs.
            return try await TwoFactorLogin.proceed(user, next: LanguageSwitch.safeReturnPath(form.next?.isEmpty == false ? form.next : "/account"), on: req)
        } catch {
            let state = try FormState(refused: error, values: ["email": form.email ?? "", "next": form.next ?? ""])
            let status: HTTPResponseStatus = (error as? DomainError)?.kind == .tooManyRequests ? .tooManyRequests : .unauthorized
            return loginView(req, state: state, status: status)
        }
    }

    @Sendable static func logout(_ req: Request) async throws -> Response {
        req.auth.logout(User.self)
        req.session.destroy()
        return req.redirect(to: "/", redirectType: .normal)
    }

    /// A fresh session id at login defeats session fixation; the language choice survives.
    static func logIn(_ user: User, on req: Request) async throws {
        let language = req.session.data["lang"]
        try await req.renewSession()
        req.session.data = SessionData()
        if let language { req.session.data["lang"] = language }
        req.session.authenticate(user)
        req.auth.login(user)
    }

    static func signUpView(_ req: Request, state: FormState, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t
        return Layout.page(req, title: t("Créer un compte", "Sign up"), status: status,
            .h1(.text(t("Créer un compte", "Sign up"))),
            .p(.text(t("Un seul compte pour toutes les coopératives du territoire.", "One account for every cooperative of the territory."))),
            Form.post(req, action: "/signup",
                Form.summary(state, t),
                .input(.type(.hidden), .name("next"), .value(state["next"])),
                Form.field("email", label: t("Adresse e-mail", "Email address"), state: state, t, type: .email, autocomplete: "email"),
                Form.field("display_name", label: t("Nom affiché", "Display name"), state: state, t, required: false,
                           hint: t("Ce que les autres sociétaires verront.", "What other members will see."), autocomplete: "name"),
                Form.field("password", label: t("Mot de passe", "Password"), state: state, t, type: .password,
                           hint: t("Au moins \(Validate.passwordMinimumLength) caractères.", "At least \(Validate.passwordMinimumLength) characters."),
                           autocomplete: "new-password"),
                Form.submit(t("Créer mon compte", "Create my account"))
            ),
            .p(.text(t("Déjà inscrit·e ? ", "Already registered? ")), .a(.href("/login" + nextQuery(state["next"])), .text(t("Se connecter", "Log in"))))
        )
    }

    static func loginView(_ req: Request, state: FormState, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t
        return Layout.page(req, title: t("Se connecter", "Log in"), status: status,
            .h1(.text(t("Se connecter", "Log in"))),
            Form.post(req, action: "/login",
                Form.summary(state, t),
                .input(.type(.hidden), .name("next"), .value(state["next"])),
                Form.field("email", label: t("Adresse e-mail", "Email address"), state: state, t, type: .email, autocomplete: "username"),
                Form.field("password", label: t("Mot de passe", "Password"), state: state, t, type: .password, autocomplete: "current-password"),
                Form.submit(t("Se connecter", "Log in"))
            ),
            .p(.a(.href("/password/forgot"), .text(t("Mot de passe oublié ?", "Forgot your password?")))),
            .p(.text(t("Pas encore de compte ? ", "No account yet? ")), .a(.href("/signup" + nextQuery(state["next"])), .text(t("Créer un compte", "Sign up"))))
        )
    }
}

