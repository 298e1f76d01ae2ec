import Foundation

/// One of our orders as a DFC `Order` with its `OrderLine`s: what a hub reads back after placing
/// or changing it, and what a producer's other platform reads of any of our orders.
public struct DFCOrderSummary: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var offer: String
        public var quantity: Int
        public var unitPriceCents: Int64
        public var vatRate: VATRate
        public init(offer: String, quantity: Int, unitPriceCents: Int64, vatRate: VATRate) {
            self.offer = offer
            self.quantity = quantity
            self.unitPriceCents = unitPriceCents
            self.vatRate = vatRate
        }
    }

    public var iri: String
    public var number: Int64
    public var placedAt: Date
    public var saleSession: String
    public var orderedBy: String?
    public var status: OrderStatus
    public var lines: [Line]

    public init(iri: String, number: Int64, placedAt: Date, saleSession: String, orderedBy: String?, status: OrderStatus, lines: [Line]) {
        self.iri = iri
        self.number = number
        self.placedAt = placedAt
        self.saleSession = saleSession
        self.orderedBy = orderedBy
        self.status = status
        self.lines = lines
    }

    /// Held while it may still change (Open Food Network's word), complete once handed out,
    /// cancelled otherwise.
    public static func state(_ status: OrderStatus) -> String {
        switch status {
        case .pending, .confirmed: "dfc-v:Held"
        case .collected: "dfc-v:Complete"
        case .cancelled, .expired: "dfc-v:Cancelled"
        }
    }

    public func jsonObject() -> [String: Any] {
        var order: [String: Any] = [
            "@id": iri, "@type": "dfc-b:Order", "dfc-b:orderNumber": String(number),
            "dfc-b:date": ISO8601DateFormatter().string(from: placedAt), "dfc-b:belongsTo": saleSession,
            "dfc-b:hasOrderStatus": Self.state(status),
        ]
        if let orderedBy { order["dfc-b:orderedBy"] = orderedBy }
        var nodes: [[String: Any]] = []
        for (index, line) in lines.enumerated() {
            let id = "\(iri)/lines/\(index + 1)"
            nodes.append([
                "@id": id, "@type": "dfc-b:OrderLine", "dfc-b:quantity": String(line.quantity), "dfc-b:concerns": line.offer,
                "dfc-b:partOf": iri,
                "dfc-b:hasPrice": ["@type": "dfc-b:Price", "dfc-b:value": DFCCatalogMapping.text(Decimal(line.unitPriceCents) / 100),
                                   "dfc-b:VATrate": line.vatRate.percent, "dfc-b:hasUnit": "dfc-m:Euro"] as [String: Any],
            ])
        }
        if !nodes.isEmpty { order["dfc-b:hasPart"] = nodes.map { $0["@id"] as? String ?? "" } }
        return ["@context": JSONLDContext.dfcURL, "@graph": [order] + nodes]
    }
}

extension DFCOrderMapping {
    /// The order as sent, each refused line marked with why (`maillage:refusal`: a code and a
    /// message in the caller's language); nothing was ordered. DFC has no word for a refusal, so
    /// the mark is ours, under a prefix the document's own context declares.
    public static func refusalDocument(_ order: DFCOrder, refused: [Refusal], namespace: String, language: Language) -> [String: Any] {
        var node: [String: Any] = ["@type": "dfc-b:Order", "dfc-b:hasOrderStatus": "maillage:Refused"]
        if let id = order.id { node["@id"] = id }
        if let session = order.saleSession { node["dfc-b:belongsTo"] = session }
        var lines: [[String: Any]] = []
        for line in order.lines {
            var out: [String: Any] = ["@type": "dfc-b:OrderLine"]
            if let id = line.id { out["@id"] = id }
            if let offer = line.offer { out["dfc-b:concerns"] = offer }
            if let quantity = line.quantity { out["dfc-b:quantity"] = DFCCatalogMapping.text(quantity) }
            if let refusal = refused.first(where: { $0.line == line }) {
                var mark: [String: Any] = ["maillage:code": refusal.problem.code, "maillage:message": refusal.problem.message(language)]
                if case .outOfStock(_, let available) = refusal.problem { mark["maillage:available"] = String(available) }
                out["maillage:refusal"] = mark
            }
            lines.append(out)
        }
        node["dfc-b:hasPart"] = lines
        return ["@context": [JSONLDContext.dfcURL, ["maillage": namespace]] as [Any], "@graph": [node]]
    }
}

/// One of our open order cycles as a DFC `SaleSession`, published with a producer's catalog: the
/// IRI a hub names in an order's `dfc-b:belongsTo`, and the offers of that producer it lists.
public struct DFCSaleSession: Sendable, Hashable {
    public var id: String
    public var beginDate: Date
    public var endDate: Date
    public var offers: [String]

    public init(id: String, beginDate: Date, endDate: Date, offers: [String]) {
        self.id = id
        self.beginDate = beginDate
        self.endDate = endDate
        self.offers = offers
    }

    public func node() -> [String: Any] {
        let format = ISO8601DateFormatter()
        var node: [String: Any] = ["@id": id, "@type": "dfc-b:SaleSession", "dfc-b:beginDate": format.string(from: beginDate),
                                   "dfc-b:endDate": format.string(from: endDate)]
        if !offers.isEmpty { node["dfc-b:lists"] = offers.count == 1 ? offers[0] as Any : offers.sorted() as Any }
        return node
    }
}
