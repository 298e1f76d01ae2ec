import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

@Suite("Ledger: the year-end allocation, voted by two thirds then booked once", .serialized)
struct LedgerYearEndTests {
    /// SCIC minimums (15 % legal reserve, half the rest to the statutory reserve) and 2 % interest on shares.
    static let terms = AllocationTerms(legalReserve: 1_500, statutoryReserve: 5_000, interestRate: 200,
                                       interestCap: ShareInterestCap(averageYieldBasisPoints: 250))
    /// The shortest an allocation vote may run: fifteen days.
    static var closes: Date { Date().addingTimeInterval(AllocationVote.minimumDuration + 3_600) }

    struct Demo {
        var coop: Cooperative
        var coopID: UUID
        var people: [String: User]
        var year: Int
    }

    /// Les Paniers de la Sèvre (SCIC) from the demo: last year ended with a surplus.
    func paniers(_ app: Application) async throws -> Demo {
        let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
        var people: [String: User] = [:]
        for user in try await User.query(on: app.db).all() {
            people[String(user.email.prefix { $0 != "@" })] = user
        }
        return Demo(coop: coop, coopID: try coop.requireID(), people: people, year: YearEnd.currentYear() - 1)
    }

    func ballot(_ option: String) throws -> Data { try JSONEncoder().encode(option) }

    func count(category: String, _ coop: UUID, on db: any Database) async throws -> Int {
        struct Count: Decodable { var n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM ledger_transfers WHERE category = \(bind: category) AND cooperative_id = \(bind: coop)")
            .first(decoding: Count.self)?.n ?? -1
    }

    /// Posted balance of every account of the cooperative, by id.
    func balances(_ coop: UUID, on db: any Database) async throws -> [UUID: Int64] {
        Dictionary(uniqueKeysWithValues: try await AccountBook.accounts(of: coop, on: db).map { ($0.id, $0.posted) })
    }

    @Test func anAdoptedAllocationIsBookedOnceAsTheCoreComputedIt() async throws {
        try await withMaillage(demo: true) { app in
            // setup
            let demo = try await paniers(app)
            let figures = try await YearEnd.figures(demo.coop, year: demo.year, on: app.db)
            let expected = try SurplusAllocation.propose(for: figures, legalForm: demo.coop.form, terms: Self.terms)
            #expect(expected.result.minorUnits > 0, "the demo year ends with a surplus")
            #expect(expected.lines.contains { if case .interestOnShares = $0.destination { true } else { false } }, "members get interest")
            let legalLine = try #require(expected.lines.first { $0.destination == .legalReserve })
            let statutoryLine = try #require(expected.lines.first { $0.destination == .statutoryReserve })
            // Reserve and member accounts exist before, so their change can be read.
            let operating = try await AccountBook.open(.operating, cooperative: demo.coopID, on: app.db)
            let legal = try await AccountBook.open(.legalReserve, cooperative: demo.coopID, on: app.db)
            let statutory = try await AccountBook.open(.statutoryReserve, cooperative: demo.coopID, on: app.db)
            var wallets: [UUID: UUID] = [:]
            for line in expected.lines {
                guard let member = line.destination.member else { continue }
                wallets[member] = try await AccountBook.open(.wallet, cooperative: demo.coopID, user: member, on: app.db).id
            }
            let before = try await balances(demo.coopID, on: app.db)

            // act: the board proposes, the vote opens at once with a two-thirds majority
            let vote = try await YearEnd.propose(demo.coop, year: demo.year, terms: Self.terms, subsidies: .zero(.eur),
                                                 closesAt: Self.closes, by: try #require(demo.people["alice"]), on: app.db)
            #expect(vote.majority == RequiredMajority.twoThirds.rawValue)
            #expect(vote.electorateTakenAt != nil, "the vote is open")
            #expect(vote.options == [YearEnd.forOption, YearEnd.againstOption])
            var stored = try #require(try await YearEnd.allocations(of: demo.coopID, on: app.db).first)
            #expect(stored.status == "voting" && stored.allocation == expected, "the proposal is the core's allocation")
            // A second proposal for the same year is refused while this one is voted on.
            await #expect(throws: DomainError.self) {
                try await YearEnd.propose(demo.coop, year: demo.year, terms: Self.terms, subsidies: .zero(.eur),
                                          closesAt: Self.closes, by: try #require(demo.people["alice"]), on: app.db)
            }
            // The job books nothing while the vote runs.
            try await YearEnd.settleVotes(on: app.db)
            #expect(try await count(category: "allocation", demo.coopID, on: app.db) == 0)
            // 7 of the 9 members for, 2 against: more than two thirds.
            let voters = ["alice", "gaelle", "david", "chloe", "emma", "farid", "hugo", "ines", "jules"]
            for (index, handle) in voters.enumerated() {
                try await Votes.cast(try ballot(index < 7 ? YearEnd.forOption : YearEnd.againstOption), on: vote,
                                     by: try #require(demo.people[handle]), on: app.db)
            }
            // The votes job closes it once its time has passed; the booking job runs twice at once, then again.
            try await Votes.openAndCloseDue(on: app.db, now: Self.closes.addingTimeInterval(3_600))
            let closed = try await Votes.find(vote.requireID(), in: demo.coop, on: app.db)
            #expect(closed.outcome?.adopted == true && closed.outcome?.winners == [YearEnd.forOption])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<2 { group.addTask { try await YearEnd.settleVotes(on: app.db) } }
                try await group.waitForAll()
            }
            try await YearEnd.settleVotes(on: app.db)

            // check: one transfer per line, each account moved by exactly its line
            stored = try #require(try await YearEnd.allocations(of: demo.coopID, on: app.db).first)
            #expect(stored.status == "booked" && stored.booked_at != nil)
            #expect(try await count(category: "allocation", demo.coopID, on: app.db) == expected.lines.count, "booked once")
            let after = try await balances(demo.coopID, on: app.db)
            func change(_ id: UUID) -> Int64 { (after[id] ?? 0) - (before[id] ?? 0) }
            #expect(change(legal.id) == legalLine.amount.minorUnits)
            #expect(change(statutory.id) == statutoryLine.amount.minorUnits)
            #expect(change(operating.id) == -expected.allocated.minorUnits)
            #expect(expected.allocated == expected.result, "the whole surplus is allocated")
            for line in expected.lines {
                guard let member = line.destination.member, let wallet = wallets[member] else { continue }
                #expect(change(wallet) == line.amount.minorUnits, "member \(member) receives their interest")
            }
            #expect(after.values.reduce(0, +) == 0, "every unit balances")
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
            // SCIC: at least 57.5 % of the surplus goes to the impartible reserves.
            #expect((expected.impartibleBasisPoints ?? 0) >= 5_750)
        }
    }

    /// The board alone cannot book euros into wallets: the vote needs a quarter of the members,
    /// runs at least fifteen days, and interest on shares stays under the legal cap.
    @Test func theAllocationVoteHasAQuorumAFifteenDayWindowAndCappedInterest() async throws {
        try await withMaillage(demo: true) { app in
            let demo = try await paniers(app)
            let alice = try #require(demo.people["alice"])
            func refusal(_ terms: AllocationTerms, closes: Date) async -> String? {
                do {
                    _ = try await YearEnd.propose(demo.coop, year: demo.year, terms: terms, subsidies: .zero(.eur), closesAt: closes, by: alice, on: app.db)
                    return nil
                } catch let error as DomainError { return error.code } catch { return "\(error)" }
            }
            #expect(await refusal(Self.terms, closes: Date().addingTimeInterval(86_400)) == "allocation_vote_too_short")
            var greedy = Self.terms
            greedy.interestRate = 10_000
            #expect(await refusal(greedy, closes: Self.closes) == "interest_above_cap", "100 % interest")
            greedy.interestRate = 451
            #expect(await refusal(greedy, closes: Self.closes) == "interest_above_cap", "just above 2.5 % + 2 points")
            var unknownCap = Self.terms
            unknownCap.interestCap = nil
            #expect(await refusal(unknownCap, closes: Self.closes) == "interest_cap_unknown")
            #expect(try await YearEnd.allocations(of: demo.coopID, on: app.db).isEmpty, "nothing proposed")
            let vote = try await YearEnd.propose(demo.coop, year: demo.year, terms: Self.terms, subsidies: .zero(.eur),
                                                 closesAt: Self.closes, by: alice, on: app.db)
            #expect(vote.quorum == "1/4" && vote.majority == RequiredMajority.twoThirds.rawValue)
            // Alice alone votes for it: no quorum, nothing booked.
            try await Votes.cast(try ballot(YearEnd.forOption), on: vote, by: alice, on: app.db)
            try await Votes.openAndCloseDue(on: app.db, now: Self.closes.addingTimeInterval(3_600))
            try await YearEnd.settleVotes(on: app.db)
            let closed = try await Votes.find(vote.requireID(), in: demo.coop, on: app.db)
            #expect(closed.outcome?.quorumReached == false && closed.outcome?.adopted == false)
            #expect(try await count(category: "allocation", demo.coopID, on: app.db) == 0)
        }
    }

    @Test func aSimpleMajorityIsNotEnoughAndARejectedAllocationBooksNothing() async throws {
        try await withMaillage(demo: true) { app in
            // setup
            let demo = try await paniers(app)
            let alice = try #require(demo.people["alice"])
            let before = try await balances(demo.coopID, on: app.db)
            let vote = try await YearEnd.propose(demo.coop, year: demo.year, terms: Self.terms, subsidies: .zero(.eur),
                                                 closesAt: Self.closes, by: alice, on: app.db)
            // act: 5 for, 4 against — a majority, not two thirds
            let voters = ["alice", "gaelle", "david", "chloe", "emma", "farid", "hugo", "ines", "jules"]
            for (index, handle) in voters.enumerated() {
                try await Votes.cast(try ballot(index < 5 ? YearEnd.forOption : YearEnd.againstOption), on: vote,
                                     by: try #require(demo.people[handle]), on: app.db)
            }
            try await Votes.openAndCloseDue(on: app.db, now: Self.closes.addingTimeInterval(3_600))
            try await YearEnd.settleVotes(on: app.db)
            try await YearEnd.settleVotes(on: app.db)

            // check
            let closed = try await Votes.find(vote.requireID(), in: demo.coop, on: app.db)
            #expect(closed.outcome?.adopted != true, "5 of 9 is not two thirds")
            let stored = try #require(try await YearEnd.allocations(of: demo.coopID, on: app.db).first)
            #expect(stored.status == "rejected" && stored.booked_at == nil)
            #expect(try await count(category: "allocation", demo.coopID, on: app.db) == 0)
            let after = try await balances(demo.coopID, on: app.db)
            #expect(before.allSatisfy { after[$0.key] == $0.value }, "no balance moved")
            // The year is free again for a new proposal.
            let again = try await YearEnd.propose(demo.coop, year: demo.year, terms: Self.terms, subsidies: .zero(.eur),
                                                  closesAt: Self.closes, by: alice, on: app.db)
            #expect(again.id != vote.id)
            #expect(try await YearEnd.allocations(of: demo.coopID, on: app.db).map(\.status).sorted() == ["rejected", "voting"])
        }
    }

    @Test func onlyTheBoardProposesAndADeficitYearHasNothingToAllocate() async throws {
        try await withMaillage(demo: true) { app in
            let demo = try await paniers(app)
            await #expect(throws: DomainError.self, "a plain member does not propose") {
                try await YearEnd.propose(demo.coop, year: demo.year, terms: Self.terms, subsidies: .zero(.eur),
                                          closesAt: Self.closes, by: try #require(demo.people["emma"]), on: app.db)
            }
            // Ten years ago the books were empty: no surplus.
            do {
                _ = try await YearEnd.propose(demo.coop, year: demo.year - 10, terms: Self.terms, subsidies: .zero(.eur),
                                              closesAt: Self.closes, by: try #require(demo.people["alice"]), on: app.db)
                Issue.record("a year without surplus cannot be allocated")
            } catch let error as DomainError {
                #expect(error.code == "no_surplus")
            }
            #expect(try await YearEnd.allocations(of: demo.coopID, on: app.db).isEmpty, "no claim left behind")
        }
    }
}
