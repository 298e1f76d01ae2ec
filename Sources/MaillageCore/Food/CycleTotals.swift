import Foundation

/// A cycle's money: what shoppers paid, the cooperative's fees, delivery, VAT per rate, and
/// what each producer is paid. Sums the figures fixed at checkout (`PricedCart`), so a later
/// change of price or fee never rewrites a past cycle. Invariant:
/// `totalCents = Σ payouts + feeCents + deliveryCents`, and `goodsCents = Σ producers' goods`.
public struct CycleTotals: Sendable, Hashable {
    public struct Producer: Sendable, Hashable {
        public let producerID: UUID
        public let name: String
        public let goodsCents: Int64
        public let feeCents: Int64
        public var payoutCents: Int64 { goodsCents - feeCents }
    }

    public let orderCount: Int
    public let goodsCents: Int64
    public let deliveryCents: Int64
    public let feeCents: Int64
    public let totalCents: Int64
    /// Lowest rate first.
    public let vat: [VATLine]
    /// By producer name.
    public let producers: [Producer]

    public init(orders: [FoodOrder], producerNames: [UUID: String]) {
        var count = 0
        var goods: Int64 = 0, delivery: Int64 = 0, fee: Int64 = 0, total: Int64 = 0
        var grossByRate: [VATRate: Int64] = [:], vatByRate: [VATRate: Int64] = [:]
        var byProducer: [UUID: (goods: Int64, fee: Int64)] = [:]
        // Checkout caps a basket at 500 lines × 999 items × 100 000 €, so no real cycle comes near
        // 2⁶³ cents; `&+=` keeps a corrupted stored row from trapping the report.
        for order in orders where order.countsInReports {
            count += 1
            goods &+= order.cart.goodsCents
            delivery &+= order.cart.deliveryCents
            fee &+= order.cart.split.fee.minorUnits
            total &+= order.cart.totalCents
            // The VAT of each order as its receipt showed it; summing receipts keeps them reconciled.
            for line in order.cart.vat {
                grossByRate[line.rate, default: 0] &+= line.grossCents
                vatByRate[line.rate, default: 0] &+= line.vatCents
            }
            for share in order.cart.producers {
                let previous = byProducer[share.producerID] ?? (0, 0)
                byProducer[share.producerID] = (previous.goods &+ share.goodsCents, previous.fee &+ share.feeCents)
            }
        }
        orderCount = count
        goodsCents = goods
        deliveryCents = delivery
        feeCents = fee
        totalCents = total
        vat = grossByRate.keys.sorted().map { VATLine(rate: $0, grossCents: grossByRate[$0] ?? 0, vatCents: vatByRate[$0] ?? 0) }
        producers = byProducer.map { id, sums in
            Producer(producerID: id, name: producerNames[id] ?? id.uuidString, goodsCents: sums.goods, feeCents: sums.fee)
        }.sorted { ($0.name, $0.producerID.uuidString) < ($1.name, $1.producerID.uuidString) }
    }

    /// Per producer: goods, fee, payout; then a total row. Amounts as plain figures ("12.50").
    public func csv(_ language: Language) -> String {
        let header = language == .fr
            ? ["Producteur", "Ventes TTC", "Frais coopérative", "À reverser"]
            : ["Producer", "Sales incl. VAT", "Cooperative fee", "Payout"]
        func money(_ cents: Int64) -> CSV.Field { .figure(Amount.euros(cents: cents).plain) }
        var rows: [[CSV.Field]] = [header.map(CSV.Field.text)]
        for producer in producers {
            rows.append([.text(producer.name), money(producer.goodsCents), money(producer.feeCents), money(producer.payoutCents)])
        }
        rows.append([.text(language == .fr ? "Total" : "Total"), money(goodsCents), money(feeCents), money(goodsCents - feeCents)])
        rows.append([.text(language == .fr ? "Livraison" : "Delivery"), money(deliveryCents), .text(""), .text("")])
        rows.append([.text(language == .fr ? "Payé par les clients" : "Paid by shoppers"), money(totalCents), .text(""), .text("")])
        for line in vat {
            let label = language == .fr ? "dont TVA \(line.rate.formatted(.fr))" : "of which VAT \(line.rate.formatted(.en))"
            rows.append([.text(label), money(line.vatCents), .text(""), .text("")])
        }
        return CSV.render(rows)
    }
}
