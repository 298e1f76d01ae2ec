import Fluent
import Foundation
import MaillageCore
import SQLKit

/// What is left of a variant sold in a cycle, with the name shoppers know it by: the cycle's own
/// count when it has one, else the producer's shared count. Read to explain a refusal or to warn
/// at once; the checkout's conditional update alone decides who gets the last items.
enum FoodStock {
    struct Left: Sendable {
        /// "Pommes Reinette — 1 kg": how every stock message names the product.
        var name: String
        /// Nil: made to order.
        var available: Int?
    }

    static func name(product: String, variant: String) -> String { "\(product) — \(variant)" }

    static func left(variant: UUID, cycle: UUID, on db: any Database) async throws -> Left? {
        struct Row: Decodable { var name: String; var label: String; var left: Int64? }
        let row = try await db.sql.raw("""
            SELECT p.name, v.label,
            CASE WHEN o.has_stock = \(bind: true) THEN o.stock - o.reserved - o.sold ELSE v.stock - v.reserved - v.sold END AS "left"
            FROM food_cycle_offers o JOIN food_variants v ON v.id = o.variant_id JOIN food_products p ON p.id = o.product_id
            WHERE o.cycle_id = \(bind: cycle) AND o.variant_id = \(bind: variant)
            """).first(decoding: Row.self)
        return row.map { Left(name: name(product: $0.name, variant: $0.label), available: $0.left.map { max(0, Int($0)) }) }
    }
}
