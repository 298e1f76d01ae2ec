import MaillageCore
import Testing

@Suite struct MajorityJudgmentTests {
    func rank(_ tallies: [[Int64]]) throws -> [[Int]] {
        try MajorityJudgment.rank(MeritProfile(grades: tallies[0].count, tallies: tallies)).ranking.groups
    }

    @Test func theMajorityGradeIsTheLowerMedian() {
        #expect(MajorityJudgment.majorityGrade([3, 2, 2, 3]) == 1)     // 0 0 0 1 [1] 2 2 3 3 3
        #expect(MajorityJudgment.majorityGrade([1, 0, 1]) == 0)        // [0] 2: the lower of two
        #expect(MajorityJudgment.majorityGrade([0, 0, 1, 0]) == 2)
        #expect(MajorityJudgment.majorityGrade([0, 0, 0]) == nil)
    }

    @Test func theBestMajorityGradeWins() throws {
        // Bread's majority grade is 2, the three others' 1.
        #expect(try rank([[3, 2, 2, 3], [2, 4, 2, 2], [3, 2, 3, 2], [1, 3, 4, 2]]).first == [3])
    }

    @Test func aTieOnTheMedianIsBrokenByRemovingMedianGrades() throws {
        // Pizza and Pasta both read 1, 2, 1, 2, 0, then Pizza 3 against Pasta 2.
        #expect(MajorityJudgment.majorityValue([3, 2, 2, 3]) == [1, 2, 1, 2, 0, 3, 0, 3, 0, 3])
        #expect(MajorityJudgment.majorityValue([3, 2, 3, 2]) == [1, 2, 1, 2, 0, 2, 0, 3, 0, 3])
        #expect(MajorityJudgment.compare([3, 2, 2, 3], [3, 2, 3, 2]) > 0)
        #expect(try rank([[3, 2, 2, 3], [3, 2, 3, 2]]) == [[0], [1]])
    }

    @Test func identicalProfilesShareTheirPlace() throws {
        #expect(try rank([[1, 2, 3], [0, 0, 6], [1, 2, 3]]) == [[1], [0, 2]])
        #expect(try rank([[2, 2], [2, 2], [2, 2]]) == [[0, 1, 2]])
        #expect(try MajorityJudgment.rank(grades: 7, options: 2, ballots: [[3, 5], [5, 3]]).ranking.groups == [[0, 1]])
    }

    @Test func nobodyVotingLeavesEveryOptionTied() throws {
        let result = try MajorityJudgment.rank(grades: 7, options: 3, ballots: [])
        #expect(result.ranking.groups == [[0, 1, 2]])
        #expect(result.majorityGrades == [nil, nil, nil])
    }

    // MieuxVoter's majority-judgment-library-python doctests (grades listed per option).
    @Test func mieuxVoterPythonCasesRankAsPublished() throws {
        let a = [3, 3, 3, 0, 0, 0, 1, 1, 2, 2], b = [0, 0, 1, 1, 2, 2, 2, 2, 3, 3]
        #expect(try rank([tally(a, scale: 4), tally(b, scale: 4)]) == [[1], [0]])
        #expect(try rank([tally([0, 4], scale: 5), tally([1, 2], scale: 5)]) == [[1], [0]])
        let c81 = [0, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5]
        let c82 = [0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5]
        #expect(try rank([tally(c81, scale: 6), tally(c82, scale: 6)]) == [[1], [0]])
    }

    // Balinski & Laraki, Majority Judgment (2011) §1.5, as quoted by MieuxVoter.
    @Test func majorityValuesFollowTheBookExamples() {
        #expect(MajorityJudgment.majorityValue(tally([7, 11, 9, 9, 11], scale: 12)) == [9, 9, 11, 7, 11])
        #expect(MajorityJudgment.majorityValue(tally([8, 11, 9, 9, 10], scale: 12)) == [9, 9, 10, 8, 11])
    }

    // MieuxVoter's Rust library README: Chips, Pasta, Bread, Pizza.
    @Test func mieuxVoterRustExampleRanksChipsFirst() throws {
        let pizza = [0, 0, 3, 0, 2, 0, 3, 1, 2, 3], chips = [0, 1, 0, 2, 1, 2, 2, 3, 2, 3]
        let pasta = [0, 1, 0, 1, 2, 1, 3, 2, 3, 3], bread = [0, 1, 2, 1, 1, 2, 1, 2, 2, 3]
        let ballots = (0..<10).map { judge in [pizza[judge], chips[judge], pasta[judge], bread[judge]] }
        let result = try MajorityJudgment.rank(grades: 4, options: 4, ballots: ballots)
        #expect(result.ranking.groups == [[1], [2], [3], [0]])
        #expect(result.majorityGrades == [1, 2, 1, 1])
        #expect(result.gauge(1) == (above: 2, below: 4))
    }

    @Test func anOptionJudgedByFewerPeopleGetsTheMissingGradesAsToReject() throws {
        let profile = try MeritProfile(grades: 3, tallies: [[0, 2, 2], [0, 0, 3]])
        #expect(profile.tallies == [[0, 2, 2], [1, 0, 3]])
        #expect(profile.judges == 4)
    }

    @Test func badBallotsAreRefusedWithTheirNumber() {
        #expect(throws: DomainError.self) { try MeritProfile(grades: 7, options: 2, ballots: [[1, 2], [1]]) }
        do {
            _ = try MeritProfile(grades: 7, options: 2, ballots: [[1, 2], [1, 7]])
            Issue.record("a grade of 7 on a 0…6 scale must be refused")
        } catch {
            #expect(error.code == "grade_out_of_range")
            #expect(error.message.en.contains("Ballot no. 2"))
        }
        #expect(throws: DomainError.self) { try MeritProfile(grades: 1, options: 2, ballots: []) }
        #expect(throws: DomainError.self) { try MeritProfile(grades: 3, tallies: [[1, -1, 0]]) }
        #expect(throws: DomainError.self) { try MeritProfile(grades: 3, tallies: []) }
    }

    @Test func theDefaultScalesReadInFrenchAndEnglish() {
        #expect(GradeScale.standard.count == 7)
        #expect(GradeScale.sevenGrades.labels.first?(.fr) == "À rejeter")
        #expect(GradeScale.sevenGrades.labels.last?(.en) == "Excellent")
        #expect(GradeScale.named(grades: 6)?.labels.last?(.fr) == "Très bien")
        #expect(GradeScale.named(grades: 4) == nil)
    }
}
