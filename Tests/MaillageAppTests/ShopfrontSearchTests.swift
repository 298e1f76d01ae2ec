import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing

/// A word found in thousands of products ("ferme" in every producer's name) is searched on the
/// listing rows, a rarer one through the word index: the shopper gets the same answer either way,
/// the one the core's rule gives when run over every product of the cycle.
@Suite("Shopfront search: common and rare words")
struct ShopfrontSearchTests {
    /// More products than `FoodProductWords.sortedMatchesLimit`, all named "Cageot …"; one in 50
    /// also "rhubarbe". Zero-padded numbers: the name order is the same in every collation.
    static let count = FoodProductWords.sortedMatchesLimit + 100

    func stockCrates(in cycle: UUID, coop: UUID, producer: ProducerRow, on db: any Database) async throws {
        let rows = (0..<Self.count).map { n in
            FoodBulkProducts.Row(producerID: producer.id, producerName: producer.name,
                                 name: (n % 50 == 0 ? "Cageot rhubarbe " : "Cageot ") + String(format: "%04d", n), category: "Fruits",
                                 label: "5 kg", quantityThousandths: 5000, priceCents: 1200)
        }
        try await FoodBulkProducts.insert(rows, cooperative: coop, on: db)
        try await FoodCycles.insertOffers(rows.map { CycleOffer(variantID: $0.variant, productID: $0.product, producerID: $0.producerID) },
                                          cycle: cycle, on: db)
    }

    /// What the shopper should get: the core's rule over every product the cycle sells, by name.
    func expected(_ text: String, cycle: UUID, on db: any Database) async throws -> [String] {
        struct Listed: Decodable { var name: String; var search: String }
        let listed = try await db.sql.raw("SELECT name, search FROM food_cycle_products WHERE cycle_id = \(bind: cycle)").all(decoding: Listed.self)
        let tokens = SearchText.tokens(text)
        return listed.filter { SearchText.matches(tokens: tokens, indexed: $0.search) }.map(\.name).sorted()
    }

    @Test func commonAndRareWordsFindWhatTheRuleFinds() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            let coopID = try coop.requireID()
            let cycle = try #require(try await FoodCycles.open(in: coopID, on: app.db).first)
            let gaelle = try #require(try await User.query(on: app.db).filter(\.$email == "gaelle@\(DemoTerritory.domain)").first()?.id)
            let producer = try #require(try await FoodCatalogStore.producer(user: gaelle, in: coopID, on: app.db))
            try await stockCrates(in: cycle.id, coop: coopID, producer: producer, on: app.db)
            #expect(try await FoodProductWords.isCommon("cageot", on: app.db.sql), "in more products than a sorted page takes")
            #expect(try await !FoodProductWords.isCommon("rhubarbe", on: app.db.sql))

            for text in ["cageot", "CAGEOTS", "cageot rhubarbe", "rhubarbe", "cageot fruit", "cageot zzzz"] {
                let all = try await expected(text, cycle: cycle.id, on: app.db)
                let pageCount = max(1, (all.count + FoodShopfront.pageSize - 1) / FoodShopfront.pageSize)
                for page in Set([1, 3, pageCount]) {
                    let found = try await FoodShopfront.page(cycle: cycle.id, .init(text: text, page: page), on: app.db)
                    #expect(found.total == all.count, "the count of \(text)")
                    // A page past the last shows the last one.
                    let start = (min(page, pageCount) - 1) * FoodShopfront.pageSize
                    let want = Array(all[start..<min(all.count, start + FoodShopfront.pageSize)])
                    #expect(found.items.map(\.name) == want, "page \(page) of \(text)")
                }
            }
            #expect(try await expected("cageot", cycle: cycle.id, on: app.db).count == Self.count)
            #expect(try await expected("cageot rhubarbe", cycle: cycle.id, on: app.db).count == (Self.count + 49) / 50)
        }
    }
}
