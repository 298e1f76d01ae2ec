import Foundation

/// A share written as a fraction of whole numbers, so a threshold like "a quarter" is exact.
public struct Fraction: Sendable, Hashable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    public init(_ numerator: Int64, over denominator: Int64) throws(DomainError) {
        guard denominator > 0, numerator >= 0, numerator <= denominator else {
            throw DomainError(.invalid, code: "invalid_fraction", field: "quorum",
                              fr: "Une part s’écrit n/d avec 0 ≤ n ≤ d et d > 0, pas \(numerator)/\(denominator).",
                              en: "A share is written n/d with 0 ≤ n ≤ d and d > 0, not \(numerator)/\(denominator).")
        }
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Reads "1/4" (or "0" for no threshold).
    public init(parsing text: String) throws(DomainError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            .map { Int64($0.trimmingCharacters(in: .whitespaces)) }
        switch parts.count {
        case 1 where parts[0] != nil: try self.init(parts[0]!, over: 1)
        case 2 where parts[0] != nil && parts[1] != nil: try self.init(parts[0]!, over: parts[1]!)
        default:
            throw DomainError(.invalid, code: "invalid_fraction", field: "quorum",
                              fr: "« \(text) » n’est pas une part : écrivez par exemple 1/4.",
                              en: "“\(text)” is not a share: write for example 1/4.")
        }
    }

    private init(unchecked numerator: Int64, _ denominator: Int64) {
        self.numerator = numerator
        self.denominator = denominator
    }

    public static let none = Fraction(unchecked: 0, 1)
    public static let oneFifth = Fraction(unchecked: 1, 5)
    public static let oneQuarter = Fraction(unchecked: 1, 4)

    public var description: String { "\(numerator)/\(denominator)" }

    /// Whether part/whole reaches this share (≥), exactly.
    public func isReached(by part: Int64, of whole: Int64) -> Bool {
        Exact.compareProducts(part, denominator, numerator, whole) >= 0
    }
}

/// The majority a decision needs, always of the votes expressed: abstentions, blank and spoilt
/// ballots are not counted (Code de commerce art. L225-96 and L225-98 as amended by Loi 2019-744).
public enum RequiredMajority: String, Sendable, Hashable, Codable, CaseIterable {
    /// More than half of the votes expressed.
    case simple
    /// At least two thirds of the votes expressed (Code de commerce art. L225-96: extraordinary
    /// assemblies, which amend the statutes; applicable to a SCIC SA by Loi 47-1775 art. 19 quinquies).
    case twoThirds = "two-thirds"

    /// `yes` and `no` are the expressed votes for and against (weighted, with colleges).
    public func isReached(for yes: Int64, against no: Int64) -> Bool {
        switch self {
        // yes > (yes + no) / 2  ⇔  yes > no
        case .simple: return yes > no
        // yes ≥ 2/3 (yes + no)  ⇔  yes ≥ 2 no, and somebody must have voted
        case .twoThirds: return yes > 0 && Exact.compareProducts(yes, 1, no, 2) >= 0
        }
    }
}

/// What a decision needs to be valid: a quorum of the electorate, then a majority.
public struct ElectorateRules: Sendable, Hashable {
    public let quorum: Fraction
    public let majority: RequiredMajority

    public init(quorum: Fraction, majority: RequiredMajority) {
        self.quorum = quorum
        self.majority = majority
    }

    /// Ordinary decisions: Code de commerce art. L225-98 (a fifth of the votes on first call).
    public static let ordinary = ElectorateRules(quorum: .oneFifth, majority: .simple)
    /// Extraordinary decisions — the statutes, and (as this project's governance brief asks)
    /// the allocation of surplus: art. L225-96 (a quarter on first call, two thirds). The law
    /// sets a floor; statutes may ask more, so a cooperative configures its own rules.
    public static let extraordinary = ElectorateRules(quorum: .oneQuarter, majority: .twoThirds)
}

/// The figures of a closed vote and what they mean.
public struct VoteOutcome: Sendable, Hashable {
    public let electorate: Int64
    public let participants: Int64
    public let quorumReached: Bool
    public let majorityReached: Bool

    /// Valid only with both quorum and majority.
    public var adopted: Bool { quorumReached && majorityReached }

    /// From the counts: `electorate` is the members in good standing when the vote opened,
    /// `participants` those who cast a ballot (blank and abstaining included), `yes` and `no`
    /// the votes expressed for and against — with colleges, already weighted.
    public static func assess(electorate: Int64, participants: Int64, yes: Int64, no: Int64,
                              rules: ElectorateRules) -> VoteOutcome {
        VoteOutcome(electorate: electorate, participants: participants,
                    quorumReached: rules.quorum.isReached(by: participants, of: electorate),
                    majorityReached: rules.majority.isReached(for: yes, against: no))
    }
}
