import Foundation
import Fluent
import MaillageCore
import SQLKit

/// `carpool_imported_ids`: which account, ad or ask each item of an imported standard document
/// became, so that importing the same document again changes nothing.
struct CreateCarpoolImportedIDs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("carpool_imported_ids")
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            // The operator's domain the item comes from.
            .field("source", .string, .required)
            .field("kind", .string, .required)
            .field("external_id", .string, .required)
            .field("local_id", .uuid, .required)
            .field("imported_at", .datetime, .required)
            .compositeIdentifier(over: "cooperative_id", "source", "kind", "external_id")
            .create()
        try await database.sql.create(index: "carpool_imported_ids_local").on("carpool_imported_ids").column("local_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("carpool_imported_ids").delete()
    }
}

enum CarpoolImportRegister {
    static var tables: [TableRegister] {
        [TableRegister(table: "carpool_imported_ids", subject: nil,
                       purpose: Localized(fr: "Se souvenir de ce qu’un import de covoiturage a déjà repris d’une autre plateforme",
                                          en: "Remember what a carpool import already brought from another platform"),
                       legalBasis: .contract,
                       persons: Localized(fr: "Personnes dont l’opérateur a repris les trajets", en: "People whose trips the operator brought over"),
                       recipients: Localized(fr: "Les administrateur·rices de l’instance", en: "The instance's administrators"),
                       retention: .whileAccountExists,
                       personal: [PersonalField("external_id", .identity)],
                       nonPersonal: ["cooperative_id", "source", "kind", "local_id", "imported_at"])]
    }

    /// The person's identifier on the other platform goes with their account.
    static func erase(_ user: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: "carpool_imported_ids").where("kind", .equal, SQLBind(CarpoolImport.Kind.user.rawValue))
            .where("local_id", .equal, SQLBind(user)).run()
    }
}
