import Fluent
import Foundation
import MaillageCore
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
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        guard bearer.token.hasPrefix(AccessToken.prefix), bearer.token.count < 200 else { return }
        guard let token = try await AccessToken.query(on: request.db)
            .filter(\.$tokenHash == AccessToken.hash(bearer.token))
            .filter(\.$revokedAt == nil)
            .with(\.$user)
            .first()
        else { return }
        // Recording use at most once a minute keeps a busy client from writing on every call.
        if (token.lastUsedAt ?? .distantPast) < Date().addingTimeInterval(-60) {
            token.lastUsedAt = Date()
            try await token.save(on: request.db)
        }
        request.auth.login(token.user)
    }
}
