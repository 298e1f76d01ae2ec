import MaillageCore
import Testing

@Suite struct ApprovalAndSingleChoiceTests {
    @Test func mostApprovalsWinAndEqualCountsShareAPlace() throws {
        let votes = try Approval.count(options: 4, ballots: [[0, 1], [1, 2], [1], [0, 2], []])
        #expect(votes.votes == [2, 3, 2, 0])
        #expect(votes.ballots == 5)
        #expect(votes.ranking.groups == [[1], [0, 2], [3]])
    }

    @Test func approvingTheSameOptionTwiceIsRefused() {
        #expect(throws: DomainError.self) { try Approval.count(options: 2, ballots: [[0, 0]]) }
    }

    @Test func blankBallotsCountForTurnoutButAreNotExpressed() throws {
        let votes = try SingleChoice.count(options: 3, ballots: [0, 0, 1, nil, 2, 0, nil])
        #expect(votes.votes == [3, 1, 1])
        #expect(votes.ballots == 7)
        #expect(votes.expressed == 5)
        #expect(votes.ranking.groups == [[0], [1, 2]])
        #expect(SingleChoice.majorityReached(votes, required: .simple))      // 3 of 5
        #expect(!SingleChoice.majorityReached(votes, required: .twoThirds))
    }
}

@Suite struct ConsentTests {
    func ballots(_ positions: [ConsentPosition]) -> [ConsentBallot] {
        positions.map { ConsentBallot(position: $0, reason: $0 == .block ? "Contraire à la charte" : nil) }
    }

    @Test func moreAgreementsThanDisagreementsPassWithoutBlock() {
        let count = Consent.count(ballots([.agree, .agree, .disagree, .abstain, .abstain, .abstain]))
        #expect(Consent.outcome(count) == .passed)
        #expect(count.agree == 2 && count.abstain == 3 && count.disagree == 1 && count.block == 0)
    }

    @Test func abstentionsDoNotCountAgainst() {
        #expect(Consent.outcome(Consent.count(ballots([.agree] + Array(repeating: .abstain, count: 9)))) == .passed)
    }

    @Test func aTieBetweenAgreeAndDisagreeDoesNotPass() {
        #expect(Consent.outcome(Consent.count(ballots([.agree, .disagree]))) == .rejected)
        #expect(Consent.outcome(Consent.count(ballots([.abstain]))) == .rejected)
        #expect(Consent.outcome(Consent.count([])) == .rejected)
    }

    @Test func aSingleBlockStopsTheProposalAndItsReasonIsShown() {
        let count = Consent.count(ballots(Array(repeating: .agree, count: 20) + [.block]))
        #expect(Consent.outcome(count) == .blocked)
        #expect(count.blocks == ["Contraire à la charte"])
    }

    @Test func twoThirdsAreAskedWhenTheDecisionIsExtraordinary() {
        let count = Consent.count(ballots([.agree, .agree, .disagree]))
        #expect(Consent.outcome(count, majority: .twoThirds) == .passed)
        #expect(Consent.outcome(Consent.count(ballots([.agree, .agree, .agree, .disagree, .disagree])), majority: .twoThirds) == .rejected)
    }

    @Test func aBlockMustSayWhyWhenItIsCast() throws {
        #expect(throws: DomainError.self) { try Consent.validate(ConsentBallot(position: .block, reason: "  ")) }
        try Consent.validate(ConsentBallot(position: .block, reason: "Risque pour la trésorerie"))
        try Consent.validate(ConsentBallot(position: .disagree))
    }
}

@Suite struct MeetingTimeTests {
    @Test func theBestSlotHasMostYesThenMostMaybe() throws {
        let answers = try MeetingTime.count(slots: 4, ballots: [
            [.yes, .yes, .maybe, .no],
            [.yes, .maybe, .yes, .no],
            [.no, .yes, .yes, .maybe],
        ])
        #expect(answers.yes == [2, 2, 2, 0])
        #expect(answers.maybe == [0, 1, 1, 1])
        #expect(answers.ranking.groups == [[1, 2], [0], [3]])
    }

    @Test func aBallotMustAnswerEverySlot() {
        #expect(throws: DomainError.self) { try MeetingTime.count(slots: 2, ballots: [[.yes]]) }
    }
}
