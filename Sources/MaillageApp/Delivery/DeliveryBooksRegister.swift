import MaillageCore

/// What issuing invoices keeps: the figures of each issued invoice and the staff member who
/// issued it (the booking itself is in the ledger's register).
enum DeliveryBooksRegister {
    static var tables: [TableRegister] {
        [TableRegister(table: "delivery_issued_invoices", subject: "issued_by",
                       purpose: Localized(fr: "Les factures mensuelles émises aux magasins et comptabilisées", en: "The monthly invoices issued to stores and booked"),
                       legalBasis: .legalObligation, persons: Localized(fr: "Équipe de la coopérative", en: "The cooperative's staff"),
                       recipients: Localized(fr: "Le magasin et l’équipe de la coopérative", en: "The store and the cooperative's staff"),
                       retention: .cooperativeRecords(years: 10),
                       personal: [PersonalField("issued_by", .economic)],
                       nonPersonal: ["id", "cooperative_id", "store_id", "month", "number", "deliveries", "net_cents", "vat_cents", "gross_cents", "issued_at"])]
    }
}
