import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import MaillageApp
@testable import MaillageCore
import MaillageTestFixtures

/// An Open Food Network hub orders from a producer of the cooperative by DFC: the order takes
/// stock as a shop order does, shows in the reports, reads back as DFC, changes and cancels; a
/// line that cannot be sold is refused on its own.
@Suite struct FoodDFCOrderTests {
    struct Hub {
        var shop: FoodTests.Shop
        var client: APIClient
        var path: String { shop.path + "/dfc/orders" }
        var offer: String { "https://elsewhere.example/api/v1/dfc/enterprises/\(shop.producer.id)/supplied_products/\(shop.variant)/offer" }
        var session: String { "https://elsewhere.example/api/v1/cooperatives/\(shop.coop.slug)/food/cycles/\(shop.cycle.id)" }

        /// Our own test document (Open Food Network's backorder shape) for `quantity` of the shop's variant.
        func order(_ id: String, quantity: String, offer: String? = nil) throws -> String {
            try Fixtures.string("food/dfc-order.json").replacingOccurrences(of: "ORDER_ID", with: id)
                .replacingOccurrences(of: "SALE_SESSION", with: session).replacingOccurrences(of: "QUANTITY", with: quantity)
                .replacingOccurrences(of: "SUPPLIED_PRODUCT", with: (offer ?? self.offer).replacingOccurrences(of: "/offer", with: ""))
                .replacingOccurrences(of: "OFFER", with: offer ?? self.offer)
        }
    }

    static func hub(_ app: Application, shoppers: Int = 1, stock: Int = 40) async throws -> Hub {
        let shop = try await FoodTests().shop(app, shoppers: shoppers, stock: stock)
        let token = try await Tokens.create(for: shop.producerUser, name: "open food network", scope: TokenScope.dfc.rawValue, on: app.db)
        return Hub(shop: shop, client: APIClient(app: app, token: token))
    }

    static func graph(_ response: TestingHTTPResponse) -> [[String: Any]] { response.json["@graph"] as? [[String: Any]] ?? [] }
    static func node(_ response: TestingHTTPResponse, _ type: String) -> [String: Any]? { graph(response).first { $0["@type"] as? String == type } }

    @Test func aHubsOrderTakesStockShowsInTheReportsAndReadsBackAsDFC() async throws {
        try await withMaillage { app in
            // setup
            let hub = try await Self.hub(app)
            // act
            let placed = try await hub.client.send(.POST, hub.path, json: try hub.order("1", quantity: "3"))
            // check
            #expect(placed.status == .created, "\(placed.body.string.prefix(600))")
            #expect(placed.headers.contentType?.description.contains("ld+json") == true)
            let order = try #require(Self.node(placed, "dfc-b:Order"))
            #expect(order["dfc-b:hasOrderStatus"] as? String == "dfc-v:Held")
            let line = try #require(Self.node(placed, "dfc-b:OrderLine"))
            #expect(line["dfc-b:quantity"] as? String == "3" && (line["dfc-b:concerns"] as? String)?.hasSuffix("/supplied_products/\(hub.shop.variant.uuidString.lowercased())/offer") == true)
            #expect(((line["dfc-b:hasPrice"] as? [String: Any])?["dfc-b:value"] as? String) == "3")
            #expect(try await FoodTests().variantRow(app, hub.shop.variant).sold == 3, "sold at once, like a confirmed shop order")
            let iri = try #require(order["@id"] as? String)
            let id = try #require(iri.split(separator: "/").last.map(String.init))
            // The same order sent twice is one order.
            let again = try await hub.client.send(.POST, hub.path, json: try hub.order("1", quantity: "3"))
            #expect(again.status == .ok && Self.node(again, "dfc-b:Order")?["@id"] as? String == iri, "\(again.body.string.prefix(300))")
            #expect(try await FoodTests().variantRow(app, hub.shop.variant).sold == 3)
            #expect(try await FoodTests().count(app, "food_orders") == 1)
            // Read back as DFC.
            let read = try await hub.client.send(.GET, hub.path + "/" + id)
            #expect(read.status == .ok && Self.node(read, "dfc-b:OrderLine")?["dfc-b:quantity"] as? String == "3", "\(read.body.string.prefix(300))")
            // In the coordinator's pickup list, under the hub's name.
            let visitor = try await FoodDFCInteropTests.signedIn(app, hub.shop.producerUser)
            let pickup = try await visitor.get("/c/\(hub.shop.coop.slug)/food/manage/cycles/\(hub.shop.cycle.id)/pickup")
            #expect(pickup.status == .ok && pickup.body.string.contains("DFC hub.example.org"), "\(pickup.status)")
            let harvest = try await visitor.get("/c/\(hub.shop.coop.slug)/food/manage/cycles/\(hub.shop.cycle.id)/harvest.csv")
            #expect(harvest.body.string.contains("Pommes"), "the producer's harvest counts it: \(harvest.body.string.prefix(300))")
        }
    }

    @Test func theCatalogPublishesTheOpenCycleAsASaleSessionAHubOrdersIn() async throws {
        try await withMaillage { app in
            // setup
            let hub = try await Self.hub(app)
            // act: read the producer's catalog as a hub would, then order what it lists
            let catalog = try await app.testing().sendRequest(.GET, hub.shop.path + "/producers/\(hub.shop.producer.id)/catalog")
            let session = try #require(Self.node(catalog, "dfc-b:SaleSession"), "\(catalog.body.string.prefix(300))")
            let id = try #require(session["@id"] as? String), offer = try #require(session["dfc-b:lists"] as? String)
            #expect(id.hasSuffix("/food/cycles/\(hub.shop.cycle.id.uuidString.lowercased())"))
            let document = try Fixtures.string("food/dfc-order.json").replacingOccurrences(of: "ORDER_ID", with: "7")
                .replacingOccurrences(of: "SALE_SESSION", with: id).replacingOccurrences(of: "QUANTITY", with: "2")
                .replacingOccurrences(of: "SUPPLIED_PRODUCT", with: offer.replacingOccurrences(of: "/offer", with: "")).replacingOccurrences(of: "OFFER", with: offer)
            let placed = try await hub.client.send(.POST, hub.path, json: document)
            // check
            #expect(placed.status == .created, "\(placed.body.string.prefix(400))")
            #expect(try await FoodTests().variantRow(app, hub.shop.variant).sold == 2)
            #expect(DFCDocument(graph: try JSONLDGraph(data: Data(catalog.body.string.utf8), context: .dfc)).offers.map(\.id).contains(offer),
                    "the session lists an offer the catalog describes")
        }
    }

    @Test func unsellableLinesAreRefusedOneByOneAndNothingIsOrdered() async throws {
        try await withMaillage { app in
            // setup
            let hub = try await Self.hub(app, stock: 5)
            let unknown = "https://elsewhere.example/api/v1/dfc/enterprises/x/supplied_products/\(UUID())/offer"
            let document = try hub.order("2", quantity: "6").replacingOccurrences(
                of: #""dfc-b:hasPart": "https://hub.example.org/api/dfc/enterprises/7/orders/2/OrderLines/1","#,
                with: #""dfc-b:hasPart": ["https://hub.example.org/api/dfc/enterprises/7/orders/2/OrderLines/1", {"@type": "dfc-b:OrderLine", "dfc-b:quantity": 1, "dfc-b:concerns": "\#(unknown)"}, {"@type": "dfc-b:OrderLine", "dfc-b:quantity": "1.5", "dfc-b:concerns": "\#(hub.offer)"}],"#)
            // act
            let refused = try await hub.client.send(.POST, hub.path, json: document, headers: ["Accept-Language": "en"])
            // check
            #expect(refused.status == .unprocessableEntity, "\(refused.body.string.prefix(600))")
            let lines = (Self.node(refused, "dfc-b:Order")?["dfc-b:hasPart"] as? [[String: Any]]) ?? []
            let codes = lines.compactMap { ($0["maillage:refusal"] as? [String: Any])?["maillage:code"] as? String }.sorted()
            #expect(codes == ["invalid_quantity", "out_of_stock", "unknown_offer"], "\(refused.body.string.prefix(800))")
            let stock = lines.first { ($0["maillage:refusal"] as? [String: Any])?["maillage:code"] as? String == "out_of_stock" }
            #expect((stock?["maillage:refusal"] as? [String: Any])?["maillage:available"] as? String == "5")
            #expect(((stock?["maillage:refusal"] as? [String: Any])?["maillage:message"] as? String)?.contains("Only 5") == true)
            #expect(try await FoodTests().count(app, "food_orders") == 0)
            #expect(try await FoodTests().variantRow(app, hub.shop.variant).sold == 0)
            // A closed cycle refuses every line, saying why.
            try await app.db.sql.update("food_cycles").set("closes_at", to: SQLBind(Date().addingTimeInterval(-60)))
                .where("id", .equal, SQLBind(hub.shop.cycle.id)).run()
            let closed = try await hub.client.send(.POST, hub.path, json: try hub.order("3", quantity: "1"))
            #expect(closed.status == .conflict && closed.body.string.contains("cycle_closed"), "\(closed.status) \(closed.body.string.prefix(400))")
            // Not a DFC order at all: the one error shape.
            let notOrder = try await hub.client.send(.POST, hub.path, json: #"{"@context": "https://www.datafoodconsortium.org", "@type": "dfc-b:Person"}"#)
            #expect(notOrder.status == .unprocessableEntity && notOrder.errorCode == "no_dfc_order")
        }
    }

    @Test func anUpdateMovesOnlyTheDifferenceAndTwoCancelsGiveTheStockBackOnce() async throws {
        try await withMaillage { app in
            // setup
            let hub = try await Self.hub(app)
            let placed = try await hub.client.send(.POST, hub.path, json: try hub.order("4", quantity: "5"))
            let iri = try #require(Self.node(placed, "dfc-b:Order")?["@id"] as? String)
            let path = hub.path + "/" + (iri.split(separator: "/").last.map(String.init) ?? "")
            let sold = { try await FoodTests().variantRow(app, hub.shop.variant).sold }
            // act, check: more, then fewer, then more than is left
            let more = try await hub.client.send(.PATCH, path, json: try hub.order("4", quantity: "8"))
            #expect(more.status == .ok && Self.node(more, "dfc-b:OrderLine")?["dfc-b:quantity"] as? String == "8", "\(more.body.string.prefix(400))")
            #expect(try await sold() == 8)
            let fewer = try await hub.client.send(.PUT, path, json: try hub.order("4", quantity: "2"))
            #expect(fewer.status == .ok, "\(fewer.body.string.prefix(400))")
            #expect(try await sold() == 2)
            let tooMany = try await hub.client.send(.PUT, path, json: try hub.order("4", quantity: "41"))
            #expect(tooMany.status == .conflict && tooMany.body.string.contains("out_of_stock"), "\(tooMany.status)")
            #expect(try await sold() == 2, "a refused change leaves the order as it was")
            struct Total: Decodable { var total_cents: Int64; var goods_cents: Int64 }
            let total = try await app.db.sql.select().columns("total_cents", "goods_cents").from("food_orders").first(decoding: Total.self)
            #expect(total?.goods_cents == 600, "the order is priced again: 2 × 3,00 €")
            struct Line: Decodable { var quantity: Int64 }
            #expect(try await app.db.sql.select().column("quantity").from("food_order_lines").all(decoding: Line.self).map(\.quantity) == [2])
            #expect(try await FoodTests().count(app, "food_order_events WHERE from_status = 'confirmed' AND to_status = 'confirmed'") == 2,
                    "each change of quantities is in the order's history; the refused one is not")
            // Two cancels at once: one cancels, the other is told; the stock comes back once.
            async let first = hub.client.send(.DELETE, path)
            async let second = hub.client.send(.DELETE, path)
            let answers = try await [first, second].map(\.status).sorted { $0.code < $1.code }
            #expect(answers == [.ok, .conflict], "\(answers)")
            #expect(try await sold() == 0)
            let read = try await hub.client.send(.GET, path)
            #expect(Self.node(read, "dfc-b:Order")?["dfc-b:hasOrderStatus"] as? String == "dfc-v:Cancelled")
            let late = try await hub.client.send(.PATCH, path, json: try hub.order("4", quantity: "1"))
            #expect(late.status == .conflict && late.errorCode == "order_not_changeable")
        }
    }

    @Test func aDFCTokenReachesOnlyDFCOrdersAndOthersReachNoOneElsesOrder() async throws {
        try await withMaillage { app in
            // setup
            let hub = try await Self.hub(app, shoppers: 2)
            // check: nothing else with a DFC token
            let me = try await hub.client.send(.GET, "/api/v1/me")
            #expect(me.status == .forbidden && me.errorCode == "dfc_orders_only_token", "\(me.status)")
            let checkout = try await hub.client.send(.POST, hub.shop.path + "/cycles/\(hub.shop.cycle.id)/orders", json: hub.shop.checkoutBody())
            #expect(checkout.status == .forbidden && checkout.errorCode == "dfc_orders_only_token")
            // A read-only token does not order.
            let readOnly = APIClient(app: app, token: try await Tokens.create(for: hub.shop.producerUser, name: "r", scope: "read", on: app.db))
            #expect(try await readOnly.send(.POST, hub.path, json: try hub.order("5", quantity: "1")).status == .forbidden)
            // A plain member, neither producer nor coordinator, orders nothing by DFC.
            let member = try await hub.shop.clients[0].send(.POST, hub.path, json: try hub.order("6", quantity: "1"))
            #expect(member.status == .forbidden && member.errorCode == "producers_only", "\(member.status)")
            // A shopper's own shop order: a DFC caller who coordinates reads it, but does not change it by DFC.
            let shopOrder = try await hub.shop.clients[1].send(.POST, hub.shop.path + "/cycles/\(hub.shop.cycle.id)/orders", json: hub.shop.checkoutBody())
            let shopID = try #require(shopOrder.json["id"] as? String)
            #expect(try await hub.client.send(.GET, hub.path + "/" + shopID).status == .ok)
            let change = try await hub.client.send(.DELETE, hub.path + "/" + shopID)
            #expect(change.status == .conflict && change.errorCode == "not_a_dfc_order")
            // The token page offers the scope.
            let visitor = try await FoodDFCInteropTests.signedIn(app, hub.shop.producerUser)
            #expect(try await visitor.get("/account").body.string.contains("Commandes DFC"))
        }
    }
}

/// Open Food Network's own backorder, from the third-party documents: read as an order, its
/// foreign offers refused line by line, and taken once it names our offer and cycle.
@Suite(.tags(.conformance), .enabled(if: Fixtures.conformanceAvailable, Comment(rawValue: Fixtures.conformanceSkipReason)))
struct FoodDFCOrderConformance {
    @Test func openFoodNetworksBackorderIsTakenOnceItNamesOurOfferAndCycle() async throws {
        try await withMaillage { app in
            // setup
            let hub = try await FoodDFCOrderTests.hub(app)
            let text = String(decoding: try Fixtures.conformance("dfc/ofn-send-backorder.json"), as: UTF8.self)
            // act, check: as sent, its offer is another platform's
            let foreign = try await hub.client.send(.POST, hub.path, json: text)
            #expect(foreign.status == .unprocessableEntity && foreign.body.string.contains("unknown_offer"), "\(foreign.status) \(foreign.body.string.prefix(400))")
            // naming our offer and our cycle (the shape unchanged)
            let ours = text.replacingOccurrences(of: "http://test.host/api/dfc/enterprises/10000/offers/10001", with: hub.offer)
                .replacingOccurrences(of: "http://test.host/api/dfc/enterprises/10000/supplied_products\"", with: "\(hub.session)\"")
            let placed = try await hub.client.send(.POST, hub.path, json: ours)
            #expect(placed.status == .created, "\(placed.body.string.prefix(400))")
            #expect(try await FoodTests().variantRow(app, hub.shop.variant).sold == 1)
        }
    }
}
