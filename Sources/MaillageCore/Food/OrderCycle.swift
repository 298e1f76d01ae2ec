import Foundation

/// Where a cycle is in its life. Only `open` takes orders; the phase follows the clock, so a
/// cycle opens and closes on time without a job having to flip it.
public enum CyclePhase: String, Sendable, Hashable, Codable, CaseIterable {
    case draft, upcoming, open, closed, cancelled

    public var label: Localized {
        switch self {
        case .draft: Localized(fr: "Brouillon", en: "Draft")
        case .upcoming: Localized(fr: "À venir", en: "Upcoming")
        case .open: Localized(fr: "Ouvert", en: "Open")
        case .closed: Localized(fr: "Clos", en: "Closed")
        case .cancelled: Localized(fr: "Annulé", en: "Cancelled")
        }
    }
}

/// A time window to collect an order. Slots start at or after the cycle closes: producers
/// harvest and pack what was ordered once orders stop.
public struct PickupSlot: Sendable, Hashable, Codable, Identifiable {
    public let id: UUID
    public var startsAt: Date
    public var endsAt: Date

    public init(id: UUID, startsAt: Date, endsAt: Date) {
        self.id = id
        self.startsAt = startsAt
        self.endsAt = endsAt
    }
}

/// A place shoppers collect their orders: a farm, a shop, a community hall.
public struct PickupPoint: Sendable, Hashable, Codable, Identifiable {
    public let id: UUID
    public var name: String
    public var address: String
    public var slots: [PickupSlot]

    public init(id: UUID, name: String, address: String, slots: [PickupSlot]) {
        self.id = id
        self.name = name
        self.address = address
        self.slots = slots
    }

    public func slot(_ id: UUID) -> PickupSlot? { slots.first { $0.id == id } }
}

/// Home delivery offered by a cycle, at a flat fee the shopper pays on top of the goods.
public struct HomeDelivery: Sendable, Hashable, Codable {
    public var feeCents: Int64
    public init(feeCents: Int64) { self.feeCents = feeCents }
}

/// A variant sold in a cycle, optionally at a price or with a stock of its own for this cycle.
public struct CycleOffer: Sendable, Hashable, Codable {
    public let variantID: UUID
    public let productID: UUID
    public let producerID: UUID
    /// Replaces the variant's price in this cycle (VAT included).
    public var priceCents: Int64?
    /// Replaces the variant's stock in this cycle: the cycle then holds its own count
    /// (`StockKey.cycleOffer`) instead of drawing on the producer's shared stock.
    public var stock: Stock?

    public init(variantID: UUID, productID: UUID, producerID: UUID, priceCents: Int64? = nil, stock: Stock? = nil) {
        self.variantID = variantID
        self.productID = productID
        self.producerID = producerID
        self.priceCents = priceCents
        self.stock = stock
    }
}

/// How a shopper gets their order.
public enum Fulfilment: Sendable, Hashable, Codable {
    case pickup(point: UUID, slot: UUID)
    case homeDelivery(address: String)
}

/// A sale session of a cooperative: open from `opensAt` (included) to `closesAt` (excluded),
/// with the variants it sells, where orders are collected, and the cooperative's fee.
public struct OrderCycle: Sendable, Hashable, Codable, Identifiable {
    public let id: UUID
    public var name: String
    public var opensAt: Date
    public var closesAt: Date
    /// A draft cycle is being prepared by its coordinators and never opens.
    public var isPublished: Bool
    public var cancelledAt: Date?
    public var offers: [CycleOffer]
    public var pickupPoints: [PickupPoint]
    public var homeDelivery: HomeDelivery?
    public var fee: FeeRule

    public init(id: UUID, name: String, opensAt: Date, closesAt: Date, isPublished: Bool = true,
                cancelledAt: Date? = nil, offers: [CycleOffer], pickupPoints: [PickupPoint],
                homeDelivery: HomeDelivery? = nil, fee: FeeRule) {
        self.id = id
        self.name = name
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.isPublished = isPublished
        self.cancelledAt = cancelledAt
        self.offers = offers
        self.pickupPoints = pickupPoints
        self.homeDelivery = homeDelivery
        self.fee = fee
    }

    public func phase(at now: Date) -> CyclePhase {
        if cancelledAt != nil { return .cancelled }
        if !isPublished { return .draft }
        if now < opensAt { return .upcoming }
        return now < closesAt ? .open : .closed
    }

    /// Refuses when the cycle does not take orders at `now`, saying why.
    public func requireOpen(at now: Date) throws(DomainError) {
        switch phase(at: now) {
        case .open: return
        case .draft, .upcoming: throw .cycleNotOpenYet
        case .closed: throw .cycleClosed
        case .cancelled: throw .cycleCancelled
        }
    }

    /// Cancels a cycle that has not closed yet; its confirmed orders are then cancelled by the
    /// app (`FoodOrder.cancel(by: .coordinator, …)`), which releases their stock.
    public mutating func cancel(at now: Date) throws(DomainError) {
        switch phase(at: now) {
        case .cancelled: throw .cycleCancelled
        case .closed: throw .cycleClosed
        case .draft, .upcoming, .open: cancelledAt = now
        }
    }

    public func offer(for variantID: UUID) -> CycleOffer? { offers.first { $0.variantID == variantID } }

    public func pickupPoint(_ id: UUID) -> PickupPoint? { pickupPoints.first { $0.id == id } }

    /// Where the stock of a variant sold in this cycle is counted.
    public func stockKey(for offer: CycleOffer) -> StockKey {
        offer.stock == nil ? .variant(offer.variantID) : .cycleOffer(cycle: id, variant: offer.variantID)
    }

    /// The delivery fee a fulfilment costs, after checking it is one this cycle offers: the
    /// slot belongs to the chosen pickup point, home delivery is offered and has an address.
    public func deliveryFee(for fulfilment: Fulfilment) throws(DomainError) -> Int64 {
        switch fulfilment {
        case let .pickup(pointID, slotID):
            guard let point = pickupPoint(pointID) else { throw .unknownPickupPoint }
            guard point.slot(slotID) != nil else { throw .slotNotAtPickupPoint }
            return 0
        case .homeDelivery(let address):
            guard let homeDelivery else { throw .noHomeDelivery }
            guard !address.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .deliveryAddressMissing }
            return homeDelivery.feeCents
        }
    }
}

/// Where a stock count lives: on the producer's variant, shared by every cycle, or on one
/// cycle's offer when the coordinator gave it a stock of its own.
public enum StockKey: Sendable, Hashable, Codable {
    case variant(UUID)
    case cycleOffer(cycle: UUID, variant: UUID)
}
