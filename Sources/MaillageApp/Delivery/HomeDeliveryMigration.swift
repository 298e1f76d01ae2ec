import Fluent
import MaillageCore
import SQLKit

/// Home deliveries for food cooperatives: the store each partner is on this side (so its
/// deliveries live with the others), each closed cycle taken once (the claim of the job that
/// turns it into deliveries, with the invoice it booked), and which food order became which
/// delivery — or why it could not.
struct CreateHomeDelivery: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("delivery_partner_stores")
            .field("delivery_cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("food_cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("store_id", .uuid, .required, .references("delivery_stores", "id"))
            .constraint(.custom(SQLRaw("CONSTRAINT delivery_partner_stores_key PRIMARY KEY (delivery_cooperative_id, food_cooperative_id)")))
            .create()
        try await database.schema("delivery_home_cycles")
            .field("cycle_id", .uuid, .required)
            .field("delivery_cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("food_cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("cycle_name", .string, .required)
            .field("number", .string, .required)
            .field("deliveries", .int, .required)
            .field("gross_cents", .int64, .required)
            .field("converted_at", .datetime, .required)
            .constraint(.custom(SQLRaw("CONSTRAINT delivery_home_cycles_key PRIMARY KEY (cycle_id)")))
            .create()
        try await database.schema("delivery_home_orders")
            .field("food_order_id", .uuid, .required)
            .field("cycle_id", .uuid, .required)
            .field("delivery_id", .uuid, .references("deliveries", "id"))
            // Why the order could not become a delivery (outside the zones, no price applies…).
            .field("refusal", .string)
            .constraint(.custom(SQLRaw("CONSTRAINT delivery_home_orders_key PRIMARY KEY (food_order_id)")))
            .create()
        try await database.sql.create(index: "delivery_home_orders_cycle").on("delivery_home_orders").column("cycle_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["delivery_home_orders", "delivery_home_cycles", "delivery_partner_stores"] { try await database.schema(table).delete() }
    }
}

enum HomeDeliveryRegister {
    static var tables: [TableRegister] {
        let staff = Localized(fr: "Les équipes des deux coopératives", en: "Both cooperatives' staff")
        return [
            TableRegister(table: "delivery_partner_stores", subject: nil,
                          purpose: Localized(fr: "Le magasin qui porte les livraisons d’une coopérative alimentaire partenaire", en: "The store holding a partner food cooperative's deliveries"),
                          legalBasis: .contract, persons: Localized(fr: "Aucune (réglage)", en: "None (a setting)"), recipients: staff,
                          retention: .whileAccountExists, personal: [], nonPersonal: ["delivery_cooperative_id", "food_cooperative_id", "store_id"]),
            TableRegister(table: "delivery_home_cycles", subject: nil,
                          purpose: Localized(fr: "Les cycles dont les livraisons à domicile ont été créées et facturées", en: "The cycles whose home deliveries were created and invoiced"),
                          legalBasis: .legalObligation, persons: Localized(fr: "Aucune", en: "None"), recipients: staff,
                          retention: .cooperativeRecords(years: 10), personal: [],
                          nonPersonal: ["cycle_id", "delivery_cooperative_id", "food_cooperative_id", "cycle_name", "number", "deliveries", "gross_cents", "converted_at"]),
            TableRegister(table: "delivery_home_orders", subject: nil,
                          purpose: Localized(fr: "Quelle commande est devenue quelle livraison", en: "Which order became which delivery"),
                          legalBasis: .contract, persons: Localized(fr: "Aucune", en: "None"), recipients: staff,
                          retention: .cooperativeRecords(years: 1), personal: [],
                          nonPersonal: ["food_order_id", "cycle_id", "delivery_id", "refusal"]),
        ]
    }
}
