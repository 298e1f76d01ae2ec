import Foundation

public struct TransferID: Sendable, Hashable, Codable, CustomStringConvertible {
    public let uuid: UUID
    /// New ids are time-ordered, so a transfer's row lands at the end of the journal's primary key.
    public init(_ uuid: UUID = TimeOrderedID.make()) { self.uuid = uuid }
    public var description: String { uuid.uuidString.lowercased() }
}

/// One movement of value from the debit account (which pays) to the credit account (which
/// receives). Transfers are never edited: a mistake is corrected by a reversing transfer, and a
/// reservation is settled by a second transfer that posts or voids it (the two-phase pattern of
/// TigerBeetle), so the journal alone tells every balance at every moment.
public struct Transfer: Sendable, Hashable, Codable, Identifiable {
    public enum Phase: Sendable, Hashable, Codable {
        /// Moves the amount now.
        case immediate
        /// Reserves the amount (the payer's available balance drops, its posted balance not yet)
        /// until posted, voided, or — past `expiresAt` — expired.
        case pending(expiresAt: Date?)
        /// Moves all or part of a pending transfer's amount and releases the rest (a basket
        /// reserved at 30 € and weighed at 28,40 € posts 28,40 €).
        case posting(TransferID)
        /// Releases a pending transfer; its amount is the amount reserved.
        case voiding(TransferID)
    }

    public let id: TransferID
    public let debit: AccountID
    public let credit: AccountID
    public let amount: Amount
    public let memo: String
    /// Chosen by the client so a retried request returns the first result instead of paying
    /// twice. One namespace for the whole ledger: the app prefixes it with the client's identity.
    public let idempotencyKey: String?
    public let time: Date
    public let phase: Phase
    /// Set on a correction: the transfer this one undoes.
    public let reverses: TransferID?

    public init(id: TransferID = TransferID(), debit: AccountID, credit: AccountID, amount: Amount,
                memo: String = "", idempotencyKey: String? = nil, time: Date,
                phase: Phase = .immediate, reverses: TransferID? = nil) {
        self.id = id
        self.debit = debit
        self.credit = credit
        self.amount = amount
        self.memo = memo
        self.idempotencyKey = idempotencyKey
        self.time = time
        self.phase = phase
        self.reverses = reverses
    }

    /// Whether the transfer changes posted balances (and so appears on statements).
    public var movesPostedBalance: Bool {
        switch phase {
        case .immediate, .posting: true
        case .pending, .voiding: false
        }
    }

    public var isPending: Bool {
        if case .pending = phase { true } else { false }
    }

    /// Posts a pending transfer, for its full amount unless a smaller one is given.
    public static func posting(_ pending: Transfer, amount: Amount? = nil, id: TransferID = TransferID(),
                               time: Date, memo: String? = nil, idempotencyKey: String? = nil) -> Transfer {
        Transfer(id: id, debit: pending.debit, credit: pending.credit, amount: amount ?? pending.amount,
                 memo: memo ?? pending.memo, idempotencyKey: idempotencyKey, time: time, phase: .posting(pending.id))
    }

    /// Voids a pending transfer, releasing what it reserved.
    public static func voiding(_ pending: Transfer, id: TransferID = TransferID(), time: Date,
                               memo: String? = nil, idempotencyKey: String? = nil) -> Transfer {
        Transfer(id: id, debit: pending.debit, credit: pending.credit, amount: pending.amount,
                 memo: memo ?? pending.memo, idempotencyKey: idempotencyKey, time: time, phase: .voiding(pending.id))
    }

    /// The correction of a posted transfer: the same amount back the other way.
    public static func reversing(_ original: Transfer, id: TransferID = TransferID(), time: Date,
                                 memo: String, idempotencyKey: String? = nil) -> Transfer {
        Transfer(id: id, debit: original.credit, credit: original.debit, amount: original.amount,
                 memo: memo, idempotencyKey: idempotencyKey, time: time, reverses: original.id)
    }

    /// Whether a retry asks for the same thing. Id, time and memo may differ between retries
    /// (a client regenerates them); what moves, between whom, may not.
    func asksTheSame(as other: Transfer) -> Bool {
        debit == other.debit && credit == other.credit && amount == other.amount
            && phase == other.phase && reverses == other.reverses
    }
}
