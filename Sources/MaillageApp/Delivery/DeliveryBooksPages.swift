import Foundation
import MaillageCore
import Plot
import Vapor

/// The invoice page's part about the books: issued or not, what was booked and what the store
/// still owes; the staff's button to issue it; the month's proofs of delivery.
enum DeliveryBooksPages {
    /// Staff issue the month's invoice; a second click (or a colleague's) says it was already issued.
    @Sendable static func issue(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, signedIn: true, minimum: .staff)
        let store = try await access.store(req.parameters.get("store", as: UUID.self), on: req.db)
        guard let month = InvoiceMonth(text: req.parameters.get("month") ?? "") else { throw DeliveryInvoicePages.unreadableMonth }
        let (invoice, now) = try await DeliveryBooks.issue(store: store, month: month, by: access.user?.id, on: req.db)
        let said = now
            ? Localized(fr: "Facture \(invoice.number) émise et comptabilisée : créance de \(Euros.format(cents: invoice.gross_cents, .fr)) sur \(store.name).",
                        en: "Invoice \(invoice.number) issued and booked: \(Euros.format(cents: invoice.gross_cents, .en)) receivable from \(store.name).")
            : Localized(fr: "La facture \(invoice.number) était déjà émise ; elle n’est comptabilisée qu’une fois.",
                        en: "Invoice \(invoice.number) was already issued; it is booked only once.")
        return req.done(said, goTo: "\(access.base)/stores/\(store.id)/invoices/\(month)")
    }

    static func section(_ req: Request, access: DeliveryAccess, store: DeliveryStoreRow, invoice: DeliveryInvoice) async throws -> Node<HTML.BodyContext> {
        let t = req.t, language = req.language
        let issued = try await DeliveryBooks.issued(store: store.id, month: invoice.month, on: req.db)
        let link = "\(access.base)/stores/\(store.id)/invoices/\(invoice.month)"
        let first = invoice.month.firstDay, last = invoice.month.next.firstDay.adding(days: -1) ?? invoice.month.firstDay
        let proofs = "\(access.base)/stores/\(store.id)/proofs?from=\(first.iso)&to=\(last.iso)"
        let monthOver = Date() >= DeliveryInvoices.zone.start(of: invoice.month.next.firstDay)
        var issuedText: Node<HTML.BodyContext> = .empty
        if let issued {
            let names = try await DeliveryAccess.names(Set([issued.issued_by].compactMap { $0 }), on: req.db)
            let owed = try await DeliveryBooks.owed(by: store, on: req.db)
            issuedText = .group(
                .p(.class("invoice-issued"), .strong(.text(t("Facture émise le ", "Invoice issued on ") + DateText.short(issued.issued_at, language))),
                   .text(issued.issued_by.flatMap { names[$0] }.map { t(" par ", " by ") + $0 } ?? "")),
                .p(.class("no-print"), .text(t(
                    "Comptabilisée dans les livres de \(access.coop.name) : créance de \(Euros.format(cents: issued.gross_cents, language)) sur le compte client de \(store.name) (\(Euros.format(cents: issued.net_cents, language)) de recettes, \(Euros.format(cents: issued.vat_cents, language)) de TVA collectée). ",
                    "Booked in \(access.coop.name)'s books: \(Euros.format(cents: issued.gross_cents, language)) receivable on \(store.name)'s customer account (\(Euros.format(cents: issued.net_cents, language)) revenue, \(Euros.format(cents: issued.vat_cents, language)) VAT collected). ")),
                   .text(t("Reste dû par le magasin, toutes factures : ", "Still owed by the store, all invoices: ")),
                   .strong(.text(Euros.format(cents: owed, language))), .text(".")))
        }
        return .section(.class("invoice-books"),
            issuedText,
            .if(issued == nil && access.isStaff && monthOver && !invoice.lines.isEmpty, .div(.class("no-print"),
                Form.post(req, action: "\(link)/issue", Form.submit(t("Émettre la facture et la comptabiliser", "Issue the invoice and book it"))),
                .p(.class("hint"), .text(t(
                    "L’émission inscrit la facture dans les livres de la coopérative, comme une créance sur le magasin. Elle ne se fait qu’une fois.",
                    "Issuing books the invoice in the cooperative's books, as a receivable from the store. It happens only once."))))),
            .if(issued == nil && !monthOver, .p(.class("hint no-print"), .text(t(
                "Le mois n’est pas terminé : la facture pourra être émise une fois le mois fini.",
                "The month is not over: the invoice can be issued once the month has ended.")))),
            .if(!invoice.lines.isEmpty, .p(.class("no-print"), .a(.href(proofs), .text(t(
                "Télécharger les preuves de livraison du mois (archive tar)", "Download the month's proofs of delivery (tar archive)"))))))
    }
}
