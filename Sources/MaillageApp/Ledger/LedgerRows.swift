import Foundation
import MaillageCore

/// What a movement is, so the transparency page can say where money came from and went.
enum LedgerCategory: String, Codable, Sendable, CaseIterable {
    /// A buyer's payment to a producer or seller.
    case sale
    /// The cooperative's fee on a sale, booked with it.
    case fee
    /// A delivery paid with a sale.
    case delivery
    /// A trade between businesses of a barter network.
    case trade
    /// The network's commission on a trade.
    case commission
    /// A yearly membership fee.
    case membershipFee = "membership-fee"
    /// Hours given in the time bank.
    case service
    case subscription
    case redemption
    /// A cost the board entered (rent, salaries, services…).
    case cost
    /// Money received from outside for an account (prepaid credit).
    case topUp = "top-up"
    /// A member's own transfer to another account.
    case transfer
    /// The booking of an adopted year-end allocation.
    case allocation
    /// A correction of an earlier transfer.
    case correction
    /// A passenger's share of a ride's costs, paid to the driver: between members, never the
    /// cooperative's revenue nor patronage.
    case costSharing = "cost-sharing"
    /// A service invoiced to a customer on account (a store's monthly deliveries): revenue when
    /// credited to operating, VAT when credited to the VAT account.
    case invoice
    /// A customer paying what it owes, or the cooperative paying a supplier.
    case settlement

    /// Revenue of the cooperative (credited to its operating or commission account).
    var isRevenue: Bool { self == .fee || self == .commission || self == .membershipFee || self == .invoice }
}

/// A row of `ledger_accounts`.
struct LedgerAccountRow: Codable, Sendable, Hashable {
    var id: UUID
    var key: String
    var cooperativeID: UUID
    var ownerKind: String
    var userID: UUID?
    var purpose: String
    var unit: String
    var floor: Int64?
    var ceiling: Int64?
    var posted: Int64
    var debitsPending: Int64
    var creditsPending: Int64
    var createdAt: Date
    var closedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, key, purpose, unit, floor, ceiling, posted
        case cooperativeID = "cooperative_id", ownerKind = "owner_kind", userID = "user_id"
        case debitsPending = "debits_pending", creditsPending = "credits_pending"
        case createdAt = "created_at", closedAt = "closed_at"
    }

    var unitOfAccount: UnitOfAccount { UnitOfAccount(rawValue: unit) ?? .eur }
    var accountPurpose: AccountPurpose? { AccountPurpose(rawValue: purpose) }

    var account: Account {
        let owner: AccountOwner = switch ownerKind {
        case "member": .member(userID ?? id)
        case "network": .network(cooperativeID)
        case "system": .system
        default: .cooperative(cooperativeID)
        }
        return Account(id: AccountID(id), owner: owner, unit: unitOfAccount, limits: BalanceLimits(stored: floor, ceiling: ceiling),
                       balance: Balance(posted: posted, debitsPending: debitsPending, creditsPending: creditsPending),
                       closedAt: closedAt)
    }
}

/// A row of `ledger_transfers`.
struct LedgerTransferRow: Codable, Sendable, Hashable {
    var id: UUID
    var cooperativeID: UUID
    var debitID: UUID
    var creditID: UUID
    var unit: String
    var amount: Int64
    var memo: String
    var category: String
    var tag: String?
    var idempotencyKey: String?
    var time: Date
    var phase: String
    var pendingID: UUID?
    var expiresAt: Date?
    var reverses: UUID?
    var status: String?
    var settledBy: UUID?
    var createdBy: UUID?
    /// On a held amount: what it is held for (`lending-deposit:<loan>`); only a settlement naming
    /// the same purpose may post or void it.
    var holdFor: String?

    enum CodingKeys: String, CodingKey {
        case id, unit, amount, memo, category, tag, time, phase, reverses, status
        case cooperativeID = "cooperative_id", debitID = "debit_id", creditID = "credit_id"
        case idempotencyKey = "idempotency_key", pendingID = "pending_id", expiresAt = "expires_at"
        case settledBy = "settled_by", createdBy = "created_by", holdFor = "hold_for"
    }

    static let columns = ["id", "cooperative_id", "debit_id", "credit_id", "unit", "amount", "memo", "category", "tag",
                          "idempotency_key", "time", "phase", "pending_id", "expires_at", "reverses", "status", "settled_by", "created_by", "hold_for"]

    var transfer: Transfer {
        let phase: Transfer.Phase = switch self.phase {
        case "pending": .pending(expiresAt: expiresAt)
        case "posting": .posting(TransferID(pendingID ?? id))
        case "voiding": .voiding(TransferID(pendingID ?? id))
        default: .immediate
        }
        return Transfer(id: TransferID(id), debit: AccountID(debitID), credit: AccountID(creditID),
                        amount: Amount(amount, UnitOfAccount(rawValue: unit) ?? .eur), memo: memo,
                        idempotencyKey: idempotencyKey, time: time, phase: phase, reverses: reverses.map(TransferID.init))
    }

    var ledgerCategory: LedgerCategory? { LedgerCategory(rawValue: category) }
}

extension Transfer.Phase {
    /// The word stored in `ledger_transfers.phase`.
    var stored: String {
        switch self {
        case .immediate: "immediate"
        case .pending: "pending"
        case .posting: "posting"
        case .voiding: "voiding"
        }
    }

    var settles: TransferID? {
        switch self {
        case .posting(let id), .voiding(let id): id
        case .immediate, .pending: nil
        }
    }
}
