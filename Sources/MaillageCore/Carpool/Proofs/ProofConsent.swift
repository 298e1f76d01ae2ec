import Foundation

/// What a person gives to have their rides sent: consent to the text shown (its version is
/// kept with the date), a phone number and their legal last name.
public struct ProofConsent: Sendable, Hashable {
    /// Raised whenever the page's explanation of what is sent, to whom and why changes.
    public static let textVersion = "1"

    public var phone: String
    public var lastName: String

    public init(phone: String, lastName: String) {
        self.phone = phone
        self.lastName = lastName
    }

    /// Checks what was typed: a phone number that reads as E.164 (French numbers as typed in
    /// France become +33…), a last name with at least one letter, and the box ticked.
    public static func parse(phone: String, lastName: String, consent: Bool) throws -> ProofConsent {
        var errors = ValidationErrors()
        let number = ProofIdentity.phone(phone)
        if number == nil {
            errors.add(DomainError(.invalid, code: "invalid_phone", field: "phone",
                                   fr: "Indiquez un numéro de téléphone, par exemple 06 12 34 56 78 ou +590 690 10 10 10.",
                                   en: "Give a phone number, for instance 06 12 34 56 78 or +590 690 10 10 10."))
        }
        let name = lastName.trimmingCharacters(in: .whitespacesAndNewlines)
        if ProofIdentity.lastName(name).isEmpty || name.count > 100 {
            errors.add(DomainError(.invalid, code: "invalid_last_name", field: "last_name",
                                   fr: "Indiquez votre nom de famille tel qu’il figure sur vos papiers (100 caractères au plus).",
                                   en: "Give your last name as on your papers (100 characters at most)."))
        }
        if !consent {
            errors.add(DomainError(.invalid, code: "consent_required", field: "consent",
                                   fr: "Cochez la case pour donner votre accord.", en: "Tick the box to give your consent."))
        }
        try errors.throwIfAny()
        return ProofConsent(phone: number ?? "", lastName: name)
    }
}
