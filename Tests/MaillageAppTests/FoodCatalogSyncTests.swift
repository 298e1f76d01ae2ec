import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import MaillageApp
@testable import MaillageCore
import MaillageTestFixtures

/// A producer's catalog served by a real HTTP server, read by the nightly job: changed, unchanged
/// (conditional GET), a product removed, then a source that keeps failing.
@Suite(.serialized) struct FoodCatalogSyncTests {
    /// The cider catalog, plus a perry when `withPerry`.
    static func catalog(price: String, withPerry: Bool) throws -> String {
        var text = try Fixtures.string("food/packs-euro.json").replacingOccurrences(of: #""4.50""#, with: "\"\(price)\"")
        if withPerry {
            text = text.replacingOccurrences(of: #""@graph": ["#, with: #"""
                "@graph": [
                {"@id": "https://shop.example/api/dfc/sp/perry", "@type": "dfc-b:SuppliedProduct", "dfc-b:name": "Poiré", "dfc-b:referencedBy": "https://shop.example/api/dfc/sp/perry/ci"},
                {"@id": "https://shop.example/api/dfc/sp/perry/ci", "@type": "dfc-b:CatalogItem", "dfc-b:offeredThrough": "https://shop.example/api/dfc/sp/perry/offer"},
                {"@id": "https://shop.example/api/dfc/sp/perry/offer", "@type": "dfc-b:Offer",
                 "dfc-b:hasPrice": {"@type": "dfc-b:Price", "dfc-b:value": "6", "dfc-b:VATrate": "20", "dfc-b:hasUnit": "dfc-m:Euro"}},
                """#)
        }
        return text
    }

    /// What the remote platform answers: a catalog with its ETag, or an error.
    enum Served: Sendable { case catalog(String, etag: String), failing }

    @Test func theNightlyJobFollowsTheCatalogAndFlagsASourceThatKeepsFailing() async throws {
        let served = NIOLockedValueBox<Served>(.catalog(try Self.catalog(price: "4.50", withPerry: true), etag: "\"v1\""))
        let server = try await LocalServer.start { request in
            switch served.withLockedValue({ $0 }) {
            case .failing:
                return .answer("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            case .catalog(let body, let etag):
                if request.lowercased().contains("if-none-match: \(etag.lowercased())") {
                    return .answer("HTTP/1.1 304 Not Modified\r\nETag: \(etag)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                }
                return .answer("HTTP/1.1 200 OK\r\nContent-Type: application/ld+json\r\nETag: \(etag)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
            }
        }
        defer { server.stop() }
        try await withMaillage { app in
            // setup: the producer registers the address of their catalog on their page.
            app.safeFetchPolicy = .allowing([("127.0.0.1", server.port)])
            let shop = try await FoodTests().shop(app, shoppers: 1)
            let visitor = try await FoodDFCInteropTests.signedIn(app, shop.producerUser)
            let page = "/c/\(shop.coop.slug)/food/products?producer=\(shop.producer.id)"
            #expect(try await visitor.get(page).body.string.contains("catalog_url"), "the products page offers the catalog address")
            let refused = try await visitor.post("/c/\(shop.coop.slug)/food/products/catalog-source?producer=\(shop.producer.id)", [("catalog_url", "ftp://x")])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("ftp://x"), "the address comes back with what to fix: \(refused.status) \(refused.body.string.prefix(300))")
            let saved = try await visitor.post("/c/\(shop.coop.slug)/food/products/catalog-source?producer=\(shop.producer.id)",
                                               [("catalog_url", "http://127.0.0.1:\(server.port)/catalog.json")])
            #expect(saved.status == .seeOther)
            var night = Date()
            func products() async throws -> [Product] { try await FoodCatalogStore.products(of: shop.producer.id, on: app.db) }

            // act 1: the first night reads the catalog.
            try await FoodCatalogSync.runDue(app, now: night)
            let first = try await products()
            let cider = try #require(first.first { $0.name == "Cidre brut" })
            #expect(first.map(\.name).sorted() == ["Cidre brut", "Poiré", "Pommes"])
            #expect(cider.variants.map(\.priceCents) == [450, 2400])

            // act 2: an hour later nothing is due; the next night the catalog has not changed (304).
            try await FoodCatalogSync.runDue(app, now: night.addingTimeInterval(3600))
            #expect(server.requests.count == 1, "not fetched again before the next night")
            night = night.addingTimeInterval(21 * 3600)
            try await FoodCatalogSync.runDue(app, now: night)
            #expect(server.requests.last?.lowercased().contains("if-none-match: \"v1\"") == true, "a conditional GET")
            #expect(try await FoodCatalogSync.log(of: shop.producer.id, on: app.db).first?.outcome == "unchanged")

            // act 3: the price changed and the perry is gone.
            served.withLockedValue { $0 = .catalog(try! Self.catalog(price: "5.00", withPerry: false), etag: "\"v2\"") }
            night = night.addingTimeInterval(21 * 3600)
            try await FoodCatalogSync.runDue(app, now: night)
            let third = try await products()
            #expect(third.map(\.name).sorted() == ["Cidre brut", "Pommes"], "the perry is withdrawn")
            #expect(third.first { $0.id == cider.id }?.variants.map(\.priceCents) == [500, 2400], "matched by its catalog id, not duplicated")
            let archived = try await FoodCatalogStore.products(of: shop.producer.id, includingArchived: true, on: app.db)
            #expect(archived.contains { $0.name == "Poiré" }, "withdrawn, not deleted: past orders keep it")

            // act 4: the platform fails three nights in a row.
            served.withLockedValue { $0 = .failing }
            for _ in 1...3 {
                night = night.addingTimeInterval(21 * 3600)
                try await FoodCatalogSync.runDue(app, now: night)
            }
            // check: the products stay, the producer is told, the log is dated.
            #expect(try await products().count == 2)
            let source = try #require(try await FoodCatalogSync.source(of: shop.producer.id, on: app.db))
            #expect(source.failures == 3)
            let log = try await FoodCatalogSync.log(of: shop.producer.id, on: app.db)
            #expect(log.map(\.outcome) == ["failed", "failed", "failed", "updated", "unchanged", "updated"])
            #expect(log.first?.message_en.hasPrefix("Failed: ") == true)
            let html = try await visitor.get(page).body.string
            #expect(html.contains("n’a pas pu être lu 3 fois de suite") && html.contains("<time datetime="), "\(html.count)")
            // A success clears the flag.
            served.withLockedValue { $0 = .catalog(try! Self.catalog(price: "5.00", withPerry: false), etag: "\"v3\"") }
            let now = try await visitor.post("/c/\(shop.coop.slug)/food/products/catalog-source/sync?producer=\(shop.producer.id)", [])
            #expect(now.status == .seeOther)
            #expect(try await FoodCatalogSync.source(of: shop.producer.id, on: app.db)?.failures == 0)
        }
    }
}
