import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// Who may see and move what in a cooperative's books: members their own accounts; staff and
/// board every account (each opening of someone else's statement is logged); the board alone
/// moves the cooperative's own money.
struct MoneyAccess {
    let coop: Cooperative
    let coopID: UUID
    let user: User
    let userID: UUID
    let membership: Membership
    let db: any Database

    init(_ req: Request, minimum: MemberRole = .member) async throws {
        let (coop, user, membership) = try await Cooperatives.memberContext(req, minimum: minimum)
        self.coop = coop
        self.coopID = try coop.requireID()
        self.user = user
        self.userID = try user.requireID()
        self.membership = membership
        self.db = req.db
    }

    var seesAll: Bool { membership.memberRole >= .staff }
    var isBoard: Bool { membership.memberRole == .board }

    static let barterOnlyByInvoice = DomainError(.forbidden, code: "barter_by_invoice", field: "debit",
        fr: "Dans le réseau de troc, on paie en acceptant une facture : c’est ce qui compte la commission du réseau.",
        en: "In the barter network, one pays by accepting an invoice: that is what counts the network’s commission.")
    static let notBarterNetwork = DomainError(.conflict, code: "not_barter_network",
        fr: "Cette coopérative n’anime pas de réseau de troc.", en: "This cooperative does not run a barter network.")

    func requireBarter() throws {
        guard coop.activityList.contains(.barter) else { throw Self.notBarterNetwork }
    }

    /// An account of this cooperative the person may read; not found otherwise (no hint it exists).
    func visibleAccount(_ id: UUID?) async throws -> LedgerAccountRow {
        guard let id, let row = try await AccountBook.find(id, on: db), row.cooperativeID == coopID,
              row.userID == userID || seesAll else { throw Problem.notFound(LedgerWords.account) }
        if let owner = row.userID, owner != userID {
            try await AccessLog.record(actor: user, subjects: [owner], what: "statement", coop: coop, on: db)
        }
        return row
    }

    /// An account the person may pay from.
    func debitableAccount(_ id: UUID) async throws -> LedgerAccountRow {
        guard let row = try await AccountBook.find(id, on: db), row.cooperativeID == coopID else {
            throw DomainError.unknownAccount(AccountID(id))
        }
        if row.userID == userID {
            guard row.accountPurpose != .barter else { throw Self.barterOnlyByInvoice }
            return row
        }
        guard row.userID == nil, isBoard else { throw Problem.forbidden }
        return row
    }

    func visibleTransfer(_ id: UUID?) async throws -> LedgerTransferRow {
        guard let id, let row = try await LedgerQueries.transfer(id, on: db), row.cooperativeID == coopID else {
            throw Problem.notFound(LedgerWords.transfer)
        }
        if seesAll || row.createdBy == userID { return row }
        let mine = try await AccountBook.accounts(of: coopID, user: userID, on: db).map(\.id)
        guard mine.contains(row.debitID) || mine.contains(row.creditID) else { throw Problem.notFound(LedgerWords.transfer) }
        return row
    }

    /// The client's idempotency key, namespaced by person so two people's keys never meet.
    func key(_ req: Request) throws -> String? {
        guard let raw = req.headers.first(name: "Idempotency-Key") else { return nil }
        guard !raw.isEmpty, raw.count <= 150 else { throw DomainError.invalidIdempotencyKey(150) }
        return "user:\(userID.uuidString.lowercased()):\(raw)"
    }
}
