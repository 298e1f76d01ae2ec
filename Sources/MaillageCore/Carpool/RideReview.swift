import Foundation

/// A few words one side of a completed ride writes about the other. Text only: no stars, no
/// score, nothing that ranks people (the cooperative turns reviews on, they are off by default).
public enum RideReview {
    public static let length = 3...1000

    /// The review's text once checked, or why it cannot be written now.
    public static func check(_ body: String, status: AskStatus, reviewsOn: Bool) throws(DomainError) -> String {
        guard reviewsOn else { throw off }
        guard status == .completed else { throw notCompleted }
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard length.contains(text.count) else { throw bodyLength }
        return text
    }

    public static let off = DomainError(.forbidden, code: "reviews_off",
        fr: "Cette coopérative n’a pas ouvert les avis après un trajet.", en: "This cooperative has not turned on reviews after a ride.")
    public static let notCompleted = DomainError(.conflict, code: "ride_not_completed",
        fr: "Un avis s’écrit une fois le trajet effectué.", en: "A review is written once the ride is completed.")
    public static let bodyLength = DomainError(.invalid, code: "invalid_review", field: "body",
        fr: "L’avis fait 3 à 1 000 caractères.", en: "The review is 3 to 1,000 characters.")
    public static let already = DomainError(.conflict, code: "already_reviewed",
        fr: "Vous avez déjà écrit votre avis sur ce trajet.", en: "You already wrote your review of this ride.")
}
