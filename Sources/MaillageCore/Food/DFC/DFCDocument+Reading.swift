import Foundation

extension DFCDocument {
    /// Reads a DFC document (one node or an `@graph`, as `JSONLDGraph` accepts it). Nodes of
    /// other types (orders, persons…) and properties outside this model are left out.
    public init(data: Data, context: JSONLDContext = .dfc) throws(DomainError) {
        self.init(graph: try JSONLDGraph(data: data, context: context), context: context)
    }

    public init(graph: JSONLDGraph, context: JSONLDContext = .dfc) {
        self.init()
        let nodes = NodeIndex(graph, context)
        for subject in nodes.subjects {
            let node = nodes.view(subject)
            let id = NodeIndex.text(subject)
            for type in node.types {
                switch context.compact(type) {
                case "dfc-b:Enterprise", "dfc-b:Organization":
                    guard !enterprises.contains(where: { $0.id == id }) else { continue }
                    enterprises.append(Self.enterprise(id, node))
                case "dfc-b:AsPlannedTransformation":
                    if let transformation = Self.transformation(id, node) { transformations.append(transformation) }
                case "dfc-b:Address":
                    addresses.append(DFCAddress(id: id, street: node.string("dfc-b:hasStreet"), postalCode: node.string("dfc-b:hasPostalCode"),
                                                city: node.string("dfc-b:hasCity"), country: node.refs("dfc-b:hasCountry").first))
                case "dfc-b:CustomerCategory":
                    customerCategories.append(DFCCustomerCategory(id: id, description: node.string("dfc-b:description")))
                case "dfc-b:Catalog":
                    catalogs.append(DFCCatalog(id: id, lists: node.refs("dfc-b:lists"), maintainedBy: node.refs("dfc-b:maintainedBy")))
                case "dfc-b:CatalogItem":
                    catalogItems.append(DFCCatalogItem(
                        id: id, sku: node.string("dfc-b:sku"), stockLimitation: node.decimal("dfc-b:stockLimitation"),
                        references: node.refs("dfc-b:references"), offeredThrough: node.refs("dfc-b:offeredThrough"),
                        listedIn: node.refs("dfc-b:listedIn")))
                case "dfc-b:Offer":
                    offers.append(DFCOffer(
                        id: id, price: node.linked("dfc-b:hasPrice").first.map {
                            DFCPrice(value: $0.decimal("dfc-b:value"), vatRate: $0.decimal("dfc-b:VATrate"), unit: $0.refs("dfc-b:hasUnit").first)
                        },
                        stockLimitation: node.decimal("dfc-b:stockLimitation"), offeredItem: node.refs("dfc-b:offeredItem"),
                        offeredTo: node.refs("dfc-b:offeredTo")))
                case "dfc-b:SuppliedProduct":
                    suppliedProducts.append(Self.suppliedProduct(id, node))
                default:
                    continue
                }
            }
        }
    }

    private static func enterprise(_ id: String, _ node: NodeIndex.View) -> DFCEnterprise {
        var enterprise = DFCEnterprise(
            id: id, name: node.string("dfc-b:name"),
            description: node.string("dfc-b:hasDescription") ?? node.string("dfc-b:description"),
            vatNumber: node.string("dfc-b:VATnumber"), addresses: node.refs("dfc-b:hasAddress"),
            defines: node.refs("dfc-b:defines"), maintains: node.refs("dfc-b:maintains"),
            manages: node.refs("dfc-b:manages"), supplies: node.refs("dfc-b:supplies"))
        enterprise.email = node.string("dfc-b:email")
        enterprise.logo = node.string("dfc-b:logo") ?? node.refs("dfc-b:logo").first
        // A phone or a social network is a node of its own in DFC, or a plain text elsewhere.
        enterprise.phones = node.values("dfc-b:hasPhoneNumber").compactMap { term in
            let linked = node.follow(term)
            return linked.string("dfc-b:phoneNumber") ?? linked.string("dfc-b:hasNumber") ?? (linked.properties.isEmpty ? NodeIndex.text(term) : nil)
        }
        enterprise.links = node.values("dfc-b:hasSocialMedia").compactMap { term in
            let linked = node.follow(term)
            return linked.string("dfc-b:URL") ?? linked.string("dfc-b:url") ?? (linked.properties.isEmpty ? NodeIndex.text(term) : nil)
        } + node.strings("dfc-b:websitePage") + node.refs("dfc-b:hasWebsite")
        enterprise.certifications = (node.values("dfc-b:isCertifiedBy") + node.values("dfc-b:hasCertification")).map { term in
            let linked = node.follow(term)
            return linked.string("dfc-b:name") ?? linked.string("rdfs:label") ?? linked.string("skos:prefLabel")
                ?? linked.string("dfc-b:certificationName") ?? DFCCatalogMapping.categoryName(NodeIndex.text(term))
        }
        return enterprise
    }

    /// Income and outcome flows, embedded or as nodes of their own; nil when either is missing.
    private static func transformation(_ id: String, _ node: NodeIndex.View) -> DFCTransformation? {
        guard let income = node.linked("dfc-b:hasIncome").first, let outcome = node.linked("dfc-b:hasOutcome").first,
              let consumes = income.refs("dfc-b:consumes").first, let produces = outcome.refs("dfc-b:produces").first else { return nil }
        func amount(_ flow: NodeIndex.View) -> Decimal {
            flow.linked("dfc-b:hasQuantity").first?.decimal("dfc-b:value") ?? flow.decimal("dfc-b:quantity") ?? 1
        }
        return DFCTransformation(id: id, consumes: consumes, consumedQuantity: amount(income), produces: produces, producedQuantity: amount(outcome))
    }

    private static func suppliedProduct(_ id: String, _ node: NodeIndex.View) -> DFCSuppliedProduct {
        var product = DFCSuppliedProduct(id: id)
        product.name = node.string("dfc-b:name")
        product.description = node.string("dfc-b:description")
        product.quantity = node.linked("dfc-b:hasQuantity").first.map {
            DFCQuantity(unit: $0.refs("dfc-b:hasUnit").first, value: $0.decimal("dfc-b:value"))
        }
        product.productType = node.refs("dfc-b:hasType").first
        product.images = node.strings("dfc-b:image")
        product.referencedBy = node.refs("dfc-b:referencedBy")
        product.isVariantOf = node.refs("dfc-b:isVariantOf")
        product.totalTheoreticalStock = node.decimal("dfc-b:totalTheoreticalStock")
        product.alcoholPercentage = node.decimal("dfc-b:alcoholPercentage")
        product.lifetime = node.string("dfc-b:lifetime")
        product.usageOrStorageCondition = node.string("dfc-b:usageOrStorageCondition")
        product.certifications = node.refs("dfc-b:hasCertification")
        product.claims = node.refs("dfc-b:hasClaim")
        product.geographicalOrigins = node.refs("dfc-b:hasGeographicalOrigin")
        product.natureOrigins = node.refs("dfc-b:hasNatureOrigin")
        product.partOrigins = node.refs("dfc-b:hasPartOrigin")
        for kind in DFCCharacteristic.Kind.allCases {
            for characteristic in node.linked(kind.property) {
                product.characteristics.append(DFCCharacteristic(
                    kind: kind, dimension: characteristic.refs(kind.dimension).first,
                    unit: characteristic.refs("dfc-b:hasUnit").first, value: characteristic.decimal("dfc-b:value")))
            }
        }
        return product
    }
}

/// The graph's statements grouped by subject, to read a node's properties by compact name.
struct NodeIndex {
    let context: JSONLDContext
    private(set) var properties: [JSONLDTerm: [String: [JSONLDTerm]]] = [:]
    /// Subjects in a stable order.
    let subjects: [JSONLDTerm]

    init(_ graph: JSONLDGraph, _ context: JSONLDContext) {
        self.context = context
        var properties: [JSONLDTerm: [String: [JSONLDTerm]]] = [:]
        for triple in graph.triples { properties[triple.subject, default: [:]][triple.predicate, default: []].append(triple.object) }
        self.properties = properties
        subjects = properties.keys.sorted()
    }

    func view(_ subject: JSONLDTerm) -> View { View(index: self, properties: properties[subject] ?? [:]) }

    /// "2.54", "-1", "6" as an exact decimal; nil for anything else ("12 kg", "", "1e3").
    static func decimal(_ text: String) -> Decimal? {
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// The text of an IRI, blank node label or literal.
    static func text(_ term: JSONLDTerm) -> String {
        switch term {
        case .iri(let value), .blank(let value), .literal(let value): value
        }
    }

    struct View {
        let index: NodeIndex
        let properties: [String: [JSONLDTerm]]

        func values(_ property: String) -> [JSONLDTerm] { properties[index.context.expand(property)] ?? [] }

        var types: [String] { (properties[JSONLDGraph.rdfType] ?? []).map(NodeIndex.text).sorted() }

        func strings(_ property: String) -> [String] {
            values(property).compactMap { if case .literal(let text) = $0 { text } else { nil } }.sorted()
        }

        func string(_ property: String) -> String? { strings(property).first }

        func decimal(_ property: String) -> Decimal? {
            string(property).flatMap(NodeIndex.decimal)
        }

        /// References, and literals where a platform wrote an IRI without the context saying so.
        func refs(_ property: String) -> [String] { values(property).map(NodeIndex.text).sorted() }

        /// The node `term` names, a plain string included; an empty view when the graph has none.
        func follow(_ term: JSONLDTerm) -> View {
            if case .literal(let text) = term {
                let reference: JSONLDTerm = text.hasPrefix("_:") ? .blank(text) : .iri(index.context.expand(text))
                if index.properties[reference] != nil { return index.view(reference) }
            }
            return index.view(term)
        }

        /// The nodes a property points to, to read an embedded Price or QuantitativeValue.
        func linked(_ property: String) -> [View] {
            // A platform may write a reference as a plain string the context does not mark as `@id`.
            values(property).map { term -> JSONLDTerm in
                guard case .literal(let text) = term else { return term }
                let reference: JSONLDTerm = text.hasPrefix("_:") ? .blank(text) : .iri(index.context.expand(text))
                return index.properties[reference] != nil ? reference : term
            }.filter { index.properties[$0] != nil }.sorted().map(index.view)
        }
    }
}
