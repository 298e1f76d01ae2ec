import Foundation

extension FoodOrder {
    /// Orders that count in reports: those whose status counts as sold (`OrderStatus.countsAsSold`).
    public var countsInReports: Bool { status.countsAsSold }
}

/// Per producer, what to harvest and pack for a cycle: each variant's total quantity over the
/// confirmed orders. One pass over the order lines, then a sort of the (few) variants.
public struct HarvestReport: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public let variantID: UUID
        public let productName: String
        public let variantLabel: String
        public let quantity: Int
        public let goodsCents: Int64
    }

    public struct Producer: Sendable, Hashable {
        public let producerID: UUID
        public let name: String
        /// By product name, then variant label.
        public let lines: [Line]
        public var goodsCents: Int64 { lines.reduce(0) { $0 + $1.goodsCents } }
    }

    /// By producer name.
    public let producers: [Producer]

    /// Items sold per variant: the figure every page shows as "sold" for a cycle (its management
    /// page, this report), so they cannot disagree.
    public var sold: [UUID: Int] {
        var out: [UUID: Int] = [:]
        for producer in producers { for line in producer.lines { out[line.variantID, default: 0] += line.quantity } }
        return out
    }

    /// `producerNames` gives the names to print; an unknown producer shows its id.
    public init(orders: [FoodOrder], producerNames: [UUID: String]) {
        var totals: [UUID: [UUID: Line]] = [:]
        for order in orders where order.countsInReports {
            for line in order.cart.lines {
                let previous = totals[line.producerID]?[line.variantID]
                totals[line.producerID, default: [:]][line.variantID] = Line(
                    variantID: line.variantID, productName: previous?.productName ?? line.productName,
                    variantLabel: previous?.variantLabel ?? line.variantLabel,
                    quantity: (previous?.quantity ?? 0) + line.quantity,
                    goodsCents: (previous?.goodsCents ?? 0) + line.totalCents)
            }
        }
        producers = totals.map { id, lines in
            Producer(producerID: id, name: producerNames[id] ?? id.uuidString, lines: lines.values.sorted {
                ($0.productName, $0.variantLabel, $0.variantID.uuidString) < ($1.productName, $1.variantLabel, $1.variantID.uuidString)
            })
        }.sorted { ($0.name, $0.producerID.uuidString) < ($1.name, $1.producerID.uuidString) }
    }

    /// One row per producer and variant, headers in `language`, amounts as plain figures ("12.50").
    public func csv(_ language: Language) -> String {
        let header = language == .fr
            ? ["Producteur", "Produit", "Variante", "Quantité", "Montant TTC"]
            : ["Producer", "Product", "Variant", "Quantity", "Amount incl. VAT"]
        var rows: [[CSV.Field]] = [header.map(CSV.Field.text)]
        for producer in producers {
            for line in producer.lines {
                rows.append([.text(producer.name), .text(line.productName), .text(line.variantLabel),
                             .figure(String(line.quantity)), .figure(Amount.euros(cents: line.goodsCents).plain)])
            }
        }
        return CSV.render(rows)
    }
}
