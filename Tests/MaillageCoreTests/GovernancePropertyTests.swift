import MaillageCore
import Testing

/// Invariants checked on many random votes; the seeded generator makes every failure replayable.
@Suite struct GovernancePropertyTests {
    static let seeds: [UInt64] = Array(1...40)

    func gradedBallots(_ random: inout SplitMix64, options: Int, grades: Int) -> [[Int]] {
        (0..<Int.random(in: 0...60, using: &random)).map { _ in
            (0..<options).map { _ in Int.random(in: 0..<grades, using: &random) }
        }
    }

    func rankedBallots(_ random: inout SplitMix64, options: Int) -> [RankedBallot] {
        (0..<Int.random(in: 0...30, using: &random)).map { _ in
            var groups: [[Int]] = []
            for option in (0..<options).shuffled(using: &random).prefix(Int.random(in: 0...options, using: &random)) {
                if groups.isEmpty || Bool.random(using: &random) { groups.append([option]) }
                else { groups[groups.count - 1].append(option) }
            }
            return RankedBallot(ranking: groups, count: Int64.random(in: 1...5, using: &random))
        }
    }

    @Test(arguments: seeds)
    func majorityJudgmentFromBallotsEqualsMajorityJudgmentFromTallies(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let options = Int.random(in: 1...6, using: &random), grades = Int.random(in: 2...7, using: &random)
        let ballots = gradedBallots(&random, options: options, grades: grades)
        let fromBallots = try MajorityJudgment.rank(grades: grades, options: options, ballots: ballots)
        let tallies = (0..<options).map { o in tally(ballots.map { $0[o] }, scale: grades) }
        let fromTallies = MajorityJudgment.rank(try MeritProfile(grades: grades, tallies: tallies))
        #expect(fromBallots == fromTallies)
    }

    /// The stretch-by-stretch comparison agrees with removing medians one judge at a time.
    @Test(arguments: seeds)
    func theFastComparisonAgreesWithRemovingMediansOneByOne(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let grades = Int.random(in: 2...6, using: &random), judges = Int.random(in: 0...25, using: &random)
        for _ in 0..<50 {
            let x = tally((0..<judges).map { _ in Int.random(in: 0..<grades, using: &random) }, scale: grades)
            let y = tally((0..<judges).map { _ in Int.random(in: 0..<grades, using: &random) }, scale: grades)
            let slow = MajorityJudgment.majorityValue(x).lexicographicallyPrecedes(MajorityJudgment.majorityValue(y)) ? -1
                : (x == y ? 0 : 1)
            #expect(MajorityJudgment.compare(x, y).signum() == slow, "\(x) vs \(y)")
            #expect(MajorityJudgment.compare(x, y) == -MajorityJudgment.compare(y, x))
        }
    }

    @Test(arguments: seeds)
    func theSchulzeWinnerIsTheCondorcetWinnerWhenThereIsOne(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let options = Int.random(in: 2...6, using: &random)
        let result = try Schulze.rank(options: options, ballots: rankedBallots(&random, options: options))
        if let winner = Schulze.condorcetWinner(result.preferences.d) {
            #expect(result.ranking.winners == [winner])
        }
        #expect(result.ranking.groups.flatMap { $0 }.sorted() == Array(0..<options))
    }

    @Test(arguments: seeds)
    func theOrderOfBallotsChangesNothing(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let options = Int.random(in: 1...6, using: &random)
        let graded = gradedBallots(&random, options: options, grades: 7)
        #expect(try MajorityJudgment.rank(grades: 7, options: options, ballots: graded)
            == MajorityJudgment.rank(grades: 7, options: options, ballots: graded.shuffled(using: &random)))
        let ranked = rankedBallots(&random, options: options)
        #expect(try Schulze.rank(options: options, ballots: ranked)
            == Schulze.rank(options: options, ballots: ranked.shuffled(using: &random)))
        let approvals = graded.map { ballot in ballot.indices.filter { ballot[$0] >= 4 } }
        #expect(try Approval.count(options: options, ballots: approvals)
            == Approval.count(options: options, ballots: approvals.shuffled(using: &random)))
    }

    /// Weighting is exact: a college's factor is the same as copying each of its ballots that many times.
    @Test(arguments: seeds)
    func collegeWeightingEqualsCopyingBallots(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let weights = [[50, 50], [50, 30, 20], [40, 35, 25], [10, 20, 30, 40]][Int.random(in: 0...3, using: &random)]
        let colleges = try VotingColleges(weights.indices.map { VotingCollege(name: "C\($0)", weight: weights[$0]) })
        let options = Int.random(in: 2...4, using: &random)
        let parts = weights.map { _ in
            (0..<Int.random(in: 1...7, using: &random)).map { _ in (0..<options).map { _ in Int.random(in: 0..<5, using: &random) } }
        }
        let factors = try colleges.factors(bases: parts.map { Int64($0.count) })
        let copied = zip(parts, factors).flatMap { ballots, factor in
            ballots.flatMap { Array(repeating: $0, count: Int(factor)) }
        }
        let combined = try MeritProfile.combining(parts.map { try MeritProfile(grades: 5, options: options, ballots: $0) },
                                                  colleges: colleges)
        #expect(combined == (try MeritProfile(grades: 5, options: options, ballots: copied)))
    }

    @Test func equalCollegesOfEqualSizeChangeNoRanking() throws {
        var random = SplitMix64(seed: 7)
        let colleges = try VotingColleges([VotingCollege(name: "a", weight: 50), VotingCollege(name: "b", weight: 50)])
        for _ in 0..<20 {
            let halves = (0..<2).map { _ in rankedBallots(&random, options: 4).map { RankedBallot(ranking: $0.ranking) } }
            guard halves[0].count == halves[1].count else { continue }
            let weighted = try Preferences.combining(halves.map { try Preferences(options: 4, ballots: $0) }, colleges: colleges)
            #expect(Schulze.rank(weighted).ranking == (try Schulze.rank(options: 4, ballots: halves[0] + halves[1]).ranking))
        }
    }

    @Test(arguments: seeds)
    func collegeWeightsAreValidExactlyWhenTheySumToAHundredWithinBounds(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        for _ in 0..<50 {
            let weights = (0..<Int.random(in: 0...6, using: &random)).map { _ in Int.random(in: 0...60, using: &random) }
            let valid = weights.reduce(0, +) == 100 && weights.allSatisfy { (10...50).contains($0) }
            let colleges = try? VotingColleges(weights.indices.map { VotingCollege(name: "C\($0)", weight: weights[$0]) })
            #expect((colleges != nil) == valid, "\(weights)")
        }
    }

    @Test func theBenchmarkRunsOnASmallVote() {
        let figures = TallyBenchmark.run(ballots: 500, options: 4)
        #expect(figures.majorityJudgmentWinners.count >= 1 && figures.schulzeWinners.count >= 1)
        #expect(figures.description.contains("500 ballots × 4 options"))
    }
}
