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

/// A variant sold as `count` of another variant of the same product (a case of 6 bottles).
public struct VariantPack: Sendable, Hashable, Codable {
    public var base: UUID
    public var count: Int
    public init(base: UUID, count: Int) { self.base = base; self.count = count }
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
    /// `packs` names the variants that are a number of another ("1 case = 6 bottles"): they are
    /// written as an `AsPlannedTransformation`, as Open Food Network reads them.
    public static func document(producer: DFCProducer, products: [Product], base: String, packs: [UUID: VariantPack] = [:]) -> DFCDocument {
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
                if let pack = packs[variant.id], product.variant(pack.base) != nil {
                    let baseID = "\(enterprise)/supplied_products/\(pack.base.uuidString.lowercased())"
                    document.transformations.append(DFCTransformation(id: supplied + "/transformation", consumes: baseID,
                                                                      consumedQuantity: Decimal(pack.count), produces: supplied, producedQuantity: 1))
                }
                suppliedIDs.append(supplied)
                itemIDs.append(item)
            }
        }
        document.enterprises = [DFCEnterprise(id: enterprise, name: producer.name, description: producer.description,
                                              vatNumber: producer.vatNumber, manages: itemIDs, supplies: suppliedIDs)]
        return document
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
