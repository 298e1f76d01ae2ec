import Foundation

/// How members decide the allocation of a year's surplus: an extraordinary decision (a quarter
/// of the members take part, two thirds of the votes expressed — Code de commerce art. L225-96,
/// which statutes may make stricter), open long enough for every member to be told and to
/// vote: fifteen days, the notice of a general assembly (art. R225-69).
public enum AllocationVote {
    public static let rules = ElectorateRules.extraordinary
    public static let minimumDuration: TimeInterval = 15 * 86_400
    public static let floors = VoteFloors(minimumDuration: minimumDuration, quorum: rules.quorum)

    public static func checkDuration(opensAt: Date, closesAt: Date) throws(DomainError) {
        guard closesAt.timeIntervalSince(opensAt) >= minimumDuration else { throw .allocationVoteTooShort }
    }
}

/// The most a cooperative may pay as interest on shares: the average yield of private-sector
/// bonds (TMO) over the last three years, plus two points (Loi 47-1775 art. 14). The average is
/// published each year; the instance's operators set it (`SHARE_INTEREST_AVERAGE_YIELD`).
public struct ShareInterestCap: Sendable, Hashable, Codable {
    /// The three-year average yield, in basis points (2.5 % = 250).
    public let averageYieldBasisPoints: Int64

    public init(averageYieldBasisPoints: Int64) { self.averageYieldBasisPoints = averageYieldBasisPoints }

    public var basisPoints: Int64 { averageYieldBasisPoints + 200 }
}
