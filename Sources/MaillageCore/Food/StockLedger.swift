import Foundation

/// One stock count: how many items there are (nil = on demand), how many are held by
/// checkouts in progress, how many are sold. What is left to sell is `stock − reserved − sold`.
public struct StockLevel: Sendable, Hashable, Codable {
    public internal(set) var stock: Int?
    public internal(set) var reserved: Int
    public internal(set) var sold: Int

    public init(stock: Int?, reserved: Int = 0, sold: Int = 0) {
        self.stock = stock
        self.reserved = reserved
        self.sold = sold
    }

    /// Items a shopper may still take; nil when on demand.
    public var available: Int? { stock.map { $0 - reserved - sold } }

    func canTake(_ quantity: Int) -> Bool {
        guard let available else { return true }
        return available >= quantity
    }
}

/// Items held for one checkout (its id is the order's), across every stock count it touches.
public struct StockReservation: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        /// Checkout in progress: the items are held until `expiresAt`.
        case held
        /// The order was confirmed: the items are sold.
        case sold
        /// Given back: the checkout or the order was cancelled.
        case released
        /// Given back because the checkout was abandoned past `expiresAt`.
        case expired
    }

    public let id: UUID
    public let items: [StockKey: Int]
    public let expiresAt: Date
    public internal(set) var state: State
}

/// The stock rules, in memory: the same arithmetic `FoodStorageContract` makes the database
/// enforce, so the app's SQL and this model can be checked against each other. Every operation
/// is all-or-nothing — a refused one leaves the ledger as it was — and for every tracked count
/// `reserved + sold ≤ stock` holds, with `reserved` and `sold` equal to the sums of the held
/// and sold reservations.
public struct StockLedger: Sendable, Hashable {
    public private(set) var levels: [StockKey: StockLevel] = [:]
    public private(set) var reservations: [UUID: StockReservation] = [:]

    public init() {}

    public func level(_ key: StockKey) -> StockLevel? { levels[key] }

    /// Sets a count's stock (recording the count the first time), e.g. when a producer edits it.
    /// A tracked stock below what is already reserved and sold is refused: it would take back
    /// items promised to shoppers.
    public mutating func setStock(_ stock: Stock, for key: StockKey) throws(DomainError) {
        var level = levels[key] ?? StockLevel(stock: nil)
        if case .tracked(let count) = stock {
            guard count >= 0, count >= level.reserved + level.sold else { throw .stockBelowCommitted(level.reserved + level.sold) }
        }
        level.stock = stock.limit
        levels[key] = level
    }

    /// Holds items for checkout `id` until `expiresAt`; all the items or none.
    public mutating func reserve(_ id: UUID, _ items: [(key: StockKey, quantity: Int)], expiresAt: Date, at now: Date) throws(DomainError) {
        guard reservations[id] == nil else { throw .reservationExists }
        guard expiresAt > now else { throw .expiryNotAfterNow }
        guard !items.isEmpty else { throw .emptyCart }
        var merged: [StockKey: Int] = [:]
        for item in items {
            guard item.quantity > 0 else { throw .invalidQuantity(OrderCycle.maximumQuantityPerLine) }
            let (sum, overflow) = merged[item.key, default: 0].addingReportingOverflow(item.quantity)
            guard !overflow else { throw .invalidQuantity(OrderCycle.maximumQuantityPerLine) }
            merged[item.key] = sum
        }
        // Check every count before changing any, as the transaction rolls back on the first refusal.
        for (key, quantity) in merged {
            guard let level = levels[key] else { throw .unknownStock }
            guard level.canTake(quantity) else { throw .outOfStock(available: level.available ?? 0) }
        }
        for (key, quantity) in merged { levels[key]?.reserved += quantity }
        reservations[id] = StockReservation(id: id, items: merged, expiresAt: expiresAt, state: .held)
    }

    /// The order is confirmed: its held items become sold. Refused once the hold has expired,
    /// even if `expire(at:)` has not run yet — the items may already be promised to someone else.
    public mutating func confirm(_ id: UUID, at now: Date) throws(DomainError) {
        let reservation = try held(id)
        guard reservation.expiresAt > now else { throw .reservationExpired }
        move(reservation, to: .sold) { $0.reserved -= $1; $0.sold += $1 }
    }

    /// Gives back the items of a checkout that is cancelled before it was confirmed.
    public mutating func release(_ id: UUID) throws(DomainError) {
        move(try held(id), to: .released) { $0.reserved -= $1 }
    }

    /// Gives back the items of a confirmed order that is cancelled.
    public mutating func unsell(_ id: UUID) throws(DomainError) {
        guard let reservation = reservations[id] else { throw .unknownReservation }
        guard reservation.state == .sold else { throw .reservationNotSold }
        move(reservation, to: .released) { $0.sold -= $1 }
    }

    /// Gives back every hold whose checkout was abandoned (expiry at or before `now`); returns
    /// their ids, sorted, so the app can mark those orders expired.
    @discardableResult
    public mutating func expire(at now: Date) -> [UUID] {
        let due = reservations.values.filter { $0.state == .held && $0.expiresAt <= now }
            .sorted { $0.id.uuidString < $1.id.uuidString }
        for reservation in due { move(reservation, to: .expired) { $0.reserved -= $1 } }
        return due.map(\.id)
    }

    private func held(_ id: UUID) throws(DomainError) -> StockReservation {
        guard let reservation = reservations[id] else { throw .unknownReservation }
        guard reservation.state == .held else { throw .reservationNotHeld }
        return reservation
    }

    private mutating func move(_ reservation: StockReservation, to state: StockReservation.State,
                               _ change: (inout StockLevel, Int) -> Void) {
        for (key, quantity) in reservation.items {
            if var level = levels[key] {
                change(&level, quantity)
                levels[key] = level
            }
        }
        reservations[reservation.id]?.state = state
    }
}
