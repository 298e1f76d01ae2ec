import Fluent
import Foundation
import MaillageCore
import SQLKit

/// What other modules do with money: pay, refund, hold and release an amount, read a member's
/// credit, settle hours. They never read the ledger's tables, build its postings or match its
/// error codes; the refusals they handle are typed (`LedgerFacade.Refusal`).
enum LedgerFacade {
    enum Refusal: Error, Equatable {
        /// The member's credit does not cover the amount: what is available, in cents.
        case creditShort(availableCents: Int64)
    }

    /// Where a payment comes from: a member's prepaid credit, or cash received by the cooperative.
    enum Source: Equatable {
        case memberCredit(UUID)
        case cashReceived(from: UUID?)

        var payer: UUID? {
            switch self {
            case .memberCredit(let user): user
            case .cashReceived(let user): user
            }
        }
    }

    /// Who receives a part of a payment.
    enum Payee { case member(UUID), cooperative }

    /// What a part of a payment is, on the transparency pages.
    enum Purpose { case sale, fee, delivery, costSharing

        var category: LedgerCategory {
            switch self {
            case .sale: .sale
            case .fee: .fee
            case .delivery: .delivery
            case .costSharing: .costSharing
            }
        }
    }

    struct Part {
        var payee: Payee
        var cents: Int64
        var purpose: Purpose
        /// Names the part within the payment (`producer:<id>`, `fee`): with the payment's
        /// reference, it makes the transfer's idempotency key.
        var name: String
    }

    // MARK: Paying and refunding

    /// Books a payment of several parts, all or none, inside the caller's transaction. Parts of
    /// 0 cents are left out. `reference` names the paid object (`food-order:<id>`); it is how
    /// `refund` finds the payment again.
    static func pay(_ parts: [Part], from source: Source, cooperative coop: UUID, reference: String, memo: String,
                    activity: Activity, at now: Date, inTransaction tx: any Database) async throws {
        let from = try await AccountBook.open(source.account, cooperative: coop, user: source.accountOwner, on: tx)
        var postings: [Posting] = []
        for part in parts where part.cents > 0 {
            let to = try await account(of: part.payee, in: coop, on: tx)
            postings.append(Posting(transfer: Transfer(debit: AccountID(from.id), credit: AccountID(to.id), amount: .euros(cents: part.cents),
                                                       memo: memo, idempotencyKey: "\(reference):\(part.name)", time: now),
                                    cooperative: coop, category: part.purpose.category, tag: activity.rawValue, createdBy: source.payer))
        }
        do {
            try await LedgerStore.post(postings, inTransaction: tx)
        } catch let error as DomainError where error.code == "below_floor" {
            guard case .memberCredit = source else { throw error }
            throw Refusal.creditShort(availableCents: from.posted - from.debitsPending)
        }
    }

    /// Reverses every transfer of the payment `reference` (the payer gets the money back; the
    /// books keep both movements). Nothing to reverse: nothing happens.
    static func refund(reference: String, cooperative coop: UUID, memo prefix: String, by user: UUID?, at now: Date,
                       inTransaction tx: any Database) async throws {
        let paid = try await LedgerQueries.transfers(on: tx).where("idempotency_key", .like, SQLBind(reference + ":%"))
            .all(decoding: LedgerTransferRow.self)
        let postings = paid.map { original in
            Posting(transfer: Transfer.reversing(original.transfer, time: now, memo: prefix + original.memo,
                                                 idempotencyKey: "refund:\(original.id.uuidString.lowercased())"),
                    cooperative: coop, category: LedgerCategory(rawValue: original.category) ?? .correction,
                    tag: original.tag, createdBy: user)
        }
        guard !postings.isEmpty else { return }
        try await LedgerStore.post(postings, inTransaction: tx)
    }

    // MARK: Member credit

    /// What the member may spend from their prepaid credit in the cooperative, in cents.
    static func availableCredit(of user: UUID, in coop: UUID, on db: any Database) async throws -> Int64 {
        guard let wallet = try await AccountBook.find(key: AccountBook.key(.wallet, cooperative: coop, user: user), on: db) else { return 0 }
        return wallet.posted - wallet.debitsPending
    }

    /// Whether the cooperative keeps its members' credit in euros (one of them holds an account).
    static func keepsMemberCredit(_ coop: UUID, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var id: UUID }
        return try await db.sql.select().column("id").from("ledger_accounts").where("cooperative_id", .equal, SQLBind(coop))
            .where("purpose", .equal, SQLBind(AccountPurpose.wallet.rawValue)).limit(1).first(decoding: Row.self) != nil
    }

    // MARK: Holds

    /// An amount held from a member's credit for a purpose (`lending-deposit:<loan>`), as it stands.
    struct Hold: Sendable {
        enum Status: String, Sendable { case open, posted, voided, expired }
        var status: Status
    }

    /// Holds `cents` of the member's credit for `purpose`, with no expiry: only `release` or
    /// `payOut` with the same purpose settles it (the ledger refuses any other settlement,
    /// `DomainError.heldForPurpose`).
    static func hold(_ cents: Int64, of member: UUID, for purpose: String, cooperative coop: UUID, memo: String,
                     activity: Activity, at now: Date, inTransaction tx: any Database) async throws {
        let wallet = try await AccountBook.open(.wallet, cooperative: coop, user: member, on: tx)
        let holding = try await AccountBook.open(.deposits, cooperative: coop, on: tx)
        let transfer = Transfer(debit: AccountID(wallet.id), credit: AccountID(holding.id), amount: .euros(cents: cents),
                                memo: memo, idempotencyKey: purpose, time: now, phase: .pending(expiresAt: nil))
        do {
            try await LedgerStore.post([Posting(transfer: transfer, cooperative: coop, category: .transfer, tag: activity.rawValue,
                                                createdBy: member, holdFor: purpose)], inTransaction: tx)
        } catch let error as DomainError where error.code == "below_floor" {
            throw Refusal.creditShort(availableCents: wallet.posted - wallet.debitsPending)
        }
    }

    static func hold(for purpose: String, on db: any Database) async throws -> Hold? {
        guard let row = try await heldTransfer(purpose, on: db), let status = row.status.flatMap(Hold.Status.init(rawValue:)) else { return nil }
        return Hold(status: status)
    }

    /// The held amount goes back to the member.
    static func release(_ purpose: String, by user: UUID?, memo prefix: String, activity: Activity, at now: Date,
                        inTransaction tx: any Database) async throws {
        guard let held = try await heldTransfer(purpose, on: tx) else { throw DomainError.nothingHeld }
        let voiding = Transfer.voiding(held.transfer, time: now, memo: prefix + held.memo, idempotencyKey: purpose + ":void")
        try await LedgerStore.post([Posting(transfer: voiding, cooperative: held.cooperativeID, category: .transfer, tag: activity.rawValue,
                                            createdBy: user, holdFor: purpose)], inTransaction: tx)
    }

    /// The held amount is taken and paid on to another member's credit, in one transaction.
    static func payOut(_ purpose: String, to member: UUID, by user: UUID, memo: (kept: String, paid: String), activity: Activity,
                       at now: Date, inTransaction tx: any Database) async throws {
        guard let held = try await heldTransfer(purpose, on: tx) else { throw DomainError.nothingHeld }
        let wallet = try await AccountBook.open(.wallet, cooperative: held.cooperativeID, user: member, on: tx)
        let posting = Transfer.posting(held.transfer, time: now, memo: memo.kept + held.memo, idempotencyKey: purpose + ":kept")
        let payout = Transfer(debit: held.transfer.credit, credit: AccountID(wallet.id), amount: held.transfer.amount,
                              memo: memo.paid + held.memo, idempotencyKey: purpose + ":paid", time: now)
        try await LedgerStore.post([Posting(transfer: posting, cooperative: held.cooperativeID, category: .transfer, tag: activity.rawValue,
                                            createdBy: user, holdFor: purpose),
                                    Posting(transfer: payout, cooperative: held.cooperativeID, category: .transfer, tag: activity.rawValue,
                                            createdBy: user)], inTransaction: tx)
    }

    private static func heldTransfer(_ purpose: String, on db: any Database) async throws -> LedgerTransferRow? {
        try await LedgerQueries.transfers(on: db).where("idempotency_key", .equal, SQLBind(purpose)).first(decoding: LedgerTransferRow.self)
    }

    // MARK: Hours

    /// The cooperative's time bank with its floor, and the hour accounts of two members.
    static func timeBank(of coop: UUID, on db: any Database) async throws -> TimeBank {
        try TimeBank(id: coop, floor: try await CreditSettings.load(coop, on: db).timeFloor.map { .time(minutes: $0) })
    }

    static func hoursAccount(of user: UUID, in coop: UUID, on db: any Database) async throws -> Account {
        try await AccountBook.open(.hours, cooperative: coop, user: user, on: db).account
    }

    /// Books a service paid in hours, inside the caller's transaction.
    static func recordService(_ transfer: Transfer, cooperative coop: UUID, by user: UUID?, inTransaction tx: any Database) async throws {
        try await LedgerStore.post([Posting(transfer: transfer, cooperative: coop, category: .service, createdBy: user)], inTransaction: tx)
    }

    // MARK: Helpers

    private static func account(of payee: Payee, in coop: UUID, on db: any Database) async throws -> LedgerAccountRow {
        switch payee {
        case .member(let user): try await AccountBook.open(.wallet, cooperative: coop, user: user, on: db)
        case .cooperative: try await AccountBook.open(.operating, cooperative: coop, on: db)
        }
    }
}

extension LedgerFacade.Source {
    var account: AccountPurpose {
        switch self {
        case .memberCredit: .wallet
        case .cashReceived: .clearing
        }
    }

    var accountOwner: UUID? {
        switch self {
        case .memberCredit(let user): user
        case .cashReceived: nil
        }
    }
}
