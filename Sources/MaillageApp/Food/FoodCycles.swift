import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Order cycles as stored: their pickup points and slots, the variants they sell. A cycle's
/// phase follows the clock (`OrderCycle.phase`), so it opens and closes on time by itself.
enum FoodCycles {
    static let cycleWord = Localized(fr: "Cycle de commande", en: "Order cycle")
    static let pointWord = Localized(fr: "Point de retrait", en: "Pickup point")

    /// What a coordinator sets up; checked by the core (`OrderCycle.problems`).
    struct Setup: Sendable {
        var name: String
        var opensAt: Date
        var closesAt: Date
        var published: Bool
        var fee: FeeRule
        var deliveryFeeCents: Int64?
        /// One slot per chosen pickup point.
        var slots: [(point: UUID, startsAt: Date, endsAt: Date)]
        /// Every variant on sale of these producers is offered.
        var producers: [UUID]
    }

    static func row(_ id: UUID, on db: any Database) async throws -> CycleRow {
        guard let row = try await db.sql.select().column("*").from("food_cycles").where("id", .equal, SQLBind(id))
            .first(decoding: CycleRow.self) else { throw Problem.notFound(cycleWord) }
        return row
    }

    static func row(_ id: UUID, in coop: UUID, on db: any Database) async throws -> CycleRow {
        let row = try await row(id, on: db)
        guard row.cooperativeID == coop else { throw Problem.notFound(cycleWord) }
        return row
    }

    static func cycles(of coop: UUID, on db: any Database) async throws -> [CycleRow] {
        try await db.sql.select().column("*").from("food_cycles").where("cooperative_id", .equal, SQLBind(coop))
            .orderBy("opens_at", .descending).limit(200).all(decoding: CycleRow.self)
    }

    /// The cycles shoppers can order from now, soonest closing first.
    static func open(in coop: UUID, at now: Date = Date(), on db: any Database) async throws -> [CycleRow] {
        try await cycles(of: coop, on: db).filter { $0.phase(at: now) == .open }.sorted { $0.closesAt < $1.closesAt }
    }

    // MARK: Pickup points

    static func pickupPoints(of coop: UUID, on db: any Database) async throws -> [PickupPointRow] {
        try await db.sql.select().column("*").from("food_pickup_points").where("cooperative_id", .equal, SQLBind(coop))
            .orderBy("name").all(decoding: PickupPointRow.self)
    }

    @discardableResult
    static func addPickupPoint(name: String, address: String, in coop: UUID, on db: any Database) async throws -> PickupPointRow {
        var errors = ValidationErrors()
        var clean = ("", "")
        do { clean.0 = try Validate.text(name, field: "point_name", label: pointWord, range: 2...120) } catch { errors.add(error) }
        do { clean.1 = try Validate.text(address, field: "point_address", label: Localized(fr: "Adresse", en: "Address"), range: 3...300) } catch { errors.add(error) }
        try errors.throwIfAny()
        let row = PickupPointRow(id: UUID(), cooperativeID: coop, name: clean.0, address: clean.1, createdAt: Date())
        try await db.sql.insert(into: "food_pickup_points").model(row).run()
        return row
    }

    static func slots(of cycle: UUID, on db: any Database) async throws -> [SlotRow] {
        try await db.sql.select().column("*").from("food_cycle_slots").where("cycle_id", .equal, SQLBind(cycle))
            .orderBy("starts_at").all(decoding: SlotRow.self)
    }

    /// The cycle's pickup points with their slots, as the core sees them.
    static func points(of cycle: CycleRow, on db: any Database) async throws -> [PickupPoint] {
        let slots = try await slots(of: cycle.id, on: db)
        let rows = try await pickupPoints(of: cycle.cooperativeID, on: db)
        return rows.compactMap { point in
            let own = slots.filter { $0.pickupPointID == point.id }
            guard !own.isEmpty else { return nil }
            return PickupPoint(id: point.id, name: point.name, address: point.address,
                               slots: own.map { PickupSlot(id: $0.id, startsAt: $0.startsAt, endsAt: $0.endsAt) })
        }
    }

    // MARK: Offers

    static func offers(of cycle: UUID, variants: [UUID]? = nil, on db: any Database) async throws -> [CycleOfferRow] {
        var query = db.sql.select().column("*").from("food_cycle_offers").where("cycle_id", .equal, SQLBind(cycle))
        if let variants {
            guard !variants.isEmpty else { return [] }
            query = query.where("variant_id", .in, SQLBind.group(variants))
        }
        return try await query.all(decoding: CycleOfferRow.self)
    }

    /// Producer id → the member paid for their sales.
    static func producerUsers(_ ids: Set<UUID>, on db: any Database) async throws -> [UUID: UUID] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable { var id: UUID; var user_id: UUID }
        let rows = try await db.sql.select().column("id").column("user_id").from("food_producers")
            .where("id", .in, SQLBind.group(Array(ids))).all(decoding: Row.self)
        return Dictionary(rows.map { ($0.id, $0.user_id) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Setting up

    static func create(_ setup: Setup, in coop: UUID, by user: UUID, on db: any Database) async throws -> CycleRow {
        let id = UUID()
        var products: [Product] = []
        for producer in setup.producers {
            // A producer of this cooperative only: producer ids are public, and another
            // cooperative's cycle must never take this one's stock.
            _ = try await FoodCatalogStore.producer(producer, in: coop, on: db)
            products += try await FoodCatalogStore.products(of: producer, on: db).filter { $0.producerID == producer }
        }
        let points = try await pickupPoints(of: coop, on: db)
        let pickup: [PickupPoint] = try setup.slots.map { slot in
            guard let point = points.first(where: { $0.id == slot.point }) else { throw Problem.notFound(pointWord) }
            return PickupPoint(id: point.id, name: point.name, address: point.address,
                               slots: [PickupSlot(id: UUID(), startsAt: slot.startsAt, endsAt: slot.endsAt)])
        }
        let offers = products.flatMap { product in
            product.variants.map { CycleOffer(variantID: $0.id, productID: product.id, producerID: product.producerID) }
        }
        let cycle = OrderCycle(id: id, name: setup.name.trimmingCharacters(in: .whitespacesAndNewlines), opensAt: setup.opensAt,
                               closesAt: setup.closesAt, isPublished: setup.published, offers: offers, pickupPoints: pickup,
                               homeDelivery: setup.deliveryFeeCents.map(HomeDelivery.init(feeCents:)), fee: setup.fee)
        var problems = cycle.problems(catalog: FoodCatalog(products))
        if setup.producers.isEmpty {
            problems.add(DomainError(.invalid, code: "no_producer", field: "producers",
                                     fr: "Choisissez au moins un producteur.", en: "Choose at least one producer."))
        }
        try problems.throwIfAny()
        let row = CycleRow(id: id, cooperativeID: coop, name: cycle.name, opensAt: cycle.opensAt, closesAt: cycle.closesAt,
                           published: setup.published, cancelledAt: nil, feeBasisPoints: setup.fee.basisPoints,
                           feeFixedCents: setup.fee.fixed?.minorUnits ?? 0, deliveryFeeCents: setup.deliveryFeeCents, lastNumber: 0,
                           createdBy: user, createdAt: Date())
        try await db.writeTransaction { tx in
            try await tx.sql.insert(into: "food_cycles").model(row).run()
            for point in pickup {
                for slot in point.slots {
                    try await tx.sql.insert(into: "food_cycle_slots").model(SlotRow(id: slot.id, cycleID: id, pickupPointID: point.id,
                                                                                   startsAt: slot.startsAt, endsAt: slot.endsAt)).run()
                }
            }
            try await insertOffers(offers, cycle: id, on: tx)
        }
        return row
    }

    static func insertOffers(_ offers: [CycleOffer], cycle: UUID, on db: any Database) async throws {
        for chunk in offers.chunked(200) {
            var insert = db.sql.insert(into: "food_cycle_offers")
                .columns("cycle_id", "variant_id", "product_id", "producer_id", "price_cents", "has_stock", "stock", "reserved", "sold")
            for offer in chunk {
                insert = insert.values(SQLBind(cycle), SQLBind(offer.variantID), SQLBind(offer.productID), SQLBind(offer.producerID),
                                       SQLBind(offer.priceCents), SQLBind(offer.stock != nil), SQLBind(offer.stock?.limit.map(Int64.init)),
                                       SQLBind(Int64(0)), SQLBind(Int64(0)))
            }
            try await insert.run()
        }
        try await listProducts(cycle: cycle, on: db)
    }

    /// Fills the cycle's shopfront listing from its offers (see `food_cycle_products`).
    static func listProducts(cycle: UUID, on db: any Database) async throws {
        try await db.sql.raw("""
            INSERT INTO food_cycle_products (cycle_id, product_id, producer_id, name, category, search, sort_name)
            SELECT DISTINCT o.cycle_id, p.id, p.producer_id, p.name, p.category, p.search, p.sort_name
            FROM food_cycle_offers o JOIN food_products p ON p.id = o.product_id
            WHERE o.cycle_id = \(bind: cycle) AND p.archived_at IS NULL
            ON CONFLICT (cycle_id, product_id) DO NOTHING
            """).run()
    }

    /// A cycle-specific price or stock for one variant (nil puts back the producer's).
    static func adjustOffer(cycle: UUID, variant: UUID, priceCents: Int64?, stock: Stock?, on db: any Database) async throws {
        if let priceCents, !(1...ProductDraft.maximumPriceCents).contains(priceCents) { throw DomainError.invalidPrice(field: "price") }
        defer { ShopfrontListing.forgetAll() }
        try await db.writeTransaction { tx in
            guard let current = try await offers(of: cycle, variants: [variant], on: tx).first else {
                throw Problem.notFound(Localized(fr: "Offre", en: "Offer"))
            }
            try await tx.sql.update("food_cycle_offers").set("price_cents", to: SQLBind(priceCents))
                .where("cycle_id", .equal, SQLBind(cycle)).where("variant_id", .equal, SQLBind(variant)).run()
            switch stock {
            case nil:
                // Back to the producer's shared stock: only while this cycle holds none of its own,
                // decided by the update itself so a checkout in between cannot be lost.
                let changed = try await tx.sql.raw("""
                    UPDATE food_cycle_offers SET has_stock = \(bind: false), stock = NULL WHERE cycle_id = \(bind: cycle)
                    AND variant_id = \(bind: variant) AND reserved = 0 AND sold = 0 RETURNING variant_id
                    """).all()
                if changed.isEmpty { throw FoodCatalogStore.stockBelowCommitted(current.reserved + current.sold, field: "stock", name: try await FoodStock.left(variant: variant, cycle: cycle, on: tx)?.name ?? "") }
            case .onDemand?:
                try await tx.sql.raw("UPDATE food_cycle_offers SET has_stock = \(bind: true), stock = NULL WHERE cycle_id = \(bind: cycle) AND variant_id = \(bind: variant)").run()
            case .tracked(let count)?:
                guard (0...ProductDraft.maximumStock).contains(count) else { throw DomainError.invalidStock(field: "stock") }
                let limit = Int64(count)
                let changed = try await tx.sql.raw("""
                    UPDATE food_cycle_offers SET has_stock = \(bind: true), stock = \(bind: limit) WHERE cycle_id = \(bind: cycle)
                    AND variant_id = \(bind: variant) AND (has_stock = \(bind: false) OR reserved + sold <= \(bind: limit)) RETURNING variant_id
                    """).all()
                if changed.isEmpty { throw FoodCatalogStore.stockBelowCommitted(current.reserved + current.sold, field: "stock", name: try await FoodStock.left(variant: variant, cycle: cycle, on: tx)?.name ?? "") }
            }
        }
    }

    /// What cancelling a cycle changes: its confirmed orders (and their total), the credit given
    /// back to the members who paid from it, the baskets being checked out.
    struct CancellationImpact: Sendable {
        var confirmed = 0
        var confirmedCents: Int64 = 0
        var refunded = 0
        var refundCents: Int64 = 0
        var pending = 0
    }

    private struct Live: Decodable { var id: UUID; var status: String; var payment: String; var total_cents: Int64; var shopper_id: UUID; var expires_at: Date }

    private static func live(_ cycle: UUID, on db: any Database) async throws -> [Live] {
        try await db.sql.select().columns("id", "status", "payment", "total_cents", "shopper_id", "expires_at").from("food_orders")
            .where("cycle_id", .equal, SQLBind(cycle))
            .where("status", .in, SQLBind.group([OrderStatus.pending.rawValue, OrderStatus.confirmed.rawValue])).all(decoding: Live.self)
    }

    private static func impact(of orders: [Live], at now: Date) -> CancellationImpact {
        var impact = CancellationImpact(), refunded = Set<UUID>()
        for order in orders {
            if order.status == OrderStatus.confirmed.rawValue {
                impact.confirmed += 1
                impact.confirmedCents += order.total_cents
                if order.payment == PaymentMethod.memberCredit.rawValue {
                    impact.refundCents += order.total_cents
                    refunded.insert(order.shopper_id)
                }
            } else if order.expires_at > now {
                impact.pending += 1
            }
        }
        impact.refunded = refunded.count
        return impact
    }

    /// What `cancel` would change now, to state it before the coordinator confirms.
    static func cancellationImpact(_ cycle: UUID, at now: Date, on db: any Database) async throws -> CancellationImpact {
        impact(of: try await live(cycle, on: db), at: now)
    }

    /// Cancels a cycle not yet closed: its orders are cancelled by the coordinator (stock given
    /// back, prepaid credit refunded). Returns what it changed.
    @discardableResult
    static func cancel(_ row: CycleRow, by user: UUID, at now: Date = Date(), on db: any Database) async throws -> CancellationImpact {
        var cycle = row.cycle(offers: [], points: [])
        try cycle.cancel(at: now)
        // The cycle and every live order in it are cancelled together, or not at all.
        return try await db.writeTransaction { tx in
            // Claimed by the update itself: two coordinators confirming at once cancel it once.
            let claimed = try await tx.sql.raw("""
                UPDATE food_cycles SET cancelled_at = \(bind: now) WHERE id = \(bind: row.id) AND cancelled_at IS NULL
                AND closes_at > \(bind: now) RETURNING id
                """).all()
            if claimed.isEmpty {
                var current = try await self.row(row.id, on: tx).cycle(offers: [], points: [])
                try current.cancel(at: now)
                throw DomainError.cycleCancelled
            }
            let live = try await live(row.id, on: tx)
            for order in live { _ = try await FoodCheckout.cancel(order.id, by: .coordinator, user: user, at: now, on: tx) }
            return impact(of: live, at: now)
        }
    }

    static func publish(_ row: CycleRow, on db: any Database) async throws {
        try await db.sql.update("food_cycles").set("published", to: SQLBind(true)).where("id", .equal, SQLBind(row.id)).run()
    }
}
