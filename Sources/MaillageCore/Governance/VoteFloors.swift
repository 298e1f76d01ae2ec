import Foundation

/// The least a vote gives the members before it decides anything. A vote that closes an hour
/// after it opens, or that a single voter can carry, is not a decision of the members.
/// Meeting-time polls decide nothing and ask no quorum. A cooperative's statutes may ask more;
/// an instance may lower the duration for its own tests (`VOTE_MINIMUM_HOURS`).
public struct VoteFloors: Sendable, Hashable {
    /// The shortest time between opening and closing.
    public var minimumDuration: TimeInterval
    /// The smallest quorum a decision may ask, as a share of the electorate.
    public var quorum: Fraction

    /// Whether an opening time already past is refused (not when recreating past votes).
    public var checksOpening: Bool

    public init(minimumDuration: TimeInterval, quorum: Fraction, checksOpening: Bool = true) {
        self.minimumDuration = minimumDuration
        self.quorum = quorum
        self.checksOpening = checksOpening
    }

    /// Two days, and a fifth of the members: the quorum of an ordinary general assembly on
    /// first call (Code de commerce art. L225-98).
    public static let standard = VoteFloors(minimumDuration: 48 * 3_600, quorum: .oneFifth)

    /// No floor: for recreating votes that already took place (the demo territory's history).
    public static let history = VoteFloors(minimumDuration: 0, quorum: .none, checksOpening: false)

    /// How far in the past a vote may say it opens (a form filled a few minutes ago).
    public static let openingTolerance: TimeInterval = 10 * 60

    /// Every way the draft, opening at `opensAt`, falls short; empty when it meets the floors.
    public func problems(_ draft: ProposalDraft, now: Date) -> [DomainError] {
        var problems: [DomainError] = []
        if checksOpening && draft.opensAt < now.addingTimeInterval(-Self.openingTolerance) {
            problems.append(DomainError(.invalid, code: "opens_in_the_past", field: "opens_at",
                                        fr: "L’ouverture est déjà passée : laissez-la vide pour ouvrir maintenant.",
                                        en: "The opening time has passed: leave it empty to open now."))
        }
        let opens = max(draft.opensAt, now)
        if draft.closesAt.timeIntervalSince(opens) < minimumDuration {
            let hours = Int((minimumDuration / 3_600).rounded(.up))
            problems.append(DomainError(.invalid, code: "vote_too_short", field: "closes_at",
                                        fr: "Un vote reste ouvert au moins \(hours) heures, pour que chaque sociétaire puisse voter.",
                                        en: "A vote stays open at least \(hours) hours, so that every member can vote."))
        }
        if draft.method != .meetingTime {
            let asked = (try? Fraction(parsing: draft.quorum)) ?? Fraction.none
            // asked < floor, exactly and without overflow: a/b < c/d ⇔ a·d < c·b.
            if Exact.compareProducts(asked.numerator, quorum.denominator, quorum.numerator, asked.denominator) < 0 {
                problems.append(DomainError(.invalid, code: "quorum_below_floor", field: "quorum",
                                            fr: "Une décision demande un quorum d’au moins \(quorum) des sociétaires.",
                                            en: "A decision asks a quorum of at least \(quorum) of the members."))
            }
        }
        return problems
    }
}
