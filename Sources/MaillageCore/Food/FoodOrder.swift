import Foundation

/// Where an order stands. Pending holds stock during checkout; only confirmed orders are
/// harvested, handed out and paid to producers.
public enum OrderStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, confirmed, cancelled, expired, collected

    public var label: Localized {
        switch self {
        case .pending: Localized(fr: "En cours de validation", en: "Checkout in progress")
        case .confirmed: Localized(fr: "Confirmée", en: "Confirmed")
        case .cancelled: Localized(fr: "Annulée", en: "Cancelled")
        case .expired: Localized(fr: "Abandonnée", en: "Abandoned")
        case .collected: Localized(fr: "Retirée", en: "Collected")
        }
    }

    /// Whether the order's total is owed: not once it is cancelled or abandoned.
    public var isPayable: Bool { self == .pending || self == .confirmed || self == .collected }
}

/// How the shopper pays: at pickup, or from prepaid member credit (the ledger's pending
/// transfer at checkout, posted at confirmation, voided on cancel — see `FeeSplit.transfers`).
public enum PaymentMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case atPickup, memberCredit

    public var label: Localized {
        switch self {
        case .atPickup: Localized(fr: "Au retrait", en: "At pickup")
        case .memberCredit: Localized(fr: "Avoir de membre", en: "Member credit")
        }
    }
}

/// Who acts on an order: the shopper who placed it, or a coordinator of the cycle.
public enum OrderActor: String, Sendable, Hashable, Codable {
    case shopper, coordinator, system
}

/// What the app must do to the stock with a status change (see `FoodStorageContract`).
public enum StockEffect: String, Sendable, Hashable, Codable {
    case none
    /// Held → sold (confirmation).
    case sell
    /// Held → given back (cancelled or abandoned checkout).
    case release
    /// Sold → given back (a confirmed order cancelled).
    case unsell
}

/// A status change, to append to the order's history: orders are never edited in place.
public struct OrderEvent: Sendable, Hashable, Codable {
    public let orderID: UUID
    public let from: OrderStatus
    public let to: OrderStatus
    public let at: Date
    public let by: OrderActor
    public let stock: StockEffect
}

/// A shopper's order in a cycle, with the priced basket they agreed to.
public struct FoodOrder: Sendable, Hashable, Codable, Identifiable {
    /// How long a checkout holds stock before it is given back (never past the cycle's close).
    public static let defaultHold: TimeInterval = 15 * 60

    public let id: UUID
    /// The number printed on pickup lists, given by the app per cycle (1, 2, 3…).
    public let number: Int
    public let cycleID: UUID
    public let shopperID: UUID
    public let shopperName: String
    public let placedAt: Date
    public let expiresAt: Date
    public let fulfilment: Fulfilment
    public let payment: PaymentMethod
    public let cart: PricedCart
    public private(set) var status: OrderStatus

    public init(id: UUID, number: Int, cycleID: UUID, shopperID: UUID, shopperName: String, placedAt: Date,
                expiresAt: Date, fulfilment: Fulfilment, payment: PaymentMethod, cart: PricedCart, status: OrderStatus) {
        self.id = id
        self.number = number
        self.cycleID = cycleID
        self.shopperID = shopperID
        self.shopperName = shopperName
        self.placedAt = placedAt
        self.expiresAt = expiresAt
        self.fulfilment = fulfilment
        self.payment = payment
        self.cart = cart
        self.status = status
    }

    /// Starts a checkout: prices the basket in the open cycle and returns a pending order
    /// whose stock the app reserves until `expiresAt` = now + hold, or the cycle's close if sooner.
    public static func place(id: UUID, number: Int, cycle: OrderCycle, catalog: FoodCatalog, cart: [CartLine],
                             shopperID: UUID, shopperName: String, fulfilment: Fulfilment, payment: PaymentMethod,
                             at now: Date, hold: TimeInterval = defaultHold) throws(DomainError) -> FoodOrder {
        let priced = try cycle.checkout(cart, catalog: catalog, fulfilment: fulfilment, at: now)
        return FoodOrder(id: id, number: number, cycleID: cycle.id, shopperID: shopperID, shopperName: shopperName,
                         placedAt: now, expiresAt: min(now.addingTimeInterval(max(hold, 1)), cycle.closesAt),
                         fulfilment: fulfilment, payment: payment, cart: priced, status: .pending)
    }

    /// The shopper confirms: the held stock becomes sold. Only while the hold lasts and the cycle is open.
    public mutating func confirm(at now: Date, cycle: OrderCycle) throws(DomainError) -> OrderEvent {
        try requireCycle(cycle)
        guard status == .pending else { throw .orderNotPending(status) }
        guard now < expiresAt else { throw .reservationExpired }
        try cycle.requireOpen(at: now)
        return change(to: .confirmed, at: now, by: .shopper, stock: .sell)
    }

    /// Whether `actor` may cancel now: the shopper until the cycle closes; a coordinator until
    /// the order is collected (a producer may fail to deliver after the close).
    public func mayCancel(by actor: OrderActor, at now: Date, cycle: OrderCycle) -> Bool {
        (try? cancellationCheck(by: actor, at: now, cycle: cycle)) != nil
    }

    public mutating func cancel(by actor: OrderActor, at now: Date, cycle: OrderCycle) throws(DomainError) -> OrderEvent {
        try cancellationCheck(by: actor, at: now, cycle: cycle)
        return change(to: .cancelled, at: now, by: actor, stock: status == .pending ? .release : .unsell)
    }

    /// Handed out at the pickup point (or delivered): only a confirmed order, once the cycle has closed.
    public mutating func collect(at now: Date, cycle: OrderCycle) throws(DomainError) -> OrderEvent {
        try requireCycle(cycle)
        guard status == .confirmed else { throw .orderNotConfirmed(status) }
        guard cycle.phase(at: now) == .closed else { throw .collectBeforeClose }
        return change(to: .collected, at: now, by: .coordinator, stock: .none)
    }

    /// An abandoned checkout, once its hold is over (the expiry job calls this).
    public mutating func expire(at now: Date) throws(DomainError) -> OrderEvent {
        guard status == .pending else { throw .orderNotPending(status) }
        guard expiresAt <= now else { throw .holdNotOver }
        return change(to: .expired, at: now, by: .system, stock: .release)
    }

    private func cancellationCheck(by actor: OrderActor, at now: Date, cycle: OrderCycle) throws(DomainError) {
        try requireCycle(cycle)
        guard status == .pending || status == .confirmed else { throw .orderNotCancellable(status) }
        switch actor {
        case .shopper:
            guard cycle.phase(at: now) == .open else { throw .cancelAfterClose }
        case .coordinator: return
        case .system: throw .orderNotCancellable(status)
        }
    }

    private func requireCycle(_ cycle: OrderCycle) throws(DomainError) {
        guard cycle.id == cycleID else { throw .orderOfAnotherCycle }
    }

    private mutating func change(to new: OrderStatus, at now: Date, by actor: OrderActor, stock: StockEffect) -> OrderEvent {
        let event = OrderEvent(orderID: id, from: status, to: new, at: now, by: actor, stock: stock)
        status = new
        return event
    }
}
