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
        try await LedgerFacade.keepsMemberCredit(coop, on: db)
    }

    /// The loan's held deposit, whatever its status; nil when none was held.
    static func held(for loan: UUID, on db: any Database) async throws -> LedgerFacade.Hold? {
        try await LedgerFacade.hold(for: key(loan), on: db)
    }

    static func state(of row: LoanRow, depositCents: Int64, on db: any Database) async throws -> DepositState {
        let held = try await held(for: row.id, on: db)
        let onLedger = held != nil ? true : try await onLedger(row.cooperativeID, on: db)
        return DepositState.of(depositCents: depositCents, onLedger: onLedger, transferStatus: held?.status.rawValue)
    }

    /// Inside the handover's transaction, once both sides confirmed: hold the item's deposit on the
    /// borrower's credit. Credit short: the whole handover rolls back with a clear refusal.
    static func hold(loan: UUID, item: UUID, borrower: UUID, at now: Date, on tx: any Database) async throws {
        struct Item: Decodable { var deposit_cents: Int64; var title: String; var cooperative_id: UUID }
        guard let found = try await tx.sql.select().columns("deposit_cents", "title", "cooperative_id").from("lending_items")
            .where("id", .equal, SQLBind(item)).first(decoding: Item.self),
            found.deposit_cents > 0, try await onLedger(found.cooperative_id, on: tx) else { return }
        do {
            try await LedgerFacade.hold(found.deposit_cents, of: borrower, for: key(loan), cooperative: found.cooperative_id,
                                        memo: "Caution · \(found.title)", activity: .lending, at: now, inTransaction: tx)
        } catch LedgerFacade.Refusal.creditShort(let available) {
            throw DomainError.depositCreditShort(available: available, deposit: found.deposit_cents)
        }
    }

    /// Inside the return's transaction, once both sides confirmed: the deposit goes back to the
    /// borrower — unless the owner filed a claim staff have not settled yet.
    static func release(loan: UUID, by member: UUID?, at now: Date, on tx: any Database) async throws {
        struct Row: Decodable { var id: UUID }
        let pendingClaim = try await tx.sql.select().column("id").from("loan_deposit_claims").where("loan_id", .equal, SQLBind(loan))
            .where("status", .equal, SQLBind(DepositClaimStatus.open.rawValue)).first(decoding: Row.self)
        guard pendingClaim == nil, try await held(for: loan, on: tx)?.status == .open else { return }
        try await giveBack(loan: loan, by: member, at: now, on: tx)
    }

    static func giveBack(loan: UUID, by member: UUID?, at now: Date, on tx: any Database) async throws {
        try await LedgerFacade.release(key(loan), by: member, memo: "Caution rendue · ", activity: .lending, at: now, inTransaction: tx)
    }

    /// Staff uphold a claim: the held amount is taken and paid on to the owner's credit, both in
    /// the claim's transaction.
    static func keep(loan: UUID, owner: UUID, by staff: UUID, at now: Date, on tx: any Database) async throws {
        try await LedgerFacade.payOut(key(loan), to: owner, by: staff, memo: (kept: "Caution retenue · ", paid: "Caution versée · "),
                                      activity: .lending, at: now, inTransaction: tx)
    }
}
