import Foundation

/// How much of a variant there is to sell. `onDemand` is what a producer harvests or bakes to
/// order: no limit, nothing to reserve against.
public enum Stock: Sendable, Hashable, Codable {
    case tracked(Int)
    case onDemand

    /// The limit, nil when on demand — the shape the `stock` column takes (`NULL` = on demand).
    public var limit: Int? {
        switch self {
        case .tracked(let count): count
        case .onDemand: nil
        }
    }

    public init(limit: Int?) { self = limit.map(Stock.tracked) ?? .onDemand }
}

/// One way a product is sold: "1 kg" at 3,50 €, with its own stock.
public struct Variant: Sendable, Hashable, Codable, Identifiable {
    public let id: UUID
    public var label: String
    /// How much of the product's unit one item holds ("1 kg" → 1 of `.kilogram`).
    public var quantity: Measure
    /// VAT included, in cents: the price a shopper reads.
    public var priceCents: Int64
    public var stock: Stock

    public init(id: UUID, label: String, quantity: Measure, priceCents: Int64, stock: Stock) {
        self.id = id
        self.label = label
        self.quantity = quantity
        self.priceCents = priceCents
        self.stock = stock
    }
}

/// A producer's product as it is sold in order cycles. Built only from a validated
/// `ProductDraft`, so its fields always obey the rules there.
public struct Product: Sendable, Hashable, Codable, Identifiable {
    public let id: UUID
    public var producerID: UUID
    public var name: String
    public var category: String
    public var description: String
    public var vatRate: VATRate
    public var unit: ProductUnit
    public var variants: [Variant]

    public init(id: UUID, producerID: UUID, name: String, category: String, description: String,
                vatRate: VATRate, unit: ProductUnit, variants: [Variant]) {
        self.id = id
        self.producerID = producerID
        self.name = name
        self.category = category
        self.description = description
        self.vatRate = vatRate
        self.unit = unit
        self.variants = variants
    }

    public func variant(_ id: UUID) -> Variant? { variants.first { $0.id == id } }

    /// The form filled with this product, to edit it.
    public var draft: ProductDraft {
        ProductDraft(name: name, category: category, description: description, vatRate: vatRate.percent,
                     unit: unit.rawValue, variants: variants.map {
                         VariantDraft(id: $0.id, label: $0.label, quantity: $0.quantity.plain,
                                      price: Amount.euros(cents: $0.priceCents).plain,
                                      stock: $0.stock.limit.map(String.init) ?? "")
                     })
    }
}

/// A variant as typed in a form, a CSV row or a DFC document: text, kept as typed so a refused
/// form comes back as it was filled in.
public struct VariantDraft: Sendable, Hashable, Codable {
    /// The variant being edited; nil for a new one.
    public var id: UUID?
    public var label: String
    /// In the product's unit: "1", "0,5".
    public var quantity: String
    /// VAT included: "3,50", "3.5", "3,50 €".
    public var price: String
    /// Empty for "on demand", else a whole number of items.
    public var stock: String

    public init(id: UUID? = nil, label: String, quantity: String = "1", price: String, stock: String = "") {
        self.id = id
        self.label = label
        self.quantity = quantity
        self.price = price
        self.stock = stock
    }
}

/// A product as typed. `validated(…)` checks every field at once and names each mistake
/// (`name`, `variants[1].price`…) in French and English.
public struct ProductDraft: Sendable, Hashable, Codable {
    public var name: String
    public var category: String
    public var description: String
    /// A percentage: "5,5", "20".
    public var vatRate: String
    /// A unit word: "kg", "pièce", "litre" (see `ProductUnit.parse`).
    public var unit: String
    public var variants: [VariantDraft]

    public init(name: String, category: String, description: String = "", vatRate: String, unit: String,
                variants: [VariantDraft]) {
        self.name = name
        self.category = category
        self.description = description
        self.vatRate = vatRate
        self.unit = unit
        self.variants = variants
    }

    public static let maximumVariants = 30
    public static let maximumPriceCents: Int64 = 10_000_000   // 100 000 €: a typo guard, not a policy.
    public static let maximumStock = 1_000_000

    /// Every problem with the draft, empty when it would make a valid product.
    public func problems() -> ValidationErrors {
        var errors = ValidationErrors()
        _ = checkedFields(&errors)
        return errors
    }

    /// The product, keeping `id` and each variant's id, and giving new variants `newID()`.
    public func validated(id: UUID, producerID: UUID, newID: () -> UUID) throws(ValidationErrors) -> Product {
        var errors = ValidationErrors()
        let fields = checkedFields(&errors)
        guard errors.isEmpty, let fields else { throw errors }
        let variants = zip(variants, fields.variants).map { draft, checked in
            Variant(id: draft.id ?? newID(), label: checked.label, quantity: checked.quantity,
                    priceCents: checked.priceCents, stock: checked.stock)
        }
        return Product(id: id, producerID: producerID, name: fields.name, category: fields.category,
                       description: fields.description, vatRate: fields.vat, unit: fields.unit, variants: variants)
    }

    private struct Checked {
        var name = "", category = "", description = ""
        var vat = VATRate.reduced, unit = ProductUnit.piece
        var variants: [(label: String, quantity: Measure, priceCents: Int64, stock: Stock)] = []
    }

    /// The parsed fields when all are valid; nil otherwise, with every problem added to `errors`.
    private func checkedFields(_ errors: inout ValidationErrors) -> Checked? {
        var out = Checked()
        func text(_ raw: String, _ field: String, _ label: Localized, _ range: ClosedRange<Int>) -> String {
            do { return try Validate.text(raw, field: field, label: label, range: range) } catch {
                errors.add(error)
                return ""
            }
        }
        out.name = text(name, "name", Localized(fr: "Nom", en: "Name"), 1...120)
        out.category = text(category, "category", Localized(fr: "Catégorie", en: "Category"), 1...60)
        out.description = text(description, "description", Localized(fr: "Description", en: "Description"), 0...4000)
        if let vat = VATRate.parse(vatRate) { out.vat = vat } else { errors.add(.invalidVATRate(field: "vatRate")) }
        if let unit = ProductUnit.parse(unit) { out.unit = unit } else { errors.add(.unknownUnit(field: "unit")) }
        if variants.isEmpty { errors.add(.noVariant) }
        if variants.count > Self.maximumVariants { errors.add(.tooManyVariants(Self.maximumVariants)) }
        var labels = Set<String>()
        for (index, variant) in variants.enumerated() {
            let prefix = "variants[\(index)]."
            let label = text(variant.label, prefix + "label", Localized(fr: "Variante", en: "Variant"), 1...60)
            if !label.isEmpty, !labels.insert(label.lowercased()).inserted { errors.add(.duplicateVariant(field: prefix + "label")) }
            let quantity = Measure.parse(variant.quantity)
            if (quantity?.thousandths ?? 0) <= 0 { errors.add(.invalidMeasure(field: prefix + "quantity")) }
            let price = Euros.parseCents(variant.price)
            if !(1...Self.maximumPriceCents).contains(price ?? 0) { errors.add(.invalidPrice(field: prefix + "price")) }
            let stock = Self.parseStock(variant.stock)
            if stock == nil { errors.add(.invalidStock(field: prefix + "stock")) }
            if let quantity, quantity.thousandths > 0, let price, let stock {
                out.variants.append((label, quantity, price, stock))
            }
        }
        return errors.isEmpty ? out : nil
    }

    /// "" → on demand; "12" → 12 tracked; nil for anything else (negative, decimal, too large).
    static func parseStock(_ raw: String) -> Stock? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return .onDemand }
        guard text.count <= 7, text.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(text),
              count <= maximumStock else { return nil }
        return .tracked(count)
    }
}
