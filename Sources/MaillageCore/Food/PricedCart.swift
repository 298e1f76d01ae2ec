import Foundation

/// What a shopper puts in their basket: so many items of a variant.
public struct CartLine: Sendable, Hashable, Codable {
    public let variantID: UUID
    public let quantity: Int

    public init(variantID: UUID, quantity: Int) {
        self.variantID = variantID
        self.quantity = quantity
    }
}

/// One priced line, a snapshot of the name and price at checkout so that an order keeps what
/// the shopper agreed to even if the producer edits the product afterwards.
public struct PricedLine: Sendable, Hashable, Codable {
    public let variantID: UUID
    public let productID: UUID
    public let producerID: UUID
    public let productName: String
    public let variantLabel: String
    public let quantity: Int
    public let unitPriceCents: Int64
    /// `unitPriceCents × quantity`, VAT included.
    public let totalCents: Int64
    public let vatRate: VATRate
    /// Where the line's stock is reserved.
    public let stockKey: StockKey
}

/// The VAT a basket contains at one rate: gross (TTC) = net (HT) + VAT, exactly.
public struct VATLine: Sendable, Hashable, Codable {
    public let rate: VATRate
    public let grossCents: Int64
    public let vatCents: Int64
    public var netCents: Int64 { grossCents - vatCents }
}

/// One producer's part of a basket: their goods, and the fee the cooperative takes on them.
/// `split.total` is the producer's goods, `split.producer` what they are paid, `split.delivery` zero.
public struct ProducerShare: Sendable, Hashable, Codable {
    public let producerID: UUID
    public let split: FeeSplit
    public var goodsCents: Int64 { split.total.minorUnits }
    public var feeCents: Int64 { split.fee.minorUnits }
    public var payoutCents: Int64 { split.producer.minorUnits }
}

/// A basket priced for a cycle: lines, VAT per rate, delivery and where the money goes.
/// Invariants (the property tests hold them): `goodsCents` = Σ lines = Σ VAT gross = Σ producers'
/// goods; `totalCents` = goods + delivery = `split.total`; `split.fee` = Σ producers' fees.
public struct PricedCart: Sendable, Hashable, Codable {
    public let lines: [PricedLine]
    public let goodsCents: Int64
    public let deliveryCents: Int64
    public let totalCents: Int64
    /// One entry per rate present, lowest rate first.
    public let vat: [VATLine]
    /// The whole payment: producers, cooperative fee, delivery.
    public let split: FeeSplit
    /// Ordered by producer id, which is also the order cents left over from rounding go in.
    public let producers: [ProducerShare]

    /// What the checkout must reserve, per stock count, in a stable order (by first line).
    public var reservations: [(key: StockKey, quantity: Int)] {
        var order: [StockKey] = [], quantities: [StockKey: Int] = [:]
        for line in lines {
            if quantities[line.stockKey] == nil { order.append(line.stockKey) }
            quantities[line.stockKey, default: 0] += line.quantity
        }
        return order.map { ($0, quantities[$0] ?? 0) }
    }
}
