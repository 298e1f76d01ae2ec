import Foundation

/// The producer as a DFC Enterprise: who publishes the catalog.
public struct DFCProducer: Sendable, Hashable {
    public let id: UUID
    public var name: String
    public var description: String?
    public var vatNumber: String?

    public init(id: UUID, name: String, description: String? = nil, vatNumber: String? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.vatNumber = vatNumber
    }
}

extension ProductUnit {
    /// The unit in the DFC measures taxonomy.
    public var dfcMeasure: String {
        let name = switch self {
        case .kilogram: "Kilogram"
        case .gram: "Gram"
        case .litre: "Litre"
        case .millilitre: "Millilitre"
        case .piece: "Piece"
        }
        return JSONLDContext.dfc.expand("dfc-m:\(name)")
    }

    public init?(dfcMeasure iri: String) {
        guard let unit = ProductUnit.allCases.first(where: { $0.dfcMeasure == JSONLDContext.dfc.expand(iri) }) else { return nil }
        self = unit
    }
}

/// Maps Maillage products to DFC catalogs and back. As DFC and Open Food Network model it,
/// each *variant* is a SuppliedProduct (named "Product - variant", `isVariantOf` its product),
/// listed by a CatalogItem (carrying the stock as `stockLimitation`; none when on demand) and
/// sold through an Offer whose Price is the price VAT included, in euros, with the VAT rate in
/// percent. DFC has no free-text category, so it is not exported; on import it comes from the
/// product type (`dfc-pt:round-tomato` → "round tomato") or the caller's default.
public enum DFCCatalogMapping {
    /// The catalog of one producer, with IRIs under `base` (e.g. "https://maillage.example/api/v1/dfc",
    /// no trailing slash): `…/enterprises/{producer}`, `…/enterprises/{producer}/supplied_products/{variant}`
    /// with `/catalog_item` and `/offer` below it.
    public static func document(producer: DFCProducer, products: [Product], base: String) -> DFCDocument {
        let enterprise = "\(base)/enterprises/\(producer.id.uuidString.lowercased())"
        var document = DFCDocument()
        var suppliedIDs: [String] = [], itemIDs: [String] = []
        for product in products where product.producerID == producer.id {
            let group = "\(enterprise)/products/\(product.id.uuidString.lowercased())"
            for variant in product.variants {
                let supplied = "\(enterprise)/supplied_products/\(variant.id.uuidString.lowercased())"
                let item = supplied + "/catalog_item", offer = supplied + "/offer"
                var suppliedProduct = DFCSuppliedProduct(id: supplied)
                suppliedProduct.name = "\(product.name) - \(variant.label)"
                suppliedProduct.description = product.description.isEmpty ? nil : product.description
                suppliedProduct.quantity = DFCQuantity(unit: product.unit.dfcMeasure, value: Decimal(variant.quantity.thousandths) / 1000)
                suppliedProduct.referencedBy = [item]
                suppliedProduct.isVariantOf = [group]
                document.suppliedProducts.append(suppliedProduct)
                document.catalogItems.append(DFCCatalogItem(
                    id: item, stockLimitation: variant.stock.limit.map { Decimal($0) }, references: [supplied], offeredThrough: [offer]))
                document.offers.append(DFCOffer(
                    id: offer, price: DFCPrice(value: Decimal(variant.priceCents) / 100, vatRate: Decimal(product.vatRate.basisPoints) / 100,
                                               unit: JSONLDContext.dfc.expand("dfc-m:Euro")),
                    offeredItem: [supplied]))
                suppliedIDs.append(supplied)
                itemIDs.append(item)
            }
        }
        document.enterprises = [DFCEnterprise(id: enterprise, name: producer.name, description: producer.description,
                                              vatNumber: producer.vatNumber, manages: itemIDs, supplies: suppliedIDs)]
        return document
    }

    /// Products read from a DFC catalog, as drafts for the producer to review; they go through
    /// `ProductDraft.validated` like a form, so an unsupported VAT rate or a stock that is not
    /// a whole number shows up there. SuppliedProducts with the same `isVariantOf` become
    /// variants of one product.
    public struct Import: Sendable, Hashable {
        public struct Item: Sendable, Hashable {
            /// The SuppliedProduct IRIs, one per variant, to match on a later import.
            public let sourceIDs: [String]
            public var draft: ProductDraft
        }

        public struct Issue: Sendable, Hashable {
            public let sourceID: String
            public let message: Localized
        }

        public let items: [Item]
        public let issues: [Issue]
    }

    public static func drafts(from document: DFCDocument, defaultCategory: String) -> Import {
        let itemsByID = Dictionary(document.catalogItems.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let offersByID = Dictionary(document.offers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var issues: [Import.Issue] = []
        var groups: [[(source: DFCSuppliedProduct, variant: VariantDraft, vat: String)]] = [], groupIndex: [String: Int] = [:]
        for product in document.suppliedProducts {
            let item = product.referencedBy.lazy.compactMap { itemsByID[$0] }.first
                ?? document.catalogItems.first { $0.references.contains(product.id) }
            let offer = item?.offeredThrough.lazy.compactMap { offersByID[$0] }.first
                ?? document.offers.first { $0.offeredItem.contains(product.id) }
            guard let price = offer?.price, let value = price.value else {
                issues.append(Import.Issue(sourceID: product.id, message: Localized(
                    fr: "Produit sans prix : il n’est pas importé.", en: "Product without a price: not imported.")))
                continue
            }
            if let currency = price.unit, JSONLDContext.dfc.expand(currency) != JSONLDContext.dfc.expand("dfc-m:Euro") {
                issues.append(Import.Issue(sourceID: product.id, message: Localized(
                    fr: "Prix dans une autre monnaie que l’euro (\(JSONLDContext.dfc.compact(currency))) : non importé.",
                    en: "Price in a currency other than the euro (\(JSONLDContext.dfc.compact(currency))): not imported.")))
                continue
            }
            let stock = item?.stockLimitation ?? offer?.stockLimitation
            let quantity = product.quantity?.value.flatMap { $0 > 0 ? $0 : nil } ?? 1
            let variant = VariantDraft(label: "", quantity: text(quantity), price: text(value), stock: stock.map(text) ?? "")
            let entry = (source: product, variant: variant, vat: price.vatRate.map(text) ?? "")
            if let key = product.isVariantOf.first, let index = groupIndex[key] {
                groups[index].append(entry)
            } else {
                if let key = product.isVariantOf.first { groupIndex[key] = groups.count }
                groups.append([entry])
            }
        }
        let items = groups.compactMap { group -> Import.Item? in
            guard let first = group.first else { return nil }
            let names = group.map { $0.source.name ?? "" }
            let split = names.map(splitName)
            let shared = split.allSatisfy { $0.label != nil && $0.product == split[0].product }
            let unitIRI = first.source.quantity?.unit
            let unit = unitIRI.flatMap(ProductUnit.init(dfcMeasure:))?.rawValue ?? unitIRI.map(JSONLDContext.dfc.compact) ?? ProductUnit.piece.rawValue
            var variants: [VariantDraft] = []
            for (index, entry) in group.enumerated() {
                var variant = entry.variant
                if shared, let label = split[index].label {
                    variant.label = label
                } else {
                    let measure = Measure.parse(variant.quantity).map { $0.formatted(.fr) } ?? variant.quantity
                    variant.label = "\(measure) \(ProductUnit.parse(unit)?.label.fr ?? unit)"
                }
                if entry.vat != first.vat {
                    issues.append(Import.Issue(sourceID: entry.source.id, message: Localized(
                        fr: "Taux de TVA différent des autres variantes : celui de la première est gardé.",
                        en: "VAT rate differs from the other variants: the first one’s is kept.")))
                }
                variants.append(variant)
            }
            let category = first.source.productType.map(categoryName) ?? defaultCategory
            let draft = ProductDraft(name: shared ? split[0].product : names[0], category: category,
                                     description: first.source.description ?? "", vatRate: first.vat, unit: unit, variants: variants)
            return Import.Item(sourceIDs: group.map(\.source.id), draft: draft)
        }
        return Import(items: items, issues: issues)
    }

    /// "Pommes - 1 kg" → ("Pommes", "1 kg"); no label without " - ".
    static func splitName(_ name: String) -> (product: String, label: String?) {
        guard let range = name.range(of: " - ", options: .backwards) else { return (name, nil) }
        return (String(name[..<range.lowerBound]), String(name[range.upperBound...]))
    }

    /// "…productTypes.rdf#round-tomato" → "round tomato".
    static func categoryName(_ iri: String) -> String {
        let tail = iri.split(whereSeparator: { $0 == "#" || $0 == "/" || $0 == ":" }).last.map(String.init) ?? iri
        return tail.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
    }

    static func text(_ decimal: Decimal) -> String { NSDecimalNumber(decimal: decimal).stringValue }
}
