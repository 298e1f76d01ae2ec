import Foundation

extension DFCDocument {
    /// The document as compact JSON-LD with the DFC context named by URL, as the fixtures and
    /// other DFC platforms write it: one `@graph`, IRIs compacted with the DFC prefixes, `@id`
    /// properties as plain strings, prices, quantities and characteristics as embedded nodes,
    /// and decimals as strings ("2.54") — the DFC connector's form, which every reader accepts.
    public func jsonObject(context: JSONLDContext = .dfc) -> [String: Any] {
        var writer = Writer(context: context)
        for enterprise in enterprises {
            var node = writer.node(enterprise.id, "dfc-b:Enterprise")
            writer.literal(&node, "dfc-b:name", enterprise.name)
            writer.literal(&node, "dfc-b:hasDescription", enterprise.description)
            writer.literal(&node, "dfc-b:VATnumber", enterprise.vatNumber)
            writer.refs(&node, "dfc-b:hasAddress", enterprise.addresses)
            writer.refs(&node, "dfc-b:defines", enterprise.defines)
            writer.refs(&node, "dfc-b:maintains", enterprise.maintains)
            writer.refs(&node, "dfc-b:manages", enterprise.manages)
            writer.refs(&node, "dfc-b:supplies", enterprise.supplies)
            writer.nodes.append(node)
        }
        for address in addresses {
            var node = writer.node(address.id, "dfc-b:Address")
            writer.literal(&node, "dfc-b:hasStreet", address.street)
            writer.literal(&node, "dfc-b:hasPostalCode", address.postalCode)
            writer.literal(&node, "dfc-b:hasCity", address.city)
            writer.refs(&node, "dfc-b:hasCountry", address.country.map { [$0] } ?? [])
            writer.nodes.append(node)
        }
        for category in customerCategories {
            var node = writer.node(category.id, "dfc-b:CustomerCategory")
            writer.literal(&node, "dfc-b:description", category.description)
            writer.nodes.append(node)
        }
        for catalog in catalogs {
            var node = writer.node(catalog.id, "dfc-b:Catalog")
            writer.refs(&node, "dfc-b:lists", catalog.lists)
            writer.refs(&node, "dfc-b:maintainedBy", catalog.maintainedBy)
            writer.nodes.append(node)
        }
        for item in catalogItems {
            var node = writer.node(item.id, "dfc-b:CatalogItem")
            writer.literal(&node, "dfc-b:sku", item.sku)
            writer.decimal(&node, "dfc-b:stockLimitation", item.stockLimitation)
            writer.refs(&node, "dfc-b:references", item.references)
            writer.refs(&node, "dfc-b:offeredThrough", item.offeredThrough)
            writer.refs(&node, "dfc-b:listedIn", item.listedIn)
            writer.nodes.append(node)
        }
        for offer in offers {
            var node = writer.node(offer.id, "dfc-b:Offer")
            if let price = offer.price {
                var embedded: [String: Any] = ["@type": "dfc-b:Price"]
                writer.decimal(&embedded, "dfc-b:value", price.value)
                writer.decimal(&embedded, "dfc-b:VATrate", price.vatRate)
                writer.refs(&embedded, "dfc-b:hasUnit", price.unit.map { [$0] } ?? [])
                node["dfc-b:hasPrice"] = embedded
            }
            writer.decimal(&node, "dfc-b:stockLimitation", offer.stockLimitation)
            writer.refs(&node, "dfc-b:offeredItem", offer.offeredItem)
            writer.refs(&node, "dfc-b:offeredTo", offer.offeredTo)
            writer.nodes.append(node)
        }
        for product in suppliedProducts { writer.nodes.append(writer.suppliedProduct(product)) }
        // As Open Food Network writes them: the transformation names its two flows, each a node.
        for transformation in transformations {
            var node = writer.node(transformation.id, "dfc-b:AsPlannedTransformation")
            let income = transformation.id + "/AsPlannedConsumptionFlow", outcome = transformation.id + "/AsPlannedProductionFlow"
            writer.refs(&node, "dfc-b:hasIncome", [income])
            writer.refs(&node, "dfc-b:hasOutcome", [outcome])
            writer.nodes.append(node)
            for (id, type, property, target, amount) in [(income, "dfc-b:AsPlannedConsumptionFlow", "dfc-b:consumes", transformation.consumes, transformation.consumedQuantity),
                                                         (outcome, "dfc-b:AsPlannedProductionFlow", "dfc-b:produces", transformation.produces, transformation.producedQuantity)] {
                var flow = writer.node(id, type)
                writer.refs(&flow, property, [target])
                var quantity: [String: Any] = ["@type": "dfc-b:QuantitativeValue"]
                writer.refs(&quantity, "dfc-b:hasUnit", [JSONLDContext.dfc.expand("dfc-m:Piece")])
                writer.decimal(&quantity, "dfc-b:value", amount)
                flow["dfc-b:hasQuantity"] = quantity
                writer.nodes.append(flow)
            }
        }
        return ["@context": JSONLDContext.dfcURL, "@graph": writer.nodes]
    }

    /// `jsonObject` serialised, keys sorted so the same catalog always gives the same bytes (ETags).
    public func data(context: JSONLDContext = .dfc) -> Data {
        // Only strings, arrays and dictionaries go in, which JSONSerialization always accepts.
        (try? JSONSerialization.data(withJSONObject: jsonObject(context: context), options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    private struct Writer {
        let context: JSONLDContext
        var nodes: [[String: Any]] = []

        func node(_ id: String, _ type: String) -> [String: Any] { ["@id": context.compact(id), "@type": type] }

        func literal(_ node: inout [String: Any], _ property: String, _ value: String?) {
            if let value { node[property] = value }
        }

        func literals(_ node: inout [String: Any], _ property: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            node[property] = values.count == 1 ? values[0] : values
        }

        func decimal(_ node: inout [String: Any], _ property: String, _ value: Decimal?) {
            if let value { node[property] = NSDecimalNumber(decimal: value).stringValue }
        }

        /// `@id` properties of the context take plain strings; others need `{"@id": …}`.
        func refs(_ node: inout [String: Any], _ property: String, _ ids: [String]) {
            guard !ids.isEmpty else { return }
            let plain = context.idProperties.contains(context.expand(property))
            let values: [Any] = ids.map { plain ? context.compact($0) as Any : ["@id": context.compact($0)] as Any }
            node[property] = values.count == 1 ? values[0] : values
        }

        func suppliedProduct(_ product: DFCSuppliedProduct) -> [String: Any] {
            var node = node(product.id, "dfc-b:SuppliedProduct")
            literal(&node, "dfc-b:name", product.name)
            literal(&node, "dfc-b:description", product.description)
            if let quantity = product.quantity {
                var embedded: [String: Any] = ["@type": "dfc-b:QuantitativeValue"]
                refs(&embedded, "dfc-b:hasUnit", quantity.unit.map { [$0] } ?? [])
                decimal(&embedded, "dfc-b:value", quantity.value)
                node["dfc-b:hasQuantity"] = embedded
            }
            refs(&node, "dfc-b:hasType", product.productType.map { [$0] } ?? [])
            literals(&node, "dfc-b:image", product.images)
            refs(&node, "dfc-b:referencedBy", product.referencedBy)
            refs(&node, "dfc-b:isVariantOf", product.isVariantOf)
            decimal(&node, "dfc-b:totalTheoreticalStock", product.totalTheoreticalStock)
            decimal(&node, "dfc-b:alcoholPercentage", product.alcoholPercentage)
            literal(&node, "dfc-b:lifetime", product.lifetime)
            literal(&node, "dfc-b:usageOrStorageCondition", product.usageOrStorageCondition)
            refs(&node, "dfc-b:hasCertification", product.certifications)
            refs(&node, "dfc-b:hasClaim", product.claims)
            refs(&node, "dfc-b:hasGeographicalOrigin", product.geographicalOrigins)
            refs(&node, "dfc-b:hasNatureOrigin", product.natureOrigins)
            refs(&node, "dfc-b:hasPartOrigin", product.partOrigins)
            for kind in DFCCharacteristic.Kind.allCases {
                let embedded: [[String: Any]] = product.characteristics.filter { $0.kind == kind }.map { characteristic in
                    var object: [String: Any] = ["@type": kind.type]
                    refs(&object, kind.dimension, characteristic.dimension.map { [$0] } ?? [])
                    refs(&object, "dfc-b:hasUnit", characteristic.unit.map { [$0] } ?? [])
                    decimal(&object, "dfc-b:value", characteristic.value)
                    return object
                }
                if !embedded.isEmpty { node[kind.property] = embedded.count == 1 ? embedded[0] : embedded }
            }
            return node
        }
    }
}
