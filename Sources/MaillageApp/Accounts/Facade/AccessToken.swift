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
    /// `read`, `full` or `dfc` (`TokenScope`).
    @Field(key: "scope") var scope: String
    @OptionalField(key: "expires_at") var expiresAt: Date?

    init() {}

    static let readOnly = DomainError(.forbidden, code: "read_only_token",
                                      fr: "Ce jeton est en lecture seule : il ne peut rien modifier.",
                                      en: "This token is read only: it cannot change anything.")

    static let dfcOnly = DomainError(.forbidden, code: "dfc_orders_only_token",
                                     fr: "Ce jeton ne sert qu’aux commandes DFC (…/food/dfc/orders).",
                                     en: "This token is for DFC orders only (…/food/dfc/orders).")

    static func hash(_ token: String) -> String { SecretToken.hash(token) }

    /// Makes a new token: the stored row, and the secret to show once.
    static func generate(for userID: UUID, name: String, scope: TokenScope = .full, expiresAt: Date? = nil) -> (AccessToken, String) {
        let secret = prefix + SecretToken.make(bytes: 24)
        let token = AccessToken()
        token.$user.id = userID
        token.name = name
        token.tokenHash = hash(secret)
        token.hint = String(secret.prefix(prefix.count + 4)) + "…"
        token.scope = scope.rawValue
        token.expiresAt = expiresAt
        return (token, secret)
    }

    struct DTO: Content {
        var id: UUID
        var name: String
        var hint: String
        var createdAt: Date?
        var lastUsedAt: Date?
        var revokedAt: Date?
        var scope: String
        var expiresAt: Date?
    }

    func dto() throws -> DTO {
        DTO(id: try requireID(), name: name, hint: hint, createdAt: createdAt, lastUsedAt: lastUsedAt, revokedAt: revokedAt,
            scope: scope, expiresAt: expiresAt)
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

/// Tokens get a scope (read only or full) and an optional expiry. Tokens made before keep what
/// they could do: full, no expiry.
struct AccessTokenScopeAndExpiry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccessToken.schema).field("scope", .string, .required, .sql(.default("full"))).update()
        try await database.schema(AccessToken.schema).field("expires_at", .datetime).update()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(AccessToken.schema).deleteField("expires_at").update()
        try await database.schema(AccessToken.schema).deleteField("scope").update()
    }
}

/// `Authorization: Bearer mlg_…` on the API.
struct BearerTokenAuthenticator: AsyncBearerAuthenticator {
    /// One read for the token and its person (every API call pays it, so no Fluent eager load:
    /// that is a second query and model reflection on each request).
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        guard bearer.token.hasPrefix(AccessToken.prefix), bearer.token.count < 200 else { return }
        guard let row = try await request.db.sql.raw("""
            SELECT u.*, t.id AS token_id, t.last_used_at AS token_last_used_at, t.scope AS token_scope
            FROM \(ident: AccessToken.schema) t JOIN \(ident: User.schema) u ON u.id = t.user_id
            WHERE t.token_hash = \(bind: AccessToken.hash(bearer.token)) AND t.revoked_at IS NULL
              AND (t.expires_at IS NULL OR t.expires_at > \(bind: Date()))
            """).first()
        else { return }
        let user = try row.decode(fluentModel: User.self)
        // A read-only token is refused before the route runs, whatever the route would have allowed.
        let scope = TokenScope(rawValue: try row.decode(column: "token_scope", as: String.self)) ?? .read
        guard scope.allows(method: request.method.rawValue, path: request.url.path) else {
            throw scope == .dfc ? AccessToken.dfcOnly : AccessToken.readOnly
        }
        // Recording use at most once a minute keeps a busy client from writing on every call.
        let lastUsed = try row.decodeNil(column: "token_last_used_at") ? nil : try row.decode(column: "token_last_used_at", as: Date.self)
        if (lastUsed ?? .distantPast) < Date().addingTimeInterval(-60) {
            try await request.db.sql.update(AccessToken.schema).set("last_used_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(try row.decode(column: "token_id", as: UUID.self))).run()
        }
        request.auth.login(user)
    }
}
