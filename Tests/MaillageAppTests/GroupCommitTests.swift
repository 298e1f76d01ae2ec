import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

@Suite("Ledger group commit: postings share a transaction, each keeps its own outcome", .serialized)
struct GroupCommitTests {
    /// Four time-bank accounts with a one-hour floor.
    func accounts(_ app: Application) async throws -> (UUID, [AccountID]) {
        let founder = User(email: "groupe@example.org", passwordHash: "x", displayName: "Groupe")
        try await founder.create(on: app.db)
        let draft = CooperativeDraft(name: "Temps Groupé", slug: "temps-groupe", legalForm: .association1901, commune: "Nantes",
                                     description: "Une banque de temps pour tester l’écriture groupée.", activities: [.exchange],
                                     colleges: [], shareNominalCents: 0, charter: [])
        let coop = try await Cooperatives.create(draft, creator: founder, review: .approved, on: app.db)
        let coopID = try coop.requireID()
        try await CreditSettings(defaultLine: 0, yearlyFee: 0, timeFloor: -60).save(coopID, on: app.db)
        var ids: [AccountID] = []
        for index in 0..<4 {
            let user = User(email: "g\(index)@example.org", passwordHash: "x", displayName: "G \(index)")
            try await user.create(on: app.db)
            ids.append(AccountID(try await AccountBook.open(.hours, cooperative: coopID, user: user.requireID(), on: app.db).id))
        }
        return (coopID, ids)
    }

    func posting(_ coop: UUID, _ from: AccountID, _ to: AccountID, _ minutes: Int64, key: String? = nil) -> Posting {
        Posting(transfer: Transfer(debit: from, credit: to, amount: .time(minutes: minutes), memo: "service", idempotencyKey: key, time: Date()),
                cooperative: coop, category: .service)
    }

    /// The app's group-commit queue: SQLite has one; on PostgreSQL (off by default) the test adds
    /// one with two writers, so the same path runs on both engines.
    func queue(_ app: Application) -> PostingGroups? {
        if app.db.postingGroups == nil && app.db.isPostgres { app.databases.middleware.use(PostingGroups(writers: 2), on: .psql) }
        return app.db.postingGroups
    }

    /// `body` for every item, `width` in flight at a time, as a server's connection pool lets
    /// requests in (thousands at once would only measure the pool's timeout on a loaded machine).
    func inWaves<Item: Sendable, Outcome: Sendable>(_ items: [Item], width: Int = 24,
                                                    _ body: @escaping @Sendable (Item) async throws -> Outcome) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for start in stride(from: 0, to: items.count, by: width) {
            outcomes += try await withThrowingTaskGroup(of: Outcome.self) { group in
                for item in items[start..<min(start + width, items.count)] { group.addTask { try await body(item) } }
                var wave: [Outcome] = []
                for try await outcome in group { wave.append(outcome) }
                return wave
            }
        }
        return outcomes
    }

    func posted(_ id: AccountID, on db: any Database) async throws -> Int64? {
        try await AccountBook.find(id.uuid, on: db)?.posted
    }

    @Test func aRefusedMemberRollsBackOnlyItselfAndGetsItsOwnError() async throws {
        try await withMaillage { app in
            // setup
            let (coop, ids) = try await accounts(app)
            let group: [[Posting]] = [
                [posting(coop, ids[0], ids[1], 40, key: "a")],
                [posting(coop, ids[0], ids[2], 40)],                       // 80 minutes out of account 0: below its floor
                [posting(coop, ids[2], ids[3], 30), posting(coop, ids[3], ids[1], 100)], // all or none: the second leg fails
                [posting(coop, ids[1], ids[0], 10, key: "a")],             // the key of the first member again
                [posting(coop, ids[3], ids[2], 15)],
            ]

            // act
            let results = await PostingGroups.write(group, on: app.db)

            // check
            func code(_ result: Result<Void, any Error>) -> String {
                switch result {
                case .success: "ok"
                case .failure(let error as DomainError): error.code
                case .failure(let error): String(describing: type(of: error))
                }
            }
            #expect(results.map(code) == ["ok", "below_floor", "below_floor", "KeyClash", "ok"])
            #expect(try await posted(ids[0], on: app.db) == -40)
            #expect(try await posted(ids[1], on: app.db) == 40)
            #expect(try await posted(ids[2], on: app.db) == 15, "the pair of member 3 left nothing behind")
            #expect(try await posted(ids[3], on: app.db) == -15)
            struct Count: Decodable { var n: Int }
            #expect(try await app.db.sql.raw("SELECT COUNT(*) AS n FROM ledger_transfers").first(decoding: Count.self)?.n == 2)
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
        }
    }

    @Test func aGroupMixingSettlementsRetriesAndRefusalsKeepsEachOutcome() async throws {
        try await withMaillage { app in
            // setup: a reservation and a transfer with a key, already stored
            let (coop, ids) = try await accounts(app)
            let reserved = Transfer(debit: ids[2], credit: ids[3], amount: .time(minutes: 20), time: Date(), phase: .pending(expiresAt: nil))
            try await LedgerStore.post([Posting(transfer: reserved, cooperative: coop, category: .service)], on: app.db, grouped: false)
            try await LedgerStore.post([posting(coop, ids[3], ids[0], 10, key: "stored")], on: app.db, grouped: false)
            let group: [[Posting]] = [
                [Posting(transfer: Transfer(debit: ids[0], credit: ids[1], amount: .time(minutes: 30), time: Date(),
                                            phase: .pending(expiresAt: nil)), cooperative: coop, category: .service)],
                [Posting(transfer: .posting(reserved, time: Date()), cooperative: coop, category: .service)], // settles: statements
                [posting(coop, ids[3], ids[0], 10, key: "stored")],    // a retry of what is stored
                [posting(coop, ids[1], ids[2], 70)],                  // a pending credit does not count: below the floor
            ]

            // act
            let results = await PostingGroups.write(group, on: app.db)

            // check
            let codes = results.map { result -> String in
                switch result {
                case .success: "ok"
                case .failure(let error as DomainError): error.code
                case .failure(let error): String(describing: type(of: error))
                }
            }
            #expect(codes == ["ok", "ok", "KeyClash", "below_floor"])
            let rows = try await AccountBook.accounts(of: coop, on: app.db)
            func row(_ id: AccountID) throws -> LedgerAccountRow { try #require(rows.first { $0.id == id.uuid }) }
            #expect(try row(ids[0]).posted == 10 && row(ids[0]).debitsPending == 30)
            #expect(try row(ids[1]).posted == 0 && row(ids[1]).creditsPending == 30)
            #expect(try row(ids[2]).posted == -20 && row(ids[2]).debitsPending == 0)
            #expect(try row(ids[3]).posted == 10 && row(ids[3]).creditsPending == 0)
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
        }
    }

    @Test func theBookDecidesAGroupInMemoryAndWritesItWithoutFallingBack() async throws {
        try await withMaillage { app in
            // setup
            let (coop, ids) = try await accounts(app)
            let group: [[Posting]] = [
                [posting(coop, ids[0], ids[1], 50)],
                [posting(coop, ids[0], ids[2], 20)],                                      // 70 out of account 0: below its floor
                [posting(coop, ids[1], ids[2], 30), posting(coop, ids[2], ids[3], 45)],  // a pair, both legs fit
                [posting(coop, ids[3], ids[0], 5, key: "k"), posting(coop, ids[3], ids[1], 5, key: "k")], // one key twice
            ]

            // act: straight through the book, with no savepoint and no member-by-member fallback
            let results = try await app.db.writeTransaction { db in try await GroupPosting.write(group, on: db) }

            // check
            let codes = results.map { result -> String in
                switch result {
                case .success: "ok"
                case .failure(let error as DomainError): error.code
                case .failure(let error): String(describing: type(of: error))
                }
            }
            #expect(codes == ["ok", "below_floor", "ok", "KeyClash"])
            #expect(try await posted(ids[0], on: app.db) == -50)
            #expect(try await posted(ids[1], on: app.db) == 20)
            #expect(try await posted(ids[2], on: app.db) == -15)
            #expect(try await posted(ids[3], on: app.db) == 45)
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
        }
    }

    @Test func concurrentPostingsAreGroupedAndAnswerAsIfAlone() async throws {
        try await withMaillage { app in
            // setup: 300 postings, 24 at a time, between 4 accounts with a one-hour floor; every fifth sent twice
            let (coop, ids) = try await accounts(app)
            var random = SplitMix64(seed: 5)
            let planned: [(Int, Int, Int64, String)] = (0..<300).map { n in
                let a = Int.random(in: 0..<4, using: &random)
                let b = (a + Int.random(in: 1..<4, using: &random)) % 4
                return (a, b, Int64.random(in: 5...50, using: &random), "k\(n)")
            }
            let sends = planned.enumerated().flatMap { index, plan in Array(repeating: (index, plan), count: index % 5 == 0 ? 2 : 1) }
            let groups = try #require(queue(app))
            let before = await groups.written()

            // act
            let outcomes = try await inWaves(sends) { index, plan in
                do {
                    let stored = try await LedgerStore.post(posting(coop, ids[plan.0], ids[plan.1], plan.2, key: plan.3), on: app.db)
                    return (index, "ok", Optional(stored.id.uuid))
                } catch let error as DomainError {
                    return (index, error.code, nil)
                }
            }

            // check: refusals only at the floor, a retry gets the same transfer, the books match the answers
            let after = await groups.written()
            let grouped = after.members - before.members, transactions = after.groups - before.groups
            #expect(transactions < grouped, "postings in flight together share transactions (\(grouped) in \(transactions))")
            #expect(Set(outcomes.map(\.1)).isSubset(of: ["ok", "below_floor"]), "\(Set(outcomes.map(\.1)))")
            let accepted = Dictionary(grouping: outcomes.filter { $0.1 == "ok" }, by: \.0)
            for (_, answers) in accepted { #expect(Set(answers.map(\.2)).count == 1, "a retry gets the same transfer") }
            var expected = [Int64](repeating: 0, count: 4)
            for index in accepted.keys {
                expected[planned[index].0] -= planned[index].2
                expected[planned[index].1] += planned[index].2
            }
            for (index, id) in ids.enumerated() { #expect(try await posted(id, on: app.db) == expected[index]) }
            #expect(expected.allSatisfy { $0 >= -60 })
            struct Count: Decodable { var n: Int }
            #expect(try await app.db.sql.raw("SELECT COUNT(*) AS n FROM ledger_transfers").first(decoding: Count.self)?.n == accepted.count)
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
        }
    }

    @Test func groupsAndLoneTransfersWritingTogetherNeitherDeadlockNorLoseAnything() async throws {
        try await withMaillage { app in
            // setup: a queue writing three groups at once (as on PostgreSQL), beside transfers written
            // alone and pairs of transfers written together, all between the same four accounts
            let (coop, ids) = try await accounts(app)
            let lanes = PostingGroups(writers: 3)
            var random = SplitMix64(seed: 11)
            let planned: [[(Int, Int, Int64)]] = (0..<240).map { n in
                (0..<(n % 3 == 2 ? 2 : 1)).map { _ in
                    let a = Int.random(in: 0..<4, using: &random)
                    return (a, (a + Int.random(in: 1..<4, using: &random)) % 4, Int64.random(in: 1...12, using: &random))
                }
            }

            // act
            let outcomes = try await inWaves(Array(planned.enumerated())) { index, legs in
                let postings = legs.map { posting(coop, ids[$0.0], ids[$0.1], $0.2) }
                do {
                    if index % 2 == 0 {
                        try await lanes.commit(postings, on: app.db)
                    } else {
                        try await LedgerStore.post(postings, on: app.db, grouped: false)
                    }
                    return (index, "ok")
                } catch let error as DomainError {
                    return (index, error.code)
                } catch {
                    return (index, String(reflecting: error))
                }
            }

            // check: only refusals at a floor, and the books are exactly the accepted transfers
            let odd = outcomes.filter { $0.1 != "ok" && $0.1 != "below_floor" }
            #expect(odd.isEmpty, "no deadlock or other failure: \(odd.prefix(2))")
            var expected = [Int64](repeating: 0, count: 4), count = 0
            for (index, outcome) in outcomes where outcome == "ok" {
                for leg in planned[index] {
                    expected[leg.0] -= leg.2
                    expected[leg.1] += leg.2
                    count += 1
                }
            }
            for (index, id) in ids.enumerated() { #expect(try await posted(id, on: app.db) == expected[index]) }
            struct Count: Decodable { var n: Int }
            #expect(try await app.db.sql.raw("SELECT COUNT(*) AS n FROM ledger_transfers").first(decoding: Count.self)?.n == count)
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
        }
    }
}
