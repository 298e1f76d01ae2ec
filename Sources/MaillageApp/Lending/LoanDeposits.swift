import Fluent
import Foundation
import MaillageCore
import SQLKit

/// A loan's deposit on the ledger, when the cooperative keeps its members' credit in euros (as
/// Food's "pay from member credit" does): a pending transfer from the borrower's wallet to the
/// cooperative's `deposits` account, written in the handover's transaction; voided in the
/// return's; posted to the owner when staff uphold a claim. The pending transfer has no expiry,
/// so the ledger's expiry job never releases a deposit behind the cooperative's back.
enum LoanDeposits {
    static func key(_ loan: UUID) -> String { "lending-deposit:\(loan.uuidString.lowercased())" }

    /// A cooperative "uses member EUR accounts" once one of its members holds prepaid credit;
    /// otherwise deposits stay on paper, as before the ledger.
    static func onLedger(_ coop: UUID, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.select().column("id").from("ledger_accounts").where("cooperative_id", .equal, SQLBind(coop))
            .where("purpose", .equal, SQLBind(AccountPurpose.wallet.rawValue)).limit(1).first(decoding: Row.self) != nil
    }

    /// The loan's pending transfer, whatever its status; nil when none was written.
    static func transfer(of loan: UUID, on db: any Database) async throws -> LedgerTransferRow? {
        try await LedgerQueries.transfers(on: db).where("idempotency_key", .equal, SQLBind(key(loan))).first(decoding: LedgerTransferRow.self)
    }

    static func state(of row: LoanRow, depositCents: Int64, on db: any Database) async throws -> DepositState {
        let transfer = try await transfer(of: row.id, on: db)
        let onLedger = transfer != nil ? true : try await onLedger(row.cooperativeID, on: db)
        return DepositState.of(depositCents: depositCents, onLedger: onLedger, transferStatus: transfer?.status)
    }

    /// Inside the handover's transaction, once both sides confirmed: hold the item's deposit on the
    /// borrower's credit. Credit short: the whole handover rolls back with a clear refusal.
    static func hold(loan: UUID, item: UUID, borrower: UUID, at now: Date, on tx: any Database) async throws {
        struct Item: Decodable { var deposit_cents: Int64; var title: String; var cooperative_id: UUID }
        guard let found = try await tx.sql.select().columns("deposit_cents", "title", "cooperative_id").from("lending_items")
            .where("id", .equal, SQLBind(item)).first(decoding: Item.self),
            found.deposit_cents > 0, try await onLedger(found.cooperative_id, on: tx) else { return }
        let coop = found.cooperative_id
        let wallet = try await AccountBook.open(.wallet, cooperative: coop, user: borrower, on: tx)
        let holding = try await AccountBook.open(.deposits, cooperative: coop, on: tx)
        let transfer = Transfer(debit: AccountID(wallet.id), credit: AccountID(holding.id), amount: .euros(cents: found.deposit_cents),
                                memo: "Caution · \(found.title)", idempotencyKey: key(loan), time: now, phase: .pending(expiresAt: nil))
        do {
            try await LedgerStore.post([Posting(transfer: transfer, cooperative: coop, category: .transfer, tag: Activity.lending.rawValue,
                                                createdBy: borrower)], inTransaction: tx)
        } catch let error as DomainError where error.code == "below_floor" {
            throw DomainError.depositCreditShort(available: wallet.posted - wallet.debitsPending, deposit: found.deposit_cents)
        }
    }

    /// Inside the return's transaction, once both sides confirmed: the deposit goes back to the
    /// borrower — unless the owner filed a claim staff have not settled yet.
    static func release(loan: UUID, by member: UUID?, at now: Date, on tx: any Database) async throws {
        struct Row: Decodable { var id: UUID }
        let pendingClaim = try await tx.sql.select().column("id").from("loan_deposit_claims").where("loan_id", .equal, SQLBind(loan))
            .where("status", .equal, SQLBind(DepositClaimStatus.open.rawValue)).first(decoding: Row.self)
        guard pendingClaim == nil, let held = try await transfer(of: loan, on: tx), held.status == "open" else { return }
        try await void(held, coop: held.cooperativeID, by: member, at: now, on: tx)
    }

    static func void(_ held: LedgerTransferRow, coop: UUID, by member: UUID?, at now: Date, on tx: any Database) async throws {
        let voiding = Transfer.voiding(held.transfer, time: now, memo: "Caution rendue · " + held.memo, idempotencyKey: (held.idempotencyKey ?? "") + ":void")
        try await LedgerStore.post([Posting(transfer: voiding, cooperative: coop, category: .transfer, tag: Activity.lending.rawValue,
                                            createdBy: member)], inTransaction: tx)
    }

    /// Staff uphold a claim: the held amount is posted to the deposits account and paid on to the
    /// owner's credit, both in the claim's transaction.
    static func keep(_ held: LedgerTransferRow, coop: UUID, owner: UUID, by staff: UUID, at now: Date, on tx: any Database) async throws {
        let base = held.idempotencyKey ?? key(held.id)
        let ownerWallet = try await AccountBook.open(.wallet, cooperative: coop, user: owner, on: tx)
        let posting = Transfer.posting(held.transfer, time: now, memo: "Caution retenue · " + held.memo, idempotencyKey: base + ":kept")
        let payout = Transfer(debit: held.transfer.credit, credit: AccountID(ownerWallet.id), amount: held.transfer.amount,
                              memo: "Caution versée · " + held.memo, idempotencyKey: base + ":paid", time: now)
        try await LedgerStore.post([posting, payout].map { Posting(transfer: $0, cooperative: coop, category: .transfer, tag: Activity.lending.rawValue,
                                                                    createdBy: staff) }, inTransaction: tx)
    }
}
