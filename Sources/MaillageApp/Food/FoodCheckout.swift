import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Orders as stored: the core prices and decides (`OrderCycle.checkout`, `FoodOrder`), and each
/// step of `FoodStorageContract` is one conditional statement here, in one transaction. Nothing is
/// checked in Swift and then written: concurrent shoppers can never take more than the stock.
enum FoodCheckout {
    struct Request: Sendable {
        var cycle: CycleRow
        var lines: [CartLine]
        var shopper: User
        var fulfilment: Fulfilment
        var payment: PaymentMethod
        var idempotencyKey: String? = nil
        /// Confirm in the same transaction (the API's one-call checkout); otherwise the order
        /// stays pending, holding its stock until the shopper confirms or the hold ends.
        var confirm: Bool = false
        var now: Date = Date()
        /// The new order's id: a result with another id is an earlier order replayed.
        var orderID = UUID()
        /// Mails the shopper a receipt when the order is confirmed; nil mails nothing.
        var receipt: FoodMails.Receipt? = nil
        /// The name on pickup lists and reports, when not the shopper's own (an order a hub
        /// placed by DFC names the hub too).
        var shopperName: String? = nil
    }

    static let orderWord = Localized(fr: "Commande", en: "Order")
    static let keyReused = DomainError(.conflict, code: "idempotency_key_reused", field: "Idempotency-Key",
        fr: "Cette clé d’idempotence a déjà servi pour une autre commande.", en: "This idempotency key was already used for another order.")

    static func insufficientCredit(available: Int64, total: Int64) -> DomainError {
        DomainError(.conflict, code: "insufficient_credit", field: "payment",
                    fr: "Votre avoir ne suffit pas : \(UnitOfAccount.eur.format(available, .fr)) disponibles pour \(UnitOfAccount.eur.format(total, .fr)). Choisissez « au retrait » ou rechargez votre avoir.",
                    en: "Your credit is not enough: \(UnitOfAccount.eur.format(available, .en)) available for \(UnitOfAccount.eur.format(total, .en)). Choose “at pickup” or top up your credit.")
    }

    // MARK: Place (contract step 1) and confirm (step 2)

    static func place(_ request: Request, on db: any Database) async throws -> OrderRow {
        if let key = request.idempotencyKey, let earlier = try await find(key: key, on: db) {
            guard earlier.shopperID == request.shopper.id else { throw keyReused }
            return earlier
        }
        let shopperID = try request.shopper.requireID()
        let (cycle, catalog, producers) = try await CheckoutReads.basket(request.cycle, variants: request.lines.map(\.variantID), on: db)
        let id = request.orderID
        let order = try FoodOrder.place(id: id, number: 0, cycle: cycle, catalog: catalog, cart: request.lines, shopperID: shopperID,
                                        shopperName: request.shopperName ?? request.shopper.displayName, fulfilment: request.fulfilment,
                                        payment: request.payment, at: request.now)
        // Paying from member credit: a basket the credit cannot cover is refused now, before any
        // stock is held, so the shopper can choose another way to pay on the same form. When the
        // order is confirmed in this call, the ledger's floor decides inside the transaction.
        if request.payment == .memberCredit && !request.confirm {
            let available = try await LedgerFacade.availableCredit(of: shopperID, in: request.cycle.cooperativeID, on: db)
            if available < order.cart.totalCents { throw insufficientCredit(available: available, total: order.cart.totalCents) }
        }
        let cartJSON = String(decoding: try JSONEncoder().encode(order.cart), as: UTF8.self)
        let (point, slot, address): (UUID?, UUID?, String?) = switch request.fulfilment {
        case let .pickup(p, s): (p, s, nil)
        case .homeDelivery(let text): (nil, nil, text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        // The receipt's row is made here, before the write: in a group the writer runs the
        // bodies one after another, so all it does for the mail is add the row. The row names
        // the order; the mail, number included, is written out when it goes.
        // The receipt is the "orders" notification: sent unless the shopper chose the site only.
        let wantsReceipt = request.receipt != nil && request.confirm
            ? try await NoticeChoices.wantsMailAtOnce(shopperID, for: .orders, on: db) : false
        let receiptMail: OutboxEnvelope? = try request.receipt.flatMap { receipt in
            guard wantsReceipt else { return nil }
            return try FoodMails.receiptEnvelope(order: id, cycleName: cycle.name, shopper: request.shopper, receipt: receipt)
        }
        do {
            // Shares its commit with checkouts arriving at the same moment (SQLite group commit);
            // a refusal here (sold out, cycle closed) undoes this checkout only.
            let pays = request.confirm && request.payment == .memberCredit
            let reservations = order.cart.reservations.sorted { sortKey($0.key) < sortKey($1.key) }
            let (placed, number) = try await db.groupedWrite(writesOnce: reservations.count <= 1 && !pays) { tx in
                // The order's number, the order, its lines and events. In a group they are only
                // noted here, then written with the group's (numbers in one statement, rows in one
                // per table), and dropped if this checkout is refused; alone, they are written at
                // once and rolled back with it. Either way a refused basket takes no number. A
                // payment's memo names the order by its number, so it needs it now.
                // The receipt first: written with the order, so a kept order always has its mail
                // and a refused one none; and on PostgreSQL, before the counter's row is locked
                // until the commit, so that lock is not held while it is written.
                if let receiptMail { try await Outbox.enqueue(receiptMail, on: tx) }
                let counter = GroupNumber.Counter(table: "food_cycles", column: "last_number", id: cycle.id)
                let number = pays ? try await tx.nextNumberNow(counter) : try await tx.nextNumber(counter)
                let status: OrderStatus = request.confirm ? .confirmed : .pending
                var row = OrderRow(id: id, cooperativeID: request.cycle.cooperativeID, cycleID: cycle.id, number: 0,
                                   shopperID: shopperID, shopperName: request.shopperName ?? request.shopper.displayName, status: status.rawValue,
                                   placedAt: request.now, expiresAt: order.expiresAt, payment: request.payment.rawValue,
                                   pickupPointID: point, slotID: slot, address: address, goodsCents: order.cart.goodsCents,
                                   deliveryCents: order.cart.deliveryCents, feeCents: order.cart.split.fee.minorUnits,
                                   totalCents: order.cart.totalCents, cart: cartJSON, idempotencyKey: request.idempotencyKey,
                                   knownCart: order.cart)
                let values = try SQLQueryEncoder(nilEncodingStrategy: .asNil).encode(row)
                try await tx.insertWithGroup(into: "food_orders", values.map { $0.0 == "number" ? ($0.0, number) : $0 })
                for (key, quantity) in reservations {
                    let (variant, stockCycle) = parts(key)
                    try await tx.insertWithGroup(into: "food_order_lines", [("id", SQLBind(UUID())), ("order_id", SQLBind(id)), ("variant_id", SQLBind(variant)),
                                                                            ("stock_cycle_id", SQLBind(stockCycle)), ("quantity", SQLBind(Int64(quantity)))])
                }
                try await event(id, from: "new", to: .pending, at: request.now, actor: .shopper, user: shopperID, on: tx)
                if request.confirm {
                    try await event(id, from: OrderStatus.pending.rawValue, to: .confirmed, at: request.now, actor: .shopper, user: shopperID, on: tx)
                }
                // The stock, each statement also checking the cycle is still open. A one-call
                // checkout sells at once: the same conditional update as a hold, on `sold` instead
                // of `reserved` (steps 1 and 2 of the contract in one transaction). Ascending key
                // order: two checkouts touching the same rows cannot deadlock on PostgreSQL. For a
                // one-line basket paid at pickup this is the checkout's only change to the
                // database, and its last step: refused, it leaves nothing to undo (`writesOnce`).
                for (key, quantity) in reservations {
                    try await take(key, quantity: Int64(quantity), into: request.confirm ? "sold" : "reserved",
                                   cycle: cycle.id, at: request.now, on: tx)
                }
                if pays {
                    row.number = try number.value
                    try await pay(row, from: .memberCredit(shopperID), producers: producers, at: request.now, on: tx)
                }
                return (row, number)
            }
            var row = placed
            row.number = try number.value
            return row
        } catch {
            // A retry that raced its first attempt: the key is unique, the first one won.
            guard let failure = error as? any DatabaseError, failure.isConstraintFailure, let key = request.idempotencyKey,
                  let earlier = try await find(key: key, on: db) else { throw error }
            guard earlier.shopperID == shopperID else { throw keyReused }
            return earlier
        }
    }

    /// The shopper confirms a pending order while its hold lasts and the cycle is open.
    static func confirm(_ orderID: UUID, shopper: User, at now: Date = Date(), receipt: FoodMails.Receipt? = nil,
                        on db: any Database) async throws -> OrderRow {
        let row = try await order(orderID, on: db)
        guard row.shopperID == shopper.id else { throw Problem.notFound(orderWord) }
        let cycleRow = try await FoodCycles.row(row.cycleID, on: db)
        var order = try row.order()
        let cycle = cycleRow.cycle(offers: [], points: [])
        _ = try order.confirm(at: now, cycle: cycle)
        let producers = try await FoodCycles.producerUsers(Set(order.cart.producers.map(\.producerID)), on: db)
        let wantsReceipt = receipt != nil ? try await NoticeChoices.wantsMailAtOnce(row.shopperID, for: .orders, on: db) : false
        return try await db.writeTransaction { tx in
            let confirmed = try await confirmClaimed(row, producers: producers, at: now, on: tx)
            if let receipt, wantsReceipt {
                try await Outbox.enqueue(try FoodMails.receiptEnvelope(order: confirmed.id, cycleName: cycle.name, shopper: shopper, receipt: receipt),
                                         on: tx)
            }
            return confirmed
        }
    }

    /// Step 2, inside the caller's transaction: claim the pending order, turn held items into
    /// sold ones, and pay from member credit when that is how the shopper pays.
    private static func confirmClaimed(_ row: OrderRow, producers: [UUID: UUID], at now: Date, on tx: any Database) async throws -> OrderRow {
        let claimed = try await tx.sql.raw("""
            UPDATE food_orders SET status = 'confirmed' WHERE id = \(bind: row.id) AND status = 'pending'
            AND expires_at > \(bind: now) RETURNING id
            """).all()
        guard !claimed.isEmpty else {
            let current = try await order(row.id, on: tx)
            throw current.orderStatus == .pending ? DomainError.reservationExpired : DomainError.orderNotPending(current.orderStatus)
        }
        for line in try await lines(of: row.id, on: tx) {
            try await moveStock(line, set: "reserved = reserved - \(line.quantity), sold = sold + \(line.quantity)",
                                guardedBy: "reserved >= \(line.quantity)", on: tx)
        }
        try await event(row.id, from: OrderStatus.pending.rawValue, to: .confirmed, at: now, actor: .shopper, user: row.shopperID, on: tx)
        if row.paymentMethod == .memberCredit {
            try await pay(row, from: .memberCredit(row.shopperID), producers: producers, at: now, on: tx)
        }
        var confirmed = row
        confirmed.status = OrderStatus.confirmed.rawValue
        return confirmed
    }

    // MARK: Cancel (steps 3 and 4), expire, collect (step 5)

    static func cancel(_ orderID: UUID, by actor: OrderActor, user: UUID, at now: Date = Date(), on db: any Database) async throws -> OrderRow {
        let row = try await order(orderID, on: db)
        let cycleRow = try await FoodCycles.row(row.cycleID, on: db)
        var order = try row.order()
        let change = try order.cancel(by: actor, at: now, cycle: cycleRow.cycle(offers: [], points: []))
        return try await db.writeTransaction { tx in
            // A shopper may cancel only while the cycle is open: checked again by the claim itself.
            let open: SQLQueryString = actor == .shopper
                ? " AND EXISTS (SELECT 1 FROM food_cycles c WHERE c.id = food_orders.cycle_id AND c.closes_at > \(bind: now))" : ""
            let claimed = try await tx.sql.raw("UPDATE food_orders SET status = 'cancelled' WHERE id = \(bind: row.id) AND status = \(bind: change.from.rawValue)"
                                               + open + " RETURNING id").all()
            guard !claimed.isEmpty else { throw DomainError.orderNotCancellable(try await self.order(row.id, on: tx).orderStatus) }
            try await giveBack(row.id, effect: change.stock, on: tx)
            try await event(row.id, from: change.from.rawValue, to: .cancelled, at: now, actor: actor, user: user, on: tx)
            if change.from == .confirmed && row.paymentMethod == .memberCredit { try await refund(row, at: now, by: user, on: tx) }
            var cancelled = row
            cancelled.status = OrderStatus.cancelled.rawValue
            return cancelled
        }
    }

    /// Gives back the stock of checkouts abandoned past their hold (a job runs this).
    @discardableResult
    static func expireDue(now: Date = Date(), on db: any Database) async throws -> Int {
        struct Due: Decodable { var id: UUID }
        let due = try await db.sql.select().column("id").from("food_orders").where("status", .equal, SQLBind(OrderStatus.pending.rawValue))
            .where("expires_at", .lessThanOrEqual, SQLBind(now)).limit(500).all(decoding: Due.self)
        var expired = 0
        for order in due {
            expired += try await db.writeTransaction { tx in
                let claimed = try await tx.sql.raw("""
                    UPDATE food_orders SET status = 'expired' WHERE id = \(bind: order.id) AND status = 'pending'
                    AND expires_at <= \(bind: now) RETURNING id
                    """).all()
                guard !claimed.isEmpty else { return 0 }
                try await giveBack(order.id, effect: .release, on: tx)
                try await event(order.id, from: OrderStatus.pending.rawValue, to: .expired, at: now, actor: .system, user: nil, on: tx)
                return 1
            }
        }
        return expired
    }

    /// Handed out at the pickup point. An order paid at pickup is booked then: the cash received
    /// (clearing account) goes to the producers and the cooperative's fee, as a prepaid one did at confirmation.
    static func collect(_ orderID: UUID, by user: UUID, at now: Date = Date(), on db: any Database) async throws -> OrderRow {
        let row = try await order(orderID, on: db)
        let cycleRow = try await FoodCycles.row(row.cycleID, on: db)
        var order = try row.order()
        let change = try order.collect(at: now, cycle: cycleRow.cycle(offers: [], points: []))
        let producers = try await FoodCycles.producerUsers(Set(order.cart.producers.map(\.producerID)), on: db)
        return try await db.writeTransaction { tx in
            let claimed = try await tx.sql.raw("UPDATE food_orders SET status = 'collected' WHERE id = \(bind: row.id) AND status = 'confirmed' RETURNING id").all()
            guard !claimed.isEmpty else { throw DomainError.orderNotConfirmed(try await self.order(row.id, on: tx).orderStatus) }
            try await event(row.id, from: change.from.rawValue, to: .collected, at: now, actor: .coordinator, user: user, on: tx)
            if row.paymentMethod == .atPickup { try await pay(row, from: .cashReceived(from: nil), producers: producers, at: now, on: tx) }
            var collected = row
            collected.status = OrderStatus.collected.rawValue
            return collected
        }
    }

    // MARK: Reading

    static func order(_ id: UUID, on db: any Database) async throws -> OrderRow {
        guard let row = try await db.sql.select().column("*").from("food_orders").where("id", .equal, SQLBind(id))
            .first(decoding: OrderRow.self) else { throw Problem.notFound(orderWord) }
        return row
    }

    static func find(key: String, on db: any Database) async throws -> OrderRow? {
        try await db.sql.select().column("*").from("food_orders").where("idempotency_key", .equal, SQLBind(key)).first(decoding: OrderRow.self)
    }

    struct Line: Decodable, Sendable {
        var variant_id: UUID
        var stock_cycle_id: UUID?
        var quantity: Int64
    }

    static func lines(of order: UUID, on db: any Database) async throws -> [Line] {
        try await db.sql.select().column("variant_id").column("stock_cycle_id").column("quantity").from("food_order_lines")
            .where("order_id", .equal, SQLBind(order)).all(decoding: Line.self)
            .sorted { ($0.stock_cycle_id?.uuidString ?? "", $0.variant_id.uuidString) < ($1.stock_cycle_id?.uuidString ?? "", $1.variant_id.uuidString) }
    }

    // MARK: Stock statements

    static func sortKey(_ key: StockKey) -> String {
        switch key {
        case .variant(let v): "v:" + v.uuidString
        case let .cycleOffer(c, v): "c:" + c.uuidString + ":" + v.uuidString
        }
    }

    static func parts(_ key: StockKey) -> (variant: UUID, cycle: UUID?) {
        switch key {
        case .variant(let v): (v, nil)
        case let .cycleOffer(c, v): (v, c)
        }
    }

    /// Step 1: hold (`reserved`) or sell at once (`sold`) `quantity` items if that many are left
    /// (or the count is on demand), while the order's cycle is open: one statement, so a checkout
    /// closed out by the cycle's end or cancellation between its reads and its write takes nothing.
    static func take(_ key: StockKey, quantity: Int64, into column: String, cycle orderCycle: UUID, at now: Date,
                             on tx: any Database) async throws {
        let (variant, cycle) = parts(key)
        // `OrderCycle.phase` is `.open`, as the database sees the cycle at the write.
        let open: SQLQueryString = """
             AND EXISTS (SELECT 1 FROM food_cycles c WHERE c.id = \(bind: orderCycle) AND c.published = \(bind: true)
            AND c.cancelled_at IS NULL AND c.opens_at <= \(bind: now) AND c.closes_at > \(bind: now))
            """
        let changed: [any SQLRow]
        if let cycle {
            changed = try await tx.sql.raw("""
                UPDATE food_cycle_offers SET \(unsafeRaw: column) = \(unsafeRaw: column) + \(bind: quantity) WHERE cycle_id = \(bind: cycle)
                AND variant_id = \(bind: variant) AND has_stock = \(bind: true)
                AND (stock IS NULL OR stock - reserved - sold >= \(bind: quantity))
                """ + open + " RETURNING variant_id").all()
        } else {
            changed = try await tx.sql.raw("""
                UPDATE food_variants SET \(unsafeRaw: column) = \(unsafeRaw: column) + \(bind: quantity) WHERE id = \(bind: variant)
                AND (stock IS NULL OR stock - reserved - sold >= \(bind: quantity))
                """ + open + " RETURNING id").all()
        }
        guard changed.isEmpty else { return }
        // Refused: say why, the cycle first (the core's rule, which the statement's condition mirrors).
        try await FoodCycles.row(orderCycle, on: tx).cycle(offers: [], points: []).requireOpen(at: now)
        guard let left = try await FoodStock.left(variant: variant, cycle: orderCycle, on: tx) else { throw DomainError.variantNotInCycle }
        throw DomainError.outOfStock(left.name, available: left.available ?? 0)
    }

    /// One line's stock row changed by `set` when `guard` holds; a row not changed means the
    /// counts no longer match the orders, which must never happen: the transaction rolls back.
    static func moveStock(_ line: Line, set: String, guardedBy condition: String, on tx: any Database) async throws {
        let changed: [any SQLRow]
        if let cycle = line.stock_cycle_id {
            changed = try await tx.sql.raw("UPDATE food_cycle_offers SET \(unsafeRaw: set) WHERE cycle_id = \(bind: cycle) AND variant_id = \(bind: line.variant_id) AND \(unsafeRaw: condition) RETURNING variant_id").all()
        } else {
            changed = try await tx.sql.raw("UPDATE food_variants SET \(unsafeRaw: set) WHERE id = \(bind: line.variant_id) AND \(unsafeRaw: condition) RETURNING id").all()
        }
        if changed.isEmpty { throw stockOutOfStep }
    }

    static let stockOutOfStep = DomainError(.conflict, code: "stock_out_of_step",
        fr: "Les stocks ne correspondent plus aux commandes ; rien n’a été modifié. Réessayez ou prévenez l’équipe.",
        en: "Stock no longer matches the orders; nothing was changed. Try again or tell the staff.")

    private static func giveBack(_ order: UUID, effect: StockEffect, on tx: any Database) async throws {
        for line in try await lines(of: order, on: tx) {
            switch effect {
            case .release: try await moveStock(line, set: "reserved = reserved - \(line.quantity)", guardedBy: "reserved >= \(line.quantity)", on: tx)
            case .unsell: try await moveStock(line, set: "sold = sold - \(line.quantity)", guardedBy: "sold >= \(line.quantity)", on: tx)
            case .none, .sell: return
            }
        }
    }


    private static func event(_ order: UUID, from: String, to: OrderStatus, at: Date, actor: OrderActor, user: UUID?, on tx: any Database) async throws {
        try await tx.insertWithGroup(into: "food_order_events", [("id", SQLBind(UUID())), ("order_id", SQLBind(order)), ("from_status", SQLBind(from)),
                                                                 ("to_status", SQLBind(to.rawValue)), ("at", SQLBind(at)), ("actor", SQLBind(actor.rawValue)),
                                                                 ("user_id", SQLBind(user))])
    }

    // MARK: Money

    /// Books an order's payment: each producer's share to their account, the cooperative's fee
    /// and any delivery fee to its operating account, from the shopper's prepaid credit
    /// (`.wallet`) or from the cash received at pickup (`.clearing`).
    private static func pay(_ row: OrderRow, from source: LedgerFacade.Source, producers: [UUID: UUID],
                            at now: Date, on tx: any Database) async throws {
        let cart = try row.pricedCart()
        var parts: [LedgerFacade.Part] = []
        for share in cart.producers {
            guard let user = producers[share.producerID] else { throw Problem.notFound(FoodCatalogStore.producerWord) }
            parts.append(.init(payee: .member(user), cents: share.payoutCents, purpose: .sale, name: "producer:\(share.producerID.uuidString.lowercased())"))
        }
        parts.append(.init(payee: .cooperative, cents: cart.split.fee.minorUnits, purpose: .fee, name: "fee"))
        parts.append(.init(payee: .cooperative, cents: cart.deliveryCents, purpose: .delivery, name: "delivery"))
        do {
            try await LedgerFacade.pay(parts, from: source, cooperative: row.cooperativeID, reference: paymentReference(row),
                                       memo: "Commande n° \(row.number)", activity: .food, at: now, inTransaction: tx)
        } catch LedgerFacade.Refusal.creditShort(let available) {
            throw insufficientCredit(available: available, total: row.totalCents)
        }
    }

    private static func paymentReference(_ row: OrderRow) -> String { "food-order:\(row.id.uuidString.lowercased())" }

    /// A confirmed order paid from credit and then cancelled: every part is reversed, so the
    /// shopper gets their credit back and the books keep both movements.
    private static func refund(_ row: OrderRow, at now: Date, by user: UUID, on tx: any Database) async throws {
        try await LedgerFacade.refund(reference: paymentReference(row), cooperative: row.cooperativeID, memo: "Annulation · ",
                                      by: user, at: now, inTransaction: tx)
    }
}
