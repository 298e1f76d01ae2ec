import Foundation
import Testing
@testable import MaillageCore
import MaillageTestFixtures

/// Orders as hubs send them: Open Food Network's `@graph`, nested lines, an inline context; each
/// line matched to one of our variants by the offer IRI our catalog publishes.
@Suite struct FoodDFCOrderReadingTests {
    @Test func openFoodNetworksBackorderIsReadWithItsLineAndOffer() throws {
        let order = try DFCOrder(data: try Fixtures.data("dfc/ofn-send-backorder.json"))
        #expect(order.id == nil, "OFN names a new order by the collection it posts to: not an identity")
        #expect(order.saleSession == "http://test.host/api/dfc/enterprises/10000/supplied_products")
        #expect(order.orderedBy == "http://test.host/api/dfc/enterprises/11000")
        #expect(order.status?.hasSuffix("Held") == true && !order.isCancellation)
        #expect(order.lines.count == 1 && order.lines[0].wholeQuantity == 1)
        #expect(order.lines[0].offer == "http://test.host/api/dfc/enterprises/10000/offers/10001")
        #expect(order.lines[0].offeredItem == "http://test.host/api/dfc/enterprises/10000/supplied_products/10001")
        #expect(DFCOrderMapping.variantID(of: order.lines[0]) == nil, "not one of our offers")
    }

    @Test func nestedLinesAndAnInlineContextReadTheSame() throws {
        let variant = UUID(), cycle = UUID()
        let text = """
            {"@context": {"dfc-b": "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#"},
             "@id": "https://hub.example/orders/9", "@type": "dfc-b:Order",
             "dfc-b:belongsTo": {"@id": "https://coop.example/api/v1/cooperatives/x/food/cycles/\(cycle)"},
             "dfc-b:hasPart": [{"@type": "dfc-b:OrderLine", "dfc-b:quantity": "2",
                                "dfc-b:concerns": {"@id": "https://coop.example/api/v1/dfc/enterprises/p/supplied_products/\(variant)/offer"}},
                               {"@type": "dfc-b:OrderLine", "dfc-b:quantity": 0.5, "dfc-b:concerns": {"@id": "https://coop.example/other"}}]}
            """
        let order = try DFCOrder(data: Data(text.utf8))
        #expect(order.id == "https://hub.example/orders/9")
        #expect(DFCOrderMapping.cycleID(of: order) == cycle)
        let (wanted, refused) = DFCOrderMapping.wanted(order, sold: [variant], allowZero: false)
        #expect(wanted.map(\.variantID) == [variant] && wanted.map(\.quantity) == [2])
        #expect(refused.map(\.problem) == [.unknownOffer])
    }

    @Test func aDocumentWithoutExactlyOneOrderIsRefused() throws {
        #expect(throws: DomainError.noDFCOrder) { try DFCOrder(data: Data(#"{"@type": "dfc-b:Person"}"#.utf8)) }
        let two = #"{"@graph": [{"@id": "a", "@type": "dfc-b:Order"}, {"@id": "b", "@type": "dfc-b:Order"}]}"#
        #expect(throws: DomainError.severalDFCOrders) { try DFCOrder(data: Data(two.utf8)) }
        #expect(throws: DomainError.notJSONLD) { try DFCOrder(data: Data("not json".utf8)) }
    }

    @Test func quantitiesAreWholeItemsAndAnOfferOnce() {
        let variant = UUID()
        let offer = "https://x/supplied_products/\(variant)/offer"
        let order = DFCOrder(lines: [DFCOrderLine(offer: offer, quantity: 0), DFCOrderLine(offer: offer, quantity: 1000),
                                     DFCOrderLine(offer: offer, quantity: 3), DFCOrderLine(offer: offer, quantity: 1)])
        let (wanted, refused) = DFCOrderMapping.wanted(order, sold: [variant], allowZero: false)
        #expect(wanted.map(\.quantity) == [3])
        #expect(refused.map(\.problem) == [.invalidQuantity, .invalidQuantity, .duplicateOffer])
        #expect(DFCOrderMapping.wanted(DFCOrder(lines: [DFCOrderLine(offer: offer, quantity: 0)]), sold: [variant], allowZero: true).wanted.map(\.quantity) == [0],
                "an update removes a line with 0")
    }

    @Test func ourOrderIsWrittenAsAnOrderWithItsLinesAndReadBack() throws {
        let variant = UUID()
        let summary = DFCOrderSummary(iri: "https://coop.example/o/1", number: 7, placedAt: Date(timeIntervalSince1970: 0),
                                      saleSession: "https://coop.example/food/cycles/\(UUID())", orderedBy: nil, status: .cancelled,
                                      lines: [.init(offer: "https://coop.example/api/v1/dfc/enterprises/p/supplied_products/\(variant)/offer",
                                                    quantity: 4, unitPriceCents: 250, vatRate: .reduced)])
        let data = try JSONSerialization.data(withJSONObject: summary.jsonObject())
        let back = try DFCOrder(data: data)
        #expect(back.id == "https://coop.example/o/1" && back.isCancellation)
        #expect(back.lines.count == 1 && back.lines[0].wholeQuantity == 4 && DFCOrderMapping.variantID(of: back.lines[0]) == variant)
    }
}
