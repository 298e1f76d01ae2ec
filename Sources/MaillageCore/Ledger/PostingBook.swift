import Foundation

/// The batch path of the ledger (issue 5 aims at a million transfers a second in memory). The
/// accounts sit in one array addressed by a dense index, each id looked up once per transfer;
/// a refusal is a small value whose words are written only when someone reads them (formatting
/// two languages of amounts cost more than the posting itself). Each transfer gets its own
/// outcome, as in TigerBeetle's `create_transfers`, or a group posts all or none.
///
/// The rules are `Ledger.post`'s, in the same order, for immediate and pending transfers: shape,
/// known and open accounts, one unit, the floor and ceiling counted at their worst with pending
/// transfers, 64-bit bounds, and a transfer id or idempotency key used once. Settling a pending
/// transfer and reversing one need the journal of earlier transfers: those stay with `Ledger`
/// (here they are refused as `needsJournal`). The property tests hold both to the same answers.
public struct PostingBook: Sendable {
    /// What a transfer was refused for; `error` gives the ledger's own words.
    public enum Refusal: Error, Sendable, Hashable {
        case malformed(DomainError)
        case unknownAccount(AccountID)
        case accountClosed(AccountID)
        case unitMismatch(UnitOfAccount, UnitOfAccount)
        case belowFloor(AccountID, floor: Int64, available: Int64, asked: Amount)
        case aboveCeiling(AccountID, ceiling: Int64, unit: UnitOfAccount)
        case overflow
        case duplicateTransfer(TransferID)
        case idempotencyKeyReused(String)
        /// A settlement or a reversal: `Ledger` (or the persisted ledger) posts it.
        case needsJournal

        public var error: DomainError {
            switch self {
            case .malformed(let error): error
            case .unknownAccount(let id): .unknownAccount(id)
            case .accountClosed(let id): .accountClosed(id)
            case .unitMismatch(let expected, let found): .unitMismatch(expected, found)
            case .belowFloor(let id, let floor, let available, let asked):
                .belowFloor(id, floor: Amount(floor, asked.unit), available: Amount(available, asked.unit), asked: asked)
            case .aboveCeiling(let id, let ceiling, let unit): .aboveCeiling(id, ceiling: Amount(ceiling, unit))
            case .overflow: .amountOverflow
            case .duplicateTransfer(let id): .duplicateTransfer(id)
            case .idempotencyKeyReused(let key): .idempotencyKeyReused(key)
            case .needsJournal: .cannotReverse
            }
        }
    }

    /// The hot part of an account: one line of memory per lookup. No floor is `Int64.min` and no
    /// ceiling `Int64.max`, which no balance counted within 64 bits can cross: the same rule.
    struct Slot: Sendable {
        var balance: Balance
        let floor: Int64, ceiling: Int64
        let unit: UnitOfAccount
        let isOpen: Bool
    }

    /// The accounts as opened, in index order (their figures at opening, for the audit).
    public let opened: [Account]
    var slots: [Slot]
    let index: [AccountID: Int]
    /// Every accepted transfer, in order.
    public private(set) var journal: [Transfer] = []
    var ids: Set<TransferID> = []
    var keys: Set<String> = []

    /// A book over accounts as they stand (figures included, as read from storage). An id given
    /// twice keeps its first account.
    public init(accounts: some Sequence<Account>) {
        var opened: [Account] = [], index: [AccountID: Int] = [:]
        for account in accounts where index[account.id] == nil {
            index[account.id] = opened.count
            opened.append(account)
        }
        self.opened = opened
        self.index = index
        slots = opened.map { account in
            Slot(balance: account.balance, floor: account.limits.floor ?? .min, ceiling: account.limits.ceiling ?? .max,
                 unit: account.unit, isOpen: account.isOpen)
        }
    }

    /// Makes room for `transfers` more, so a large batch never waits for the journal to grow.
    public mutating func reserveCapacity(transfers: Int) {
        journal.reserveCapacity(journal.count + transfers)
        ids.reserveCapacity(ids.count + transfers)
    }

    /// An account with its current figures.
    public func account(_ id: AccountID) -> Account? {
        index[id].map { at in
            let base = opened[at]
            return Account(id: base.id, owner: base.owner, unit: base.unit, limits: base.limits,
                           balance: slots[at].balance, closedAt: base.closedAt)
        }
    }

    public var accounts: [Account] { opened.compactMap { account($0.id) } }

    // MARK: Posting

    /// Posts each transfer on its own: a refused one changes nothing and the next goes on.
    /// Returns the refused ones, by their place in the batch.
    public mutating func post(each batch: [Transfer]) -> [(index: Int, refusal: Refusal)] {
        var refused: [(index: Int, refusal: Refusal)] = []
        for position in batch.indices {
            if let refusal = post(batch[position]) { refused.append((position, refusal)) }
        }
        return refused
    }

    /// Posts transfers that belong together (a payment and its fee) all or none: on the first
    /// refusal those before it are undone; returns its place and why.
    public mutating func post(all batch: [Transfer]) -> (index: Int, refusal: Refusal)? {
        var before: [(Int, Balance)] = []
        for position in batch.indices {
            let transfer = batch[position]
            let debit = index[transfer.debit], credit = index[transfer.credit]
            if let debit { before.append((debit, slots[debit].balance)) }
            if let credit { before.append((credit, slots[credit].balance)) }
            if let refusal = post(transfer) {
                for (at, balance) in before.reversed() { slots[at].balance = balance }
                for undone in batch[..<position].reversed() {
                    journal.removeLast()
                    ids.remove(undone.id)
                    if let key = undone.idempotencyKey { keys.remove(key) }
                }
                return (position, refusal)
            }
        }
        return nil
    }

    /// Posts one transfer; nil when posted, why not otherwise (nothing changed then).
    public mutating func post(_ transfer: Transfer) -> Refusal? {
        let isPending: Bool
        switch transfer.phase {
        case .immediate: isPending = false
        case .pending: isPending = true
        case .posting, .voiding: return .needsJournal
        }
        guard transfer.reverses == nil else { return .needsJournal }
        if ids.contains(transfer.id) { return .duplicateTransfer(transfer.id) }
        if let key = transfer.idempotencyKey, keys.contains(key) { return .idempotencyKeyReused(key) }
        do { try transfer.validateShape() } catch { return .malformed(error) }
        guard let debit = index[transfer.debit] else { return .unknownAccount(transfer.debit) }
        guard let credit = index[transfer.credit] else { return .unknownAccount(transfer.credit) }
        if let refusal = move(transfer.amount, from: debit, to: credit, pending: isPending) { return refusal }
        ids.insert(transfer.id)
        if let key = transfer.idempotencyKey { keys.insert(key) }
        journal.append(transfer)
        return nil
    }

    /// The rules that need the balances, then the move: both balances change or neither.
    @inline(__always)
    mutating func move(_ amount: Amount, from debit: Int, to credit: Int, pending: Bool) -> Refusal? {
        let payer = slots[debit], payee = slots[credit]
        guard payer.isOpen else { return .accountClosed(opened[debit].id) }
        guard payee.isOpen else { return .accountClosed(opened[credit].id) }
        guard payer.unit == amount.unit else { return .unitMismatch(payer.unit, amount.unit) }
        guard payee.unit == amount.unit else { return .unitMismatch(payee.unit, amount.unit) }
        let minor = amount.minorUnits
        var paying = payer.balance, receiving = payee.balance
        if pending {
            let (reserved, o1) = paying.debitsPending.addingReportingOverflow(minor)
            let (promised, o2) = receiving.creditsPending.addingReportingOverflow(minor)
            guard !o1, !o2 else { return .overflow }
            paying.debitsPending = reserved
            receiving.creditsPending = promised
        } else {
            let (paid, o1) = paying.posted.subtractingReportingOverflow(minor)
            let (received, o2) = receiving.posted.addingReportingOverflow(minor)
            guard !o1, !o2 else { return .overflow }
            paying.posted = paid
            receiving.posted = received
        }
        // Counted at their worst, so that posting every pending transfer later stays in bounds.
        let (available, o3) = paying.posted.subtractingReportingOverflow(paying.debitsPending)
        let (reachable, o4) = receiving.posted.addingReportingOverflow(receiving.creditsPending)
        guard !o3, !o4 else { return .overflow }
        if available < payer.floor {
            return .belowFloor(opened[debit].id, floor: payer.floor, available: payer.balance.available, asked: amount)
        }
        if reachable > payee.ceiling { return .aboveCeiling(opened[credit].id, ceiling: payee.ceiling, unit: amount.unit) }
        slots[debit].balance = paying
        slots[credit].balance = receiving
        return nil
    }
}

extension PostingBook {
    /// Empty when the book is sound: every unit balanced (posted and pending), every account
    /// within its limits, and every balance equal to its opening figures plus its transfers.
    public func audit() -> [Ledger.Finding] {
        let current = accounts
        // Sums and limits on the figures as they stand (no journal: drift is checked below).
        var findings = Ledger.audit(accounts: current, journal: []) { _ in true }.filter { !$0.isDrift }
        // Drift: what the journal replays must be what changed since opening (pending ones stay
        // open here: the book settles none).
        let moved = zip(current, opened).map { now, then in
            Account(id: now.id, owner: now.owner, unit: now.unit, limits: now.limits,
                    balance: Balance(posted: now.balance.posted &- then.balance.posted,
                                     debitsPending: now.balance.debitsPending &- then.balance.debitsPending,
                                     creditsPending: now.balance.creditsPending &- then.balance.creditsPending),
                    closedAt: now.closedAt)
        }
        findings += Ledger.audit(accounts: moved, journal: journal) { _ in true }.filter(\.isDrift)
        return findings.sorted { "\($0)" < "\($1)" }
    }
}

extension Ledger.Finding {
    var isDrift: Bool {
        if case .drift = self { true } else { false }
    }
}
