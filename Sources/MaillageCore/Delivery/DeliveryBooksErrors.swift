import Foundation

/// Why issuing an invoice or reading proofs of delivery is refused, in the staff's and the
/// store's words.
extension DomainError {
    /// An invoice is issued once its month is over: a delivery finished later in the month
    /// would otherwise be missing from the books.
    public static let invoiceMonthNotOver = DomainError(.conflict, code: "invoice_month_not_over",
        fr: "Ce mois n’est pas terminé : la facture s’émet une fois le mois fini, quand toutes ses livraisons sont connues.",
        en: "This month is not over: the invoice is issued once the month has ended, when all its deliveries are known.")
    public static let invoiceNothingBilled = DomainError(.conflict, code: "invoice_nothing_billed",
        fr: "Aucune livraison n’est facturée ce mois-ci : il n’y a pas de facture à émettre.",
        en: "No delivery is billed this month: there is no invoice to issue.")
    public static func proofPeriodUnreadable(field: String) -> DomainError {
        DomainError(.invalid, code: "proof_period_unreadable", field: field,
                    fr: "Cette date n’est pas lisible : elle s’écrit AAAA-MM-JJ, par exemple 2026-11-30.",
                    en: "This date cannot be read: it is written YYYY-MM-DD, for example 2026-11-30.")
    }
    public static let proofPeriodReversed = DomainError(.invalid, code: "proof_period_reversed", field: "to",
        fr: "La fin de la période doit venir après son début.", en: "The period must end after it starts.")
    public static let proofPeriodTooLong = DomainError(.invalid, code: "proof_period_too_long", field: "to",
        fr: "Une période de preuves couvre au plus un an.", en: "A period of proofs covers at most one year.")
}
