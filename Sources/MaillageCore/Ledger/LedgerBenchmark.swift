import Foundation

/// Times the in-memory ledger posting random transfers between barter accounts with credit
/// lines (issue 5 sets the goal at 1 000 000 transfers per second) — posting and its checks
/// included, generation excluded — for `maillage` to print. Not a test: a figure to read beside
/// the machine's others. Some transfers are refused at a floor, as in real trade.
public enum LedgerBenchmark {
    public struct Figures: Sendable, Hashable, CustomStringConvertible {
        public let transfers: Int, accounts: Int
        public let seconds: Double
        /// Accepted and refused, so the work cannot be optimised away and runs can be compared.
        public let accepted: Int, refused: Int
        public let balanced: Bool

        public var transfersPerSecond: Double { seconds > 0 ? Double(transfers) / seconds : 0 }

        public var description: String {
            let rate = Int(transfersPerSecond.rounded())
            return "\(transfers) transfers between \(accounts) accounts: \(rate) transfers/s "
                + "(\(accepted) posted, \(refused) refused at a limit; \(balanced ? "balanced" : "NOT BALANCED"))"
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
        ledger.reserveCapacity(transfers: count)
        var accepted = 0, refused = 0
        let elapsed = ContinuousClock().measure {
            for transfer in batch {
                do {
                    try ledger.post(transfer)
                    accepted += 1
                } catch {
                    refused += 1
                }
            }
        }
        let (s, attoseconds) = elapsed.components
        return Figures(transfers: count, accounts: accounts, seconds: Double(s) + Double(attoseconds) / 1e18,
                       accepted: accepted, refused: refused, balanced: ledger.audit().isEmpty)
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
