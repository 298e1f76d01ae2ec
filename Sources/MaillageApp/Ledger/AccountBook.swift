import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The accounts a cooperative's books hold, by role. Each has a key, so that opening it twice at
/// the same instant (two first payments) makes one row.
enum AccountPurpose: String, Codable, Sendable, CaseIterable {
    /// The world outside the ledger (bank, cash desk): money comes in and goes out through it.
    case clearing
    /// The cooperative's revenue and costs; its yearly result, which may be a deficit.
    case operating
    /// Paid-up share capital.
    case capital
    case legalReserve = "legal-reserve"
    case statutoryReserve = "statutory-reserve"
    /// A barter network's own account, which receives commissions and yearly fees.
    case commission
    /// A member's prepaid credit, where refunds and interest also arrive.
    case wallet
    /// A business's account in a barter network, with its credit line.
    case barter
    /// A member's hours in a time bank.
    case hours
    /// Deposits (*cautions*) the cooperative holds for loans of items: credited by a loan's pending
    /// transfer, which never expires, and paid on to the owner only when staff uphold a claim.
    case deposits
    /// What a customer outside the members (a store, another cooperative) owes on invoices: one
    /// account per customer, debited by an invoice, credited by its payment, never above zero
    /// (a payment beyond what is owed is refused).
    case receivable
    /// What the cooperative owes a supplier (another cooperative) on invoices received: one
    /// account per supplier, never below zero (nothing is paid beyond what is owed).
    case payable
    /// VAT collected on invoices, owed to the state.
    case vatCollected = "vat-collected"

    var unit: UnitOfAccount {
        switch self {
        case .commission, .barter: .barter
        case .hours: .hour
        default: .eur
        }
    }

    var isMemberAccount: Bool { self == .wallet || self == .barter || self == .hours }

    /// Accounts whose floor is a credit line the board may open: a business's barter account, a
    /// member's hours. Euro wallets, deposits, capital and reserves never go below zero by decision.
    var isCreditLine: Bool { self == .barter || self == .hours }

    var ownerKind: String {
        switch self {
        case .clearing: "system"
        case .commission: "network"
        case .wallet, .barter, .hours: "member"
        default: "cooperative"
        }
    }

    var label: Localized {
        switch self {
        case .clearing: Localized(fr: "Banque et caisse", en: "Bank and cash desk")
        case .operating: Localized(fr: "Exploitation (recettes et charges)", en: "Operating (revenue and costs)")
        case .capital: Localized(fr: "Capital social", en: "Share capital")
        case .legalReserve: Localized(fr: "Réserve légale", en: "Legal reserve")
        case .statutoryReserve: Localized(fr: "Réserve statutaire", en: "Statutory reserve")
        case .commission: Localized(fr: "Réseau de troc (commissions)", en: "Barter network (commissions)")
        case .wallet: Localized(fr: "Crédit prépayé", en: "Prepaid credit")
        case .barter: Localized(fr: "Compte de troc", en: "Barter account")
        case .hours: Localized(fr: "Banque de temps", en: "Time bank")
        case .deposits: Localized(fr: "Cautions des prêts d’objets", en: "Deposits of item loans")
        case .receivable: Localized(fr: "Clients (créances)", en: "Customers (receivables)")
        case .payable: Localized(fr: "Fournisseurs (dettes)", en: "Suppliers (payables)")
        case .vatCollected: Localized(fr: "TVA collectée", en: "VAT collected")
        }
    }
}

enum AccountBook {
    static func key(_ purpose: AccountPurpose, cooperative: UUID, user: UUID?, counterparty: String? = nil) -> String {
        let coop = cooperative.uuidString.lowercased()
        // A customer's or supplier's account: one per counterparty in the cooperative's books.
        if let counterparty { return "coop:\(coop):\(purpose.rawValue):\(counterparty)" }
        guard purpose.isMemberAccount, let user else { return "coop:\(coop):\(purpose.rawValue)" }
        return "member:\(coop):\(user.uuidString.lowercased()):\(purpose.rawValue)"
    }

    /// The account, opened on first use with the limits its role has (a barter credit line, the
    /// time bank's floor); never reopened or changed here.
    static func open(_ purpose: AccountPurpose, cooperative: UUID, user: UUID? = nil, counterparty: String? = nil,
                     on db: any Database) async throws -> LedgerAccountRow {
        let key = key(purpose, cooperative: cooperative, user: user, counterparty: counterparty)
        if let found = try await find(key: key, on: db) { return found }
        let limits = try await defaultLimits(purpose, cooperative: cooperative, on: db)
        try await db.sql.insert(into: "ledger_accounts")
            .columns("id", "key", "cooperative_id", "owner_kind", "user_id", "purpose", "unit", "floor", "ceiling",
                     "posted", "debits_pending", "credits_pending", "created_at", "closed_at")
            .values(SQLBind(UUID()), SQLBind(key), SQLBind(cooperative), SQLBind(purpose.ownerKind),
                    SQLBind(purpose.isMemberAccount ? user : nil), SQLBind(purpose.rawValue), SQLBind(purpose.unit.code),
                    SQLBind(limits.floor), SQLBind(limits.ceiling), SQLBind(Int64(0)), SQLBind(Int64(0)), SQLBind(Int64(0)),
                    SQLBind(Date()), SQLLiteral.null)
            .ignoringConflicts(with: ["key"])
            .run()
        guard let row = try await find(key: key, on: db) else { throw Problem.notFound(LedgerWords.account) }
        return row
    }

    static func find(key: String, on db: any Database) async throws -> LedgerAccountRow? {
        try await db.sql.select().column("*").from("ledger_accounts").where("key", .equal, SQLBind(key))
            .first(decoding: LedgerAccountRow.self)
    }

    static func find(_ id: UUID, on db: any Database) async throws -> LedgerAccountRow? {
        try await db.sql.select().column("*").from("ledger_accounts").where("id", .equal, SQLBind(id))
            .first(decoding: LedgerAccountRow.self)
    }

    /// The accounts of one cooperative's books, optionally one person's only.
    static func accounts(of cooperative: UUID, user: UUID? = nil, on db: any Database) async throws -> [LedgerAccountRow] {
        var query = db.sql.select().column("*").from("ledger_accounts").where("cooperative_id", .equal, SQLBind(cooperative))
        if let user { query = query.where("user_id", .equal, SQLBind(user)) }
        return try await query.orderBy("owner_kind").orderBy("purpose").orderBy("created_at").all(decoding: LedgerAccountRow.self)
    }

    static func defaultLimits(_ purpose: AccountPurpose, cooperative: UUID, on db: any Database) async throws -> BalanceLimits {
        switch purpose {
        case .clearing, .operating: return .unbounded
        case .receivable: return BalanceLimits(stored: nil, ceiling: 0)
        case .barter:
            let settings = try await CreditSettings.load(cooperative, on: db)
            return BalanceLimits(stored: -settings.defaultLine, ceiling: nil)
        case .hours:
            let settings = try await CreditSettings.load(cooperative, on: db)
            return BalanceLimits(stored: settings.timeFloor, ceiling: nil)
        default: return .nonNegative
        }
    }
}

/// Words used across the ledger's pages and errors.
enum LedgerWords {
    static let account = Localized(fr: "Compte", en: "Account")
    static let transfer = Localized(fr: "Opération", en: "Transfer")
}
