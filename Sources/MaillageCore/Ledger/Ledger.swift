import Foundation

/// A double-entry ledger as a value: accounts, the journal of transfers, and the state of every
/// pending transfer. Each operation either applies entirely or throws and changes nothing, so
/// the rules can be tested with plain values; the app mirrors each rule with a conditional SQL
/// statement (see `LedgerStorageContract`). Every unit stays balanced: the sum of all posted
/// balances of a unit is zero, because each transfer debits one account what it credits another.
public struct Ledger: Sendable {
    /// Whether a pending transfer is still open, and if not, how it ended.
    public enum PendingStatus: Sendable, Hashable {
        case open
        case posted(by: TransferID)
        case voided(by: TransferID)
        case expired(at: Date)
    }

    public internal(set) var accounts: [AccountID: Account] = [:]
    /// Every transfer, in the order it was accepted.
    public internal(set) var journal: [Transfer] = []
    var positions: [TransferID: Int] = [:]
    var keys: [String: Int] = [:]
    var pendingStatuses: [TransferID: PendingStatus] = [:]
    /// Open pending transfers and their place in the journal, for `expire(now:)`.
    var openPending: [TransferID: Int] = [:]
    var reversedBy: [TransferID: TransferID] = [:]

    public init() {}

    // MARK: Accounts

    public mutating func open(_ account: Account) throws(DomainError) {
        guard accounts[account.id] == nil else { throw .duplicateAccount(account.id) }
        var fresh = account
        fresh.balance = Balance()
        fresh.closedAt = nil
        guard fresh.limits.admit(fresh.balance) else { throw .invalidLimits }
        accounts[account.id] = fresh
    }

    public func account(_ id: AccountID) throws(DomainError) -> Account {
        guard let account = accounts[id] else { throw .unknownAccount(id) }
        return account
    }

    /// Changes a credit line or ceiling. Refused when the balance, counted at its worst with
    /// pending transfers, would fall outside: a line is lowered only once it is no longer used.
    public mutating func setLimits(_ limits: BalanceLimits, for id: AccountID) throws(DomainError) {
        let current = try account(id)
        guard limits.admit(current.balance) else {
            throw .limitsExcludeBalance(current.id, balance: current.availableBalance)
        }
        accounts[id]?.limits = limits
    }

    /// Closes an empty account: no balance, nothing pending. A closed account takes no transfer.
    public mutating func close(_ id: AccountID, at time: Date) throws(DomainError) {
        let current = try account(id)
        guard current.isOpen else { throw .accountClosed(id) }
        guard current.balance == Balance() else { throw .accountNotEmpty(id, balance: current.postedBalance) }
        accounts[id]?.closedAt = time
    }

    // MARK: Transfers

    /// Accepts a transfer, or returns the earlier one when it is a retry (same idempotency key,
    /// or same id, asking the same thing). Refuses, changing nothing, a transfer that would cross
    /// a floor or a ceiling, mixes units, or names an unknown or closed account.
    @discardableResult
    public mutating func post(_ transfer: Transfer) throws(DomainError) -> Transfer {
        if let earlier = try replay(of: transfer) { return earlier }
        apply(transfer, try change(for: transfer))
        return transfer
    }

    /// Posts transfers that belong together (a payment, its fee and its delivery) all or none:
    /// if one is refused, those before it are undone and the error names its place.
    @discardableResult
    public mutating func post(_ batch: [Transfer]) throws(DomainError) -> [Transfer] {
        var results: [Transfer] = [], applied: [Undo] = []
        results.reserveCapacity(batch.count)
        for (index, transfer) in batch.enumerated() {
            do throws(DomainError) {
                if let earlier = try replay(of: transfer) {
                    results.append(earlier)
                } else {
                    applied.append(apply(transfer, try change(for: transfer)))
                    results.append(transfer)
                }
            } catch {
                for undo in applied.reversed() { revert(undo) }
                throw DomainError(error.kind, code: error.code, field: "transfers[\(index)]",
                                  fr: "Opération n° \(index + 1) : \(error.message.fr)",
                                  en: "Transfer no. \(index + 1): \(error.message.en)")
            }
        }
        return results
    }

    /// Releases every open pending transfer whose expiry is at or before `now`; returns them.
    @discardableResult
    public mutating func expire(now: Date) -> [Transfer] {
        let due = openPending.values.sorted().compactMap { position -> Transfer? in
            let pending = journal[position]
            guard case .pending(let expiresAt?) = pending.phase, expiresAt <= now else { return nil }
            return pending
        }
        for pending in due {
            guard case .pending(let expiresAt?) = pending.phase else { continue }
            // Cannot overflow: the pending amounts are part of what is released.
            accounts[pending.debit]?.balance.debitsPending -= pending.amount.minorUnits
            accounts[pending.credit]?.balance.creditsPending -= pending.amount.minorUnits
            pendingStatuses[pending.id] = .expired(at: expiresAt)
            openPending[pending.id] = nil
        }
        return due
    }

    /// Makes room for `transfers` more, so a large batch never waits for the journal to grow.
    public mutating func reserveCapacity(transfers: Int) {
        journal.reserveCapacity(journal.count + transfers)
        positions.reserveCapacity(positions.count + transfers)
    }

    // MARK: Reading

    public func transfer(_ id: TransferID) -> Transfer? {
        positions[id].map { journal[$0] }
    }

    public func transfer(idempotencyKey key: String) -> Transfer? {
        keys[key].map { journal[$0] }
    }

    public func status(ofPending id: TransferID) -> PendingStatus? {
        pendingStatuses[id]
    }

    /// The correction that undid a transfer, if any.
    public func reversal(of id: TransferID) -> TransferID? {
        reversedBy[id]
    }

    /// The transfers touching an account, in journal order.
    public func transfers(of id: AccountID) -> [Transfer] {
        journal.filter { $0.debit == id || $0.credit == id }
    }
}
