import Foundation

/// Checks that can run at any time — after each test step, or nightly in the app — and
/// balances recomputed from the journal alone.
extension Ledger {
    public enum Finding: Sendable, Hashable {
        /// The posted balances of a unit do not sum to zero: debits and credits differ.
        case unbalanced(UnitOfAccount)
        /// Reserved debits and promised credits of a unit differ.
        case pendingUnbalanced(UnitOfAccount)
        /// An account's balance, counted at its worst, is outside its floor or ceiling.
        case outsideLimits(AccountID)
        /// An account's stored balance differs from the one its transfers give.
        case drift(AccountID)
    }

    /// Empty when the ledger is sound: for every unit debits equal credits (posted and pending),
    /// every account is within its limits, and every balance matches its journal.
    public func audit() -> [Finding] {
        Self.audit(accounts: Array(accounts.values), journal: journal) { pendingStatuses[$0] == .open }
    }

    /// The same checks on accounts and transfers read back from storage; `isOpen` tells whether
    /// a pending transfer still reserves its amount.
    public static func audit(accounts: [Account], journal: [Transfer], isOpen: (TransferID) -> Bool) -> [Finding] {
        var findings: [Finding] = []
        var posted: [UnitOfAccount: WideSum] = [:], pending: [UnitOfAccount: WideSum] = [:]
        for account in accounts {
            posted[account.unit, default: WideSum()].add(account.balance.posted)
            pending[account.unit, default: WideSum()].add(account.balance.debitsPending)
            pending[account.unit, default: WideSum()].subtract(account.balance.creditsPending)
            if !account.limits.admit(account.balance) { findings.append(.outsideLimits(account.id)) }
        }
        for unit in UnitOfAccount.allCases {
            if !(posted[unit]?.isZero ?? true) { findings.append(.unbalanced(unit)) }
            if !(pending[unit]?.isZero ?? true) { findings.append(.pendingUnbalanced(unit)) }
        }
        // Replayed with wrapping arithmetic: exact modulo 2^64, and every true balance fits.
        var replayed: [AccountID: Balance] = [:]
        for transfer in journal {
            let amount = transfer.amount.minorUnits
            if transfer.movesPostedBalance {
                replayed[transfer.debit, default: Balance()].posted &-= amount
                replayed[transfer.credit, default: Balance()].posted &+= amount
            } else if transfer.isPending, isOpen(transfer.id) {
                replayed[transfer.debit, default: Balance()].debitsPending &+= amount
                replayed[transfer.credit, default: Balance()].creditsPending &+= amount
            }
        }
        for account in accounts where (replayed[account.id] ?? Balance()) != account.balance {
            findings.append(.drift(account.id))
        }
        return findings.sorted { "\($0)" < "\($1)" }
    }

    /// The posted balance at the end of `date` (transfers at or before it), from the journal.
    public func balance(of id: AccountID, asOf date: Date) throws(DomainError) -> Amount {
        let unit = try account(id).unit
        return try Self.balance(of: id, unit: unit, asOf: date, in: journal)
    }

    /// The same, from any list of transfers (the app passes the rows it loaded).
    public static func balance(of id: AccountID, unit: UnitOfAccount, asOf date: Date,
                               in transfers: some Sequence<Transfer>) throws(DomainError) -> Amount {
        var sum = WideSum()
        for transfer in transfers where transfer.movesPostedBalance && transfer.time <= date {
            if transfer.credit == id { sum.add(transfer.amount.minorUnits) }
            if transfer.debit == id { sum.subtract(transfer.amount.minorUnits) }
        }
        guard let value = sum.value else { throw .amountOverflow }
        return Amount(value, unit)
    }

    /// Whether stored balances of one unit sum to zero, without overflow, for the app's audit.
    public static func sumsToZero(_ balances: some Sequence<Int64>) -> Bool {
        var sum = WideSum()
        for balance in balances { sum.add(balance) }
        return sum.isZero
    }
}

/// A 128-bit running sum (two's complement, high and low words), so a sum of many 64-bit
/// balances never overflows while it is being added up.
struct WideSum: Sendable, Hashable {
    private var high: Int64 = 0
    private var low: UInt64 = 0

    mutating func add(_ x: Int64) {
        let (sum, carry) = low.addingReportingOverflow(UInt64(bitPattern: x))
        low = sum
        high &+= (x < 0 ? -1 : 0) &+ (carry ? 1 : 0)
    }

    mutating func subtract(_ x: Int64) {
        let (difference, borrow) = low.subtractingReportingOverflow(UInt64(bitPattern: x))
        low = difference
        high &-= (x < 0 ? -1 : 0) &+ (borrow ? 1 : 0)
    }

    var isZero: Bool { high == 0 && low == 0 }

    /// The sum when it fits in 64 bits.
    var value: Int64? {
        let asInt = Int64(bitPattern: low)
        return (high == 0 && asInt >= 0) || (high == -1 && asInt < 0) ? asInt : nil
    }
}
