import Foundation

/// Anyone may found a cooperative, but it appears to the public only once the instance's
/// operators have checked it is real (a directory people trust lists real cooperatives).
public enum CooperativeReview: String, Sendable, CaseIterable, Codable {
    case pending, approved, refused

    public var label: Localized {
        switch self {
        case .pending: Localized(fr: "En attente de validation par les opérateurs de l’instance", en: "Awaiting approval by the instance's operators")
        case .approved: Localized(fr: "Validée", en: "Approved")
        case .refused: Localized(fr: "Refusée par les opérateurs de l’instance", en: "Refused by the instance's operators")
        }
    }

    /// Public: listed in the directory and open to anyone. Otherwise only its members and the
    /// operators see it; an archived cooperative is hidden whatever its review.
    public static func isPublic(_ review: CooperativeReview, archived: Bool) -> Bool {
        review == .approved && !archived
    }

    public static let alreadyReviewed = DomainError(.conflict, code: "already_reviewed", fr: "Cette coopérative a déjà été examinée.",
                                                    en: "This cooperative has already been reviewed.")

    /// An operator's decision: only a pending cooperative is decided, and a refusal says why.
    public static func decide(current: CooperativeReview, approve: Bool, reason: String) throws(DomainError) -> String? {
        guard current == .pending else { throw alreadyReviewed }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if approve { return reason.isEmpty ? nil : reason }
        guard (3...500).contains(reason.count) else {
            throw DomainError(.invalid, code: "reason_required", field: "reason",
                              fr: "Dites au conseil pourquoi (3 à 500 caractères) : il pourra corriger et recréer sa fiche.",
                              en: "Tell the board why (3 to 500 characters): they can correct it and create it again.")
        }
        return reason
    }
}
