import Fluent
import Foundation
import MaillageCore
import SQLKit

/// `loan_deposit_claims`: an owner asks to keep a held deposit (item damaged or not returned);
/// staff uphold it (the deposit is paid to the owner) or reject it (released). One claim per
/// loan (primary key), settled once (conditional update on `status = 'open'`).
struct CreateLoanDepositClaims: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("loan_deposit_claims")
            .id()
            .field("loan_id", .uuid, .required, .references("loans", "id"))
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("owner_id", .uuid, .required, .references(User.schema, "id"))
            .field("reason", .string, .required)
            .field("note", .string, .required)
            .field("status", .string, .required)
            .field("filed_at", .datetime, .required)
            .field("settled_at", .datetime)
            .field("settled_by", .uuid, .references(User.schema, "id"))
            .unique(on: "loan_id", name: "loan_deposit_claims_one_per_loan")
            .constraint(.custom(SQLRaw("CONSTRAINT loan_deposit_claims_reason CHECK (reason IN ('damaged','not_returned'))")))
            .constraint(.custom(SQLRaw("CONSTRAINT loan_deposit_claims_status CHECK (status IN ('open','upheld','rejected'))")))
            .constraint(.custom(SQLRaw("CONSTRAINT loan_deposit_claims_note CHECK (length(note) <= 1000)")))
            .create()
        try await database.sql.create(index: "loan_deposit_claims_open").on("loan_deposit_claims").column("cooperative_id").column("status").run()
    }

    func revert(on database: any Database) async throws { try await database.schema("loan_deposit_claims").delete() }
}

/// A row of `loan_deposit_claims`.
struct DepositClaimRow: Codable, Sendable {
    var id: UUID
    var loanID: UUID
    var cooperativeID: UUID
    var ownerID: UUID
    var reason: String
    var note: String
    var status: String
    var filedAt: Date
    var settledAt: Date?
    var settledBy: UUID?

    enum CodingKeys: String, CodingKey {
        case id, reason, note, status
        case loanID = "loan_id", cooperativeID = "cooperative_id", ownerID = "owner_id", filedAt = "filed_at"
        case settledAt = "settled_at", settledBy = "settled_by"
    }

    var claimStatus: DepositClaimStatus { DepositClaimStatus(rawValue: status) ?? .open }
    var claimReason: DepositClaimReason { DepositClaimReason(rawValue: reason) ?? .damaged }
}

enum LoanDepositClaims {
    static func claim(of loan: UUID, on db: any Database) async throws -> DepositClaimRow? {
        try await db.sql.select().column("*").from("loan_deposit_claims").where("loan_id", .equal, SQLBind(loan)).first(decoding: DepositClaimRow.self)
    }

    static func open(in coop: UUID, on db: any Database) async throws -> [DepositClaimRow] {
        try await db.sql.select().column("*").from("loan_deposit_claims").where("cooperative_id", .equal, SQLBind(coop))
            .where("status", .equal, SQLBind(DepositClaimStatus.open.rawValue)).orderBy("filed_at").all(decoding: DepositClaimRow.self)
    }

    /// The owner files a claim while the item is out and its deposit held. The loan row is locked
    /// first (a no-op conditional update), so a return confirmed at the same moment either comes
    /// after — and then keeps the deposit for staff — or before, and the claim is refused.
    static func file(_ loan: LoanRow, by owner: UUID, reason: DepositClaimReason, note: String, coopSlug: String,
                     on db: any Database, now: Date = Date()) async throws -> DepositClaimRow {
        guard loan.ownerID == owner else { throw Problem.notFound(LendingWords.loan) }
        let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.unicodeScalars.count <= 1000 else { throw DomainError.depositClaimNote }
        let id = UUID()
        do {
            try await db.writeTransaction { tx in
                let locked = try await tx.sql.raw("UPDATE loans SET status = status WHERE id = \(bind: loan.id) AND status = 'handed_over' RETURNING id").all()
                guard !locked.isEmpty, try await LoanDeposits.held(for: loan.id, on: tx)?.status == .open else { throw DomainError.depositNotHeld }
                try await tx.sql.insert(into: "loan_deposit_claims")
                    .columns("id", "loan_id", "cooperative_id", "owner_id", "reason", "note", "status", "filed_at", "settled_at", "settled_by")
                    .values(SQLBind(id), SQLBind(loan.id), SQLBind(loan.cooperativeID), SQLBind(owner), SQLBind(reason.rawValue), SQLBind(text),
                            SQLBind(DepositClaimStatus.open.rawValue), SQLBind(now), SQLLiteral.null, SQLLiteral.null)
                    .run()
                try await Inbox.notify(loan.borrowerID, Localized(fr: "Le ou la propriétaire demande à garder la caution (\(reason.label.fr)) ; l’équipe va trancher.",
                                                                  en: "The owner asks to keep the deposit (\(reason.label.en)); the staff will decide."),
                                       link: "/c/\(coopSlug)/lending/loans/\(loan.id)", kind: .loans, on: tx)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw DomainError.depositClaimExists
        }
        guard let row = try await claim(of: loan.id, on: db) else { throw DomainError.depositNotHeld }
        return row
    }

    /// Staff settle a claim, once: the conditional update lets one settlement through, however
    /// many arrive together; the ledger moves in the same transaction.
    static func settle(_ claimID: UUID, uphold: Bool, by staff: UUID, coop: UUID, coopSlug: String,
                       on db: any Database, now: Date = Date()) async throws -> DepositClaimRow {
        let status: DepositClaimStatus = uphold ? .upheld : .rejected
        let settled = try await db.writeTransaction { tx -> DepositClaimRow in
            guard let row = try await tx.sql.raw("""
                UPDATE loan_deposit_claims SET status = \(bind: status.rawValue), settled_at = \(bind: now), settled_by = \(bind: staff)
                WHERE id = \(bind: claimID) AND cooperative_id = \(bind: coop) AND status = 'open'
                AND owner_id <> \(bind: staff)
                AND NOT EXISTS (SELECT 1 FROM loans WHERE loans.id = loan_deposit_claims.loan_id AND loans.borrower_id = \(bind: staff))
                RETURNING *
                """).first(decoding: DepositClaimRow.self) else { throw try await refusal(claimID, by: staff, on: tx) }
            guard try await LoanDeposits.held(for: row.loanID, on: tx)?.status == .open else { throw DomainError.depositNotHeld }
            if uphold {
                try await LoanDeposits.keep(loan: row.loanID, owner: row.ownerID, by: staff, at: now, on: tx)
            } else {
                try await LoanDeposits.giveBack(loan: row.loanID, by: staff, at: now, on: tx)
            }
            struct Parties: Decodable { var borrower_id: UUID; var status: String }
            if let parties = try await tx.sql.select().columns("borrower_id", "status").from("loans").where("id", .equal, SQLBind(row.loanID))
                .first(decoding: Parties.self) {
                for person in [row.ownerID, parties.borrower_id] {
                    try await Inbox.notify(person, Localized(fr: "Réclamation sur la caution : \(status.label.fr).", en: "Deposit claim: \(status.label.en)."),
                                           link: "/c/\(coopSlug)/lending/loans/\(row.loanID)", kind: .loans, on: tx)
                }
            }
            return row
        }
        return settled
    }

    /// Why a settlement changed no row: the person is a party to the loan, or it is settled.
    private static func refusal(_ claimID: UUID, by staff: UUID, on db: any Database) async throws -> DomainError {
        struct Parties: Decodable { var owner_id: UUID; var borrower_id: UUID }
        let parties = try await db.sql.raw("""
            SELECT c.owner_id, l.borrower_id FROM loan_deposit_claims c JOIN loans l ON l.id = c.loan_id WHERE c.id = \(bind: claimID)
            """).first(decoding: Parties.self)
        if let parties, parties.owner_id == staff || parties.borrower_id == staff { return .depositClaimParty }
        return .depositClaimSettled
    }
}
