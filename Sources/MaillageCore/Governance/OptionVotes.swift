/// Votes per option, for methods where a ballot simply gives a vote to some options.
public struct OptionVotes: Sendable, Hashable {
    /// Per option, the votes it received; with colleges, in weighted units.
    public let votes: [Int64]
    /// Ballots cast (a head count, also with colleges: turnout counts people).
    public let ballots: Int64
    /// What shares are taken of: ballots that chose something (single choice) or all ballots
    /// (approval, where approving nothing is still a judgment); weighted like `votes`.
    public let expressed: Int64

    public init(votes: [Int64], ballots: Int64, expressed: Int64) {
        self.votes = votes
        self.ballots = ballots
        self.expressed = expressed
    }

    /// Most votes first; equal votes share a group.
    public var ranking: Ranking { Ranking.byScore(votes) }

    /// Each college's share of votes per option, times its weight: votes × factor, where the
    /// factor makes every college's expressed votes weigh its percentage (`VotingColleges.factors`).
    public static func combining(_ byCollege: [OptionVotes],
                                 colleges: VotingColleges) throws(DomainError) -> OptionVotes {
        precondition(byCollege.count == colleges.colleges.count, "one count per college")
        let factors = try colleges.factors(bases: byCollege.map(\.expressed))
        let votes = try VotingColleges.combine(byCollege.map(\.votes), factors: factors)
        let expressed = try VotingColleges.combine(byCollege.map { [$0.expressed] }, factors: factors)
        return OptionVotes(votes: votes, ballots: byCollege.reduce(0) { $0 + $1.ballots },
                           expressed: expressed.first ?? 0)
    }
}

/// Approval voting: a ballot approves any number of options; most approvals wins
/// (Brams & Fishburn, "Approval Voting", 1978).
public enum Approval {
    public static func count(options: Int, ballots: [[Int]]) throws(DomainError) -> OptionVotes {
        guard options > 0 else { throw .noOptions }
        var votes = [Int64](repeating: 0, count: options)
        var seenIn = [Int](repeating: -1, count: options)
        for (index, ballot) in ballots.enumerated() {
            for option in ballot {
                guard option >= 0 && option < options else {
                    throw .optionOutOfRange(option, options: options, ballot: index)
                }
                guard seenIn[option] != index else { throw .optionTwiceInBallot("\(option)", ballot: index) }
                seenIn[option] = index
                votes[option] += 1
            }
        }
        return OptionVotes(votes: votes, ballots: Int64(ballots.count), expressed: Int64(ballots.count))
    }
}

/// Single choice (plurality): one option per ballot, or none for a blank ballot; blank ballots
/// count for turnout but are not expressed votes (Code électoral art. L65 and, for assemblies,
/// Code de commerce art. L225-96 and L225-98 as amended by Loi 2019-744).
public enum SingleChoice {
    public static func count(options: Int, ballots: [Int?]) throws(DomainError) -> OptionVotes {
        guard options > 0 else { throw .noOptions }
        var votes = [Int64](repeating: 0, count: options)
        var expressed: Int64 = 0
        for (index, choice) in ballots.enumerated() {
            guard let option = choice else { continue }
            guard option >= 0 && option < options else {
                throw .optionOutOfRange(option, options: options, ballot: index)
            }
            votes[option] += 1
            expressed += 1
        }
        return OptionVotes(votes: votes, ballots: Int64(ballots.count), expressed: expressed)
    }

    /// Whether the leading option alone holds the required majority of the expressed votes.
    public static func majorityReached(_ count: OptionVotes, required: RequiredMajority) -> Bool {
        guard let best = count.votes.max() else { return false }
        return required.isReached(for: best, against: count.expressed - best)
    }
}
