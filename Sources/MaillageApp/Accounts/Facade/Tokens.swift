import Fluent
import MaillageCore
import Vapor

/// Personal access tokens for the API: created, shown once, revoked.
enum Tokens {
    static func create(for user: User, name: String?, scope: String? = nil, lifetime: String? = nil,
                       on db: any Database) async throws -> String {
        var errors = ValidationErrors()
        let name = try errors.collect { try Validate.text(name, field: "name", label: Localized(fr: "Nom du jeton", en: "Token name"), range: 1...80) }
        let scope = try errors.collect { try TokenScope.parse(scope) }
        let lifetime = try errors.collect { try TokenLifetime.parse(lifetime) }
        try errors.throwIfAny()
        guard let name, let scope, let lifetime else { throw Problem.forbidden }
        let (token, secret) = AccessToken.generate(for: try user.requireID(), name: name, scope: scope,
                                                   expiresAt: lifetime.expiry(from: Date()))
        try await token.create(on: db)
        return secret
    }

    static func revoke(_ id: UUID, of user: User, on db: any Database) async throws {
        guard let token = try await AccessToken.query(on: db).filter(\.$id == id).filter(\.$user.$id == user.requireID()).first()
        else { throw Problem.notFound(Localized(fr: "Jeton", en: "Token")) }
        if token.revokedAt == nil {
            token.revokedAt = Date()
            try await token.save(on: db)
        }
    }
}
