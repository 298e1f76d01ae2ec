import Fluent
import MaillageCore
import Vapor

/// Signing up and logging in: the rules of the person's account, with their effects.
enum Accounts {
    struct SignUp: Content {
        var email: String
        var password: String
        var displayName: String?
    }

    static let displayNameLabel = Localized(fr: "Nom affiché", en: "Display name")
    static let emailTaken = DomainError(.conflict, code: "email_taken", field: "email",
                                        fr: "Un compte existe déjà avec cette adresse e-mail. Connectez-vous, ou utilisez une autre adresse.",
                                        en: "An account already exists with this email address. Log in, or use another address.")
    static let badCredentials = DomainError(.unauthorized, code: "invalid_credentials", field: "password",
                                            fr: "Adresse e-mail ou mot de passe incorrect.",
                                            en: "Wrong email address or password.")

    static func signUp(_ input: SignUp, language: Language, on req: Request) async throws -> User {
        let address = ClientAddress.of(req)
        try await SignUpAttempts.check(address: address, rule: SignUpThrottle(limit: req.application.maillage.signUpLimitPerHour), on: req.db)
        try await SignUpAttempts.record(address: address, on: req.db)
        var errors = ValidationErrors()
        var email = input.email
        do { email = try Validate.email(input.email) } catch { errors.add(error) }
        do { try Validate.password(input.password) } catch { errors.add(error) }
        var name = ""
        do {
            let fallback = String(email.split(separator: "@").first ?? "")
            let given = input.displayName?.trimmingCharacters(in: .whitespaces) ?? ""
            name = try Validate.text(given.isEmpty ? fallback : given, field: "display_name", label: displayNameLabel, range: 1...80)
        } catch { errors.add(error) }
        try errors.throwIfAny()

        let hash = try await req.passwords.hash(input.password)
        let user = User(email: email, passwordHash: hash, displayName: name, language: language)
        do {
            try await user.create(on: req.db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // The unique index decides, not a prior lookup: two sign-ups racing cannot both win.
            throw emailTaken
        }
        return user
    }

    static func logIn(email rawEmail: String, password: String, on req: Request) async throws -> User {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let address = ClientAddress.of(req)
        try await LoginAttempts.check(email: email, address: address, rule: LoginThrottle(), on: req.db)
        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        // Hash even for an unknown email, so timing does not tell which accounts exist.
        let verified = try await req.passwords.verify(password, created: user?.passwordHash ?? dummyHash)
        guard let user, verified, email.count <= 254, password.count <= Validate.passwordMaximumLength else {
            try await LoginAttempts.recordFailure(email: email, address: address, on: req.db)
            throw badCredentials
        }
        try await LoginAttempts.clear(email: email, on: req.db)
        return user
    }

    /// A bcrypt hash of a random password, cost 12, for constant-time refusals.
    private static let dummyHash = "$2b$12$C6UzMDM.H6dfI/f/IKxGhuQGU4p1O6h9wA1QJ8BfGXXaVNIUmP6Ny"
}

extension Request {
    var user: User? { auth.get(User.self) }

    func requireUser() throws -> User {
        guard let user = auth.get(User.self) else { throw Problem.signInRequired }
        return user
    }
}
