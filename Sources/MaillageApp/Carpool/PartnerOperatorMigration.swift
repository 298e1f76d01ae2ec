import Fluent
import MaillageCore
import SQLKit

/// The partner operators a cooperative queries (the client side of the standard covoiturage
/// API): their name, the address of their API, and the key they gave us, sealed with the
/// instance's key (`InstanceSeal`) since it must be sent back, so never only hashed.
struct CreateCarpoolPartnerOperators: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnerOperators.table)
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("base_url", .string, .required)
            .field("key_sealed", .string)
            .field("key_end", .string)
            .field("enabled", .bool, .required)
            .field("created_by", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "cooperative_id", "base_url")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PartnerOperators.table).delete()
    }
}

/// What the partner operators' table keeps: organisations, not people.
enum PartnerOperatorRegister {
    static var tables: [TableRegister] {
        [TableRegister(table: PartnerOperators.table, subject: nil,
                       purpose: Localized(fr: "Chercher aussi les trajets des opérateurs de covoiturage partenaires",
                                          en: "Also search the rides of partner carpool operators"),
                       legalBasis: .contract, persons: Localized(fr: "Aucune (organisations partenaires)", en: "None (partner organisations)"),
                       recipients: Localized(fr: "Le personnel de la coopérative", en: "The cooperative's staff"), retention: .whileAccountExists,
                       personal: [], nonPersonal: ["id", "cooperative_id", "name", "base_url", "key_sealed", "key_end", "enabled",
                                                   "created_by", "created_at", "updated_at"])]
    }
}
