import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import MaillageApp
@testable import MaillageCore
import MaillageTestFixtures

/// Orders by DFC and shop checkouts draw on the same stock through the same conditional
/// statement: at the opening of a cycle, with both arriving at once, the last items go once.
@Suite struct FoodDFCOrderConcurrencyTests {
    @Test func threeHundredOrdersForFortyUnitsHalfByDFCSellExactlyForty() async throws {
        try await withMaillage { app in
            // setup
            let hub = try await FoodDFCOrderTests.hub(app, shoppers: 150, stock: 40)
            struct Outcome: Sendable { var dfc: Bool; var status: UInt; var id: String?; var code: String }
            var outcomes: [Outcome] = []
            // act: 300 orders of one unit each, every other one by DFC, 32 in flight at a time over real sockets
            try await withRunningServer(app) { base in
                for start in stride(from: 0, to: 300, by: 32) {
                    outcomes += try await withThrowingTaskGroup(of: Outcome.self, returning: [Outcome].self) { group in
                        for index in start..<min(start + 32, 300) {
                            group.addTask {
                                if index % 2 == 0 {
                                    let (status, json) = try await hub.client.post(to: base, hub.path, json: try hub.order("rush-\(index)", quantity: "1"))
                                    let graph = json["@graph"] as? [[String: Any]] ?? []
                                    let order = graph.first { $0["@type"] as? String == "dfc-b:Order" }
                                    let refusal = ((order?["dfc-b:hasPart"] as? [[String: Any]])?.first?["maillage:refusal"] as? [String: Any])?["maillage:code"] as? String
                                    return Outcome(dfc: true, status: status, id: status < 300 ? order?["@id"] as? String : nil,
                                                   code: refusal ?? ((json["error"] as? [String: Any])?["code"] as? String) ?? "")
                                }
                                let (status, json) = try await hub.shop.clients[index / 2].post(to: base, hub.shop.path + "/cycles/\(hub.shop.cycle.id)/orders",
                                                                                               json: hub.shop.checkoutBody())
                                return Outcome(dfc: false, status: status, id: json["id"] as? String,
                                               code: ((json["error"] as? [String: Any])?["code"] as? String) ?? "")
                            }
                        }
                        var out: [Outcome] = []
                        for try await outcome in group { out.append(outcome) }
                        return out
                    }
                }
            }
            // check
            #expect(outcomes.allSatisfy { $0.status < 500 }, "no server error: \(outcomes.filter { $0.status >= 500 }.map(\.code))")
            let sold = outcomes.filter { $0.status == 201 }
            let refused = outcomes.filter { $0.status == 409 }
            #expect(sold.count == 40 && Set(sold.compactMap(\.id)).count == 40, "exactly 40 orders for 40 units: \(sold.count)")
            #expect(refused.allSatisfy { $0.code == "out_of_stock" }, "refusals say the stock is gone: \(Set(refused.map(\.code)))")
            #expect(sold.count + refused.count == 300, "\(Dictionary(grouping: outcomes, by: \.status).mapValues(\.count))")
            // 260 refusals over 150 orders of each kind: both kinds met the empty stock.
            #expect(refused.contains(where: \.dfc) && refused.contains { !$0.dfc }, "both kinds were refused for stock")
            let row = try await FoodTests().variantRow(app, hub.shop.variant)
            #expect(row.sold == 40 && row.reserved == 0, "sold \(row.sold), held \(row.reserved)")
            #expect(try await FoodTests().count(app, "food_orders WHERE status = 'confirmed'") == 40)
            #expect(try await FoodTests().count(app, "food_orders") == 40, "a refused order leaves nothing behind")
            #expect(try await FoodTests().count(app, "food_orders WHERE idempotency_key LIKE 'dfc:%'") == sold.filter(\.dfc).count)
            struct Sum: Decodable { var n: Int64 }
            let lines = try await app.db.sql.raw("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) AS n FROM food_order_lines").first(decoding: Sum.self)?.n
            #expect(lines == 40, "the sold count is the sum of the orders' lines")
        }
    }
}
