import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

extension FoodTests {
    /// Patronage (the base of a patronage refund) counts what members bought and kept: whatever
    /// sequence of orders and cancellations, a member's patronage is the total of the orders
    /// they did not cancel — order-then-cancel loops earn nothing.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func patronageIsWhatMembersKeptWhateverTheyOrderedAndCancelled(seed: UInt64) async throws {
        try await withMaillage { app in
            var random = SplitMix64(seed: seed)
            let shop = try await shop(app, shoppers: 2, stock: 400, fee: 1_000)
            let coopID = try shop.coop.requireID()
            let clearing = try await AccountBook.open(.clearing, cooperative: coopID, on: app.db)
            var kept: [UUID: Int64] = [:]
            for index in 0..<2 {
                let shopper = try shop.shoppers[index].requireID()
                let wallet = try await AccountBook.open(.wallet, cooperative: coopID, user: shopper, on: app.db)
                try await LedgerStore.post(Posting(transfer: Transfer(debit: AccountID(clearing.id), credit: AccountID(wallet.id),
                                                                      amount: .euros(cents: 100_000), memo: "Virement", time: Date()),
                                                   cooperative: coopID, category: .topUp), on: app.db)
                kept[shopper] = 0
            }
            for _ in 0..<12 {
                let index = Int.random(in: 0..<2, using: &random)
                let shopper = try shop.shoppers[index].requireID()
                let quantity = Int.random(in: 1...3, using: &random)
                let placed = try await shop.clients[index].send(.POST, shop.path + "/cycles/\(shop.cycle.id)/orders",
                                                                json: shop.checkoutBody(quantity: quantity, payment: "memberCredit"))
                #expect(placed.status == .created, "\(placed.body.string)")
                let id = try #require(placed.json["id"] as? String)
                let total = try #require(placed.json["totalCents"] as? Int)
                if Bool.random(using: &random) {
                    let cancelled = try await shop.clients[index].send(.POST, shop.path + "/orders/\(id)/cancel")
                    #expect(cancelled.status == .ok, "\(cancelled.body.string)")
                } else {
                    kept[shopper, default: 0] += Int64(total)
                }
            }
            let figures = try await YearEnd.figures(shop.coop, year: YearEnd.currentYear(), on: app.db)
            for (shopper, total) in kept {
                let patronage = figures.members.first { $0.member == shopper }?.patronage
                #expect(patronage == total, "seed \(seed): patronage \(patronage ?? -1) for \(total) kept")
            }
        }
    }
}
