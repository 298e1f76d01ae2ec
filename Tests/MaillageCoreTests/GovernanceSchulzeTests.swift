import MaillageCore
import Testing

@Suite struct SchulzeTests {
    // Schulze (2011) and Wikipedia's "Schulze method" example: 45 voters, five options.
    static let (a, b, c, d, e) = (0, 1, 2, 3, 4)
    static let fortyFive: [RankedBallot] = [
        ([a, c, b, e, d], 5), ([a, d, e, c, b], 5), ([b, e, d, a, c], 8), ([c, a, b, e, d], 3),
        ([c, a, e, b, d], 7), ([c, b, a, d, e], 2), ([d, c, e, b, a], 7), ([e, b, a, d, c], 8),
    ].map { order, count in RankedBallot(ranking: order.map { [$0] }, count: count) }

    @Test func theFortyFiveVoterExampleElectsE() throws {
        let result = try Schulze.rank(options: 5, ballots: Self.fortyFive)
        #expect(result.ranking.groups == [[4], [0], [2], [1], [3]])   // E > A > C > B > D
        #expect(result.preferences.d.rows == [
            [0, 20, 26, 30, 22], [25, 0, 16, 33, 18], [19, 29, 0, 17, 24],
            [15, 12, 28, 0, 14], [23, 27, 21, 31, 0]])
        #expect(result.strongestPaths.rows == [
            [0, 28, 28, 30, 24], [25, 0, 28, 33, 24], [25, 29, 0, 29, 24],
            [25, 28, 28, 0, 24], [25, 28, 28, 31, 0]])
        #expect(result.preferences.ballots == 45)
        #expect(Schulze.condorcetWinner(result.preferences.d) == nil)
    }

    @Test func optionsLeftUnrankedShareTheLastPlace() throws {
        // Ranking only A says A > B and A > C, and nothing between B and C.
        let p = try Preferences(options: 3, ballots: [RankedBallot(ranking: [[0]], count: 4)])
        #expect(p.d.rows == [[0, 4, 4], [0, 0, 0], [0, 0, 0]])
        #expect(Schulze.rank(p).ranking.groups == [[0], [1, 2]])
    }

    @Test func optionsTiedOnABallotGetNoPreferenceBetweenThem() throws {
        let p = try Preferences(options: 3, ballots: [RankedBallot(ranking: [[0, 1], [2]])])
        #expect(p.d.rows == [[0, 0, 1], [0, 0, 1], [0, 0, 0]])
    }

    @Test func aPerfectCycleIsATie() throws {
        let cycle = [[0, 1, 2], [1, 2, 0], [2, 0, 1]].map { RankedBallot(ranking: $0.map { [$0] }) }
        #expect(try Schulze.rank(options: 3, ballots: cycle).ranking.groups == [[0, 1, 2]])
    }

    @Test func noBallotsTieEveryOption() throws {
        #expect(try Schulze.rank(options: 2, ballots: []).ranking.groups == [[0, 1]])
    }

    @Test func malformedRankingsAreRefused() {
        #expect(throws: DomainError.self) { try Preferences(options: 2, ballots: [RankedBallot(ranking: [[0], [0]])]) }
        #expect(throws: DomainError.self) { try Preferences(options: 2, ballots: [RankedBallot(ranking: [[2]])]) }
        #expect(throws: DomainError.self) { try Preferences(options: 2, ballots: [RankedBallot(ranking: [[0]], count: -1)]) }
        #expect(throws: DomainError.self) { try Preferences(options: 0, ballots: []) }
    }
}
