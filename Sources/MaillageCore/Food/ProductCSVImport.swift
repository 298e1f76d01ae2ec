import Foundation

/// Reads a products CSV — one row per variant — into product drafts, with a report of every
/// refused line. Good lines import even when others are refused. Rows of the same producer and
/// product name (ignoring case) become variants of one product, their product columns agreeing.
///
/// Columns are found by header, in French or English, in any order, ignoring case and accents:
/// `producteur/producer`, `produit/product/nom/name` (required), `variante/variant`,
/// `quantité/quantity` (in the unit, default 1), `prix/price` (VAT included, "3,50", required),
/// `tva/vat` ("5,5", required), `stock` (empty = on demand), `catégorie/category` (required),
/// `unité/unit` (required), `description`. Unknown columns are ignored. Without a variant
/// label, the quantity and unit make one ("1 kg").
///
/// Matching drafts to existing products (to update rather than add) is the caller's: by
/// producer and product name, and by variant label within a product.
public struct ProductCSVImport: Sendable, Hashable {
    public enum Column: String, Sendable, Hashable, CaseIterable {
        case producer, product, variant, quantity, price, vat, stock, category, unit, description

        public var label: Localized {
            switch self {
            case .producer: Localized(fr: "producteur", en: "producer")
            case .product: Localized(fr: "produit", en: "product")
            case .variant: Localized(fr: "variante", en: "variant")
            case .quantity: Localized(fr: "quantité", en: "quantity")
            case .price: Localized(fr: "prix", en: "price")
            case .vat: Localized(fr: "tva", en: "vat")
            case .stock: Localized(fr: "stock", en: "stock")
            case .category: Localized(fr: "catégorie", en: "category")
            case .unit: Localized(fr: "unité", en: "unit")
            case .description: Localized(fr: "description", en: "description")
            }
        }

        static let required: [Column] = [.product, .price, .vat, .category, .unit]

        static func named(_ header: String) -> Column? {
            let key = header.trimmingCharacters(in: .whitespacesAndNewlines)
                .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR"))
                .lowercased()
            return aliases[key]
        }

        private static let aliases: [String: Column] = [
            "producteur": .producer, "producer": .producer, "fournisseur": .producer, "supplier": .producer,
            "produit": .product, "product": .product, "nom": .product, "name": .product, "nom du produit": .product, "product name": .product,
            "variante": .variant, "variant": .variant, "conditionnement": .variant,
            "quantite": .quantity, "quantity": .quantity, "qte": .quantity, "qty": .quantity,
            "prix": .price, "price": .price, "prix ttc": .price, "price incl. vat": .price,
            "tva": .vat, "vat": .vat, "taux de tva": .vat, "vat rate": .vat,
            "stock": .stock,
            "categorie": .category, "category": .category,
            "unite": .unit, "unit": .unit,
            "description": .description,
        ]
    }

    /// A refused line: its number in the file (1 = the header), the column at fault if one is.
    public struct Issue: Sendable, Hashable {
        public let line: Int
        public let column: Column?
        public let message: Localized
    }

    /// A product to create or update, the lines it came from, and its producer as written
    /// (empty when the file has no producer column: the importing producer's own).
    public struct Item: Sendable, Hashable {
        public let producer: String
        public internal(set) var lines: [Int]
        public var draft: ProductDraft
    }

    public let items: [Item]
    public let issues: [Issue]
    /// Data rows read (header excluded), for a progress bar and a summary.
    public let rowCount: Int

    public init(csv text: String) {
        let records = CSV.parse(text)
        guard let header = records.first else {
            items = []
            issues = [Issue(line: 1, column: nil, message: Localized(fr: "Le fichier est vide.", en: "The file is empty."))]
            rowCount = 0
            return
        }
        var columns: [Column: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            if let column = Column.named(name), columns[column] == nil { columns[column] = index }
        }
        let missing = Column.required.filter { columns[$0] == nil }
        guard missing.isEmpty else {
            items = []
            issues = missing.map { column in
                Issue(line: header.line, column: column, message: Localized(
                    fr: "Colonne « \(column.label.fr) » introuvable dans l’en-tête.",
                    en: "Column “\(column.label.en)” not found in the header."))
            }
            rowCount = records.count - 1
            return
        }
        var items: [Item] = [], issues: [Issue] = []
        var itemIndex: [String: Int] = [:]
        for record in records.dropFirst() {
            func value(_ column: Column) -> String {
                guard let index = columns[column], index < record.fields.count else { return "" }
                return record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let draft = Self.draft(value)
            let problems = draft.problems()
            guard problems.isEmpty else {
                issues += problems.errors.map { Issue(line: record.line, column: Self.column(of: $0.field), message: $0.message) }
                continue
            }
            let producer = value(.producer)
            let key = producer.lowercased() + "\u{1F}" + draft.name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let existing = itemIndex[key] else {
                itemIndex[key] = items.count
                items.append(Item(producer: producer, lines: [record.line], draft: draft))
                continue
            }
            let first = items[existing]
            if let conflict = Self.conflict(first.draft, draft) {
                issues.append(Issue(line: record.line, column: conflict, message: Localized(
                    fr: "Ne correspond pas à la ligne \(first.lines[0]) pour le même produit.",
                    en: "Does not match line \(first.lines[0]) for the same product.")))
                continue
            }
            var merged = first.draft
            merged.variants += draft.variants
            if let error = merged.problems().errors.first {
                issues.append(Issue(line: record.line, column: Self.column(of: error.field), message: error.message))
                continue
            }
            items[existing].draft = merged
            items[existing].lines.append(record.line)
        }
        self.items = items
        self.issues = issues
        rowCount = records.count - 1
    }

    static func draft(_ value: (Column) -> String) -> ProductDraft {
        let quantity = value(.quantity).isEmpty ? "1" : value(.quantity)
        var label = value(.variant)
        if label.isEmpty, let measure = Measure.parse(quantity), let unit = ProductUnit.parse(value(.unit)) {
            label = "\(measure.formatted(.fr)) \(unit.label.fr)"
        }
        return ProductDraft(name: value(.product), category: value(.category), description: value(.description),
                            vatRate: value(.vat), unit: value(.unit),
                            variants: [VariantDraft(label: label, quantity: quantity, price: value(.price), stock: value(.stock))])
    }

    /// The first product column two rows of one product disagree on.
    static func conflict(_ a: ProductDraft, _ b: ProductDraft) -> Column? {
        if a.category.trimmingCharacters(in: .whitespaces) != b.category.trimmingCharacters(in: .whitespaces) { return .category }
        if VATRate.parse(a.vatRate) != VATRate.parse(b.vatRate) { return .vat }
        if ProductUnit.parse(a.unit) != ProductUnit.parse(b.unit) { return .unit }
        if !b.description.isEmpty, a.description != b.description { return .description }
        return nil
    }

    /// The column behind a draft's field name ("variants[0].price" → price).
    static func column(of field: String?) -> Column? {
        guard let field else { return nil }
        switch field.split(separator: ".").last.map(String.init) ?? field {
        case "name": return .product
        case "label": return .variant
        case "vatRate": return .vat
        case "quantity": return .quantity
        case "price": return .price
        case "stock": return .stock
        case "category": return .category
        case "unit": return .unit
        case "description": return .description
        case "variants": return .variant
        default: return nil
        }
    }
}
