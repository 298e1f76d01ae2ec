import Foundation

/// Times the in-memory ledger posting random transfers between barter accounts with credit
/// lines (the goal is 1 000 000 transfers per second) — posting and its checks
/// included, generation excluded — for `maillage` to print. Not a test: a figure to read beside
/// the machine's others. Some transfers are refused at a floor, as in real trade.
public enum LedgerBenchmark {
    public struct Figures: Sendable, Hashable, CustomStringConvertible {
        public let transfers: Int, accounts: Int
        /// The batch path (`PostingBook.post(each:)`, accounts named by index), the goal's figure.
        public let seconds: Double
        /// The same transfers posted one by one through `Ledger.post`, which also settles and
        /// reverses and so keeps more indexes.
        public let ledgerSeconds: Double
        /// The ceiling: the same entries moved between the two balances and journaled, with no
        /// rule checked — what any posting must at least do here.
        public let ceilingSeconds: Double
        /// Accepted and refused, so the work cannot be optimised away and runs can be compared.
        public let accepted: Int, refused: Int
        /// Both paths audited clean, and they accepted and refused the same transfers.
        public let balanced: Bool

        public var transfersPerSecond: Double { Self.rate(transfers, seconds) }
        public var ledgerTransfersPerSecond: Double { Self.rate(transfers, ledgerSeconds) }
        public var ceilingPerSecond: Double { Self.rate(transfers, ceilingSeconds) }

        static func rate(_ count: Int, _ seconds: Double) -> Double { seconds > 0 ? Double(count) / seconds : 0 }

        public var description: String {
            let rate = Int(transfersPerSecond.rounded()), ceiling = Int(ceilingPerSecond.rounded())
            let ratio = ceilingPerSecond > 0 ? transfersPerSecond / ceilingPerSecond : 0
            return "\(transfers) transfers between \(accounts) accounts, batch: \(rate) transfers/s "
                + "(\(String(format: "%.2f", ratio)) of the ceiling, \(ceiling)/s moving the same amounts with no rule checked; "
                + "\(accepted) posted, \(refused) refused at a limit; \(balanced ? "balanced" : "NOT BALANCED")); "
                + "one by one through Ledger.post: \(Int(ledgerTransfersPerSecond.rounded())) transfers/s"
        }
    }

    public static func run(transfers count: Int = 1_000_000, accounts: Int = 10_000, seed: UInt64 = 47_1775) -> Figures {
        precondition(count >= 0 && accounts >= 2)
        var random = SplitMix64(seed: seed)
        var ledger = Ledger()
        let ids = (0..<accounts).map { AccountID(uuid(0, $0)) }
        for id in ids {
            let line = BalanceLimits(creditLine: Int64.random(in: 10_000...1_000_000, using: &random))
            try? ledger.open(Account(id: id, owner: .member(id.uuid), unit: .barter, limits: line))
        }
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let batch: [Transfer] = (0..<count).map { n in
            let debit = Int.random(in: 0..<accounts, using: &random)
            var credit = Int.random(in: 0..<(accounts - 1), using: &random)
            if credit >= debit { credit += 1 }
            return Transfer(id: TransferID(uuid(1, n)),
                            debit: ids[debit], credit: ids[credit], amount: .barter(cents: Int64.random(in: 1...20_000, using: &random)),
                            time: start.addingTimeInterval(Double(n) / 1000))
        }
        let clock = ContinuousClock()

        // The batch path, from the accounts as opened; each account's index resolved once.
        var book = PostingBook(accounts: ids.compactMap { try? ledger.account($0) })
        let entries = batch.map { transfer in
            PostingBook.Entry(debit: book.index(of: transfer.debit) ?? -1, credit: book.index(of: transfer.credit) ?? -1,
                              amount: transfer.amount)
        }
        book.reserveCapacity(transfers: count)
        var refusals: [(index: Int, refusal: PostingBook.Refusal)] = []
        let batchTime = clock.measure { refusals = book.post(each: entries) }

        // One by one through the full ledger.
        ledger.reserveCapacity(transfers: count)
        var accepted = 0, refused = 0
        let ledgerTime = clock.measure {
            for transfer in batch {
                do {
                    try ledger.post(transfer)
                    accepted += 1
                } catch {
                    refused += 1
                }
            }
        }

        let ceilingTime = measureCeiling(entries, accounts: ids.count)
        let agree = refused == refusals.count && accepted == book.journal.count
            && ids.allSatisfy { id in book.account(id)?.balance == (try? ledger.account(id))?.balance }
        return Figures(transfers: count, accounts: accounts, seconds: seconds(batchTime), ledgerSeconds: seconds(ledgerTime),
                       ceilingSeconds: seconds(ceilingTime), accepted: book.journal.count, refused: refusals.count,
                       balanced: agree && ledger.audit().isEmpty && book.audit().isEmpty)
    }

    /// The batch moved with no rule: both balances changed, the entry journaled.
    private static func measureCeiling(_ batch: [PostingBook.Entry], accounts: Int) -> Duration {
        var posted = [Int64](repeating: 0, count: accounts)
        var journal: [PostingBook.Entry] = []
        journal.reserveCapacity(batch.count)
        let elapsed = ContinuousClock().measure {
            posted.withUnsafeMutableBufferPointer { posted in
                for entry in batch {
                    posted[Int(entry.debit)] &-= entry.amount
                    posted[Int(entry.credit)] &+= entry.amount
                    journal.append(entry)
                }
            }
        }
        // Read the result, so the loop is not optimised away.
        precondition(posted.reduce(0, &+) == 0 && journal.count == batch.count)
        return elapsed
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (s, attoseconds) = duration.components
        return Double(s) + Double(attoseconds) / 1e18
    }

    /// A UUID that is the same on every run: `kind` first, `n` last.
    static func uuid(_ kind: UInt8, _ n: Int) -> UUID {
        let v = UInt32(truncatingIfNeeded: n)
        let (b0, b1) = (UInt8(truncatingIfNeeded: v >> 24), UInt8(truncatingIfNeeded: v >> 16))
        let (b2, b3) = (UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v))
        return UUID(uuid: (kind, 0, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0, b0, b1, b2, b3))
    }
}

extension BalanceLimits {
    /// A credit line in minor units, known to be valid (non-negative).
    init(creditLine line: Int64) {
        self = (try? BalanceLimits(floor: -max(0, line))) ?? .nonNegative
    }
}
