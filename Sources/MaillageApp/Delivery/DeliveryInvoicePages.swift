import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/delivery/stores/<store>/invoices/<YYYY-MM>`: a store's invoice for a month, to
/// print on A4 (the print styles hide the site's frame) or, with `.csv` or `?format=csv`, to
/// download for a spreadsheet. Seen by the store's people and the cooperative's staff, like the
/// store's page; anyone else is told the store does not exist.
enum DeliveryInvoicePages {
    static let unreadableMonth = DomainError(.notFound, code: "month_unreadable",
        fr: "Ce mois n’est pas lisible : il s’écrit AAAA-MM, par exemple 2026-11.",
        en: "This month cannot be read: it is written YYYY-MM, for example 2026-11.")

    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, signedIn: true)
        let store = try await access.store(req.parameters.get("store", as: UUID.self), on: req.db)
        var text = req.parameters.get("month") ?? ""
        var csv = (try? req.query.get(String.self, at: "format")) == "csv"
        if text.hasSuffix(".csv") { text.removeLast(4); csv = true }
        guard let month = InvoiceMonth(text: text) else { throw unreadableMonth }
        let invoice = try await DeliveryInvoices.invoice(of: store, month: month, on: req.db)
        if csv { return CSVResponse.make(rows(invoice), filename: "facture-\(invoice.number).csv", byteOrderMark: true) }
        let books = try await DeliveryBooksPages.section(req, access: access, store: store, invoice: invoice)
        return page(req, access: access, store: store, invoice: invoice, books: books)
    }

    static func page(_ req: Request, access: DeliveryAccess, store: DeliveryStoreRow, invoice: DeliveryInvoice,
                     books: Node<HTML.BodyContext> = .empty) -> Response {
        let t = req.t, language = req.language, coop = access.coop
        let link = "\(access.base)/stores/\(store.id)/invoices/\(invoice.month)"
        return Layout.page(req, title: t("Facture \(invoice.number) — \(store.name)", "Invoice \(invoice.number) — \(store.name)"),
            .p(.class("no-print"), .a(.href("\(access.base)/stores/\(store.id)"), .text("← " + store.name)),
               .text(" · "), .a(.href("\(link).csv"), .text(t("Télécharger en CSV", "Download as CSV")))),
            .article(.class("invoice"),
                .h1(.text(t("Facture \(invoice.number)", "Invoice \(invoice.number)"))),
                .p(.text(t("Livraisons de ", "Deliveries of ") + monthName(invoice.month, language))),
                .div(.class("invoice-parties"),
                    .section(.h2(.text(t("Prestataire", "Seller"))),
                             .p(.strong(.text(coop.name)), .br(), .text(coop.legalForm), .br(), .text("\(coop.postalCode) \(coop.commune)"))),
                    .section(.h2(.text(t("Client", "Customer"))),
                             .p(.strong(.text(store.name)), .br(), .text(store.address)))),
                .if(invoice.lines.isEmpty, .p(.text(t("Aucune livraison facturée ce mois-ci.", "No delivery billed this month.")))),
                .if(!invoice.lines.isEmpty, StackedTable.node(.table(
                    .thead(.tr(.th(.text(t("Date", "Date"))), .th(.text(t("Référence", "Reference"))),
                               .th(.text(t("Retrait → livraison", "Pickup → dropoff"))), .th(.text(t("État", "Status"))),
                               .th(.class("num"), .text(t("Prix TTC", "Price incl. VAT"))))),
                    .tbody(.forEach(invoice.lines) { line in
                        .tr(.td(.text(day(line.day, language))), .td(.text(line.reference)), .td(.text("\(line.pickup) → \(line.dropoff)")),
                            .td(.text(line.status.words(language))), .td(.class("num"), .text(Euros.format(cents: line.grossCents, language))))
                    })))),
                .table(.class("invoice-totals"),
                    .tr(.th(.text(t("Total HT", "Total excl. VAT"))), .td(.class("num"), .text(Euros.format(cents: invoice.netCents, language)))),
                    .tr(.th(.text(t("TVA ", "VAT ") + invoice.vatRateText(language))), .td(.class("num"), .text(Euros.format(cents: invoice.vatCents, language)))),
                    .tr(.th(.text(t("Total TTC", "Total incl. VAT"))), .td(.class("num"), .strong(.text(Euros.format(cents: invoice.grossCents, language)))))),
                .p(.class("hint"), .text(t(
                    "Les livraisons faites et celles qui ont échoué (la course a eu lieu) sont facturées ; les livraisons annulées ne le sont pas. La TVA est calculée sur le total du mois.",
                    "Delivered and failed deliveries (the ride took place) are billed; cancelled deliveries are not. The VAT is worked out on the month's total."))),
                books))
    }

    /// The CSV: a French header, one row per delivery, then the three totals.
    static func rows(_ invoice: DeliveryInvoice) -> String {
        var rows: [[CSV.Field]] = [["facture", "date", "référence", "retrait", "livraison", "état", "prix TTC (€)"].map(CSV.Field.text)]
        for line in invoice.lines {
            rows.append([.text(invoice.number), .text(line.day.iso), .text(line.reference), .text(line.pickup), .text(line.dropoff),
                         .text(line.status.words.fr), .figure(euros(line.grossCents))])
        }
        for (label, cents) in [("total HT", invoice.netCents), ("TVA \(invoice.vatRateText(.fr))", invoice.vatCents), ("total TTC", invoice.grossCents)] {
            rows.append([.text(invoice.number), .text(""), .text(""), .text(""), .text(""), .text(label), .figure(euros(cents))])
        }
        return CSV.render(rows)
    }

    /// 2487 → "24.87": a figure a spreadsheet reads as a number.
    static func euros(_ cents: Int64) -> String {
        let rest = cents.magnitude % 100
        return "\(cents < 0 ? "-" : "")\(cents.magnitude / 100).\(rest < 10 ? "0" : "")\(rest)"
    }

    static func day(_ date: LocalDate, _ language: Language) -> String {
        let dd = date.day < 10 ? "0\(date.day)" : "\(date.day)", mm = date.month < 10 ? "0\(date.month)" : "\(date.month)"
        return "\(dd)/\(mm)/\(date.year)"
    }

    static func monthName(_ month: InvoiceMonth, _ language: Language) -> String {
        let fr = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
        let en = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\((language == .fr ? fr : en)[month.month - 1]) \(month.year)"
    }
}
