import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The basket between visits, one row per variant.
enum FoodCart {
    struct Row: Decodable { var variant_id: UUID; var quantity: Int64 }

    static func lines(user: UUID, cycle: UUID, on db: any Database) async throws -> [CartLine] {
        try await db.sql.select().column("variant_id").column("quantity").from("food_cart_lines").where("user_id", .equal, SQLBind(user))
            .where("cycle_id", .equal, SQLBind(cycle)).orderBy("updated_at").all(decoding: Row.self)
            .map { CartLine(variantID: $0.variant_id, quantity: Int($0.quantity)) }
    }

    static func count(user: UUID, cycle: UUID, on db: any Database) async throws -> Int {
        try await lines(user: user, cycle: cycle, on: db).reduce(0) { $0 + $1.quantity }
    }

    /// Sets (or adds to) a line; 0 removes it. A line never goes above the per-line maximum.
    static func set(user: UUID, cycle: UUID, variant: UUID, quantity: Int, adding: Bool, on db: any Database) async throws {
        if quantity == 0 && !adding {
            try await db.sql.delete(from: "food_cart_lines").where("user_id", .equal, SQLBind(user)).where("cycle_id", .equal, SQLBind(cycle))
                .where("variant_id", .equal, SQLBind(variant)).run()
            return
        }
        guard quantity > 0 else { return }
        let limit = Int64(OrderCycle.maximumQuantityPerLine)
        let update: SQLQueryString = adding
            ? "quantity = CASE WHEN food_cart_lines.quantity + excluded.quantity > \(bind: limit) THEN \(bind: limit) ELSE food_cart_lines.quantity + excluded.quantity END"
            : "quantity = excluded.quantity"
        try await db.sql.raw("""
            INSERT INTO food_cart_lines (user_id, cycle_id, variant_id, quantity, updated_at)
            VALUES (\(bind: user), \(bind: cycle), \(bind: variant), \(bind: Int64(quantity)), \(bind: Date()))
            ON CONFLICT (user_id, cycle_id, variant_id) DO UPDATE SET 
            """ + update).run()
    }

    static func clear(user: UUID, cycle: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: "food_cart_lines").where("user_id", .equal, SQLBind(user)).where("cycle_id", .equal, SQLBind(cycle)).run()
    }
}
