import Fluent
import MaillageCore
import Vapor

/// A person with one account for every cooperative of the instance.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "display_name") var displayName: String
    @OptionalField(key: "language") var language: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// When the person proved the address is theirs; nil until then (they may read, not join).
    @OptionalField(key: "email_confirmed_at") var emailConfirmedAt: Date?

    init() {}

    /// Accounts the instance makes itself (the demo, benchmarks) are confirmed; sign-up passes nil.
    init(id: UUID? = nil, email: String, passwordHash: String, displayName: String, language: Language? = nil,
         emailConfirmedAt: Date? = Date()) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.displayName = displayName
        self.language = language?.rawValue
        self.emailConfirmedAt = emailConfirmedAt
    }

    var emailConfirmed: Bool { emailConfirmedAt != nil }

    /// What "delete my account" leaves as the password: no password hashes to it, so nobody logs in.
    static let erasedPassword = "!erased"
    /// An account deleted by its person: the row stays, under a pseudonym, for the records that name it.
    var isErased: Bool { passwordHash == Self.erasedPassword }

    struct DTO: Content {
        var id: UUID
        var email: String
        var displayName: String
        var language: String?
        var createdAt: Date?
        var emailConfirmed: Bool
    }

    func dto() throws -> DTO {
        DTO(id: try requireID(), email: email, displayName: displayName, language: language, createdAt: createdAt,
            emailConfirmed: emailConfirmed)
    }
}

extension User: ModelSessionAuthenticatable {}

struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("password_hash", .string, .required)
            .field("display_name", .string, .required)
            .field("language", .string)
            .field("created_at", .datetime)
            .unique(on: "email", name: "users_email_unique")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).delete()
    }
}
