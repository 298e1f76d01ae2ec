/// How a transfer is checked and applied. `change(for:)` decides everything without touching
/// the ledger; `apply` only writes what was decided, so a refused transfer leaves no trace.
extension Ledger {
    /// The two balances after the transfer, and where the accounts sit, so applying it
    /// looks nothing up twice (posting is the hot path: the goal is a million per second in memory, measured by `maillage ledger-benchmark`).
    struct Change {
        var debit: Balance, credit: Balance
        let debitIndex: [AccountID: Account].Index, creditIndex: [AccountID: Account].Index
    }

    /// What `revert` needs to undo an applied transfer inside a refused batch.
    struct Undo {
        let transfer: Transfer
        let debit: Balance, credit: Balance
    }

    public static let maximumMemoLength = 500
    public static let maximumKeyLength = 200

    func replay(of transfer: Transfer) throws(DomainError) -> Transfer? {
        if let key = transfer.idempotencyKey, let position = keys[key] {
            let earlier = journal[position]
            guard earlier.asksTheSame(as: transfer) else { throw .idempotencyKeyReused(key) }
            return earlier
        }
        if let position = positions[transfer.id] {
            let earlier = journal[position]
            guard earlier.asksTheSame(as: transfer), earlier.idempotencyKey == transfer.idempotencyKey else {
                throw .duplicateTransfer(transfer.id)
            }
            return earlier
        }
        return nil
    }

    func change(for transfer: Transfer) throws(DomainError) -> Change {
        try transfer.validateShape()
        guard let debitIndex = accounts.index(forKey: transfer.debit) else { throw .unknownAccount(transfer.debit) }
        guard let creditIndex = accounts.index(forKey: transfer.credit) else { throw .unknownAccount(transfer.credit) }
        let payer = accounts.values[debitIndex], payee = accounts.values[creditIndex]
        guard payer.isOpen else { throw .accountClosed(payer.id) }
        guard payee.isOpen else { throw .accountClosed(payee.id) }
        guard payer.unit == transfer.amount.unit else { throw .unitMismatch(payer.unit, transfer.amount.unit) }
        guard payee.unit == transfer.amount.unit else { throw .unitMismatch(payee.unit, transfer.amount.unit) }
        if transfer.reverses != nil { try checkReversal(transfer) }

        let amount = transfer.amount.minorUnits
        var change = Change(debit: payer.balance, credit: payee.balance, debitIndex: debitIndex, creditIndex: creditIndex)
        switch transfer.phase {
        case .immediate:
            change.debit.posted = try Amount.checked(payer.balance.posted.subtractingReportingOverflow(amount))
            change.credit.posted = try Amount.checked(payee.balance.posted.addingReportingOverflow(amount))
        case .pending:
            change.debit.debitsPending = try Amount.checked(payer.balance.debitsPending.addingReportingOverflow(amount))
            change.credit.creditsPending = try Amount.checked(payee.balance.creditsPending.addingReportingOverflow(amount))
        case .posting(let id), .voiding(let id):
            let pending = try openPending(id, settledBy: transfer)
            let reserved = pending.amount.minorUnits
            let moved = transfer.isVoiding ? 0 : amount
            // Settling only lowers what is reserved, so no limit can be crossed and, the
            // reserved totals having fit in 64 bits, no figure can overflow.
            change.debit.debitsPending -= reserved
            change.debit.posted -= moved
            change.credit.creditsPending -= reserved
            change.credit.posted += moved
            return change
        }
        // Counted at their worst, so that posting every pending transfer later stays in bounds.
        let available = try Amount.checked(change.debit.posted.subtractingReportingOverflow(change.debit.debitsPending))
        let reachable = try Amount.checked(change.credit.posted.addingReportingOverflow(change.credit.creditsPending))
        if let floor = payer.limits.floor, available < floor {
            throw .belowFloor(payer.id, floor: Amount(floor, payer.unit), available: payer.availableBalance,
                              asked: transfer.amount)
        }
        if let ceiling = payee.limits.ceiling, reachable > ceiling {
            throw .aboveCeiling(payee.id, ceiling: Amount(ceiling, payee.unit))
        }
        return change
    }

    private func checkReversal(_ transfer: Transfer) throws(DomainError) {
        guard case .immediate = transfer.phase, let id = transfer.reverses, let original = self.transfer(id),
              original.movesPostedBalance else { throw .cannotReverse }
        guard reversedBy[id] == nil else { throw .alreadyReversed(id) }
        guard transfer.debit == original.credit, transfer.credit == original.debit,
              transfer.amount == original.amount else { throw .reversalMismatch }
    }

    private func openPending(_ id: TransferID, settledBy transfer: Transfer) throws(DomainError) -> Transfer {
        guard let pending = self.transfer(id), case .pending(let expiresAt) = pending.phase else {
            throw .unknownPending(id)
        }
        guard pendingStatuses[id] == .open else { throw .pendingSettled(id) }
        guard transfer.debit == pending.debit, transfer.credit == pending.credit else { throw .settlementMismatch }
        if transfer.isVoiding {
            guard transfer.amount == pending.amount else { throw .settlementMismatch }
        } else {
            guard transfer.amount.minorUnits <= pending.amount.minorUnits else { throw .postExceedsReserved(pending.amount) }
            if let expiresAt, transfer.time >= expiresAt { throw .pendingExpired(id) }
        }
        return pending
    }

    @discardableResult
    mutating func apply(_ transfer: Transfer, _ change: Change) -> Undo {
        let undo = Undo(transfer: transfer, debit: accounts.values[change.debitIndex].balance,
                        credit: accounts.values[change.creditIndex].balance)
        accounts.values[change.debitIndex].balance = change.debit
        accounts.values[change.creditIndex].balance = change.credit
        positions[transfer.id] = journal.count
        if let key = transfer.idempotencyKey { keys[key] = journal.count }
        switch transfer.phase {
        case .immediate: break
        case .pending:
            pendingStatuses[transfer.id] = .open
            openPending[transfer.id] = journal.count
        case .posting(let id):
            pendingStatuses[id] = .posted(by: transfer.id)
            openPending[id] = nil
        case .voiding(let id):
            pendingStatuses[id] = .voided(by: transfer.id)
            openPending[id] = nil
        }
        if let original = transfer.reverses { reversedBy[original] = transfer.id }
        journal.append(transfer)
        return undo
    }

    /// Undoes the last applied transfer exactly (batches undo in reverse order).
    mutating func revert(_ undo: Undo) {
        let transfer = undo.transfer
        journal.removeLast()
        accounts[transfer.debit]?.balance = undo.debit
        accounts[transfer.credit]?.balance = undo.credit
        positions[transfer.id] = nil
        if let key = transfer.idempotencyKey { keys[key] = nil }
        switch transfer.phase {
        case .immediate: break
        case .pending:
            pendingStatuses[transfer.id] = nil
            openPending[transfer.id] = nil
        case .posting(let id), .voiding(let id):
            pendingStatuses[id] = .open
            openPending[id] = positions[id]
        }
        if let original = transfer.reverses { reversedBy[original] = nil }
    }
}

extension Transfer {
    /// The checks that need no balance: a persisted ledger runs them before its SQL, so both
    /// ledgers refuse a malformed transfer with the same words.
    public func validateShape() throws(DomainError) {
        guard memo.utf8.count <= Ledger.maximumMemoLength || memo.count <= Ledger.maximumMemoLength else { throw .memoTooLong(Ledger.maximumMemoLength) }
        if let key = idempotencyKey, key.isEmpty || key.count > Ledger.maximumKeyLength {
            throw .invalidIdempotencyKey(Ledger.maximumKeyLength)
        }
        guard amount.minorUnits > 0 else { throw .amountNotPositive(amount) }
        guard debit != credit else { throw .sameAccount }
        if case .pending(let expiresAt?) = phase, expiresAt <= time { throw .expiryNotAfterTime }
    }

    var isVoiding: Bool {
        if case .voiding = phase { true } else { false }
    }
}
