import Foundation

/// Where a loan's deposit (*caution*) stands. Held on the ledger when the cooperative keeps its
/// members' credit in euros: a pending transfer from the borrower's credit, voided at the return
/// or posted to the owner when staff uphold a claim. Otherwise it stays a paper deposit, handed
/// over in person as before.
public enum DepositState: String, Sendable, Codable, CaseIterable {
    /// The item asks for no deposit.
    case none
    /// The cooperative keeps no member credit: the deposit is settled in person.
    case paper
    /// Held from the borrower's credit at the handover, which has not happened yet.
    case toHold = "to_hold"
    /// Reserved on the borrower's credit until the return.
    case held
    /// Given back to the borrower's credit.
    case released
    /// Paid to the owner after a claim staff upheld.
    case kept

    /// From the ledger's status of the pending transfer (nil: none written).
    public static func of(depositCents: Int64, onLedger: Bool, transferStatus: String?) -> DepositState {
        switch transferStatus {
        case "open": return .held
        case "posted": return .kept
        case "voided", "expired": return .released
        default:
            guard depositCents > 0 else { return .none }
            return onLedger ? .toHold : .paper
        }
    }

    public var label: Localized {
        switch self {
        case .none: Localized(fr: "aucune", en: "none")
        case .paper: Localized(fr: "caution remise en main propre (la coopérative ne tient pas d’avoir en euros pour ses membres)",
                               en: "deposit handed over in person (the cooperative keeps no euro credit for its members)")
        case .toHold: Localized(fr: "sera retenue sur l’avoir de l’emprunteur·se à la remise", en: "will be held on the borrower’s credit at the handover")
        case .held: Localized(fr: "retenue sur l’avoir de l’emprunteur·se", en: "held on the borrower’s credit")
        case .released: Localized(fr: "rendue à l’emprunteur·se", en: "released to the borrower")
        case .kept: Localized(fr: "versée au ou à la propriétaire", en: "kept and paid to the owner")
        }
    }
}

/// Why an owner asks to keep the deposit.
public enum DepositClaimReason: String, Sendable, Codable, CaseIterable {
    case damaged
    case notReturned = "not_returned"

    public var label: Localized {
        switch self {
        case .damaged: Localized(fr: "objet abîmé", en: "item damaged")
        case .notReturned: Localized(fr: "objet non rendu", en: "item not returned")
        }
    }
}

/// A claim's life: filed by the owner, settled once by staff.
public enum DepositClaimStatus: String, Sendable, Codable, CaseIterable {
    case open, upheld, rejected

    public var label: Localized {
        switch self {
        case .open: Localized(fr: "en attente de l’équipe", en: "waiting for the staff")
        case .upheld: Localized(fr: "acceptée : caution versée au ou à la propriétaire", en: "upheld: deposit paid to the owner")
        case .rejected: Localized(fr: "refusée : caution rendue", en: "rejected: deposit released")
        }
    }
}

public extension DomainError {
    static func depositCreditShort(available: Int64, deposit: Int64) -> DomainError {
        DomainError(.conflict, code: "insufficient_credit", field: "deposit",
                    fr: "L’avoir de l’emprunteur·se ne suffit pas pour la caution : \(UnitOfAccount.eur.format(available, .fr)) disponibles pour \(UnitOfAccount.eur.format(deposit, .fr)). Rechargez l’avoir avant la remise.",
                    en: "The borrower’s credit does not cover the deposit: \(UnitOfAccount.eur.format(available, .en)) available for \(UnitOfAccount.eur.format(deposit, .en)). Top up the credit before the handover.")
    }

    static let depositNotHeld = DomainError(.conflict, code: "deposit_not_held", field: "reason",
        fr: "Aucune caution n’est retenue sur ce prêt : une réclamation n’est possible que pendant le prêt, caution retenue.",
        en: "No deposit is held on this loan: a claim is only possible during the loan, with the deposit held.")
    static let depositClaimExists = DomainError(.conflict, code: "deposit_claim_exists", field: "reason",
        fr: "Une réclamation existe déjà pour ce prêt.", en: "A claim already exists for this loan.")
    static let depositClaimSettled = DomainError(.conflict, code: "deposit_claim_settled",
        fr: "Cette réclamation est déjà tranchée.", en: "This claim is already settled.")
    /// Nobody decides a dispute they are in: another staff or board member of the cooperative
    /// decides; when the only staff member is a party, the board decides.
    static let depositClaimParty = DomainError(.forbidden, code: "party_to_claim",
        fr: "Vous êtes partie à ce prêt : un autre membre de l’équipe ou du conseil tranche la réclamation (le conseil, si vous êtes seul·e dans l’équipe).",
        en: "You are a party to this loan: another staff or board member settles the claim (the board, if you are the only staff member).")
    static let depositClaimNote = DomainError(.invalid, code: "invalid_note", field: "note",
        fr: "Décrivez le problème en 1 000 caractères au plus.", en: "Describe the problem in 1,000 characters at most.")
}
