import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// The store API of Coursiers Nantais (demo): a store's software previews, orders, reads and
/// cancels with a token made on the store's page; a token never reaches another store's
/// deliveries; bad input is a clear JSON error.
@Suite("Delivery store API: tokens scoped to a store", .serialized)
struct DeliveryAPITests {
    static let slug = "coursiers-nantais"
    static let api = "/api/v1/cooperatives/\(slug)/delivery"

    /// Pickup at the Épicerie, dropoff Place Royale with two crates: 8 € under 3 km.
    static let order = #"""
        {"vehicle": "bike", "tasks": [
          {"kind": "pickup", "address": "12 rue de la Marne, Nantes", "lat": 47.2162, "lon": -1.5510},
          {"kind": "dropoff", "address": "Place Royale, Nantes", "lat": 47.2146, "lon": -1.5590, "contactName": "Mme Girard",
           "phone": "06 11 22 33 44", "packages": [{"type": "Caisse de légumes", "quantity": 2}], "reference": "CMD-42", "tags": ["frais"]}]}
        """#

    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, token: String?, json: String? = nil) async throws -> TestingHTTPResponse {
        var headers: HTTPHeaders = [:]
        if let token { headers.add(name: DeliveryAPITokens.header, value: token) }
        if json != nil { headers.add(name: .contentType, value: "application/json") }
        return try await app.testing().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    static func object(_ response: TestingHTTPResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.string.utf8))) as? [String: Any] ?? [:]
    }

    static func errorCode(_ response: TestingHTTPResponse) -> String? { (object(response)["error"] as? [String: Any])?["code"] as? String }
    static func errorField(_ response: TestingHTTPResponse) -> String? { (object(response)["error"] as? [String: Any])?["field"] as? String }

    static func token(for store: String, _ app: Application) async throws -> String {
        let id = try await DeliveryTests.storeID(store, app)
        return try await DeliveryAPITokens.create(name: "Caisse", store: id, by: nil, on: app.db).token
    }

    @Test func aStoreMakesATokenOnItsPageAndItsSoftwareOrdersWithIt() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@\(DemoTerritory.domain)")
            let store = try await DeliveryTests.storeID("Épicerie Le Panier Nantais", app)
            let page = "/c/\(Self.slug)/delivery/stores/\(store)/connect"
            #expect(try await chloe.get(page).status == .ok)
            let made = try await chloe.post("/c/\(Self.slug)/delivery/stores/\(store)/tokens", [("token_name", "Logiciel de caisse")])
            #expect(made.status == .seeOther)
            let shown = try await chloe.get(page).body.string
            let token = try #require(shown.range(of: #"mld_[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(shown[$0]) }, "the token is shown once")
            #expect(shown.contains("Logiciel de caisse"))
            #expect(try await chloe.get(page).body.string.range(of: "mld_") == nil, "and never again")

            // The preview says it would be accepted, its price and split, and orders nothing.
            let count = try await app.db.sql.select().column("id").from("deliveries").all().count
            let preview = try await Self.send(app, .POST, "\(Self.api)/preview", token: token, json: Self.order)
            #expect(preview.status == .ok, "\(preview.body.string)")
            let assessed = Self.object(preview)
            #expect(assessed["accepted"] as? Bool == true && assessed["priceCents"] as? Int == 800)
            #expect((assessed["split"] as? [String: Any])?["couriersCents"] as? Int == 560)
            #expect(try await app.db.sql.select().column("id").from("deliveries").all().count == count)

            // Ordered through the same code as the page: the same price, an event from the API.
            let created = try await Self.send(app, .POST, "\(Self.api)/deliveries", token: token, json: Self.order)
            #expect(created.status == .created, "\(created.body.string)")
            let delivery = Self.object(created)
            let id = try #require((delivery["id"] as? String).flatMap(UUID.init(uuidString:)))
            #expect(delivery["status"] as? String == "todo" && delivery["priceCents"] as? Int == 800)
            #expect((delivery["trackingUrl"] as? String)?.contains("/delivery/track/") == true)
            let stops = try #require(delivery["tasks"] as? [[String: Any]])
            #expect(stops.count == 2 && stops[1]["reference"] as? String == "CMD-42")
            #expect(try await DeliveryOrders.events(of: id, on: app.db).map(\.channel) == ["api"])

            let listed = try await Self.send(app, .GET, "\(Self.api)/deliveries", token: token)
            let ids = ((try? JSONSerialization.jsonObject(with: Data(listed.body.string.utf8))) as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids.contains(id.uuidString) || ids.contains(id.uuidString.lowercased()))
            #expect(try await Self.send(app, .GET, "\(Self.api)/deliveries/\(id)", token: token).status == .ok)

            // Cancelled once; a second cancel says where it stands.
            let cancelled = try await Self.send(app, .POST, "\(Self.api)/deliveries/\(id)/cancel", token: token)
            #expect(cancelled.status == .ok && Self.object(cancelled)["status"] as? String == "cancelled")
            let again = try await Self.send(app, .POST, "\(Self.api)/deliveries/\(id)/cancel", token: token)
            #expect(again.status == .conflict && Self.errorCode(again) == "delivery_status_conflict")

            // Revoked on the page: refused at once.
            let tokenID = try #require(try await DeliveryAPITokens.all(of: store, on: app.db).first?.id)
            #expect(try await chloe.post("/c/\(Self.slug)/delivery/stores/\(store)/tokens/\(tokenID)/revoke", []).status == .seeOther)
            let revoked = try await Self.send(app, .GET, "\(Self.api)/deliveries", token: token)
            #expect(revoked.status == .unauthorized && Self.errorCode(revoked) == "unauthorized")
        }
    }

    @Test func aTokenOfOneStoreNeverReachesAnothersDeliveries() async throws {
        try await withMaillage(demo: true) { app in
            let token = try await Self.token(for: "Épicerie Le Panier Nantais", app)
            let bookshop = try await DeliveryTests.storeID("Librairie Les Bien-Aimés", app)
            let theirs = try #require(try await app.db.sql.select().column("id").from("deliveries").where("store_id", .equal, SQLBind(bookshop))
                .where("status", .equal, SQLBind("todo")).first(decoding: IDRow.self)?.id)
            #expect(try await Self.send(app, .GET, "\(Self.api)/deliveries/\(theirs)", token: token).status == .notFound)
            let cancel = try await Self.send(app, .POST, "\(Self.api)/deliveries/\(theirs)/cancel", token: token)
            #expect(cancel.status == .notFound)
            #expect(try await DeliveryOrders.delivery(theirs, in: try await DeliveryTests.coopID(app), on: app.db).status == "todo")
            let listed = try await Self.send(app, .GET, "\(Self.api)/deliveries", token: token)
            let stores = Set(((try? JSONSerialization.jsonObject(with: Data(listed.body.string.utf8))) as? [[String: Any]] ?? []).compactMap { $0["store"] as? String })
            let mine = try await DeliveryTests.storeID("Épicerie Le Panier Nantais", app)
            #expect(!stores.isEmpty && stores.allSatisfy { $0.lowercased() == mine.uuidString.lowercased() })
            // No token, a made-up one, or a member's own API token: 401, nothing read.
            #expect(try await Self.send(app, .GET, "\(Self.api)/deliveries", token: nil).status == .unauthorized)
            #expect(try await Self.send(app, .GET, "\(Self.api)/deliveries", token: "mld_made-up").status == .unauthorized)
            // A store of another cooperative would not be found under this slug either.
            #expect(try await Self.send(app, .GET, "/api/v1/cooperatives/paniers-de-la-sevre/delivery/deliveries", token: token).status == .notFound)
        }
    }

    @Test func badInputIsAClearJSONErrorOnItsField() async throws {
        try await withMaillage(demo: true) { app in
            let token = try await Self.token(for: "Épicerie Le Panier Nantais", app)
            let malformed = try await Self.send(app, .POST, "\(Self.api)/deliveries", token: token, json: "{\"tasks\": [")
            #expect(malformed.status == .badRequest && Self.errorCode(malformed) == "malformed_body")
            let missing = try await Self.send(app, .POST, "\(Self.api)/deliveries", token: token, json: "{}")
            #expect(missing.status == .unprocessableEntity && Self.errorField(missing) == "tasks")
            let nowhere = #"{"tasks": [{"kind": "pickup", "address": "ici", "commune": "Nantes"}, {"kind": "dropoff", "address": "là"}]}"#
            let noPlace = try await Self.send(app, .POST, "\(Self.api)/deliveries", token: token, json: nowhere)
            #expect(noPlace.status == .unprocessableEntity && Self.errorField(noPlace) == "tasks[1].commune", "\(noPlace.body.string)")
            let wrongType = Self.order.replacingOccurrences(of: "Caisse de légumes", with: "Piano")
            let piano = try await Self.send(app, .POST, "\(Self.api)/deliveries", token: token, json: wrongType)
            #expect(piano.status == .unprocessableEntity && Self.errorField(piano) == "tasks[1].packages[0].type")
            let badDate = #"{"tasks": [{"kind": "pickup", "address": "ici", "commune": "Nantes", "after": "demain"}, {"kind": "dropoff", "address": "là", "commune": "Nantes"}]}"#
            let date = try await Self.send(app, .POST, "\(Self.api)/deliveries", token: token, json: badDate)
            #expect(date.status == .unprocessableEntity && Self.errorField(date) == "tasks[0].after")
            // Too far for the store: refused with the reason, in French when asked.
            let far = Self.order.replacingOccurrences(of: "47.2146", with: "47.2975").replacingOccurrences(of: "-1.5590", with: "-1.4920")
            var headers: HTTPHeaders = [DeliveryAPITokens.header: token, "Content-Type": "application/json", "Accept-Language": "fr"]
            headers.add(name: .accept, value: "application/json")
            let refused = try await app.testing().sendRequest(.POST, "\(Self.api)/deliveries", headers: headers, body: ByteBuffer(string: far))
            #expect(refused.status == .unprocessableEntity && Self.errorCode(refused) == "delivery_too_far")
            #expect(refused.body.string.contains("8 km"))
            let preview = Self.object(try await Self.send(app, .POST, "\(Self.api)/preview", token: token, json: far))
            #expect(preview["accepted"] as? Bool == false)
            #expect(((preview["refusals"] as? [[String: Any]])?.first?["code"] as? String) == "delivery_too_far")
        }
    }

    @Test func racingCancelsLeaveOneCancelAndOneEvent() async throws {
        try await withMaillage(demo: true) { app in
            let token = try await Self.token(for: "Épicerie Le Panier Nantais", app)
            let created = Self.object(try await Self.send(app, .POST, "\(Self.api)/deliveries", token: token, json: Self.order))
            let id = try #require((created["id"] as? String).flatMap(UUID.init(uuidString:)))
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<6 { group.addTask { try await Self.send(app, .POST, "\(Self.api)/deliveries/\(id)/cancel", token: token).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 5)
            #expect(try await DeliveryOrders.events(of: id, on: app.db).map(\.to_status) == ["todo", "cancelled"])
        }
    }
}
