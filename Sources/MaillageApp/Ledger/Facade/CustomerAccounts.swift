import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Invoices between a cooperative and those outside its members — a store it delivers for,
/// another cooperative it works with. Each cooperative keeps its own books: what a customer
/// owes sits on that customer's receivable account, what the cooperative owes a supplier on
/// that supplier's payable account, until a payment clears it. Every booking carries the
/// invoice's number in its idempotency key, so booking an invoice twice books it once.
extension LedgerFacade {
    /// Who a cooperative invoices, or is invoiced by.
    enum Counterparty: Sendable, Hashable {
        case store(UUID)
        case cooperative(UUID)

        var key: String {
            switch self {
            case .store(let id): "store:\(id.uuidString.lowercased())"
            case .cooperative(let id): "coop:\(id.uuidString.lowercased())"
            }
        }
    }

    /// The cooperative issued an invoice: the customer owes its total including VAT; the amount
    /// excluding VAT is the cooperative's revenue, the VAT is collected for the state.
    static func invoiceIssued(_ number: String, to customer: Counterparty, netCents: Int64, vatCents: Int64, cooperative coop: UUID,
                              memo: String, activity: Activity, by user: UUID?, at now: Date, inTransaction tx: any Database) async throws {
        let owed = try await AccountBook.open(.receivable, cooperative: coop, counterparty: customer.key, on: tx)
        let revenue = try await AccountBook.open(.operating, cooperative: coop, on: tx)
        var postings = [posting(from: owed, to: revenue, netCents, memo: memo, key: key(coop, "invoice", number, "net"),
                                coop: coop, category: .invoice, activity: activity, by: user, at: now)]
        if vatCents > 0 {
            let vat = try await AccountBook.open(.vatCollected, cooperative: coop, on: tx)
            postings.append(posting(from: owed, to: vat, vatCents, memo: memo, key: key(coop, "invoice", number, "vat"),
                                    coop: coop, category: .invoice, activity: activity, by: user, at: now))
        }
        try await LedgerStore.post(postings.filter { $0.transfer.amount.minorUnits > 0 }, inTransaction: tx)
    }

    /// The cooperative received a supplier's invoice: a cost, owed to the supplier until paid.
    /// Booked at its total including VAT (a cooperative not liable to VAT recovers none).
    static func invoiceReceived(_ number: String, from supplier: Counterparty, grossCents: Int64, cooperative coop: UUID,
                                memo: String, activity: Activity, by user: UUID?, at now: Date, inTransaction tx: any Database) async throws {
        guard grossCents > 0 else { return }
        let costs = try await AccountBook.open(.operating, cooperative: coop, on: tx)
        let owed = try await AccountBook.open(.payable, cooperative: coop, counterparty: supplier.key, on: tx)
        try await LedgerStore.post([posting(from: costs, to: owed, grossCents, memo: memo, key: key(coop, "invoice-received", number, "cost"),
                                            coop: coop, category: .cost, activity: activity, by: user, at: now)], inTransaction: tx)
    }

    /// Money came in from a customer against what it owes (more than it owes is refused).
    static func paymentReceived(_ reference: String, from customer: Counterparty, cents: Int64, cooperative coop: UUID,
                                memo: String, activity: Activity, by user: UUID?, at now: Date, inTransaction tx: any Database) async throws {
        let world = try await AccountBook.open(.clearing, cooperative: coop, on: tx)
        let owed = try await AccountBook.open(.receivable, cooperative: coop, counterparty: customer.key, on: tx)
        try await LedgerStore.post([posting(from: world, to: owed, cents, memo: memo, key: key(coop, "received", reference, "paid"),
                                            coop: coop, category: .settlement, activity: activity, by: user, at: now)], inTransaction: tx)
    }

    /// Money went out to a supplier against what the cooperative owes it (never more).
    static func paymentSent(_ reference: String, to supplier: Counterparty, cents: Int64, cooperative coop: UUID,
                            memo: String, activity: Activity, by user: UUID?, at now: Date, inTransaction tx: any Database) async throws {
        let owed = try await AccountBook.open(.payable, cooperative: coop, counterparty: supplier.key, on: tx)
        let world = try await AccountBook.open(.clearing, cooperative: coop, on: tx)
        try await LedgerStore.post([posting(from: owed, to: world, cents, memo: memo, key: key(coop, "sent", reference, "paid"),
                                            coop: coop, category: .settlement, activity: activity, by: user, at: now)], inTransaction: tx)
    }

    /// What the customer owes the cooperative, in cents (0 when it has no account yet).
    static func owed(by customer: Counterparty, to coop: UUID, on db: any Database) async throws -> Int64 {
        let key = AccountBook.key(.receivable, cooperative: coop, user: nil, counterparty: customer.key)
        return -(try await AccountBook.find(key: key, on: db)?.posted ?? 0)
    }

    /// What the cooperative owes the supplier, in cents.
    static func owed(to supplier: Counterparty, by coop: UUID, on db: any Database) async throws -> Int64 {
        let key = AccountBook.key(.payable, cooperative: coop, user: nil, counterparty: supplier.key)
        return try await AccountBook.find(key: key, on: db)?.posted ?? 0
    }

    /// Whether the invoice `number` is in the cooperative's books.
    static func isBooked(invoice number: String, cooperative coop: UUID, on db: any Database) async throws -> Bool {
        try await LedgerQueries.transfers(on: db).where("idempotency_key", .equal, SQLBind(key(coop, "invoice", number, "net")))
            .first(decoding: LedgerTransferRow.self) != nil
    }

    // Keys are unique across the instance, so they carry the cooperative whose books they are in.
    private static func key(_ coop: UUID, _ kind: String, _ reference: String, _ part: String) -> String {
        "\(kind):\(coop.uuidString.lowercased()):\(reference):\(part)"
    }

    private static func posting(from debit: LedgerAccountRow, to credit: LedgerAccountRow, _ cents: Int64, memo: String, key: String,
                                coop: UUID, category: LedgerCategory, activity: Activity, by user: UUID?, at now: Date) -> Posting {
        Posting(transfer: Transfer(debit: AccountID(debit.id), credit: AccountID(credit.id), amount: .euros(cents: cents),
                                   memo: memo, idempotencyKey: key, time: now),
                cooperative: coop, category: category, tag: activity.rawValue, createdBy: user)
    }
}
