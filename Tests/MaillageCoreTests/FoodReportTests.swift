import Foundation
import Testing
@testable import MaillageCore

@Suite struct FoodReportTests {
    static let cycle = FoodWorld.cycle()
    static let variants = FoodWorld.products.flatMap { $0.variants.map(\.id) }
    static let fulfilments: [Fulfilment] = [FoodWorld.pickup, .pickup(point: FoodWorld.hall.id, slot: FoodWorld.hall.slots[1].id),
                                            .pickup(point: FoodWorld.shop.id, slot: FoodWorld.shop.slots[0].id), .homeDelivery(address: "2 rue Basse")]

    /// `count` orders, most confirmed, some collected, pending, cancelled or expired.
    static func orders(_ count: Int, seed: UInt64) throws -> [FoodOrder] {
        var random = SplitMix64(seed: seed)
        return try (0..<count).map { n in
            let lines = (0..<Int.random(in: 1...5, using: &random)).map { _ in
                CartLine(variantID: variants.randomElement(using: &random)!, quantity: Int.random(in: 1...4, using: &random))
            }
            var order = try FoodOrder.place(id: FoodWorld.id(UInt64(1_000_000 + n)), number: n + 1, cycle: cycle, catalog: FoodWorld.catalog,
                                            cart: lines, shopperID: FoodWorld.id(UInt64(2_000_000 + n)), shopperName: "Client \(n + 1)",
                                            fulfilment: fulfilments.randomElement(using: &random)!,
                                            payment: Bool.random(using: &random) ? .atPickup : .memberCredit, at: FoodWorld.at(hours: 1))
            switch Int.random(in: 0..<10, using: &random) {
            case 0: break
            case 1: _ = try order.cancel(by: .shopper, at: FoodWorld.at(hours: 1), cycle: cycle)
            default:
                _ = try order.confirm(at: FoodWorld.at(hours: 1), cycle: cycle)
                if Int.random(in: 0..<5, using: &random) == 0 { _ = try order.collect(at: FoodWorld.at(hours: 24 * 8), cycle: cycle) }
            }
            return order
        }
    }

    @Test func reportsOfTwoThousandOrdersAddUp() throws {
        // setup
        let orders = try Self.orders(2_000, seed: 6)
        let counted = orders.filter(\.countsInReports)
        // act
        let harvest = HarvestReport(orders: orders, producerNames: FoodWorld.producerNames)
        let pickup = PickupReport(cycle: Self.cycle, orders: orders)
        let totals = CycleTotals(orders: orders, producerNames: FoodWorld.producerNames)
        // check: every counted item is harvested once, every counted order handed out once
        var expected: [UUID: Int] = [:]
        for order in counted { for line in order.cart.lines { expected[line.variantID, default: 0] += line.quantity } }
        var harvested: [UUID: Int] = [:]
        for producer in harvest.producers { for line in producer.lines { harvested[line.variantID, default: 0] += line.quantity } }
        #expect(harvested == expected)
        #expect(harvest.producers.map(\.name) == ["Domaine Vert", "Ferme des Prés", "Fournil du Bourg"])
        let handedOut = pickup.groups.flatMap(\.entries).map(\.orderID)
        #expect(handedOut.count == counted.count && Set(handedOut) == Set(counted.map(\.id)))
        #expect(pickup.groups.map(\.slot?.id) == [FoodWorld.id(201), FoodWorld.id(202), FoodWorld.id(211), nil])
        #expect(pickup.groups.allSatisfy { $0.entries.map(\.number) == $0.entries.map(\.number).sorted() })
        let toCollect: Int64 = pickup.groups.map(\.toCollectCents).reduce(0, +)
        let paidAtPickup: Int64 = counted.filter { $0.payment == .atPickup }.map(\.cart.totalCents).reduce(0, +)
        #expect(toCollect == paidAtPickup)
        // money: payouts + fees + delivery = what shoppers paid
        #expect(totals.orderCount == counted.count)
        #expect(totals.totalCents == counted.map(\.cart.totalCents).reduce(0, +))
        let payouts: Int64 = totals.producers.map(\.payoutCents).reduce(0, +)
        #expect(payouts + totals.feeCents + totals.deliveryCents == totals.totalCents)
        #expect(totals.producers.map(\.goodsCents).reduce(0, +) == totals.goodsCents)
        #expect(totals.producers.map(\.goodsCents).reduce(0, +) == harvest.producers.map(\.goodsCents).reduce(0, +))
        #expect(totals.vat.map(\.grossCents).reduce(0, +) == totals.goodsCents)
        // CSV: a header and one row per harvested variant / handed-out order
        #expect(harvest.csv(.fr).components(separatedBy: "\r\n").count - 2 == harvest.producers.map(\.lines.count).reduce(0, +))
        #expect(pickup.csv(.en).components(separatedBy: "\r\n").count - 2 == counted.count)
        #expect(CSV.parse(pickup.csv(.fr)).dropFirst().allSatisfy { $0.fields.count == 9 })
    }

    @Test func aSmallCycleReportsExactFigures() throws {
        var orders = try Self.orders(0, seed: 1)
        for (n, (lines, fulfilment)) in [([CartLine(variantID: FoodWorld.id(101), quantity: 2), CartLine(variantID: FoodWorld.id(141), quantity: 1)], FoodWorld.pickup),
                                         ([CartLine(variantID: FoodWorld.id(101), quantity: 1)], Fulfilment.homeDelivery(address: "2 rue Basse, Vif"))].enumerated() {
            var order = try FoodOrder.place(id: FoodWorld.id(UInt64(700 + n)), number: n + 1, cycle: Self.cycle, catalog: FoodWorld.catalog, cart: lines,
                                            shopperID: FoodWorld.id(800), shopperName: n == 0 ? "Alix" : "=Bob", fulfilment: fulfilment,
                                            payment: .atPickup, at: FoodWorld.at(hours: 2))
            _ = try order.confirm(at: FoodWorld.at(hours: 2), cycle: Self.cycle)
            orders.append(order)
        }
        let harvest = HarvestReport(orders: orders, producerNames: FoodWorld.producerNames)
        #expect(harvest.csv(.fr) == "Producteur,Produit,Variante,Quantité,Montant TTC\r\n"
                + "Domaine Vert,Vin rouge,75 cL,1,12.90\r\nFerme des Prés,Pommes Jonagold,1 kg,3,10.50\r\n")
        let totals = CycleTotals(orders: orders, producerNames: FoodWorld.producerNames)
        // 10 % fee: order 1 = 1990 → 199 (70 farm + 129 vineyard); order 2 = 350 → 35; delivery 500.
        // VAT at 5,5 % is the sum of the receipts (36 c + 18 c), not recomputed on 10,50 € (55 c).
        #expect(totals.csv(.en) == "Producer,Sales incl. VAT,Cooperative fee,Payout\r\n"
                + "Domaine Vert,12.90,1.29,11.61\r\nFerme des Prés,10.50,1.05,9.45\r\nTotal,23.40,2.34,21.06\r\n"
                + "Delivery,5.00,,\r\nPaid by shoppers,28.40,,\r\nof which VAT 5.5%,0.54,,\r\nof which VAT 20%,2.15,,\r\n")
        let pickup = PickupReport(cycle: Self.cycle, orders: orders)
        let rows = CSV.parse(pickup.csv(.fr))
        #expect(rows.map { $0.fields[0] } == ["Point de retrait", "Salle des fêtes", "Livraison à domicile"])
        #expect(rows[1].fields[1] == "2026-01-09T00:00:00Z")
        #expect(rows[1].fields[5] == "Pommes Jonagold — 1 kg × 2 ; Vin rouge — 75 cL × 1")
        // A shopper name that looks like a formula is neutralised by the one CSV writer.
        #expect(rows[2].fields[4] == "'=Bob" && rows[2].fields[8] == "2 rue Basse, Vif")
    }

    @Test func ordersOfAPointThatLeftTheCycleAreStillListed() throws {
        let orders = try Self.orders(50, seed: 3).filter(\.countsInReports)
        var cycle = Self.cycle
        cycle.pickupPoints.removeAll { $0.id == FoodWorld.shop.id }
        let report = PickupReport(cycle: cycle, orders: orders)
        #expect(report.groups.flatMap(\.entries).count == orders.count)
    }
}
