import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// The tokens a store's own software orders with (`X-Delivery-Token`): each reaches one store
/// only, is made by the store's people or the cooperative's staff, shown once (only its hash is
/// kept) and refused from the moment it is revoked.
enum DeliveryAPITokens {
    struct Row: Sendable, Decodable {
        var id: UUID
        var store_id: UUID
        var name: String
        var created_at: Date
        var last_used_at: Date?
        var revoked_at: Date?
    }

    static let header = "X-Delivery-Token"
    static let prefix = "mld_"
    static let nameLimit = 80

    static let unauthorized = DomainError(.unauthorized, code: "unauthorized",
        fr: "Jeton de magasin absent, inconnu ou révoqué (en-tête X-Delivery-Token).",
        en: "Missing, unknown or revoked store token (X-Delivery-Token header).")
    static let nameRequired = DomainError(.invalid, code: "name_required", field: "token_name",
        fr: "Donnez un nom à ce jeton, pour le reconnaître (80 caractères au plus).",
        en: "Name this token, to know it again (80 characters at most).")

    /// Makes a token for `store` and returns it: the only time it is ever shown.
    static func create(name: String, store: UUID, by person: UUID?, on db: any Database) async throws -> (id: UUID, token: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= nameLimit else { throw nameRequired }
        let id = UUID(), token = prefix + SecretToken.make(bytes: 32)
        try await db.sql.insert(into: "delivery_store_tokens")
            .columns("id", "store_id", "name", "token_hash", "created_by", "created_at", "last_used_at", "revoked_at")
            .values(SQLBind(id), SQLBind(store), SQLBind(name), SQLBind(SecretToken.hash(token)), SQLBind(person), SQLBind(Date()),
                    SQLLiteral.null, SQLLiteral.null).run()
        return (id, token)
    }

    static func all(of store: UUID, on db: any Database) async throws -> [Row] {
        try await db.sql.select().columns("id", "store_id", "name", "created_at", "last_used_at", "revoked_at").from("delivery_store_tokens")
            .where("store_id", .equal, SQLBind(store)).orderBy("created_at").all(decoding: Row.self)
    }

    static func revoke(_ id: UUID, of store: UUID, on db: any Database) async throws {
        try await db.sql.update("delivery_store_tokens").set("revoked_at", to: SQLBind(Date()))
            .where("id", .equal, SQLBind(id)).where("store_id", .equal, SQLBind(store)).where("revoked_at", .is, SQLLiteral.null).run()
    }

    /// The store whose live token the request carries, in this cooperative; 401 otherwise (a
    /// token of another cooperative's store is as unknown here as a made-up one).
    static func store(for req: Request, coop: UUID) async throws -> (token: Row, store: DeliveryStoreRow) {
        guard let token = req.headers.first(name: header), token.hasPrefix(prefix), token.count <= 200,
              let row = try await req.db.sql.select().columns("id", "store_id", "name", "created_at", "last_used_at", "revoked_at")
                .from("delivery_store_tokens").where("token_hash", .equal, SQLBind(SecretToken.hash(token)))
                .where("revoked_at", .is, SQLLiteral.null).first(decoding: Row.self),
              let store = try? await DeliverySettings.store(row.store_id, in: coop, on: req.db)
        else { throw unauthorized }
        // Recording use at most once a minute keeps a busy store from writing on every call.
        if (row.last_used_at ?? .distantPast) < Date().addingTimeInterval(-60) {
            try await req.db.sql.update("delivery_store_tokens").set("last_used_at", to: SQLBind(Date())).where("id", .equal, SQLBind(row.id)).run()
        }
        return (row, store)
    }
}
