import Foundation

/// How a price is shared out, in basis points (1/100 of a percent) summing to 10 000: the
/// couriers' pay, the cooperative's running costs, the reserves — shown with every price, as the
/// food fees are.
public struct PriceSplit: Sendable, Hashable, Codable {
    public let couriersBasisPoints: Int
    public let cooperativeBasisPoints: Int
    public let reservesBasisPoints: Int

    public init(couriersBasisPoints: Int, cooperativeBasisPoints: Int, reservesBasisPoints: Int) throws(DomainError) {
        guard couriersBasisPoints >= 0, cooperativeBasisPoints >= 0, reservesBasisPoints >= 0,
              couriersBasisPoints + cooperativeBasisPoints + reservesBasisPoints == 10_000 else { throw .splitNotWhole }
        self.couriersBasisPoints = couriersBasisPoints
        self.cooperativeBasisPoints = cooperativeBasisPoints
        self.reservesBasisPoints = reservesBasisPoints
    }

    /// Most of a ride's price is the ride: three quarters to the couriers by default.
    public static let standard = try! PriceSplit(couriersBasisPoints: 7_500, cooperativeBasisPoints: 2_000, reservesBasisPoints: 500)

    /// The cooperative's and reserves' shares are rounded down; the couriers get what is left,
    /// so the three always add up to the price.
    public func share(_ cents: Int64) -> SharedPrice {
        let cooperative = cents * Int64(cooperativeBasisPoints) / 10_000
        let reserves = cents * Int64(reservesBasisPoints) / 10_000
        return SharedPrice(couriersCents: cents - cooperative - reserves, cooperativeCents: cooperative, reservesCents: reserves)
    }
}

public struct SharedPrice: Sendable, Hashable, Codable {
    public let couriersCents: Int64
    public let cooperativeCents: Int64
    public let reservesCents: Int64
}

/// Whether the grid stops at the first rule that applies, or adds up every rule that applies
/// (a base price, then surcharges).
public enum PricingMode: String, Sendable, Hashable, Codable, CaseIterable {
    case firstMatch = "first_match"
    case addUp = "add_up"
}

/// A price, the rules it came from, and how it is shared out.
public struct PriceQuote: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public let label: String
        public let cents: Int64
    }
    public let lines: [Line]
    public let totalCents: Int64
    public let split: SharedPrice
}

/// A store's (or the cooperative's default) price grid: ordered rules and a mode.
public struct PricingRuleSet: Sendable, Hashable, Codable {
    public var mode: PricingMode
    public var rules: [PricingRule]
    public var split: PriceSplit

    public init(mode: PricingMode, rules: [PricingRule], split: PriceSplit = .standard) {
        self.mode = mode
        self.rules = rules
        self.split = split
    }

    /// The price of a delivery; throws when no rule applies (the grid does not cover it, so the
    /// cooperative cannot say what it costs and the delivery is refused).
    public func quote(_ facts: DeliveryFacts) throws(DomainError) -> PriceQuote {
        var lines: [PriceQuote.Line] = []
        for rule in rules {
            guard let cents = rule.price(facts) else { continue }
            lines.append(.init(label: rule.label, cents: cents))
            if mode == .firstMatch { break }
        }
        guard !lines.isEmpty else { throw .noPriceApplies }
        let total = lines.reduce(Int64(0)) { $0 + $1.cents }
        return PriceQuote(lines: lines, totalCents: total, split: split.share(total))
    }
}
