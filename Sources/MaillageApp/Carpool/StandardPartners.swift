import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// The partner operators of the "standard covoiturage" API: each gets its own key from the
/// cooperative's staff, sent as `X-API-Key`. Only the key's hash is kept; a revoked key is refused.
enum StandardPartners {
    struct Partner: Sendable, Decodable {
        var id: UUID
        var cooperative_id: UUID
        var name: String
        var created_at: Date
        var revoked_at: Date?
    }

    static let header = "X-API-Key"
    static let nameLimit = 80

    static let unauthorized = DomainError(.unauthorized, code: "unauthorized",
        fr: "Clé d’API absente, inconnue ou révoquée (en-tête X-API-Key).", en: "Missing, unknown or revoked API key (X-API-Key header).")
    static let nameRequired = DomainError(.invalid, code: "name_required", field: "name",
        fr: "Donnez le nom de l’opérateur partenaire (80 caractères au plus).", en: "Give the partner operator's name (80 characters at most).")

    /// Makes a key for `name` and returns it: the only time it is ever shown.
    static func create(name: String, in coop: UUID, by person: UUID?, on db: any Database) async throws -> (id: UUID, key: String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= nameLimit else { throw nameRequired }
        let id = UUID(), key = "mlc_" + SecretToken.make(bytes: 32)
        try await db.sql.insert(into: "carpool_partner_keys").columns("id", "cooperative_id", "name", "key_hash", "created_by", "created_at", "revoked_at")
            .values(SQLBind(id), SQLBind(coop), SQLBind(name), SQLBind(SecretToken.hash(key)), SQLBind(person), SQLBind(Date()), SQLLiteral.null).run()
        return (id, key)
    }

    static func all(in coop: UUID, on db: any Database) async throws -> [Partner] {
        try await db.sql.select().columns("id", "cooperative_id", "name", "created_at", "revoked_at").from("carpool_partner_keys")
            .where("cooperative_id", .equal, SQLBind(coop)).orderBy("created_at").all(decoding: Partner.self)
    }

    static func find(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> Partner {
        guard let id, let partner = try await db.sql.select().columns("id", "cooperative_id", "name", "created_at", "revoked_at")
            .from("carpool_partner_keys").where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop))
            .first(decoding: Partner.self) else { throw Problem.notFound(Localized(fr: "Clé", en: "Key")) }
        return partner
    }

    static func revoke(_ id: UUID, in coop: UUID, on db: any Database) async throws {
        try await db.sql.update("carpool_partner_keys").set("revoked_at", to: SQLBind(Date()))
            .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop))
            .where("revoked_at", .is, SQLLiteral.null).run()
    }

    /// The partner whose live key the request carries, for this cooperative; 401 otherwise.
    static func authenticate(_ req: Request, coop: UUID) async throws -> Partner {
        guard let key = req.headers.first(name: header), !key.isEmpty, key.count <= 200,
              let partner = try await req.db.sql.select().columns("id", "cooperative_id", "name", "created_at", "revoked_at")
                .from("carpool_partner_keys").where("key_hash", .equal, SQLBind(SecretToken.hash(key)))
                .where("cooperative_id", .equal, SQLBind(coop)).where("revoked_at", .is, SQLLiteral.null)
                .first(decoding: Partner.self)
        else { throw unauthorized }
        return partner
    }
}

/// `maillage carpool partner-key --cooperative SLUG NAME`: makes a partner operator's key from the
/// command line and prints it (it is not kept, only its hash).
struct CarpoolPartnerKeyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "cooperative", help: "The carpool cooperative's slug") var cooperative: String?
        @Argument(name: "name", help: "The partner operator's name") var name: String
    }

    var help: String { "Prints a new API key for a partner operator of a carpool cooperative's standard API." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        let coop = try await Cooperatives.host(slug: signature.cooperative ?? "", on: db)
        guard coop.activityList.contains(.carpool) else { throw CarpoolAccess.notCarpool }
        let made = try await StandardPartners.create(name: signature.name, in: try coop.requireID(), by: nil, on: db)
        context.console.print(made.key)
    }
}

