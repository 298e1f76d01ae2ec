import MaillageCore
import Testing

@Suite struct ElectorateTests {
    @Test func theQuorumIsAShareOfTheElectorateReachedOrNot() throws {
        let quarter = try Fraction(parsing: "1/4")
        #expect(quarter.isReached(by: 25, of: 100))
        #expect(!quarter.isReached(by: 24, of: 100))
        #expect(quarter.isReached(by: 1, of: 3))
        #expect(Fraction.none.isReached(by: 0, of: 100))
        for bad in ["", "1/0", "5/4", "-1/4", "un quart", "1/4/2"] {
            #expect(throws: DomainError.self, "\(bad)") { try Fraction(parsing: bad) }
        }
    }

    @Test func aSimpleMajorityIsMoreThanHalfOfTheExpressedVotes() {
        #expect(RequiredMajority.simple.isReached(for: 51, against: 49))
        #expect(!RequiredMajority.simple.isReached(for: 50, against: 50))
        #expect(!RequiredMajority.simple.isReached(for: 0, against: 0))
    }

    @Test func twoThirdsIsReachedAtExactlyTwoThirds() {
        #expect(RequiredMajority.twoThirds.isReached(for: 2, against: 1))
        #expect(!RequiredMajority.twoThirds.isReached(for: 199, against: 101))
        #expect(!RequiredMajority.twoThirds.isReached(for: 0, against: 0))
    }

    @Test func anOutcomeNeedsBothQuorumAndMajority() {
        let adopted = VoteOutcome.assess(electorate: 200, participants: 60, yes: 40, no: 15, rules: .extraordinary)
        #expect(adopted.quorumReached && adopted.majorityReached && adopted.adopted)
        let thin = VoteOutcome.assess(electorate: 200, participants: 45, yes: 45, no: 0, rules: .extraordinary)
        #expect(!thin.quorumReached && !thin.adopted)
        let split = VoteOutcome.assess(electorate: 200, participants: 60, yes: 30, no: 30, rules: .ordinary)
        #expect(split.quorumReached && !split.majorityReached)
    }
}

@Suite struct VotingCollegesTests {
    func colleges(_ weights: [Int]) throws(DomainError) -> VotingColleges {
        try VotingColleges(weights.enumerated().map { VotingCollege(name: "C\($0.offset)", weight: $0.element) })
    }

    @Test func weightsMustSumToAHundredAndLieBetweenTenAndFifty() throws {
        _ = try colleges([50, 30, 20])
        _ = try colleges([10, 10, 10, 10, 10, 10, 10, 10, 10, 10])
        for bad in [[60, 20, 20], [55, 45], [5, 45, 50], [40, 40], [30, 30, 30], [], [50, 50, 0]] {
            #expect(throws: DomainError.self, "\(bad)") { try colleges(bad) }
        }
        do {
            _ = try colleges([60, 20, 20])
            Issue.record("60 % must be refused")
        } catch {
            #expect(error.code == "college_weight_out_of_bounds")
            #expect(error.message.fr.contains("entre 10 % et 50 %"))
        }
    }

    @Test func factorsMakeEachCollegeWeighItsShareExactly() throws {
        let c = try colleges([50, 30, 20])
        let factors = try c.factors(bases: [3, 10, 7])
        // Each college's ballots × factor = its weight × the same whole number.
        let totals = zip([Int64(3), 10, 7], factors).map { $0 * $1 }
        #expect(totals[0] * 30 == totals[1] * 50 && totals[1] * 20 == totals[2] * 30)
        #expect(try c.factors(bases: [4, 0, 2])[1] == 0)
    }

    @Test func aSmallCollegeWeighsItsShareNotItsHeadcount() throws {
        // 2 workers (50 %) all approve A; 8 users (50 %) all approve B, plus 2 of them A.
        let c = try colleges([50, 50])
        let workers = try Approval.count(options: 2, ballots: [[0], [0]])
        let users = try Approval.count(options: 2, ballots: Array(repeating: [1], count: 6) + [[0, 1], [0, 1]])
        let combined = try OptionVotes.combining([workers, users], colleges: c)
        // A: 100 % of 50 + 25 % of 50 = 62.5; B: 100 % of 50 = 50.
        #expect(combined.votes[0] * 4 == combined.votes[1] * 5)
        #expect(combined.ranking.groups == [[0], [1]])
        #expect(combined.ballots == 10)
    }

    @Test func majorityJudgmentInCollegesIsTheMedianOfTheWeightedElectorate() throws {
        let c = try colleges([50, 50])
        // One judge grades 6 in the first college; three grade 0 in the second.
        let first = try MeritProfile(grades: 7, options: 1, ballots: [[6]])
        let second = try MeritProfile(grades: 7, options: 1, ballots: [[0], [0], [0]])
        let combined = try MeritProfile.combining([first, second], colleges: c)
        #expect(combined.tallies == [[3, 0, 0, 0, 0, 0, 3]])   // half and half: the lower median is 0
    }

    @Test func consentInCollegesWeighsEachCollegesExpressedPositions() throws {
        let c = try colleges([50, 30, 20])
        let yes = Consent.count([ConsentBallot(position: .agree)])
        let no = Consent.count(Array(repeating: ConsentBallot(position: .disagree), count: 9))
        let combined = try Consent.combining([yes, no, no], colleges: c)
        #expect(Consent.outcome(combined) == .rejected)                 // 50 against 50
        let moreYes = try Consent.combining([yes, yes, no], colleges: c)
        #expect(Consent.outcome(moreYes) == .passed)                    // 80 against 20
        let blocked = try Consent.combining([yes, yes, Consent.count([ConsentBallot(position: .block, reason: "non")])], colleges: c)
        #expect(Consent.outcome(blocked) == .blocked)
    }
}
