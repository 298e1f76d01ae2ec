import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Food cooperatives' home deliveries on the delivery cooperative's side. When a partner's cycle
/// has closed, each of its home-delivery orders becomes a delivery (collected at the partner's
/// hub, delivered to the shopper's address in the cycle's window, priced by this cooperative's
/// grid) and the cycle is invoiced: a receivable on the food cooperative in this cooperative's
/// books, the matching payable in the food cooperative's — both in the same transaction as the
/// deliveries, so the two books agree whenever either is read.
enum HomeDeliveries {
    static let actor = DeliveryOrders.Actor(user: nil, channel: "food", clientAddress: "")

    struct HomeCycle: Decodable, Sendable {
        var cycle_id: UUID
        var food_cooperative_id: UUID
        var cycle_name: String
        var number: String
        var deliveries: Int
        var gross_cents: Int64
        var converted_at: Date
    }

    /// Every delivery cooperative's closed partner cycles, turned into deliveries; the count.
    @discardableResult
    static func convertAll(now: Date = Date(), on db: any Database) async throws -> Int {
        var done = 0
        for coop in try await HomeDeliveryOrders.deliveryCooperatives(on: db) { done += try await convert(for: coop, now: now, on: db) }
        return done
    }

    /// The closed cycles of the cooperative's partners not taken yet; the count taken now.
    static func convert(for coop: UUID, now: Date = Date(), on db: any Database) async throws -> Int {
        var done = 0
        for partner in try await HomeDeliveryOrders.partners(of: coop, on: db) {
            for cycle in try await HomeDeliveryOrders.closedCycles(of: partner, by: now, on: db) {
                if try await cycleRow(cycle.id, on: db) != nil { continue }
                if try await convert(cycle, of: partner, now: now, on: db) { done += 1 }
            }
        }
        return done
    }

    /// One cycle, all or nothing. The primary key on the cycle is the claim: two processes
    /// running the job at once make one set of deliveries and one invoice.
    static func convert(_ cycle: HomeDeliveryOrders.Cycle, of partner: HomeDeliveryOrders.Partner, now: Date, on db: any Database) async throws -> Bool {
        try await db.writeTransaction { tx in
            let number = HomeDeliveryInvoice.number(cycle: cycle.id)
            let claimed = try await tx.sql.insert(into: "delivery_home_cycles")
                .columns("cycle_id", "delivery_cooperative_id", "food_cooperative_id", "cycle_name", "number", "deliveries", "gross_cents", "converted_at")
                .values(SQLBind(cycle.id), SQLBind(partner.deliveryCooperative), SQLBind(partner.foodCooperative), SQLBind(cycle.name),
                        SQLBind(number), SQLBind(0), SQLBind(Int64(0)), SQLBind(now))
                .ignoringConflicts().returning("cycle_id").all()
            guard !claimed.isEmpty else { return false }
            let store = try await partnerStore(partner, on: tx)
            var prices: [Int64] = []
            for order in cycle.orders {
                var delivery: UUID?, refusal: String?
                do {
                    let row = try await DeliveryOrders.create(draft(order, cycle: cycle, partner: partner), store: store, by: actor, on: tx, now: now)
                    delivery = row.id
                    prices.append(row.price_cents)
                } catch let error as DomainError {
                    refusal = error.message.fr
                } catch let errors as ValidationErrors {
                    refusal = errors.errors.map(\.message.fr).joined(separator: " ")
                }
                try await tx.sql.insert(into: "delivery_home_orders").columns("food_order_id", "cycle_id", "delivery_id", "refusal")
                    .values(SQLBind(order.id), SQLBind(cycle.id), SQLBind(delivery), SQLBind(refusal)).run()
            }
            let invoice = HomeDeliveryInvoice(cycle: cycle.id, prices: prices)
            try await tx.sql.update("delivery_home_cycles").set("deliveries", to: SQLBind(prices.count)).set("gross_cents", to: SQLBind(invoice.grossCents))
                .where("cycle_id", .equal, SQLBind(cycle.id)).run()
            guard invoice.grossCents > 0 else { return true }
            let food = try await Cooperative.find(partner.foodCooperative, on: tx)
            let delivering = try await Cooperative.find(partner.deliveryCooperative, on: tx)
            try await LedgerFacade.invoiceIssued(invoice.number, to: .cooperative(partner.foodCooperative), netCents: invoice.netCents,
                                                 vatCents: invoice.vatCents, cooperative: partner.deliveryCooperative,
                                                 memo: "Facture \(invoice.number) — livraisons à domicile, \(cycle.name) — \(food?.name ?? "")",
                                                 activity: .delivery, by: nil, at: now, inTransaction: tx)
            try await LedgerFacade.invoiceReceived(invoice.number, from: .cooperative(partner.deliveryCooperative), grossCents: invoice.grossCents,
                                                   cooperative: partner.foodCooperative,
                                                   memo: "Facture \(invoice.number) — livraisons à domicile, \(cycle.name) — \(delivering?.name ?? "")",
                                                   activity: .food, by: nil, at: now, inTransaction: tx)
            return true
        }
    }

    /// A basket: collected at the hub, delivered at the shopper's address, both in the cycle's
    /// window. The address's commune gives its position (the shared geography); an address
    /// without a known commune is placed at the hub's commune, and the staff see it on the page.
    static func draft(_ order: HomeDeliveryOrders.Order, cycle: HomeDeliveryOrders.Cycle, partner: HomeDeliveryOrders.Partner) throws -> DeliveryDraft {
        guard let hub = GeoPoint(commune: partner.hubCommune) else { throw hubUnplaced }
        let point = HomeDeliveryInvoice.commune(in: order.address).flatMap { GeoPoint(commune: $0) } ?? hub
        return DeliveryDraft(tasks: [
            DeliveryTaskDraft(kind: .pickup, address: partner.hubAddress, point: hub, after: cycle.windowStart, before: cycle.windowEnd,
                              reference: "\(cycle.name) n° \(order.number)"),
            DeliveryTaskDraft(kind: .dropoff, address: order.address, point: point, contactName: order.recipient,
                              after: cycle.windowStart, before: cycle.windowEnd, reference: "\(cycle.name) n° \(order.number)"),
        ])
    }

    /// The store the partner's deliveries are recorded under, made on first use (accepting
    /// everything: the delivery cooperative accepted the partnership, not each basket).
    static func partnerStore(_ partner: HomeDeliveryOrders.Partner, on db: any Database) async throws -> DeliveryStoreRow {
        struct Row: Decodable { var store_id: UUID }
        if let found = try await db.sql.select().column("store_id").from("delivery_partner_stores")
            .where("delivery_cooperative_id", .equal, SQLBind(partner.deliveryCooperative))
            .where("food_cooperative_id", .equal, SQLBind(partner.foodCooperative)).first(decoding: Row.self) {
            return try await DeliverySettings.store(found.store_id, in: partner.deliveryCooperative, on: db)
        }
        let food = try await Cooperative.find(partner.foodCooperative, on: db)
        guard let hub = GeoPoint(commune: partner.hubCommune) else { throw hubUnplaced }
        let id = try await DeliverySettings.createStore(name: "\(food?.name ?? "Coopérative") — livraisons à domicile", address: partner.hubAddress,
                                                        point: hub, rule: .anything, in: partner.deliveryCooperative, on: db)
        try await db.sql.insert(into: "delivery_partner_stores").columns("delivery_cooperative_id", "food_cooperative_id", "store_id")
            .values(SQLBind(partner.deliveryCooperative), SQLBind(partner.foodCooperative), SQLBind(id)).run()
        return try await DeliverySettings.store(id, in: partner.deliveryCooperative, on: db)
    }

    static func cycleRow(_ cycle: UUID, on db: any Database) async throws -> HomeCycle? {
        try await db.sql.select().column("*").from("delivery_home_cycles").where("cycle_id", .equal, SQLBind(cycle)).first(decoding: HomeCycle.self)
    }

    static func cycles(of coop: UUID, on db: any Database) async throws -> [HomeCycle] {
        try await db.sql.select().column("*").from("delivery_home_cycles").where("delivery_cooperative_id", .equal, SQLBind(coop))
            .orderBy("converted_at", .descending).limit(200).all(decoding: HomeCycle.self)
    }

    /// The food cooperative paid what it owes: one settlement transfer, booked in both books in
    /// one transaction — received here, sent there. The receivable's ceiling (never above zero)
    /// makes a second settlement of the same debt fail rather than book money twice.
    static func settle(food: UUID, delivery: UUID, by user: UUID?, now: Date = Date(), on db: any Database) async throws -> Int64 {
        try await db.writeTransaction { tx in
            let owed = try await LedgerFacade.owed(by: .cooperative(food), to: delivery, on: tx)
            guard owed > 0 else { throw nothingOwed }
            let reference = UUID().uuidString.lowercased()
            do {
                try await LedgerFacade.paymentReceived(reference, from: .cooperative(food), cents: owed, cooperative: delivery,
                                                       memo: "Règlement des livraisons à domicile", activity: .delivery, by: user, at: now, inTransaction: tx)
                try await LedgerFacade.paymentSent(reference, to: .cooperative(delivery), cents: owed, cooperative: food,
                                                   memo: "Règlement des livraisons à domicile", activity: .food, by: user, at: now, inTransaction: tx)
            } catch let error as DomainError where error.kind != .notFound {
                throw nothingOwed
            }
            return owed
        }
    }

    static let hubUnplaced = DomainError(.invalid, code: "home_delivery_hub_unplaced", field: "hub_commune",
        fr: "La commune du point de retrait des paniers n’est pas dans la géographie de l’instance.",
        en: "The commune where baskets are collected is not in the instance's geography.")

    static let nothingOwed = DomainError(.conflict, code: "home_delivery_nothing_owed",
        fr: "Cette coopérative ne doit rien pour ses livraisons à domicile : rien à régler.",
        en: "This cooperative owes nothing for its home deliveries: nothing to settle.")
}
