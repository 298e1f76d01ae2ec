import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// One answer of the concurrency test.
struct TransferOutcome: Sendable {
    var index: Int
    var status: UInt
    var id: String?
    var code: String
}

@Suite("Ledger: transfers, limits, idempotency, statements", .serialized)
struct LedgerTests {
    /// A time bank with `count` members holding API tokens, made directly in the database.
    func timeBank(_ app: Application, members count: Int, floorMinutes: Int64 = -60) async throws -> (Cooperative, [User], [APIClient]) {
        var users: [User] = [], clients: [APIClient] = []
        for index in 0..<count {
            let user = User(email: "t\(index)@example.org", passwordHash: "x", displayName: "Voisin·e \(index)")
            try await user.create(on: app.db)
            users.append(user)
            clients.append(APIClient(app: app, token: try await Tokens.create(for: user, name: "tests", on: app.db)))
        }
        let draft = CooperativeDraft(name: "Banque de Temps des Tests", slug: "temps-des-tests", legalForm: .association1901,
                                     commune: "Nantes", description: "Une banque de temps pour les tests.", activities: [.exchange],
                                     colleges: [], shareNominalCents: 0, charter: [])
        let coop = try await Cooperatives.create(draft, creator: users[0], review: .approved, on: app.db)
        for user in users.dropFirst() {
            let membership = Membership()
            membership.$cooperative.id = try coop.requireID()
            membership.$user.id = try user.requireID()
            membership.shares = 0
            membership.role = MemberRole.member.rawValue
            membership.status = MembershipStatus.active.rawValue
            membership.message = ""
            try await membership.create(on: app.db)
        }
        try await CreditSettings(defaultLine: 0, yearlyFee: 0, timeFloor: floorMinutes).save(try coop.requireID(), on: app.db)
        return (coop, users, clients)
    }

    func hours(_ app: Application, _ coop: Cooperative, _ user: User) async throws -> LedgerAccountRow {
        try await AccountBook.open(.hours, cooperative: coop.requireID(), user: user.requireID(), on: app.db)
    }

    @Test func thousandsOfConcurrentTransfersNearTheFloorsKeepEveryUnitBalanced() async throws {
        try await withMaillage { app in
            let (coop, users, clients) = try await timeBank(app, members: 16, floorMinutes: -60)
            var accounts: [LedgerAccountRow] = []
            for user in users { accounts.append(try await hours(app, coop, user)) }
            let ids = accounts.map(\.id)
            // 2,000 transfers of 5 to 40 minutes between 16 accounts whose floor is one hour; a retry is sent
            // right after its first attempt, so both are in flight together:
            // many are refused at the floor; a quarter are sent twice with the same key.
            var random = SplitMix64(seed: 2026)
            struct Planned: Sendable { var payer: Int; var payee: Int; var minutes: Int64; var key: String; var twice: Bool }
            let planned: [Planned] = (0..<2_000).map { n in
                let payer = Int.random(in: 0..<16, using: &random)
                var payee = Int.random(in: 0..<15, using: &random)
                if payee >= payer { payee += 1 }
                return Planned(payer: payer, payee: payee, minutes: Int64.random(in: 5...40, using: &random), key: "k\(n)", twice: n % 4 == 0)
            }
            // Every request, retries included, sent 32 at a time over real sockets (the client's pool).
            let requests = planned.enumerated().flatMap { index, plan in Array(repeating: (index, plan), count: plan.twice ? 2 : 1) }
            var outcomes: [TransferOutcome] = []
            try await withRunningServer(app) { base in
                for start in stride(from: 0, to: requests.count, by: 32) {
                    let batch = Array(requests[start..<min(start + 32, requests.count)])
                    let answers = try await withThrowingTaskGroup(of: TransferOutcome.self, returning: [TransferOutcome].self) { group in
                        for (index, plan) in batch {
                            group.addTask {
                                let body = #"{"debit": "\#(ids[plan.payer])", "credit": "\#(ids[plan.payee])", "amount": \#(plan.minutes), "memo": "service \#(index)"}"#
                                let (status, json) = try await clients[plan.payer].post(to: base, "/api/v1/cooperatives/\(coop.slug)/transfers", json: body,
                                                                                        headers: ["Idempotency-Key": plan.key])
                                let code = (json["error"] as? [String: Any])?["code"] as? String
                                return TransferOutcome(index: index, status: status, id: json["id"] as? String, code: code ?? "")
                            }
                        }
                        var collected: [TransferOutcome] = []
                        for try await answer in group { collected.append(answer) }
                        return collected
                    }
                    outcomes += answers
                }
            }
            #expect(outcomes.allSatisfy { $0.status < 500 }, "no server error")
            let accepted = Dictionary(grouping: outcomes.filter { $0.status == 201 || $0.status == 200 }, by: { $0.index })
            let refused = outcomes.filter { $0.status == 409 }
            let odd = refused.filter { $0.code != "below_floor" }
            #expect(odd.isEmpty, "refusals are only at the floor: \(odd.prefix(3).map { "\($0.index) \($0.status) \($0.code) \($0.id ?? "")" })")
            #expect(!refused.isEmpty && !accepted.isEmpty, "the run reaches the floors: \(accepted.count) accepted, \(refused.count) refused")
            // A retried request got the same transfer back, never a second one.
            for (_, answers) in accepted { #expect(Set(answers.compactMap { $0.id }).count == 1) }
            #expect(outcomes.filter { $0.status == 201 }.count == accepted.count, "one creation per accepted transfer")
            struct Count: Decodable { var n: Int }
            let stored = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM ledger_transfers").first(decoding: Count.self)?.n
            #expect(stored == accepted.count, "no transfer lost or doubled")
            #expect(try await LedgerAudit.run(on: app.db).isEmpty, "every unit balances, every account within its floor")
            let after = try await AccountBook.accounts(of: coop.requireID(), on: app.db)
            #expect(after.allSatisfy { $0.posted >= -60 })
            #expect(after.reduce(0) { $0 + $1.posted } == 0)
            // Each balance is what its accepted transfers give.
            var expected = [Int64](repeating: 0, count: 16)
            for (index, _) in accepted {
                expected[planned[index].payer] -= planned[index].minutes
                expected[planned[index].payee] += planned[index].minutes
            }
            for (index, id) in ids.enumerated() { #expect(after.first { $0.id == id }?.posted == expected[index]) }
        }
    }

    @Test func aReservationHoldsMoneyUntilPostedVoidedOrExpired() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            let coopID = try coop.requireID()
            let emma = try #require(try await User.query(on: app.db).filter(\.$email == "emma@demo.maillage.coop").first())
            let client = APIClient(app: app, token: try await Tokens.create(for: emma, name: "tests", on: app.db))
            let wallet = try await AccountBook.open(.wallet, cooperative: coopID, user: emma.requireID(), on: app.db)
            let operating = try await AccountBook.open(.operating, cooperative: coopID, on: app.db)
            let start = wallet.posted
            #expect(start > 3_000)
            func reserve(_ cents: Int64, expires: Date? = nil) async throws -> TestingHTTPResponse {
                let expiry = expires.map { #", "expiresAt": "\#(ISO8601DateFormatter().string(from: $0))""# } ?? ""
                return try await client.send(.POST, "/api/v1/cooperatives/\(coop.slug)/transfers",
                                             json: #"{"debit": "\#(wallet.id)", "credit": "\#(operating.id)", "amount": \#(cents), "pending": true\#(expiry)}"#)
            }
            let first = try await reserve(start - 1_000)
            #expect(first.status == .created)
            let firstID = try #require(first.json["id"] as? String)
            #expect(try await AccountBook.find(wallet.id, on: app.db)?.account.balance.available == 1_000)
            let tooMuch = try await reserve(1_001)
            #expect(tooMuch.status == .conflict && tooMuch.errorCode == "below_floor", "a reservation counts as spent")
            // An unreadable amount is refused, never read as "post everything".
            let unreadable = try await client.send(.POST, "/api/v1/cooperatives/\(coop.slug)/transfers/\(firstID)/post", json: #"{"amount": "beaucoup"}"#)
            #expect(unreadable.status.code == 400 || unreadable.status.code == 422)
            #expect(try await AccountBook.find(wallet.id, on: app.db)?.debitsPending == start - 1_000, "still reserved, nothing posted")
            // Weighed at less than reserved: the rest is released.
            let posted = try await client.send(.POST, "/api/v1/cooperatives/\(coop.slug)/transfers/\(firstID)/post", json: #"{"amount": \#(start - 1_500)}"#)
            #expect(posted.status == .created)
            var now = try #require(try await AccountBook.find(wallet.id, on: app.db))
            #expect(now.posted == 1_500 && now.debitsPending == 0)
            let again = try await client.send(.POST, "/api/v1/cooperatives/\(coop.slug)/transfers/\(firstID)/void")
            #expect(again.status == .conflict && again.errorCode == "pending_settled")
            // Voided, then an abandoned one expires by the job.
            let second = try await reserve(500)
            let secondID = try #require(second.json["id"] as? String)
            #expect(try await client.send(.POST, "/api/v1/cooperatives/\(coop.slug)/transfers/\(secondID)/void").status == .created)
            _ = try await reserve(700, expires: Date().addingTimeInterval(60))
            now = try #require(try await AccountBook.find(wallet.id, on: app.db))
            #expect(now.debitsPending == 700)
            #expect(try await LedgerStore.expireDue(now: Date().addingTimeInterval(120), on: app.db) == 1)
            now = try #require(try await AccountBook.find(wallet.id, on: app.db))
            #expect(now.debitsPending == 0 && now.posted == 1_500)
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
        }
    }

    @Test func badTransfersGetClearErrorsAndMoveNothing() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            let coopID = try coop.requireID()
            let emma = try #require(try await User.query(on: app.db).filter(\.$email == "emma@demo.maillage.coop").first())
            let farid = try #require(try await User.query(on: app.db).filter(\.$email == "farid@demo.maillage.coop").first())
            let client = APIClient(app: app, token: try await Tokens.create(for: emma, name: "tests", on: app.db))
            let mine = try await AccountBook.open(.wallet, cooperative: coopID, user: emma.requireID(), on: app.db)
            let theirs = try await AccountBook.open(.wallet, cooperative: coopID, user: farid.requireID(), on: app.db)
            let path = "/api/v1/cooperatives/\(coop.slug)/transfers"
            let before = try await AccountBook.accounts(of: coopID, on: app.db).map(\.posted)
            let zero = try await client.send(.POST, path, json: #"{"debit": "\#(mine.id)", "credit": "\#(theirs.id)", "amount": 0}"#)
            #expect(zero.status == .unprocessableEntity && zero.errorCode == "amount_not_positive")
            let stealing = try await client.send(.POST, path, json: #"{"debit": "\#(theirs.id)", "credit": "\#(mine.id)", "amount": 100}"#)
            #expect(stealing.status == .forbidden)
            let same = try await client.send(.POST, path, json: #"{"debit": "\#(mine.id)", "credit": "\#(mine.id)", "amount": 100}"#)
            #expect(same.status == .unprocessableEntity && same.errorCode == "same_account")
            let overdraft = try await client.send(.POST, path, json: #"{"debit": "\#(mine.id)", "credit": "\#(theirs.id)", "amount": 99999999}"#)
            #expect(overdraft.status == .conflict && overdraft.errorCode == "below_floor")
            #expect((overdraft.json["error"] as? [String: Any])?["message"] as? String != nil)
            let garbage = try await client.send(.POST, path, json: #"{"debit": "nope"}"#)
            #expect(garbage.status.code == 400 || garbage.status.code == 422)
            // The same key for something else is refused; for the same thing, replayed.
            let ok = try await client.send(.POST, path, json: #"{"debit": "\#(mine.id)", "credit": "\#(theirs.id)", "amount": 100}"#, headers: ["Idempotency-Key": "abc"])
            #expect(ok.status == .created)
            let replay = try await client.send(.POST, path, json: #"{"debit": "\#(mine.id)", "credit": "\#(theirs.id)", "amount": 100}"#, headers: ["Idempotency-Key": "abc"])
            #expect(replay.status == .ok && replay.json["id"] as? String == ok.json["id"] as? String)
            let reused = try await client.send(.POST, path, json: #"{"debit": "\#(mine.id)", "credit": "\#(theirs.id)", "amount": 200}"#, headers: ["Idempotency-Key": "abc"])
            #expect(reused.status == .conflict && reused.errorCode == "idempotency_key_reused")
            let after = try await AccountBook.accounts(of: coopID, on: app.db).map(\.posted)
            #expect(zip(before, after).filter { $0 != $1 }.count == 2, "only the one accepted transfer moved money")
        }
    }

    @Test func theBoardCorrectsATransferOnceByReversingIt() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            let alice = try #require(try await User.query(on: app.db).filter(\.$email == "alice@demo.maillage.coop").first())
            let board = APIClient(app: app, token: try await Tokens.create(for: alice, name: "tests", on: app.db))
            struct Row: Decodable { var id: UUID }
            let sale = try #require(try await app.db.sql.select().column("id").from("ledger_transfers")
                .where("category", .equal, SQLBind("fee")).where("cooperative_id", .equal, SQLBind(try coop.requireID())).first(decoding: Row.self))
            let path = "/api/v1/cooperatives/\(coop.slug)/transfers/\(sale.id)/reverse"
            let results = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<8 { group.addTask { try await board.send(.POST, path, json: #"{"memo": "Frais remboursés"}"#).status.code } }
                var codes: [UInt] = []
                for try await code in group { codes.append(code) }
                return codes
            }
            #expect(results.filter { $0 == 201 }.count == 1, "reversed once: \(results)")
            #expect(results.filter { $0 == 409 }.count == 7)
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
        }
    }
}
