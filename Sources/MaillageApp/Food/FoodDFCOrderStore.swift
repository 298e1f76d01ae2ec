import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Orders a hub sends by DFC, placed as shop orders: the same checkout (`FoodCheckout.place`),
/// so the same conditional statements take the stock and nothing is oversold; the order shows in
/// the producers' reports like any other. Sold at once and paid at pickup, like an order placed
/// and confirmed in one call. A line that cannot be sold is refused with its reason and nothing
/// is ordered, so the hub fixes that line and sends the order again.
enum FoodDFCOrderStore {
    enum Outcome {
        case placed(OrderRow, created: Bool)
        case refused([DFCOrderMapping.Refusal])
    }

    /// Every order placed by DFC carries this key: the hub's own order id when it gives one (the
    /// same order posted twice is one order), else one of ours.
    static func key(coop: UUID, dfcID: String) -> String { "dfc:\(coop.uuidString.lowercased()):\(dfcID)" }
    static func isDFC(_ row: OrderRow) -> Bool { row.idempotencyKey?.hasPrefix("dfc:") == true }

    static let noOpenCycle = DomainError(.conflict, code: "no_open_cycle", field: "dfc-b:belongsTo",
        fr: "Aucun cycle de commande ouvert ne vend ces offres : la vente (dfc-b:belongsTo) ne correspond à aucun cycle ouvert.",
        en: "No open order cycle sells these offers: the sale session (dfc-b:belongsTo) matches no open cycle.")
    static let emptyOrder = DomainError(.invalid, code: "empty_order", field: "dfc-b:hasPart",
        fr: "Une commande garde au moins une ligne : pour tout retirer, annulez-la.",
        en: "An order keeps at least one line: to remove everything, cancel it.")
    static let changedMeanwhile = DomainError(.conflict, code: "order_changed_meanwhile",
        fr: "La commande a changé entre-temps (autre modification ou annulation) : relisez-la puis recommencez.",
        en: "The order changed in the meantime (another change or a cancellation): read it again, then retry.")
    static let idTooLong = DomainError(.invalid, code: "dfc_id_too_long", field: "@id",
        fr: "L’identifiant de la commande dépasse 500 caractères.", en: "The order's id is longer than 500 characters.")

    /// The cycle the order belongs to: the one its sale session names, else the open cycle
    /// (closing first) that sells the first line's offer, else the first open one (where lines
    /// naming no offer of ours are then refused one by one).
    static func cycle(for order: DFCOrder, access: FoodAccess, at now: Date, on db: any Database) async throws -> CycleRow {
        if let id = DFCOrderMapping.cycleID(of: order) {
            let row = try await FoodCycles.row(id, in: access.coopID, on: db)
            guard row.published else { throw Problem.notFound(FoodCycles.cycleWord) }
            return row
        }
        let first = order.lines.lazy.compactMap(DFCOrderMapping.variantID(of:)).first
        let open = try await FoodCycles.open(in: access.coopID, at: now, on: db).filter(\.published)
        for row in open {
            if let first, try await offered(in: row.id, to: access, on: db).contains(first) { return row }
        }
        guard let soonest = open.first else { throw noOpenCycle }
        return soonest
    }

    /// The variants this caller may order in the cycle: all for a coordinator, their own for a producer.
    static func offered(in cycle: UUID, to access: FoodAccess, on db: any Database) async throws -> Set<UUID> {
        struct Row: Decodable { var variant_id: UUID }
        var query = db.sql.select().column("variant_id").from("food_cycle_offers").where("cycle_id", .equal, SQLBind(cycle))
        if !access.isCoordinator { query = query.where("producer_id", .equal, SQLBind(access.producer?.id ?? UUID())) }
        return Set(try await query.all(decoding: Row.self).map(\.variant_id))
    }

    /// Each line the cycle cannot sell now, or whose stock (as read now) is short by more than
    /// `held` already gives: said before trying, so the hub learns every refused line at once.
    static func precheck(_ wanted: [DFCOrderMapping.Wanted], held: [UUID: Int] = [:], cycle: CycleRow, at now: Date,
                         on db: any Database) async throws -> [DFCOrderMapping.Refusal] {
        if let closed = whyNotOpen(cycle, at: now) { return wanted.map { .init(line: $0.line, problem: .cycleNotOpen(closed)) } }
        var refused: [DFCOrderMapping.Refusal] = []
        for line in wanted where line.quantity > (held[line.variantID] ?? 0) {
            guard let left = try await FoodStock.left(variant: line.variantID, cycle: cycle.id, on: db), let available = left.available else { continue }
            if available < line.quantity - (held[line.variantID] ?? 0) {
                refused.append(.init(line: line.line, problem: .outOfStock(name: left.name, available: available + (held[line.variantID] ?? 0))))
            }
        }
        return refused
    }

    /// The core's reason the cycle takes no order now, if any.
    static func whyNotOpen(_ cycle: CycleRow, at now: Date) -> DomainError? {
        do {
            try cycle.cycle(offers: [], points: []).requireOpen(at: now)
            return nil
        } catch {
            return error
        }
    }

    static func place(_ order: DFCOrder, access: FoodAccess, at now: Date = Date(), on db: any Database) async throws -> Outcome {
        guard (order.id?.count ?? 0) <= 500 else { throw idTooLong }
        let orderID = UUID()
        let key = key(coop: access.coopID, dfcID: order.id ?? "urn:uuid:\(orderID.uuidString.lowercased())")
        if order.id != nil, let earlier = try await FoodCheckout.find(key: key, on: db) {
            guard earlier.shopperID == access.userID else { throw FoodCheckout.keyReused }
            return .placed(earlier, created: false)
        }
        guard !order.lines.isEmpty else { throw DomainError.emptyCart }
        let cycle = try await cycle(for: order, access: access, at: now, on: db)
        let (wanted, unreadable) = DFCOrderMapping.wanted(order, sold: try await offered(in: cycle.id, to: access, on: db), allowZero: false)
        let refused = unreadable + (try await precheck(wanted, cycle: cycle, at: now, on: db))
        guard refused.isEmpty else { return .refused(refused) }
        let points = try await CheckoutReads.points(of: cycle, on: db)
        // The hub fetches its order where the cycle's goods are handed out: the first pickup
        // point's first slot, else delivered to the address the cycle delivers to.
        let fulfilment: Fulfilment = if let point = points.first, let slot = point.slots.first { .pickup(point: point.id, slot: slot.id) }
                                     else { .homeDelivery(address: String((order.orderedBy ?? "DFC").prefix(300))) }
        let host = order.orderedBy.flatMap { URL(string: $0)?.host } ?? "DFC"
        let request = FoodCheckout.Request(cycle: cycle, lines: wanted.map { CartLine(variantID: $0.variantID, quantity: $0.quantity) },
                                           shopper: access.user, fulfilment: fulfilment, payment: .atPickup, idempotencyKey: key,
                                           confirm: true, now: now, orderID: orderID, receipt: nil,
                                           shopperName: "\(access.user.displayName) · DFC \(host)")
        do {
            let row = try await FoodCheckout.place(request, on: db)
            return .placed(row, created: row.id == orderID)
        } catch let error as DomainError where error.code == "out_of_stock" || error.kind == .conflict && error.code.hasPrefix("cycle_") {
            // Another order took the last items (or the cycle closed) between the reading above and
            // the write: say which lines, as read now.
            let lost = try await precheck(wanted, cycle: cycle, at: now, on: db)
            if lost.isEmpty { throw error }
            return .refused(lost)
        }
    }
}
