/// Why an allocation cannot be proposed as asked, with the article the board should read.
extension DomainError {
    public static let noAllocationRegime = DomainError(
        .invalid, code: "no_allocation_regime", field: "legalForm",
        fr: "Pour cette forme juridique, l’affectation du résultat suit les statuts : choisissez le régime à appliquer.",
        en: "For this legal form, the allocation follows the statutes: choose the regime to apply.")

    public static let distributionNotAllowed = DomainError(
        .invalid, code: "distribution_not_allowed", field: "terms",
        fr: "Une association ne distribue pas son excédent : ni ristourne ni intérêts.",
        en: "An association does not distribute its surplus: no refunds, no interest.")

    public static let patronageRefundNotAllowed = DomainError(
        .invalid, code: "patronage_refund_not_allowed", field: "patronageRefund",
        fr: "Une SCIC ne verse pas de ristourne (loi 47-1775, art. 19 nonies).",
        en: "A SCIC pays no patronage refund (Loi 47-1775, art. 19 nonies).")

    public static func belowLegalMinimum(field: String, percent: String) -> DomainError {
        DomainError(.invalid, code: "below_legal_minimum", field: field,
                    fr: "La loi demande au moins \(percent) % pour cette affectation.",
                    en: "The law asks at least \(percent) % for this allocation.")
    }

    public static let allocationVoteTooShort = DomainError(
        .invalid, code: "allocation_vote_too_short", field: "closes_in_days",
        fr: "Le vote sur l’affectation du résultat reste ouvert au moins 15 jours, le délai de convocation d’une assemblée générale.",
        en: "The vote on the allocation of the result stays open at least 15 days, the notice of a general assembly.")

    public static func interestAboveCap(_ cap: ShareInterestCap?) -> DomainError {
        guard let cap else {
            return DomainError(.invalid, code: "interest_cap_unknown", field: "interestRate",
                               fr: "Le plafond légal des intérêts aux parts n’est pas renseigné sur cette instance : demandez-le à ses exploitants.",
                               en: "This instance has not set the legal cap on interest on shares: ask its operators.")
        }
        let percent = String(format: "%.2f", Double(cap.basisPoints) / 100)
        return DomainError(.invalid, code: "interest_above_cap", field: "interestRate",
                           fr: "L’intérêt aux parts ne peut dépasser \(percent.replacingOccurrences(of: ".", with: ",")) % (rendement moyen des obligations des trois dernières années plus deux points, loi 47-1775 art. 14).",
                           en: "Interest on shares cannot exceed \(percent) % (the average bond yield of the last three years plus two points, Loi 47-1775 art. 14).")
    }

    public static let termsExceedSurplus = DomainError(
        .invalid, code: "terms_exceed_surplus", field: "terms",
        fr: "Les parts proposées dépassent 100 % de l’excédent.",
        en: "The proposed shares exceed 100 % of the surplus.")

    public static let memberListedTwice = DomainError(
        .invalid, code: "member_listed_twice", field: "members",
        fr: "Un ou une sociétaire figure deux fois dans les chiffres de l’année.",
        en: "A member appears twice in the year’s figures.")

    public static let noPatronageToRefund = DomainError(
        .invalid, code: "no_patronage_to_refund", field: "members",
        fr: "Aucune transaction (ou aucun travail) n’est enregistrée pour répartir la ristourne.",
        en: "No transactions (or work) are recorded to share the refund by.")

    public static let allocationAccountMissing = DomainError(
        .invalid, code: "allocation_account_missing", field: "accounts",
        fr: "Un compte manque pour enregistrer une ligne de l’affectation.",
        en: "An account is missing to book a line of the allocation.")
}
