import Foundation

/// The batch path of the ledger (the goal is a million transfers a second in memory). The
/// accounts sit in one array addressed by a dense index: a batch names them by index (`Entry`,
/// 24 bytes, resolved once per account with `index(of:)`, as TigerBeetle's clients name accounts by
/// number), or by id (`Transfer`, looked up per transfer, what the app's group commit does). A
/// refusal is a small value whose words are written only when someone reads them (formatting two
/// languages of amounts cost more than the posting itself). Each transfer gets its own outcome, as
/// in TigerBeetle's `create_transfers`, or a group posts all or none.
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

    /// A transfer by account index: what the journal keeps, and what a dense batch posts.
    public struct Entry: Sendable, Hashable {
        public let debit: Int32, credit: Int32
        public let amount: Int64
        public let unit: UnitOfAccount
        public let isPending: Bool

        public init(debit: Int, credit: Int, amount: Amount, pending: Bool = false) {
            self.debit = Int32(truncatingIfNeeded: debit)
            self.credit = Int32(truncatingIfNeeded: credit)
            self.amount = amount.minorUnits
            self.unit = amount.unit
            self.isPending = pending
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
    public private(set) var journal: [Entry] = []
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
    }

    /// The dense index of an account, to name it in `Entry`s.
    public func index(of id: AccountID) -> Int? { index[id] }

    /// An account with its current figures.
    public func account(_ id: AccountID) -> Account? {
        index[id].map { at in
            let base = opened[at]
            return Account(id: base.id, owner: base.owner, unit: base.unit, limits: base.limits,
                           balance: slots[at].balance, closedAt: base.closedAt)
        }
    }

    public var accounts: [Account] { opened.compactMap { account($0.id) } }

    // MARK: Posting by index

    /// Posts each entry on its own: a refused one changes nothing and the next goes on. Returns
    /// the refused ones, by their place in the batch. The loop allocates nothing but the journal,
    /// reserved beforehand, and the list of refusals.
    public mutating func post(each batch: [Entry]) -> [(index: Int, refusal: Refusal)] {
        var refused: [(index: Int, refusal: Refusal)] = []
        // Moved out (and back) so the loop appends to a uniquely held array while the slots are borrowed.
        var journal = self.journal
        self.journal = []
        journal.reserveCapacity(journal.count + batch.count)
        let opened = self.opened
        defer { self.journal = journal }
        slots.withUnsafeMutableBufferPointer { slots in
            for position in batch.indices {
                let entry = batch[position]
                if let refusal = Self.move(entry, in: slots, opened) {
                    refused.append((position, refusal))
                } else {
                    journal.append(entry)
                }
            }
        }
        return refused
    }

    /// Posts one entry; nil when posted, why not otherwise (nothing changed then).
    public mutating func post(_ entry: Entry) -> Refusal? {
        post(each: [entry]).first?.refusal
    }

    // MARK: Posting by id

    /// Posts transfers that belong together (a payment and its fee) all or none: on the first
    /// refusal those before it are undone; returns its place and why.
    public mutating func post(all batch: [Transfer]) -> (index: Int, refusal: Refusal)? {
        var before: [(Int, Balance)] = []
        for position in batch.indices {
            let transfer = batch[position]
            if let debit = index[transfer.debit] { before.append((debit, slots[debit].balance)) }
            if let credit = index[transfer.credit] { before.append((credit, slots[credit].balance)) }
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
        let entry = Entry(debit: debit, credit: credit, amount: transfer.amount, pending: isPending)
        let opened = self.opened
        if let refusal = slots.withUnsafeMutableBufferPointer({ Self.move(entry, in: $0, opened) }) { return refusal }
        ids.insert(transfer.id)
        if let key = transfer.idempotencyKey { keys.insert(key) }
        journal.append(entry)
        return nil
    }

    // MARK: The rules

    /// Checks an entry against both accounts and moves it: both balances change or neither.
    /// The shape checks of an entry (known accounts, two of them, a positive amount) come first,
    /// as `Transfer.validateShape` does for a transfer.
    @inline(__always)
    static func move(_ entry: Entry, in slots: UnsafeMutableBufferPointer<Slot>, _ opened: [Account]) -> Refusal? {
        let debit = Int(entry.debit), credit = Int(entry.credit)
        let amount = Amount(entry.amount, entry.unit)
        guard entry.amount > 0 else { return .malformed(.amountNotPositive(amount)) }
        guard debit != credit else { return .malformed(.sameAccount) }
        guard slots.indices.contains(debit) else { return .unknownAccount(AccountID(nilUUID)) }
        guard slots.indices.contains(credit) else { return .unknownAccount(AccountID(nilUUID)) }
        let payer = slots[debit], payee = slots[credit]
        guard payer.isOpen else { return .accountClosed(opened[debit].id) }
        guard payee.isOpen else { return .accountClosed(opened[credit].id) }
        guard payer.unit == entry.unit else { return .unitMismatch(payer.unit, entry.unit) }
        guard payee.unit == entry.unit else { return .unitMismatch(payee.unit, entry.unit) }
        let minor = entry.amount
        var paying = payer.balance, receiving = payee.balance
        if entry.isPending {
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
        if reachable > payee.ceiling { return .aboveCeiling(opened[credit].id, ceiling: payee.ceiling, unit: entry.unit) }
        slots[debit].balance = paying
        slots[credit].balance = receiving
        return nil
    }

    /// Names an account index that is not in the book.
    private static let nilUUID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}

extension PostingBook {
    /// Empty when the book is sound: every unit balanced (posted and pending), every account
    /// within its limits, and every balance equal to its opening figures plus its journal.
    public func audit() -> [Ledger.Finding] {
        let current = accounts
        // Sums and limits on the figures as they stand (drift is checked below, from the journal).
        var findings = Ledger.audit(accounts: current, journal: []) { _ in true }.filter { !$0.isDrift }
        // Replayed with wrapping arithmetic: exact modulo 2^64, and every true balance fits.
        var replayed = opened.map(\.balance)
        for entry in journal {
            let (debit, credit) = (Int(entry.debit), Int(entry.credit))
            if entry.isPending {
                replayed[debit].debitsPending &+= entry.amount
                replayed[credit].creditsPending &+= entry.amount
            } else {
                replayed[debit].posted &-= entry.amount
                replayed[credit].posted &+= entry.amount
            }
        }
        for (account, balance) in zip(current, replayed) where account.balance != balance { findings.append(.drift(account.id)) }
        return findings.sorted { "\($0)" < "\($1)" }
    }
}

extension Ledger.Finding {
    var isDrift: Bool {
        if case .drift = self { true } else { false }
    }
}
