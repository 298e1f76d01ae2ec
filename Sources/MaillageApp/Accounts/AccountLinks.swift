import Fluent
import MaillageCore
import SQLKit
import Vapor

/// Single-use links mailed to a person: reset a forgotten password, confirm an address, confirm
/// a new address. Only a hash of the token is kept; a link works once, before its expiry.
enum AccountLinks {
    static let table = "account_links"

    enum Purpose: String, Sendable {
        case passwordReset = "password-reset"
        case emailConfirmation = "email-confirmation"
        case emailChange = "email-change"

        /// An hour for a password (it opens the account); longer to confirm an address, which
        /// people often do the next day.
        var lifetime: TimeInterval {
            switch self {
            case .passwordReset: 3_600
            case .emailConfirmation, .emailChange: 3 * 86_400
            }
        }

        var path: String {
            switch self {
            case .passwordReset: "/password/reset/"
            case .emailConfirmation: "/account/confirm/"
            case .emailChange: "/account/email/confirm/"
            }
        }
    }

    struct Used: Sendable {
        var userID: UUID
        var newEmail: String?
    }

    static func hash(_ token: String) -> String { SecretToken.hash(token) }

    /// Makes a link for `userID`; returns its absolute URL, to mail (in the caller's transaction).
    static func make(_ purpose: Purpose, for userID: UUID, newEmail: String? = nil, baseURL: String,
                     now: Date = Date(), on db: any Database) async throws -> String {
        let token = SecretToken.make(bytes: 32)
        try await db.sql.insert(into: table)
            .columns("id", "user_id", "purpose", "token_hash", "new_email", "created_at", "expires_at")
            .values(SQLBind(UUID()), SQLBind(userID), SQLBind(purpose.rawValue), SQLBind(hash(token)), SQLBind(newEmail),
                    SQLBind(now), SQLBind(now.addingTimeInterval(purpose.lifetime)))
            .run()
        return baseURL + purpose.path + token
    }

    /// Whether the link is still good, without using it (the page that asks for a new password).
    static func peek(_ purpose: Purpose, token: String, now: Date = Date(), on db: any Database) async throws -> Used? {
        struct Row: Decodable { var user_id: UUID; var new_email: String? }
        guard token.count < 100 else { return nil }
        return try await db.sql.select().columns("user_id", "new_email").from(table)
            .where("token_hash", .equal, SQLBind(hash(token))).where("purpose", .equal, SQLBind(purpose.rawValue))
            .where("used_at", .is, SQLLiteral.null).where("expires_at", .greaterThan, SQLBind(now))
            .first(decoding: Row.self).map { Used(userID: $0.user_id, newEmail: $0.new_email) }
    }

    /// Uses the link: one conditional update, so two clicks (or two tabs) use it once.
    static func use(_ purpose: Purpose, token: String, now: Date = Date(), on db: any Database) async throws -> Used? {
        guard let found = try await peek(purpose, token: token, now: now, on: db) else { return nil }
        struct Row: Decodable { var user_id: UUID }
        let used = try await db.sql.update(table).set("used_at", to: SQLBind(now))
            .where("token_hash", .equal, SQLBind(hash(token))).where("used_at", .is, SQLLiteral.null)
            .where("expires_at", .greaterThan, SQLBind(now))
            .returning("user_id").first(decoding: Row.self)
        guard used != nil else { return nil }
        // Other links of the same kind for the same person are spent too (an older reset mail).
        try await db.sql.update(table).set("used_at", to: SQLBind(now))
            .where("user_id", .equal, SQLBind(found.userID)).where("purpose", .equal, SQLBind(purpose.rawValue))
            .where("used_at", .is, SQLLiteral.null).run()
        return found
    }

    static func purge(now: Date = Date(), on db: any Database) async throws {
        try await db.sql.delete(from: table).where("expires_at", .lessThan, SQLBind(now.addingTimeInterval(-86_400))).run()
    }
}

struct CreateAccountLinks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccountLinks.table)
            .field("id", .uuid, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("token_hash", .string, .required)
            .field("new_email", .string)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash", name: "account_links_token_unique")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(AccountLinks.table).delete()
    }
}

/// Addresses are confirmed from now on; accounts that exist when this runs count as confirmed
/// (they signed up when no confirmation was asked), and so do the demo's.
struct UsersEmailConfirmation: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema).field("email_confirmed_at", .datetime).update()
        try await database.sql.update(User.schema).set("email_confirmed_at", to: SQLBind(Date())).run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("email_confirmed_at").update()
    }
}

extension AccountsModule {
    /// Erasure: the person's pending links (and the new address one of them carries) go, and
    /// they are no longer named as an operator; their second factor goes with the account.
    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws {
        try await db.sql.delete(from: AccountLinks.table).where("user_id", .equal, SQLBind(user)).run()
        try await db.sql.delete(from: Operators.table).where("user_id", .equal, SQLBind(user)).run()
        for table in [TwoFactorTables.secrets, TwoFactorTables.recoveryCodes, TwoFactorTables.trustedDevices] {
            try await db.sql.delete(from: table).where("user_id", .equal, SQLBind(user)).run()
        }
        try await db.sql.delete(from: LoginAttempts.table).where("email", .equal, SQLBind(TwoFactorLogin.codeAttemptsKey(user))).run()
    }
}
