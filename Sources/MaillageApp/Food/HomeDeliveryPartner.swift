import Fluent
import Foundation
import MaillageCore
import SQLKit

/// A food cooperative's home delivery by a delivery cooperative of the instance: which one, and
/// the hub its couriers collect the baskets from. One row per food cooperative; naming another
/// delivery cooperative replaces it for the cycles that close afterwards.
struct CreateFoodHomeDeliveryPartner: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("food_home_delivery_partners")
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("delivery_cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("hub_address", .string, .required)
            .field("hub_commune", .string, .required)
            .field("named_at", .datetime, .required)
            .field("named_by", .uuid, .references(User.schema, "id"))
            .constraint(.custom(SQLRaw("CONSTRAINT food_home_delivery_partners_key PRIMARY KEY (cooperative_id)")))
            .constraint(.custom(SQLRaw("CONSTRAINT food_home_delivery_partners_other CHECK (cooperative_id <> delivery_cooperative_id)")))
            .create()
        try await database.sql.create(index: "food_home_delivery_partners_delivery").on("food_home_delivery_partners")
            .column("delivery_cooperative_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("food_home_delivery_partners").delete()
    }
}

enum HomeDeliveryPartner {
    struct Row: Decodable, Sendable {
        var cooperative_id: UUID
        var delivery_cooperative_id: UUID
        var hub_address: String
        var hub_commune: String
        var named_at: Date
    }

    static func of(_ coop: UUID, on db: any Database) async throws -> Row? {
        try await db.sql.select().column("*").from("food_home_delivery_partners").where("cooperative_id", .equal, SQLBind(coop))
            .first(decoding: Row.self)
    }

    /// Names (or replaces) the delivery cooperative; one row per food cooperative, so two staff
    /// saving at once leave one choice.
    static func name(_ delivery: UUID, hubAddress: String, hubCommune: String, for coop: UUID, by user: UUID?, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            try await tx.sql.delete(from: "food_home_delivery_partners").where("cooperative_id", .equal, SQLBind(coop)).run()
            try await tx.sql.insert(into: "food_home_delivery_partners")
                .columns("cooperative_id", "delivery_cooperative_id", "hub_address", "hub_commune", "named_at", "named_by")
                .values(SQLBind(coop), SQLBind(delivery), SQLBind(hubAddress), SQLBind(hubCommune), SQLBind(Date()), SQLBind(user))
                .run()
        }
    }

    static func stop(for coop: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: "food_home_delivery_partners").where("cooperative_id", .equal, SQLBind(coop)).run()
    }

    static var register: TableRegister {
        TableRegister(table: "food_home_delivery_partners", subject: "named_by",
                      purpose: Localized(fr: "La coopérative de livraison choisie pour la livraison à domicile, et son point de retrait", en: "The delivery cooperative chosen for home delivery, and where it collects"),
                      legalBasis: .contract, persons: Localized(fr: "Équipe de la coopérative", en: "The cooperative's staff"),
                      recipients: Localized(fr: "Les équipes des deux coopératives", en: "Both cooperatives' staff"),
                      retention: .whileAccountExists, personal: [PersonalField("named_by", .membership)],
                      nonPersonal: ["cooperative_id", "delivery_cooperative_id", "hub_address", "hub_commune", "named_at"])
    }
}

extension HomeDeliveryPartner {
    static func rows(delivering coop: UUID, on db: any Database) async throws -> [Row] {
        try await db.sql.select().column("*").from("food_home_delivery_partners").where("delivery_cooperative_id", .equal, SQLBind(coop))
            .all(decoding: Row.self)
    }
}
