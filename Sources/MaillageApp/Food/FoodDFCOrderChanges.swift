import Fluent
import Foundation
import MaillageCore
import SQLKit

/// A hub changes the quantities of an order it placed by DFC, while the cycle is open: the basket
/// is priced again by the core, the order is claimed only if it is still the one the change was
/// computed from (a conditional update on its basket), and only the differences move stock —
/// more taken by the checkout's own conditional statement, less given back by its own.
extension FoodDFCOrderStore {
    static func notChangeable(_ status: OrderStatus) -> DomainError {
        DomainError(.conflict, code: "order_not_changeable",
                    fr: "Cette commande ne peut plus être modifiée (\(status.label.fr.lowercased())).",
                    en: "This order can no longer be changed (\(status.label.en.lowercased())).")
    }

    /// `replacing`: the document lists the whole order (PUT), lines left out are removed;
    /// otherwise (PATCH) only the lines it lists change, a quantity of 0 removing one.
    static func change(_ row: OrderRow, to order: DFCOrder, replacing: Bool, access: FoodAccess, at now: Date = Date(),
                       on db: any Database) async throws -> Outcome {
        guard row.orderStatus == .confirmed else { throw notChangeable(row.orderStatus) }
        let cycle = try await FoodCycles.row(row.cycleID, on: db)
        let before = try row.pricedCart()
        var held: [UUID: Int] = [:]
        for line in before.lines { held[line.variantID, default: 0] += line.quantity }
        let sold = try await offered(in: cycle.id, to: access, on: db).union(held.keys)
        let (wanted, unreadable) = DFCOrderMapping.wanted(order, sold: sold, allowZero: true)
        let refused = unreadable + (try await precheck(wanted, held: held, cycle: cycle, at: now, on: db))
        guard refused.isEmpty else { return .refused(refused) }
        var quantities = replacing ? [:] : held
        for line in wanted { quantities[line.variantID] = line.quantity }
        let lines = before.lines.map(\.variantID).filter { quantities[$0] != nil }
            + wanted.map(\.variantID).filter { !held.keys.contains($0) }
        let cart = lines.compactMap { id in quantities[id].flatMap { $0 > 0 ? CartLine(variantID: id, quantity: $0) : nil } }
        guard !cart.isEmpty else { throw emptyOrder }
        let (priced, catalog, _) = try await CheckoutReads.basket(cycle, variants: cart.map(\.variantID), on: db)
        let after = try priced.checkout(cart, catalog: catalog, fulfilment: row.fulfilment, at: now)
        let json = String(decoding: try JSONEncoder().encode(after), as: UTF8.self)
        do {
            return .placed(try await db.writeTransaction { tx in
                let claimed = try await tx.sql.raw("""
                    UPDATE food_orders SET cart = \(bind: json), goods_cents = \(bind: after.goodsCents), delivery_cents = \(bind: after.deliveryCents),
                    fee_cents = \(bind: after.split.fee.minorUnits), total_cents = \(bind: after.totalCents)
                    WHERE id = \(bind: row.id) AND status = \(bind: OrderStatus.confirmed.rawValue) AND cart = \(bind: row.cart) RETURNING id
                    """).all()
                guard !claimed.isEmpty else { throw changedMeanwhile }
                try await moveDifferences(from: before, to: after, order: row, at: now, on: tx)
                // Every claim on an order leaves its event (the storage contract): a change of
                // quantities keeps the order confirmed, and says who changed it when.
                let actor: OrderActor = row.shopperID == access.userID ? .shopper : .coordinator
                try await tx.sql.insert(into: "food_order_events").columns("id", "order_id", "from_status", "to_status", "at", "actor", "user_id")
                    .values(SQLBind(UUID()), SQLBind(row.id), SQLBind(OrderStatus.confirmed.rawValue), SQLBind(OrderStatus.confirmed.rawValue),
                            SQLBind(now), SQLBind(actor.rawValue), SQLBind(access.userID)).run()
                var changed = row
                changed.cart = json
                changed.goodsCents = after.goodsCents
                changed.deliveryCents = after.deliveryCents
                changed.feeCents = after.split.fee.minorUnits
                changed.totalCents = after.totalCents
                changed.knownCart = after
                return changed
            }, created: false)
        } catch let error as DomainError where error.code == "out_of_stock" || error.kind == .conflict && error.code.hasPrefix("cycle_") {
            let lost = try await precheck(wanted, held: held, cycle: cycle, at: now, on: db)
            if lost.isEmpty { throw error }
            return .refused(lost)
        }
    }

    /// Stock and order lines follow the new basket: ascending keys, as the checkout takes them,
    /// so two changes touching the same rows cannot deadlock on PostgreSQL.
    private static func moveDifferences(from before: PricedCart, to after: PricedCart, order row: OrderRow, at now: Date,
                                        on tx: any Database) async throws {
        var delta: [StockKey: Int] = [:]
        for (key, quantity) in before.reservations { delta[key, default: 0] -= quantity }
        for (key, quantity) in after.reservations { delta[key, default: 0] += quantity }
        for (key, change) in delta.sorted(by: { FoodCheckout.sortKey($0.key) < FoodCheckout.sortKey($1.key) }) where change != 0 {
            if change > 0 {
                try await FoodCheckout.take(key, quantity: Int64(change), into: "sold", cycle: row.cycleID, at: now, on: tx)
            } else {
                let (variant, cycle) = FoodCheckout.parts(key)
                try await FoodCheckout.moveStock(.init(variant_id: variant, stock_cycle_id: cycle, quantity: Int64(-change)),
                                                 set: "sold = sold - \(-change)", guardedBy: "sold >= \(-change)", on: tx)
            }
        }
        try await tx.sql.delete(from: "food_order_lines").where("order_id", .equal, SQLBind(row.id)).run()
        for (key, quantity) in after.reservations {
            let (variant, cycle) = FoodCheckout.parts(key)
            try await tx.sql.insert(into: "food_order_lines").columns("id", "order_id", "variant_id", "stock_cycle_id", "quantity")
                .values(SQLBind(UUID()), SQLBind(row.id), SQLBind(variant), SQLBind(cycle), SQLBind(Int64(quantity))).run()
        }
    }
}
