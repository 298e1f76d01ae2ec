import Foundation

/// A DFC `Order` as a hub sends it to its supplier's platform (Open Food Network's backorders):
/// the sale session it belongs to, who orders, its state, and its `OrderLine`s, each concerning
/// an `Offer` of the supplier's catalog.
public struct DFCOrder: Sendable, Hashable {
    /// The order's own IRI; nil for a blank node or the collection it is posted to (Open Food
    /// Network names a new order by the collection's address), which identify nothing.
    public var id: String?
    public var saleSession: String?
    public var orderedBy: String?
    /// Expanded IRI of the state (`dfc-v:Held`, `dfc-v:Cancelled`…).
    public var status: String?
    public var lines: [DFCOrderLine] = []

    public init(id: String? = nil, saleSession: String? = nil, orderedBy: String? = nil, status: String? = nil, lines: [DFCOrderLine] = []) {
        self.id = id
        self.saleSession = saleSession
        self.orderedBy = orderedBy
        self.status = status
        self.lines = lines
    }

    /// The hub says it no longer wants the order.
    public var isCancellation: Bool { status.map { $0.lowercased().hasSuffix("cancelled") || $0.lowercased().hasSuffix("canceled") } ?? false }
}

public struct DFCOrderLine: Sendable, Hashable {
    public var id: String?
    /// The `Offer` the line concerns, as written.
    public var offer: String?
    /// What that offer offers, when the document describes the offer too.
    public var offeredItem: String?
    public var quantity: Decimal?

    public init(id: String? = nil, offer: String?, offeredItem: String? = nil, quantity: Decimal?) {
        self.id = id
        self.offer = offer
        self.offeredItem = offeredItem
        self.quantity = quantity
    }

    /// A whole number of items, 0 included (an update that removes the line); nil otherwise.
    public var wholeQuantity: Int? {
        guard let quantity, quantity >= 0, quantity <= 1_000_000 else { return nil }
        let whole = NSDecimalNumber(decimal: quantity).intValue
        return Decimal(whole) == quantity ? whole : nil
    }
}

extension DFCOrder {
    /// Reads the one `dfc-b:Order` of a document (an `@graph` or nested nodes, `@context` as a URL
    /// or inline); its lines are those it names by `hasPart` and those naming it by `partOf`.
    public init(data: Data, context: JSONLDContext = .dfc) throws(DomainError) {
        let graph = try JSONLDGraph(data: data, context: context)
        let nodes = NodeIndex(graph, context)
        let typed = { (type: String) in nodes.subjects.filter { subject in nodes.view(subject).types.contains { context.compact($0) == type } } }
        let orders = typed("dfc-b:Order")
        guard orders.count == 1, let subject = orders.first else { throw orders.isEmpty ? .noDFCOrder : .severalDFCOrders }
        let order = nodes.view(subject)
        self.init()
        if case .iri(let iri) = subject, !iri.hasSuffix("/orders") { id = iri }
        saleSession = order.refs("dfc-b:belongsTo").first
        orderedBy = order.refs("dfc-b:orderedBy").first
        status = order.refs("dfc-b:hasOrderStatus").first.map { context.expand($0) }
        var lineSubjects = order.values("dfc-b:hasPart").map { term -> JSONLDTerm in
            guard case .literal(let text) = term else { return term }
            return text.hasPrefix("_:") ? .blank(text) : .iri(context.expand(text))
        }
        for line in typed("dfc-b:OrderLine") where !lineSubjects.contains(line) {
            if nodes.view(line).values("dfc-b:partOf").contains(where: { NodeIndex.text($0) == NodeIndex.text(subject) }) { lineSubjects.append(line) }
        }
        for term in lineSubjects {
            let line = nodes.view(term)
            let offer = line.values("dfc-b:concerns").first
            let quantity = line.decimal("dfc-b:quantity") ?? line.linked("dfc-b:quantity").first?.decimal("dfc-b:value")
            lines.append(DFCOrderLine(id: term.isBlank ? nil : NodeIndex.text(term), offer: offer.map(NodeIndex.text),
                                      offeredItem: offer.flatMap { line.follow($0).refs("dfc-b:offeredItem").first }, quantity: quantity))
        }
        guard lines.count <= OrderCycle.maximumLines else { throw .tooManyLines(OrderCycle.maximumLines) }
    }
}

extension JSONLDTerm {
    var isBlank: Bool { if case .blank = self { true } else { false } }
}

extension DomainError {
    public static let noDFCOrder = DomainError(
        .invalid, code: "no_dfc_order", field: "document",
        fr: "Ce document ne contient pas de commande DFC (dfc-b:Order).", en: "This document holds no DFC order (dfc-b:Order).")
    public static let severalDFCOrders = DomainError(
        .invalid, code: "several_dfc_orders", field: "document",
        fr: "Envoyez une seule commande DFC par document.", en: "Send one DFC order per document.")
}
