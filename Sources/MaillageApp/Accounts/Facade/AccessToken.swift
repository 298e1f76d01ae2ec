import Fluent
import FluentSQL
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// A personal access token for the API. Only its SHA-256 is stored; the person sees it once.
final class AccessToken: Model, @unchecked Sendable {
    static let schema = "access_tokens"
    /// Recognisable prefix, so a leaked token is easy to spot in code or logs.
    static let prefix = "mlg_"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "hint") var hint: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Makes a new token: the stored row, and the secret to show once.
    static func generate(for userID: UUID, name: String) -> (AccessToken, String) {
        let secret = prefix + [UInt8].random(count: 24).base64
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let token = AccessToken()
        token.$user.id = userID
        token.name = name
        token.tokenHash = hash(secret)
        token.hint = String(secret.prefix(prefix.count + 4)) + "…"
        return (token, secret)
    }

    struct DTO: Content {
        var id: UUID
        var name: String
        var hint: String
        var createdAt: Date?
        var lastUsedAt: Date?
        var revokedAt: Date?
    }

    func dto() throws -> DTO {
        DTO(id: try requireID(), name: name, hint: hint, createdAt: createdAt, lastUsedAt: lastUsedAt, revokedAt: revokedAt)
    }
}

struct CreateAccessTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccessToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("hint", .string, .required)
            .field("created_at", .datetime)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash", name: "access_tokens_hash_unique")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(AccessToken.schema).delete()
    }
}

/// `Authorization: Bearer mlg_…` on the API.
struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    /// One read for the token and its person (every API call pays it, so no Fluent eager load:
    /// that is a second query and model reflection on each request).
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        guard bearer.token.hasPrefix(AccessToken.prefix), bearer.token.count < 200 else { return }
        guard let row = try await request.db.sql.raw("""
            SELECT u.*, t.id AS token_id, t.last_used_at AS token_last_used_at
            FROM \(ident: AccessToken.schema) t JOIN \(ident: User.schema) u ON u.id = t.user_id
            WHERE t.token_hash = \(bind: AccessToken.hash(bearer.token)) AND t.revoked_at IS NULL
            """).first()
        else { return }
        let user = try row.decode(fluentModel: User.self)
        // Recording use at most once a minute keeps a busy client from writing on every call.
        let lastUsed = try row.decodeNil(column: "token_last_used_at") ? nil : try row.decode(column: "token_last_used_at", as: Date.self)
        if (lastUsed ?? .distantPast) < Date().addingTimeInterval(-60) {
            try await request.db.sql.update(AccessToken.schema).set("last_used_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(try row.decode(column: "token_id", as: UUID.self))).run()
        }
        request.auth.login(user)
    }
}
