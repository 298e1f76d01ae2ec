import Fluent
import Foundation
import MaillageCore
import SQLKit

/// What a checkout reads before it writes, in three statements rather than fourteen: who the
/// shopper is in the cooperative together with the cycle, then the basket's offers with their
/// products, variants and producers, then the cycle's pickup slots. At the opening of a cycle
/// checkouts come in bursts; every statement saved is a round trip to the database saved for each.
/// The rules are the same as on the pages (`FoodAccess`, `FoodCycles.row`).
enum CheckoutReads {
    /// The cycle `id` of the cooperative `slug`, for `user`: an active member of a food
    /// cooperative, and a published cycle of that cooperative.
    static func cycle(slug: String, id: UUID, user: UUID, on db: any Database) async throws -> CycleRow {
        struct Standing: Decodable {
            var coop_id: UUID
            var activities: String
            var member_status: String?
            var member_role: String?
        }
        guard let row = try await db.sql.raw("""
            SELECT c.id AS coop_id, c.activities AS activities, m.status AS member_status, m.role AS member_role, fc.*
            FROM cooperatives c
            LEFT JOIN memberships m ON m.cooperative_id = c.id AND m.user_id = \(bind: user)
            LEFT JOIN food_cycles fc ON fc.id = \(bind: id) AND fc.cooperative_id = c.id
            WHERE c.slug = \(bind: slug.lowercased())
            """).first() else { throw Problem.notFound(Cooperatives.cooperativeWord) }
        let standing = try row.decode(model: Standing.self)
        guard standing.member_status.flatMap(MembershipStatus.init(rawValue:)) == .active,
              (standing.member_role.flatMap(MemberRole.init(rawValue:)) ?? .member) >= .member else { throw Problem.forbidden }
        guard Activity.list(from: standing.activities).contains(.food) else { throw FoodAccess.notFood }
        guard try !row.decodeNil(column: "id") else { throw Problem.notFound(FoodCycles.cycleWord) }
        let cycle = try row.decode(model: CycleRow.self)
        guard cycle.published else { throw Problem.notFound(FoodCycles.cycleWord) }
        return cycle
    }

    /// The cycle as the core prices a basket of `variants` in it, the catalog of those variants,
    /// and who is paid for each producer.
    static func basket(_ cycle: CycleRow, variants: [UUID], on db: any Database) async throws -> (OrderCycle, FoodCatalog, [UUID: UUID]) {
        let unique = Array(Set(variants).prefix(OrderCycle.maximumLines))
        var offers: [CycleOfferRow] = [], products: [UUID: ProductRow] = [:], chosen: [UUID: [VariantRow]] = [:], payees: [UUID: UUID] = [:]
        if !unique.isEmpty {
            let columns = offerColumns.map { "o.\($0) AS o_\($0)" } + ProductRow.columns.map { "p.\($0) AS p_\($0)" }
                + variantColumns.map { "v.\($0) AS v_\($0)" } + ["pr.user_id AS producer_user"]
            let rows = try await db.sql.raw("""
                SELECT \(unsafeRaw: columns.joined(separator: ", ")) FROM food_cycle_offers o
                JOIN food_variants v ON v.id = o.variant_id JOIN food_products p ON p.id = o.product_id
                JOIN food_producers pr ON pr.id = o.producer_id
                WHERE o.cycle_id = \(bind: cycle.id) AND o.variant_id IN \(SQLBind.group(unique))
                """).all()
            for row in rows {
                let offer = try row.decode(model: CycleOfferRow.self, prefix: "o_")
                offers.append(offer)
                products[offer.productID] = try row.decode(model: ProductRow.self, prefix: "p_")
                chosen[offer.productID, default: []].append(try row.decode(model: VariantRow.self, prefix: "v_"))
                payees[offer.producerID] = try row.decode(column: "producer_user", as: UUID.self)
            }
        }
        let catalog = FoodCatalog(products.values.map { Product($0, variants: chosen[$0.id] ?? []) })
        return (cycle.cycle(offers: offers.map(\.offer), points: try await points(of: cycle, on: db)), catalog, payees)
    }

    /// The cycle's pickup points with their slots, in one statement.
    static func points(of cycle: CycleRow, on db: any Database) async throws -> [PickupPoint] {
        struct Row: Decodable { var id: UUID; var point_id: UUID; var name: String; var address: String; var starts_at: Date; var ends_at: Date }
        let rows = try await db.sql.raw("""
            SELECT s.id, s.starts_at, s.ends_at, pp.id AS point_id, pp.name, pp.address FROM food_cycle_slots s
            JOIN food_pickup_points pp ON pp.id = s.pickup_point_id
            WHERE s.cycle_id = \(bind: cycle.id) AND pp.cooperative_id = \(bind: cycle.cooperativeID)
            ORDER BY pp.name, s.starts_at
            """).all(decoding: Row.self)
        var order: [UUID] = [], points: [UUID: PickupPoint] = [:]
        for row in rows {
            let slot = PickupSlot(id: row.id, startsAt: row.starts_at, endsAt: row.ends_at)
            if points[row.point_id] == nil {
                order.append(row.point_id)
                points[row.point_id] = PickupPoint(id: row.point_id, name: row.name, address: row.address, slots: [slot])
            } else {
                points[row.point_id]?.slots.append(slot)
            }
        }
        return order.compactMap { points[$0] }
    }

    static let offerColumns = ["cycle_id", "variant_id", "product_id", "producer_id", "price_cents", "has_stock", "stock", "reserved", "sold"]
    static let variantColumns = ["id", "product_id", "label", "quantity_thousandths", "price_cents", "stock", "reserved", "sold", "position"]
}
