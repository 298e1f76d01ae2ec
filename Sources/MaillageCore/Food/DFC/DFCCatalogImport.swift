import Foundation

/// A farm as another platform describes it (a DFC `Enterprise` or LiteFarm's `Organization`):
/// what fills or updates the producer's profile here.
public struct DFCProducerProfile: Sendable, Hashable, Codable {
    public var sourceID: String
    public var name: String
    public var description: String
    public var email: String?
    public var phone: String?
    public var address: String?
    /// Certifications, shown as labels.
    public var labels: [String]
    /// Web site and social media pages.
    public var links: [String]
    public var logo: String?
}

extension DFCCatalogMapping {
    /// What a DFC catalog gives: products to save (for sale when every variant has a price in
    /// euros, else drafts the producer prices first), the farm's profile, and what was left out.
    public struct Import: Sendable, Hashable {
        public struct Item: Sendable, Hashable {
            /// The SuppliedProduct IRIs, one per variant, to match on a later import.
            public let sourceIDs: [String]
            public var draft: ProductDraft
            /// One line per variant whose price cannot be used ("Case, 6 x 40ml: price in GBP 30.20 —
            /// set the euro price"); empty when the product can be sold as it is.
            public var priceProblems: [Localized] = []
            /// The catalog's SKU of each variant, kept to show and to match.
            public var skus: [String?] = []
            /// Variants that are a number of another variant: index → (index of the base, count).
            public var packs: [PackIndex] = []
            /// The first image the catalog links, to download once (never shown from its server).
            public var imageURL: String?

            public var isForSale: Bool { priceProblems.isEmpty }

            public init(sourceIDs: [String], draft: ProductDraft, priceProblems: [Localized] = [], skus: [String?] = [],
                        packs: [PackIndex] = [], imageURL: String? = nil) {
                self.sourceIDs = sourceIDs
                self.draft = draft
                self.priceProblems = priceProblems
                self.skus = skus
                self.packs = packs
                self.imageURL = imageURL
            }
        }

        public struct PackIndex: Sendable, Hashable, Codable {
            public var variant: Int
            public var base: Int
            public var count: Int
        }

        public struct Issue: Sendable, Hashable {
            public let sourceID: String
            public let message: Localized
        }

        public let items: [Item]
        public let issues: [Issue]
        /// The farm the products are from, when the document describes it.
        public var producer: DFCProducerProfile?
    }

    /// The longest texts kept, as the product form allows them.
    static let nameLimit = 120, labelLimit = 60, categoryLimit = 60, descriptionLimit = 4000

    /// Reads `document` into products. With several farms in the document (a LiteFarm container),
    /// only the products `enterprise` supplies are read — by default the first farm that supplies any.
    public static func drafts(from document: DFCDocument, defaultCategory: String, enterprise: String? = nil) -> Import {
        let itemsByID = Dictionary(document.catalogItems.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let offersByID = Dictionary(document.offers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let farm = enterprise.flatMap { id in document.enterprises.first { $0.id == id } }
            ?? document.enterprises.first { !$0.supplies.isEmpty } ?? document.enterprises.first
        let supplied = Set(farm?.supplies ?? [])
        var issues: [Import.Issue] = []
        var products: [DFCSuppliedProduct] = []
        for product in document.suppliedProducts {
            // A container of several farms: each one's products go to its own producer.
            if document.enterprises.count > 1, !supplied.isEmpty, !supplied.contains(product.id) { continue }
            guard let name = product.name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else {
                issues.append(Import.Issue(sourceID: product.id, message: Localized(
                    fr: "Produit sans nom : il n’est pas importé.", en: "Product without a name: not imported.")))
                continue
            }
            products.append(product)
        }
        let packs = packsByProduct(document.transformations, among: Set(products.map(\.id)))
        var groups = PackGroups(products: products, packs: packs)
        let items = groups.grouped().map { group in
            item(group, packs: packs, itemsByID: itemsByID, offersByID: offersByID, document: document,
                 defaultCategory: defaultCategory, issues: &issues)
        }
        var result = Import(items: items, issues: issues)
        result.producer = farm.map { profile($0, addresses: document.addresses) }
        return result
    }

    /// produced product → (the product it is made of, how many): "1 case = 6 bottles".
    static func packsByProduct(_ transformations: [DFCTransformation], among ids: Set<String>) -> [String: (base: String, count: Int)] {
        var out: [String: (base: String, count: Int)] = [:]
        for transformation in transformations where ids.contains(transformation.consumes) && ids.contains(transformation.produces)
            && transformation.consumes != transformation.produces && transformation.producedQuantity > 0 {
            let ratio = transformation.consumedQuantity / transformation.producedQuantity
            let count = NSDecimalNumber(decimal: ratio).intValue
            // Only whole packs: "1.5 bottles a case" is not a pack to sell.
            guard count >= 1, count <= 100_000, Decimal(count) == ratio else { continue }
            out[transformation.produces] = (transformation.consumes, count)
        }
        return out
    }

    /// Products grouped into one product each: same `isVariantOf`, or one made of the other.
    struct PackGroups {
        let products: [DFCSuppliedProduct]
        var parent: [Int]

        init(products: [DFCSuppliedProduct], packs: [String: (base: String, count: Int)]) {
            self.products = products
            parent = Array(products.indices)
            let index = Dictionary(products.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            var byGroup: [String: Int] = [:]
            for (position, product) in products.enumerated() {
                // "Cidre - Bouteille" and "Cidre - Caisse" are two ways of selling one product, as our own export names them.
                let split = splitName(product.name ?? "")
                let keys = product.isVariantOf.prefix(1).map { "group " + $0 } + (split.label == nil ? [] : ["name " + split.product.lowercased()])
                for key in keys {
                    if let other = byGroup[key] { union(other, position) } else { byGroup[key] = position }
                }
                if let pack = packs[product.id], let base = index[pack.base] { union(base, position) }
            }
        }

        mutating func root(_ node: Int) -> Int {
            var node = node
            while parent[node] != node { parent[node] = parent[parent[node]]; node = parent[node] }
            return node
        }

        mutating func union(_ a: Int, _ b: Int) {
            let (ra, rb) = (root(a), root(b))
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }

        /// Groups in the document's order, each in the document's order.
        mutating func grouped() -> [[DFCSuppliedProduct]] {
            var order: [Int] = [], members: [Int: [DFCSuppliedProduct]] = [:]
            for position in products.indices {
                let key = root(position)
                if members[key] == nil { order.append(key) }
                members[key, default: []].append(products[position])
            }
            return order.map { members[$0] ?? [] }
        }
    }

    static func item(_ group: [DFCSuppliedProduct], packs: [String: (base: String, count: Int)], itemsByID: [String: DFCCatalogItem],
                     offersByID: [String: DFCOffer], document: DFCDocument, defaultCategory: String,
                     issues: inout [Import.Issue]) -> Import.Item {
        // A case after the bottles it is made of, whatever order the document lists them in.
        let packed = Set(group.map(\.id).filter { packs[$0] != nil })
        let group = group.filter { !packed.contains($0.id) } + group.filter { packed.contains($0.id) }
        let first = group[0]
        let names = group.map { $0.name ?? "" }
        let split = names.map(splitName)
        let shared = split.allSatisfy { $0.label != nil && $0.product == split[0].product }
        let unitIRI = group.lazy.compactMap { $0.quantity?.unit }.first
        let unit = unitIRI.flatMap(ProductUnit.init(dfcMeasure:))?.rawValue ?? unitIRI.map(JSONLDContext.dfc.compact) ?? ProductUnit.piece.rawValue
        var quantities: [String: Decimal] = [:]
        for product in group { quantities[product.id] = product.quantity?.value.flatMap { $0 > 0 ? $0 : nil } }
        var variants: [VariantDraft] = [], problems: [Localized] = [], skus: [String?] = [], vats: [String] = []
        for (index, product) in group.enumerated() {
            let item = product.referencedBy.lazy.compactMap { itemsByID[$0] }.first
                ?? document.catalogItems.first { $0.references.contains(product.id) }
            let offer = item?.offeredThrough.lazy.compactMap { offersByID[$0] }.first
                ?? document.offers.first { $0.offeredItem.contains(product.id) }
            // A case without its own quantity holds `count` times its base's.
            var quantity = quantities[product.id]
            if quantity == nil, let pack = packs[product.id] { quantity = quantities[pack.base].map { $0 * Decimal(pack.count) } ?? Decimal(pack.count) }
            let amount = quantity ?? 1
            var label = shared ? (split[index].label ?? "") : ""
            if label.isEmpty {
                let measure = Measure.parse(text(amount)).map { $0.formatted(.fr) } ?? text(amount)
                label = "\(measure) \(ProductUnit.parse(unit)?.label.fr ?? unit)"
            }
            label = clipped(label, labelLimit)
            let stock = (item?.stockLimitation ?? offer?.stockLimitation).flatMap { $0 < 0 ? nil : $0 }   // OFN writes -1 for "no limit"
            var price = ""
            if let value = offer?.price?.value, value > 0 {
                let currency = offer?.price?.unit.map { JSONLDContext.dfc.expand($0) }
                if currency == nil || currency == JSONLDContext.dfc.expand("dfc-m:Euro") {
                    price = text(value)
                } else {
                    let code = currencyCode(currency ?? "")
                    problems.append(Localized(fr: "\(label) : prix en \(code) \(text(value).replacingOccurrences(of: ".", with: ",")) — fixez le prix en euros",
                                              en: "\(label): price in \(code) \(text(value)) — set the euro price"))
                }
            } else {
                problems.append(Localized(fr: "\(label) : pas de prix — fixez le prix en euros", en: "\(label): no price — set the euro price"))
            }
            variants.append(VariantDraft(label: label, quantity: text(amount), price: price, stock: stock.map(text) ?? ""))
            skus.append(item?.sku)
            vats.append(offer?.price?.vatRate.map(text) ?? "")
            if index > 0, vats[index] != vats[0], !vats[index].isEmpty {
                issues.append(Import.Issue(sourceID: product.id, message: Localized(
                    fr: "Taux de TVA différent des autres variantes : celui de la première est gardé.",
                    en: "VAT rate differs from the other variants: the first one’s is kept.")))
            }
        }
        let position = Dictionary(group.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let packIndexes = group.enumerated().compactMap { index, product -> Import.PackIndex? in
            guard let pack = packs[product.id], let base = position[pack.base] else { return nil }
            return Import.PackIndex(variant: index, base: base, count: pack.count)
        }
        let description = group.lazy.compactMap(\.description).first.map { clipped(HTMLText.plain($0), descriptionLimit) } ?? ""
        let category = clipped(first.productType.map(categoryName) ?? defaultCategory, categoryLimit)
        let draft = ProductDraft(name: clipped(shared ? split[0].product : names[0], nameLimit), category: category,
                                 description: description, vatRate: vats.first { !$0.isEmpty } ?? "", unit: unit, variants: variants)
        return Import.Item(sourceIDs: group.map(\.id), draft: draft, priceProblems: problems, skus: skus, packs: packIndexes,
                           imageURL: group.lazy.flatMap(\.images).first { $0.hasPrefix("https://") || $0.hasPrefix("http://") })
    }

    /// The farm's profile: description as text, address on one line, certifications as labels.
    static func profile(_ enterprise: DFCEnterprise, addresses: [DFCAddress]) -> DFCProducerProfile {
        let address = enterprise.addresses.lazy.compactMap { id in addresses.first { $0.id == id } }.first.map { address in
            [address.street, [address.postalCode, address.city].compactMap { $0 }.joined(separator: " ")]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        }
        var labels: [String] = []
        for label in enterprise.certifications.map({ clipped($0, 60) }) where !label.isEmpty && !labels.contains(label) { labels.append(label) }
        return DFCProducerProfile(
            sourceID: enterprise.id, name: clipped(enterprise.name ?? "", 120),
            description: clipped(HTMLText.plain(enterprise.description ?? ""), descriptionLimit),
            email: enterprise.email.map { clipped($0, 200) }, phone: enterprise.phones.first.map { clipped($0, 40) },
            address: address.flatMap { $0.isEmpty ? nil : clipped($0, 300) }, labels: Array(labels.prefix(20)),
            links: Array(enterprise.links.filter { $0.hasPrefix("https://") || $0.hasPrefix("http://") }.map { clipped($0, 300) }.prefix(10)),
            logo: enterprise.logo)
    }

    /// "dfc-m:PoundSterling" → "GBP": the codes a producer knows; otherwise the measure's name.
    static func currencyCode(_ iri: String) -> String {
        let name = JSONLDContext.dfc.compact(iri).split(separator: ":").last.map(String.init) ?? iri
        let codes = ["PoundSterling": "GBP", "USDollar": "USD", "AustralianDollar": "AUD", "CanadianDollar": "CAD",
                     "SwissFranc": "CHF", "NewZealandDollar": "NZD", "Yen": "JPY", "Euro": "EUR"]
        return codes[name] ?? name
    }

    /// At most `limit` characters, an ellipsis saying some were cut.
    static func clipped(_ text: String, _ limit: Int) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count > limit else { return trimmed }
        return String(trimmed.prefix(limit - 1)).trimmingCharacters(in: .whitespacesAndNewlines) + "…"
    }
}
