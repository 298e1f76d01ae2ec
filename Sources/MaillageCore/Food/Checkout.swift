import Foundation

extension OrderCycle {
    public static let maximumQuantityPerLine = 999
    public static let maximumLines = 500

    /// Prices a basket for this cycle, to show it (no time check). Lines of the same variant
    /// are merged, in the order they first appear. Refuses a variant the cycle does not sell,
    /// a quantity outside 1…999 and a fulfilment the cycle does not offer.
    ///
    /// Fee: the cooperative's `FeeRule` applies once to the basket's goods, as the shopper is
    /// shown it; that fee is then shared between producers in proportion to their goods
    /// (largest remainder, producers ordered by id), so the producers' fees sum to it exactly.
    public func price(_ cart: [CartLine], catalog: FoodCatalog, fulfilment: Fulfilment) throws(DomainError) -> PricedCart {
        guard !cart.isEmpty else { throw .emptyCart }
        guard cart.count <= Self.maximumLines else { throw .tooManyLines(Self.maximumLines) }
        var order: [UUID] = [], quantities: [UUID: Int] = [:]
        for line in cart {
            guard (1...Self.maximumQuantityPerLine).contains(line.quantity) else { throw .invalidQuantity(Self.maximumQuantityPerLine) }
            if quantities[line.variantID] == nil { order.append(line.variantID) }
            quantities[line.variantID, default: 0] += line.quantity
        }
        var lines: [PricedLine] = []
        lines.reserveCapacity(order.count)
        var goods: Int64 = 0
        var grossByRate: [VATRate: Int64] = [:], goodsByProducer: [UUID: Int64] = [:]
        for variantID in order {
            let quantity = quantities[variantID] ?? 0
            guard quantity <= Self.maximumQuantityPerLine else { throw .invalidQuantity(Self.maximumQuantityPerLine) }
            guard let offer = offer(for: variantID), let entry = catalog.entry(variant: variantID),
                  entry.product.id == offer.productID, entry.product.producerID == offer.producerID
            else { throw .variantNotInCycle }
            let unitPrice = offer.priceCents ?? entry.variant.priceCents
            let total = try Amount.checked(unitPrice.multipliedReportingOverflow(by: Int64(quantity)))
            lines.append(PricedLine(variantID: variantID, productID: entry.product.id, producerID: offer.producerID,
                                    productName: entry.product.name, variantLabel: entry.variant.label,
                                    quantity: quantity, unitPriceCents: unitPrice, totalCents: total,
                                    vatRate: entry.product.vatRate, stockKey: stockKey(for: offer)))
            goods = try Amount.checked(goods.addingReportingOverflow(total))
            grossByRate[entry.product.vatRate, default: 0] += total            // ≤ goods: cannot overflow
            goodsByProducer[offer.producerID, default: 0] += total
        }
        let delivery = try deliveryFee(for: fulfilment)
        let total = try Amount.checked(goods.addingReportingOverflow(delivery))
        let split = try fee.split(total: .euros(cents: total), delivery: .euros(cents: delivery))
        let producerIDs = goodsByProducer.keys.sorted { $0.uuidString < $1.uuidString }
        let weights = producerIDs.map { goodsByProducer[$0] ?? 0 }
        let fees = try Apportionment.largestRemainder(split.fee.minorUnits, weights: weights)
        // A producer's fee never exceeds their goods: the fee is at most the goods in total,
        // and each share is at most ⌈fee × goods_p / goods⌉ ≤ goods_p.
        let producers = zip(producerIDs, zip(weights, fees)).map { id, pair in
            ProducerShare(producerID: id, split: FeeSplit(total: .euros(cents: pair.0), producer: .euros(cents: pair.0 - pair.1),
                                                          fee: .euros(cents: pair.1), delivery: .zero(.eur)))
        }
        let vat = grossByRate.keys.sorted().map { rate in
            let gross = grossByRate[rate] ?? 0
            return VATLine(rate: rate, grossCents: gross, vatCents: rate.vatPart(ofGross: gross))
        }
        return PricedCart(lines: lines, goodsCents: goods, deliveryCents: delivery, totalCents: total,
                          vat: vat, split: split, producers: producers)
    }

    /// Prices a basket to place an order at `now`: the cycle must be open. The app then runs
    /// the reservations of `PricedCart.reservations` (see `FoodStorageContract`) in the same
    /// transaction as it inserts the order.
    public func checkout(_ cart: [CartLine], catalog: FoodCatalog, fulfilment: Fulfilment, at now: Date) throws(DomainError) -> PricedCart {
        try requireOpen(at: now)
        return try price(cart, catalog: catalog, fulfilment: fulfilment)
    }
}
