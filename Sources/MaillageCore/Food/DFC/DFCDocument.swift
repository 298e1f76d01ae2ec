import Foundation

/// The catalog part of the Data Food Consortium ontology (business ontology 1.16), as typed
/// values: what an Enterprise supplies, how each SuppliedProduct is listed (CatalogItem) and
/// offered (Offer, with its Price). IRIs are kept expanded; the writer compacts them with the
/// DFC prefixes. Decimals are `Decimal`, so "2.54" stays exactly 2.54.
public struct DFCDocument: Sendable, Hashable {
    public var enterprises: [DFCEnterprise] = []
    public var addresses: [DFCAddress] = []
    public var customerCategories: [DFCCustomerCategory] = []
    public var catalogs: [DFCCatalog] = []
    public var catalogItems: [DFCCatalogItem] = []
    public var offers: [DFCOffer] = []
    public var suppliedProducts: [DFCSuppliedProduct] = []
    /// "1 case = 6 bottles": how one SuppliedProduct is made of another (packs and cases).
    public var transformations: [DFCTransformation] = []

    public init() {}
}

/// An amount of a unit from the DFC measures taxonomy ("1.2" `dfc-m:Kilogram`): QuantitativeValue.
public struct DFCQuantity: Sendable, Hashable {
    public var unit: String?
    public var value: Decimal?
    public init(unit: String?, value: Decimal?) { self.unit = unit; self.value = value }
}

/// A Price: its value, VAT rate in percent and currency (`dfc-m:Euro`).
public struct DFCPrice: Sendable, Hashable {
    public var value: Decimal?
    public var vatRate: Decimal?
    public var unit: String?
    public init(value: Decimal?, vatRate: Decimal?, unit: String?) { self.value = value; self.vatRate = vatRate; self.unit = unit }
}

/// An allergen, nutrient or physical characteristic of a product (e.g. calcium, 10 g).
public struct DFCCharacteristic: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case allergen = "Allergen", nutrient = "Nutrient", physical = "Physical"
        var type: String { "dfc-b:\(rawValue)Characteristic" }
        var property: String { "dfc-b:has\(rawValue)Characteristic" }
        var dimension: String { "dfc-b:has\(rawValue)Dimension" }
    }
    public var kind: Kind
    public var dimension: String?
    public var unit: String?
    public var value: Decimal?
}

public struct DFCAddress: Sendable, Hashable {
    public var id: String
    public var street: String?, postalCode: String?, city: String?
    /// A reference in the DFC context (`hasCountry` is an `@id` property), kept as written.
    public var country: String?
}

public struct DFCCustomerCategory: Sendable, Hashable {
    public var id: String
    public var description: String?
}

public struct DFCEnterprise: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var description: String?
    public var vatNumber: String?
    public var addresses: [String] = []
    public var defines: [String] = []
    public var maintains: [String] = []
    public var manages: [String] = []
    public var supplies: [String] = []
    /// What a farm says about itself (LiteFarm publishes an `Organization` with these): read to
    /// fill the producer's profile, not written back.
    public var email: String?
    public var logo: String?
    public var phones: [String] = []
    public var links: [String] = []
    /// Certification labels ("Agriculture biologique"), or the certification IRIs' last words.
    public var certifications: [String] = []
}

/// An `AsPlannedTransformation`: `consumedQuantity` of `consumes` make `producedQuantity` of
/// `produces` (Open Food Network: 6 retail bottles make 1 case).
public struct DFCTransformation: Sendable, Hashable {
    public var id: String
    public var consumes: String
    public var consumedQuantity: Decimal
    public var produces: String
    public var producedQuantity: Decimal

    public init(id: String, consumes: String, consumedQuantity: Decimal, produces: String, producedQuantity: Decimal) {
        self.id = id
        self.consumes = consumes
        self.consumedQuantity = consumedQuantity
        self.produces = produces
        self.producedQuantity = producedQuantity
    }
}

public struct DFCCatalog: Sendable, Hashable {
    public var id: String
    public var lists: [String] = []
    public var maintainedBy: [String] = []
}

public struct DFCCatalogItem: Sendable, Hashable {
    public var id: String
    public var sku: String?
    public var stockLimitation: Decimal?
    public var references: [String] = []
    public var offeredThrough: [String] = []
    public var listedIn: [String] = []
}

public struct DFCOffer: Sendable, Hashable {
    public var id: String
    public var price: DFCPrice?
    public var stockLimitation: Decimal?
    public var offeredItem: [String] = []
    public var offeredTo: [String] = []
}

public struct DFCSuppliedProduct: Sendable, Hashable {
    public var id: String
    public var name: String?
    public var description: String?
    public var quantity: DFCQuantity?
    public var productType: String?
    public var images: [String] = []
    public var referencedBy: [String] = []
    public var isVariantOf: [String] = []
    public var totalTheoreticalStock: Decimal?
    public var alcoholPercentage: Decimal?
    public var lifetime: String?
    public var usageOrStorageCondition: String?
    public var certifications: [String] = []
    public var claims: [String] = []
    public var geographicalOrigins: [String] = []
    public var natureOrigins: [String] = []
    public var partOrigins: [String] = []
    public var characteristics: [DFCCharacteristic] = []
}
