import Foundation
import MaillageCore
import Testing

/// Random sequences of transfers — immediate, pending, posted, voided, expired, reversed,
/// batched, retried, between accounts near their limits and amounts near overflow. After every
/// step the ledger is audited: each unit balanced (debits = credits, posted and pending), no
/// account outside its floor or ceiling, every balance equal to its journal's. A refused step
/// must leave the ledger exactly as it was. Seeded, so any failure replays.
@Suite struct LedgerPropertyTests {
    static let seeds: [UInt64] = Array(1...40)

    struct Run {
        var random: SplitMix64
        var ledger = Ledger()
        var ids: [AccountID] = []
        var clock = 0
        var keys = 0

        init(seed: UInt64) throws {
            random = SplitMix64(seed: seed)
            // Per unit: a system account money comes in through, and a few members near their limits.
            for (u, unit) in UnitOfAccount.allCases.enumerated() {
                for n in 0..<Int.random(in: 3...5, using: &random) {
                    let id = AccountID(fixedUUID(seed << 16 | UInt64(u * 8 + n)))
                    let owner: AccountOwner = n == 0 ? .system : .member(fixedUUID(UInt64(n)))
                    let floor: Int64? = n == 0 ? (Bool.random(using: &random) ? nil : -Int64.random(in: 0...Int64.max, using: &random))
                        : [0, -Int64.random(in: 1...10_000, using: &random)].randomElement(using: &random)!
                    let ceiling: Int64? = Bool.random(using: &random) ? nil : Int64.random(in: 1_000...30_000, using: &random)
                    try ledger.open(Account(id: id, owner: owner, unit: unit, limits: BalanceLimits(floor: floor, ceiling: ceiling)))
                    ids.append(id)
                }
            }
        }

        /// Mostly small amounts, sometimes huge ones to reach the 64-bit edge.
        mutating func amount() -> Int64 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0: Int64.random(in: Int64.max / 4...Int64.max, using: &random)
            case 1: 0
            default: Int64.random(in: 1...5_000, using: &random)
            }
        }

        mutating func time() -> Date {
            clock += Int.random(in: 0...5, using: &random)
            return LedgerWorld.at(clock)
        }

        mutating func key() -> String? {
            guard Int.random(in: 0..<3, using: &random) == 0 else { return nil }
            keys += 1
            // Now and then a key already used, by a retry or by mistake for another transfer.
            return "k\(Int.random(in: 0..<5, using: &random) == 0 ? Int.random(in: 1...keys, using: &random) : keys)"
        }

        /// Mostly a transfer that fits the step (an open reservation, a posted transfer), now and
        /// then any, to try the refusals.
        mutating func pick(_ fitting: [Transfer]) -> Transfer? {
            let any = Int.random(in: 0..<5, using: &random) == 0
            return (any ? ledger.journal : fitting).randomElement(using: &random)
        }

        var openReservations: [Transfer] { ledger.journal.filter { ledger.status(ofPending: $0.id) == .open } }
        var reversible: [Transfer] { ledger.journal.filter { $0.movesPostedBalance && ledger.reversal(of: $0.id) == nil } }

        mutating func fresh() -> Transfer {
            // A third of the time money comes in from outside, so members have something to pay with.
            let systems = ids.filter { ledger.accounts[$0]!.owner == .system }
            let debit = (Int.random(in: 0..<3, using: &random) == 0 ? systems : ids).randomElement(using: &random)!
            let sameUnit = ids.filter { ledger.accounts[$0]!.unit == ledger.accounts[debit]!.unit }
            let credit = (Int.random(in: 0..<10, using: &random) == 0 ? ids : sameUnit.filter { $0 != debit })
                .randomElement(using: &random)!
            // Usually the debit account's unit; sometimes another, to try mixing units.
            let unit = Int.random(in: 0..<8, using: &random) == 0 ? UnitOfAccount.allCases.randomElement(using: &random)!
                : ledger.accounts[debit]!.unit
            let now = time()
            let phase: Transfer.Phase = Bool.random(using: &random) ? .immediate
                : .pending(expiresAt: Bool.random(using: &random) ? nil : now.addingTimeInterval(Double(Int.random(in: 0...900, using: &random))))
            return Transfer(debit: debit, credit: credit, amount: Amount(amount(), unit), idempotencyKey: key(), time: now, phase: phase)
        }

        /// One random step; throws when the ledger refuses it.
        mutating func step() throws(DomainError) {
            switch Int.random(in: 0..<20, using: &random) {
            case 0..<8: try ledger.post(fresh())
            case 8..<11:
                guard let pending = pick(openReservations) else { return }
                let part = Amount(Int64.random(in: 1...max(1, pending.amount.minorUnits + 1), using: &random), pending.amount.unit)
                try ledger.post(.posting(pending, amount: part, time: time(), idempotencyKey: key()))
            case 11..<13:
                guard let pending = pick(openReservations) else { return }
                try ledger.post(.voiding(pending, time: time()))
            case 13: ledger.expire(now: time())
            case 14..<16:
                guard let original = pick(reversible) else { return }
                try ledger.post(.reversing(original, time: time(), memo: "correction"))
            case 16: try ledger.post([fresh(), fresh(), fresh()])
            case 17:
                guard let earlier = ledger.journal.randomElement(using: &random) else { return }
                try ledger.post(earlier)   // a retry: returns the first result, posts nothing
            case 18:
                let id = ids.randomElement(using: &random)!
                try ledger.setLimits(BalanceLimits(floor: Bool.random(using: &random) ? 0 : -Int64.random(in: 1...10_000, using: &random),
                                                   ceiling: Bool.random(using: &random) ? nil : Int64.random(in: 1_000...30_000, using: &random)), for: id)
            default:
                // Closing is rare: an account closes only once empty, and then takes nothing more.
                guard Int.random(in: 0..<20, using: &random) == 0 else { return }
                try ledger.close(ids.randomElement(using: &random)!, at: time())
            }
        }
    }

    @Test(arguments: seeds)
    func randomSequencesKeepEveryUnitBalancedAndEveryAccountWithinItsLimits(seed: UInt64) throws {
        var run = try Run(seed: seed)
        for _ in 0..<500 {
            let before = (accounts: run.ledger.accounts, journal: run.ledger.journal)
            do throws(DomainError) {
                try run.step()
            } catch {
                #expect(run.ledger.accounts == before.accounts, "seed \(seed): refused \(error.code) changed balances")
                #expect(run.ledger.journal == before.journal, "seed \(seed): refused \(error.code) changed the journal")
            }
            let findings = run.ledger.audit()
            #expect(findings.isEmpty, "seed \(seed): \(findings)")
            if !findings.isEmpty { return }
        }
        // The sequence must have exercised every kind of step, or it proves little.
        let journal = run.ledger.journal
        let statuses = journal.filter(\.isPending).compactMap { run.ledger.status(ofPending: $0.id) }
        #expect(journal.count > 100, "seed \(seed): only \(journal.count) transfers accepted")
        #expect(statuses.contains { if case .posted = $0 { true } else { false } }, "seed \(seed): nothing posted")
        #expect(statuses.contains { if case .voided = $0 { true } else { false } }, "seed \(seed): nothing voided")
        #expect(statuses.contains { if case .expired = $0 { true } else { false } }, "seed \(seed): nothing expired")
        #expect(journal.contains { $0.reverses != nil }, "seed \(seed): nothing reversed")
    }

    @Test(arguments: seeds)
    func retryingAnyAcceptedTransferChangesNothing(seed: UInt64) throws {
        var run = try Run(seed: seed)
        for _ in 0..<200 { try? run.step() }
        let before = (accounts: run.ledger.accounts, journal: run.ledger.journal)
        for earlier in before.journal {
            #expect(try run.ledger.post(earlier) == earlier)
        }
        #expect(run.ledger.accounts == before.accounts && run.ledger.journal == before.journal)
    }

    @Test(arguments: seeds)
    func theBalanceAsOfNowEqualsThePostedBalance(seed: UInt64) throws {
        var run = try Run(seed: seed)
        for _ in 0..<200 { try? run.step() }
        for id in run.ids {
            #expect(try run.ledger.balance(of: id, asOf: LedgerWorld.at(run.clock)) == run.ledger.accounts[id]!.postedBalance)
            let statement = try run.ledger.statement(for: id, period: LedgerWorld.at(run.clock / 2)..<LedgerWorld.at(run.clock + 1))
            #expect(statement.closing == run.ledger.accounts[id]!.postedBalance)
        }
    }

    @Test func theBenchmarkPostsEveryTransferOnceAndStaysBalanced() throws {
        let figures = LedgerBenchmark.run(transfers: 5_000, accounts: 50, seed: 3)
        #expect(figures.accepted + figures.refused == 5_000 && figures.accepted > 4_000 && figures.balanced)
        let again = LedgerBenchmark.run(transfers: 5_000, accounts: 50, seed: 3)
        #expect(again.accepted == figures.accepted && again.refused == figures.refused)
    }
}
