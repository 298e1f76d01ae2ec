import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

@Suite("Ledger: floors are credit lines, set by the board and logged")
struct LedgerLimitsTests {
    /// A floor lets an account go below zero: the board may open one on a business's barter
    /// account or a member's hours, never on a euro wallet, the deposits or the capital — and
    /// every change is kept with who made it.
    @Test func theBoardSetsFloorsOnCreditLinesOnlyAndEveryChangeIsLogged() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            let coopID = try coop.requireID()
            let chloe = try #require(try await User.query(on: app.db).filter(\.$email == "chloe@demo.maillage.coop").first())
            let wallet = try await AccountBook.open(.wallet, cooperative: coopID, user: try chloe.requireID(), on: app.db)
            let deposits = try await AccountBook.open(.deposits, cooperative: coopID, on: app.db)
            let hours = try await AccountBook.open(.hours, cooperative: coopID, user: try chloe.requireID(), on: app.db)
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            try await alice.get("/c/\(coop.slug)/money")
            for account in [wallet, deposits] {
                let refused = try await alice.post("/c/\(coop.slug)/money/limits", [("account", account.id.uuidString), ("floor", "100")])
                #expect(refused.status == .unprocessableEntity, "\(account.purpose): \(refused.status)")
                #expect(refused.body.string.contains("Seuls les comptes à crédit"))
                #expect(try await AccountBook.find(account.id, on: app.db)?.floor == account.floor, "\(account.purpose) keeps its floor")
            }
            let granted = try await alice.post("/c/\(coop.slug)/money/limits", [("account", hours.id.uuidString), ("floor", "2")])
            #expect(granted.status == .seeOther, "\(granted.body.string.prefix(300))")
            #expect(try await AccountBook.find(hours.id, on: app.db)?.floor ?? 0 < 0, "the hours may now go below zero")
            struct Change: Decodable { var account_id: UUID; var floor_before: Int64?; var floor_after: Int64?; var changed_by: UUID? }
            let changes = try await app.db.sql.select().columns("account_id", "floor_before", "floor_after", "changed_by").from("ledger_limit_changes")
                .all(decoding: Change.self)
            let aliceID = try #require(try await User.query(on: app.db).filter(\.$email == "alice@demo.maillage.coop").first()).requireID()
            #expect(changes.count == 1 && changes.first?.account_id == hours.id && changes.first?.changed_by == aliceID)
            #expect(changes.first?.floor_before == hours.floor && (changes.first?.floor_after ?? 0) < 0)
        }
    }
}
