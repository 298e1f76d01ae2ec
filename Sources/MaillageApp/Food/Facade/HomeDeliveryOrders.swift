import Fluent
import Foundation
import MaillageCore
import SQLKit

/// What a delivery cooperative needs of the food cooperatives that named it for their home
/// deliveries: which they are, their closed cycles, and each cycle's orders to deliver at home
/// (address, name, window). Food's tables stay Food's: this is the only way in.
enum HomeDeliveryOrders {
    /// A food cooperative that delivers at home through `deliveryCooperative`.
    struct Partner: Sendable, Hashable {
        var foodCooperative: UUID
        var deliveryCooperative: UUID
        var hubAddress: String
        var hubCommune: String
        var since: Date
    }

    /// A closed cycle's orders to deliver at home, with the window they are delivered in: the
    /// span of the cycle's pickup slots (when the baskets are ready at the hub), or, for a cycle
    /// without slots, 9:00–18:00 (Paris) the day after it closed.
    struct Cycle: Sendable {
        var id: UUID
        var name: String
        var closesAt: Date
        var windowStart: Date
        var windowEnd: Date
        var orders: [Order]
    }

    struct Order: Sendable, Hashable {
        var id: UUID
        var number: Int64
        var recipient: String
        var address: String
    }

    static func partners(of deliveryCooperative: UUID, on db: any Database) async throws -> [Partner] {
        try await HomeDeliveryPartner.rows(delivering: deliveryCooperative, on: db).map {
            Partner(foodCooperative: $0.cooperative_id, deliveryCooperative: $0.delivery_cooperative_id,
                    hubAddress: $0.hub_address, hubCommune: $0.hub_commune, since: $0.named_at)
        }
    }

    /// The partner's cycles closed by `now` and after it named the delivery cooperative (earlier
    /// cycles were delivered some other way), with their confirmed home-delivery orders.
    static func closedCycles(of partner: Partner, by now: Date, on db: any Database) async throws -> [Cycle] {
        struct ClosedCycleRow: Decodable { var id: UUID; var name: String; var closes_at: Date }
        struct SlotSpanRow: Decodable { var cycle_id: UUID; var starts_at: Date; var ends_at: Date }
        struct HomeOrderRow: Decodable { var id: UUID; var cycle_id: UUID; var number: Int64; var shopper_name: String; var address: String? }
        let cycles = try await db.sql.select().columns("id", "name", "closes_at").from("food_cycles")
            .where("cooperative_id", .equal, SQLBind(partner.foodCooperative)).where("published", .equal, SQLBind(true))
            .where("cancelled_at", .is, SQLLiteral.null)
            .where("closes_at", .lessThanOrEqual, SQLBind(now)).where("closes_at", .greaterThan, SQLBind(partner.since))
            .orderBy("closes_at").all(decoding: ClosedCycleRow.self)
        guard !cycles.isEmpty else { return [] }
        let ids = cycles.map(\.id)
        let slots = Dictionary(grouping: try await db.sql.select().columns("cycle_id", "starts_at", "ends_at").from("food_cycle_slots")
            .where("cycle_id", .in, SQLBind.group(ids)).all(decoding: SlotSpanRow.self), by: \.cycle_id)
        let orders = Dictionary(grouping: try await db.sql.select().columns("id", "cycle_id", "number", "shopper_name", "address").from("food_orders")
            .where("cycle_id", .in, SQLBind.group(ids)).where("address", .isNot, SQLLiteral.null)
            .where("status", .in, SQLBind.group([OrderStatus.confirmed.rawValue, OrderStatus.collected.rawValue]))
            .orderBy("number").all(decoding: HomeOrderRow.self), by: \.cycle_id)
        let zone = LocalZone.paris
        return cycles.map { cycle in
            let spans = slots[cycle.id] ?? []
            let next = zone.localDate(at: cycle.closes_at).adding(days: 1) ?? zone.localDate(at: cycle.closes_at)
            let start = spans.map(\.starts_at).min() ?? zone.instant(on: next, hour: 9)
            let end = spans.map(\.ends_at).max() ?? zone.instant(on: next, hour: 18)
            return Cycle(id: cycle.id, name: cycle.name, closesAt: cycle.closes_at, windowStart: start, windowEnd: end,
                         orders: (orders[cycle.id] ?? []).compactMap { row in
                             guard let address = row.address, !address.isEmpty else { return nil }
                             return Order(id: row.id, number: row.number, recipient: row.shopper_name, address: address)
                         })
        }
    }
}

extension HomeDeliveryOrders {
    /// Every delivery cooperative some food cooperative named, for the job that turns closed
    /// cycles into deliveries.
    static func deliveryCooperatives(on db: any Database) async throws -> [UUID] {
        struct Row: Decodable { var delivery_cooperative_id: UUID }
        return Array(Set(try await db.sql.select().column("delivery_cooperative_id").from("food_home_delivery_partners")
            .all(decoding: Row.self).map(\.delivery_cooperative_id)))
    }
}
