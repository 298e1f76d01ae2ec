import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Issuing a store's monthly invoice: its figures are kept and it is booked in the delivery
/// cooperative's books as what the store owes, through the ledger's facade. The row and the
/// booking are written in one transaction; the unique key on the store and the month decides
/// which of two simultaneous clicks issues it, so the invoice is booked once.
enum DeliveryBooks {
    struct Issued: Decodable, Sendable {
        var id: UUID
        var number: String
        var deliveries: Int
        var net_cents: Int64
        var vat_cents: Int64
        var gross_cents: Int64
        var issued_at: Date
        var issued_by: UUID?
    }

    static func issued(store: UUID, month: InvoiceMonth, on db: any Database) async throws -> Issued? {
        try await db.sql.select().column("*").from("delivery_issued_invoices").where("store_id", .equal, SQLBind(store))
            .where("month", .equal, SQLBind(month.description)).first(decoding: Issued.self)
    }

    /// Issues the month's invoice, or answers the one already issued. `issuedNow` tells which.
    static func issue(store: DeliveryStoreRow, month: InvoiceMonth, by user: UUID?, at now: Date = Date(),
                      on db: any Database) async throws -> (invoice: Issued, issuedNow: Bool) {
        if let done = try await issued(store: store.id, month: month, on: db) { return (done, false) }
        guard now >= DeliveryInvoices.zone.start(of: month.next.firstDay) else { throw DomainError.invoiceMonthNotOver }
        let inserted = try await db.writeTransaction { tx -> Bool in
            let invoice = try await DeliveryInvoices.invoice(of: store, month: month, on: tx)
            guard invoice.grossCents > 0 else { throw DomainError.invoiceNothingBilled }
            let rows = try await tx.sql.insert(into: "delivery_issued_invoices")
                .columns("id", "cooperative_id", "store_id", "month", "number", "deliveries", "net_cents", "vat_cents", "gross_cents",
                         "issued_at", "issued_by")
                .values(SQLBind(UUID()), SQLBind(store.cooperative_id), SQLBind(store.id), SQLBind(month.description), SQLBind(invoice.number),
                        SQLBind(invoice.lines.count), SQLBind(invoice.netCents), SQLBind(invoice.vatCents), SQLBind(invoice.grossCents),
                        SQLBind(now), SQLBind(user))
                .ignoringConflicts().returning("id").all()
            // Someone else issued it first: their booking stands, nothing more to book.
            guard !rows.isEmpty else { return false }
            try await LedgerFacade.invoiceIssued(invoice.number, to: .store(store.id), netCents: invoice.netCents, vatCents: invoice.vatCents,
                                                 cooperative: store.cooperative_id, memo: "Facture \(invoice.number) — \(store.name)",
                                                 activity: .delivery, by: user, at: now, inTransaction: tx)
            return true
        }
        guard let done = try await issued(store: store.id, month: month, on: db) else { throw DomainError.invoiceNothingBilled }
        return (done, inserted)
    }

    /// What the store owes the cooperative on its issued invoices.
    static func owed(by store: DeliveryStoreRow, on db: any Database) async throws -> Int64 {
        try await LedgerFacade.owed(by: .store(store.id), to: store.cooperative_id, on: db)
    }
}
