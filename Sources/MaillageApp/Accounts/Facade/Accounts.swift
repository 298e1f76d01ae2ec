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
    static let emailUnconfirmed = DomainError(.forbidden, code: "email_unconfirmed",
                                              fr: "Confirmez d’abord votre adresse e-mail : suivez le lien du courriel reçu à l’inscription (ou demandez-en un nouveau depuis votre compte).",
                                              en: "Confirm your email address first: follow the link in the mail you got when signing up (or ask for a new one from your account).")
    static let badCredentials = DomainError(.unauthorized, code: "invalid_credentials", field: "password",
                                            fr: "Adresse e-mail ou mot de passe incorrect.",
                                            en: "Wrong email address or password.")

    /// Signs up, or tells the owner of an address already in use that someone tried: the answer
    /// is the same either way (the mail tells the truth), so sign-up does not reveal who has an
    /// account. A new account may sign in at once and read; joining waits for the confirmed address.
    /// `next` ("?next=/c/…", or "") is put on the confirmation link, which leads back there.
    static func signUp(_ input: SignUp, language: Language, next: String = "", on req: Request) async throws {
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
        let baseURL = PublicAddress.baseURL(req)
        let (newAddress, displayName) = (email, name)
        do {
            try await req.db.writeTransaction { tx in
                let user = User(email: newAddress, passwordHash: hash, displayName: displayName, language: language, emailConfirmedAt: nil)
                try await user.create(on: tx)
                let link = try await AccountLinks.make(.emailConfirmation, for: try user.requireID(), baseURL: baseURL, on: tx)
                try await Mail.send(AccountMails.confirmAddress(to: newAddress, name: displayName, language: language, link: link + next), on: tx)
            }
        } catch {
            // The unique index decides, not a prior lookup: two sign-ups racing cannot both win.
            guard (error as? any DatabaseError)?.isConstraintFailure == true,
                  let owner = try await User.query(on: req.db).filter(\.$email == newAddress).first() else { throw error }
            let ownerLanguage = owner.language.flatMap(Language.init(rawValue:)) ?? language
            try await Mail.send(AccountMails.someoneTriedToSignUp(to: owner.email, name: owner.displayName, language: ownerLanguage,
                                                                  baseURL: baseURL), on: req.db)
        }
    }

    /// Joining, voting, paying and lending need an address the person has proved is theirs.
    static func requireConfirmedEmail(_ user: User) throws {
        guard user.emailConfirmed else { throw emailUnconfirmed }
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
