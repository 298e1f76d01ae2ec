/// Where a member stands on a proposal decided by consent (as in Loomio's proposals).
public enum ConsentPosition: String, Sendable, Hashable, Codable, CaseIterable {
    case agree, abstain, disagree, block

    public var label: Localized {
        switch self {
        case .agree: Localized(fr: "D’accord", en: "Agree")
        case .abstain: Localized(fr: "Abstention", en: "Abstain")
        case .disagree: Localized(fr: "Pas d’accord", en: "Disagree")
        case .block: Localized(fr: "Blocage", en: "Block")
        }
    }
}

public struct ConsentBallot: Sendable, Hashable, Codable {
    public let position: ConsentPosition
    public let reason: String?

    public init(position: ConsentPosition, reason: String? = nil) {
        self.position = position
        self.reason = reason
    }
}

/// The positions counted; with colleges, agree/abstain/disagree/block are in weighted units.
public struct ConsentCount: Sendable, Hashable {
    public let agree: Int64, abstain: Int64, disagree: Int64, block: Int64
    /// The reason of every block, in ballot order, shown to everyone.
    public let blocks: [String]
    /// Ballots cast (a head count).
    public let ballots: Int64

    public init(agree: Int64, abstain: Int64, disagree: Int64, block: Int64, blocks: [String], ballots: Int64) {
        (self.agree, self.abstain, self.disagree, self.block) = (agree, abstain, disagree, block)
        self.blocks = blocks
        self.ballots = ballots
    }

    public func count(of position: ConsentPosition) -> Int64 {
        switch position {
        case .agree: agree
        case .abstain: abstain
        case .disagree: disagree
        case .block: block
        }
    }
}

/// Decision by consent.
///
/// The rule: a single block stops the proposal, whatever the numbers — a block says "this harms
/// the cooperative or breaks its principles", and sociocracy and Loomio both treat it as a veto to
/// be heard, not outvoted. Without a block, the proposal passes when agreements reach the required
/// majority of the expressed positions, agree against disagree (simple: agree > disagree);
/// abstentions are not expressed votes. With no one agreeing nor disagreeing, it does not pass.
public enum Consent {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case passed, rejected, blocked
    }

    public static func count(_ ballots: [ConsentBallot]) -> ConsentCount {
        var counts = [Int64](repeating: 0, count: 4)
        var blocks: [String] = []
        for ballot in ballots {
            counts[ConsentPosition.allCases.firstIndex(of: ballot.position)!] += 1
            if ballot.position == .block { blocks.append(ballot.reason ?? "") }
        }
        return ConsentCount(agree: counts[0], abstain: counts[1], disagree: counts[2], block: counts[3],
                            blocks: blocks, ballots: Int64(ballots.count))
    }

    public static func outcome(_ count: ConsentCount, majority: RequiredMajority = .simple) -> Outcome {
        if count.block > 0 || !count.blocks.isEmpty { return .blocked }
        return majority.isReached(for: count.agree, against: count.disagree) ? .passed : .rejected
    }

    /// Checked when a ballot is cast (not when counting, so a recount never refuses a file):
    /// a block must say why, since everyone will read it.
    public static func validate(_ ballot: ConsentBallot) throws(DomainError) {
        if ballot.position == .block && (ballot.reason ?? "").allSatisfy(\.isWhitespace) {
            throw .blockWithoutReason()
        }
    }

    /// Each college's agreements and disagreements as shares of its expressed positions, times its
    /// weight — the per-college majority then weighted, as SCIC assemblies count. Blocks stay blocks.
    public static func combining(_ byCollege: [ConsentCount],
                                 colleges: VotingColleges) throws(DomainError) -> ConsentCount {
        precondition(byCollege.count == colleges.colleges.count, "one count per college")
        let factors = try colleges.factors(bases: byCollege.map { $0.agree + $0.disagree })
        let sum = try VotingColleges.combine(byCollege.map { [$0.agree, $0.abstain, $0.disagree, $0.block] },
                                             factors: factors)
        return ConsentCount(agree: sum[0], abstain: sum[1], disagree: sum[2], block: sum[3],
                            blocks: byCollege.flatMap(\.blocks), ballots: byCollege.reduce(0) { $0 + $1.ballots })
    }
}
