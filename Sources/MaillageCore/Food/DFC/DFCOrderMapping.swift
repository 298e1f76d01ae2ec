import Foundation

/// How a DFC order meets our order cycles: a line's offer names one of our variants by the IRI
/// our catalog publishes (`…/supplied_products/{variant}/offer`), the order's sale session names
/// one of our cycles (`…/sale_sessions/{cycle}` or `…/cycles/{cycle}`). A line that cannot be
/// sold is refused on its own, with its reason, so the hub knows which line to change.
public enum DFCOrderMapping {
    /// The UUID right after `marker` in an IRI's path ("…/supplied_products/{uuid}/offer").
    static func uuid(after markers: [String], in iri: String?) -> UUID? {
        guard let iri else { return nil }
        if let plain = UUID(uuidString: iri) { return plain }
        let parts = iri.split(separator: "?").first.map { $0.split(separator: "/").map(String.init) } ?? []
        for (index, part) in parts.enumerated() where markers.contains(part) && index + 1 < parts.count {
            if let id = UUID(uuidString: parts[index + 1]) { return id }
        }
        return nil
    }

    public static func variantID(of line: DFCOrderLine) -> UUID? {
        uuid(after: ["supplied_products"], in: line.offer) ?? uuid(after: ["supplied_products"], in: line.offeredItem)
    }

    public static func cycleID(of order: DFCOrder) -> UUID? { uuid(after: ["sale_sessions", "cycles"], in: order.saleSession) }

    /// Why one line is refused.
    public enum Problem: Sendable, Hashable {
        case unknownOffer
        case invalidQuantity
        case duplicateOffer
        case outOfStock(name: String, available: Int)
        case cycleNotOpen(DomainError)

        public var code: String {
            switch self {
            case .unknownOffer: "unknown_offer"
            case .invalidQuantity: "invalid_quantity"
            case .duplicateOffer: "duplicate_offer"
            case .outOfStock: "out_of_stock"
            case .cycleNotOpen(let error): error.code
            }
        }

        public var message: Localized {
            switch self {
            case .unknownOffer:
                Localized(fr: "Cette offre n’est pas vendue dans ce cycle de commande (ou pas par ce producteur).",
                          en: "This offer is not sold in this order cycle (or not by this producer).")
            case .invalidQuantity:
                Localized(fr: "La quantité doit être un nombre entier d’articles, de 1 à \(OrderCycle.maximumQuantityPerLine).",
                          en: "The quantity must be a whole number of items, from 1 to \(OrderCycle.maximumQuantityPerLine).")
            case .duplicateOffer:
                Localized(fr: "Une autre ligne de la commande porte déjà sur cette offre.", en: "Another line of the order is already about this offer.")
            case let .outOfStock(name, available): DomainError.outOfStock(name, available: available).message
            case .cycleNotOpen(let error): error.message
            }
        }

        /// Stock runs out while the hub waits; everything else is the document's fault.
        public var isConflict: Bool {
            switch self {
            case .outOfStock, .cycleNotOpen: true
            default: false
            }
        }
    }

    public struct Refusal: Sendable, Hashable {
        public var line: DFCOrderLine
        public var problem: Problem
        public init(line: DFCOrderLine, problem: Problem) { self.line = line; self.problem = problem }
    }

    public struct Wanted: Sendable, Hashable {
        public var line: DFCOrderLine
        public var variantID: UUID
        public var quantity: Int
    }

    /// The lines read as quantities of our variants; `sold` says which variants the cycle sells
    /// to this caller. Zero is accepted in an update (the line is removed), never in a new order.
    public static func wanted(_ order: DFCOrder, sold: Set<UUID>, allowZero: Bool) -> (wanted: [Wanted], refused: [Refusal]) {
        var wanted: [Wanted] = [], refused: [Refusal] = [], seen: Set<UUID> = []
        for line in order.lines {
            guard let variant = variantID(of: line), sold.contains(variant) else { refused.append(Refusal(line: line, problem: .unknownOffer)); continue }
            guard let quantity = line.wholeQuantity, quantity <= OrderCycle.maximumQuantityPerLine, allowZero || quantity > 0 else {
                refused.append(Refusal(line: line, problem: .invalidQuantity)); continue
            }
            guard seen.insert(variant).inserted else { refused.append(Refusal(line: line, problem: .duplicateOffer)); continue }
            wanted.append(Wanted(line: line, variantID: variant, quantity: quantity))
        }
        return (wanted, refused)
    }
}
