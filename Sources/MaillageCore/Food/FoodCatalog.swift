import Foundation

/// The products a cycle sells, indexed by variant so pricing a cart of any size is linear.
/// The app loads the cycle's products once per request and builds this.
public struct FoodCatalog: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public let product: Product
        public let variant: Variant
    }

    public let products: [Product]
    private let byVariant: [UUID: Entry]

    public init(_ products: [Product]) {
        self.products = products
        var index: [UUID: Entry] = [:]
        for product in products {
            for variant in product.variants { index[variant.id] = Entry(product: product, variant: variant) }
        }
        byVariant = index
    }

    public func entry(variant id: UUID) -> Entry? { byVariant[id] }
}
