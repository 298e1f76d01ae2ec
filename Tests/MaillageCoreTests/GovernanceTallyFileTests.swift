import Foundation
import MaillageCore
import Testing

@Suite struct TallyFileTests {
    @Test func majorityJudgmentBallotsPrintTheRankingAndTheGrades() throws {
        let report = try recount(.majorityJudgment, """
            {"options": ["Verger", "Jardin"], "ballots": [[6, 2], [4, 3], [5, 3]]}
            """, as: TallyReport.MajorityJudgment.self)
        #expect(report.method == "majority-judgment")
        #expect(report.ranking == [["Verger"], ["Jardin"]])
        #expect(report.grades == 7 && report.judges == 3)
        #expect(report.options[0].majorityGrade == 5)
        #expect(report.options[0].majorityGradeLabel?.fr == "Très bien")
        #expect(report.options[1].tally == [0, 0, 1, 2, 0, 0, 0])
    }

    @Test func schulzeFilesNameOptionsAndCountIdenticalBallotsOnce() throws {
        let report = try recount(.schulze, """
            {"options": ["A", "B", "C"], "ballots": [
              {"ranking": [["B", "C"], ["A"]], "count": 3}, {"ranking": [["A"]]}]}
            """, as: TallyReport.Schulze.self)
        #expect(report.ranking == [["B", "C"], ["A"]])
        #expect(report.ballots == 4)
        #expect(report.preferences == [[0, 1, 1], [3, 0, 0], [3, 0, 0]])
        #expect(report.condorcetWinner == nil)
    }

    @Test func approvalSingleChoiceConsentAndMeetingTimeFilesAreRecounted() throws {
        let approval = try recount(.approval, #"{"options": ["A", "B"], "ballots": [["A", "B"], ["B"], []]}"#,
                                   as: TallyReport.Votes.self)
        #expect(approval.ranking == [["B"], ["A"]] && approval.options.map(\.votes) == [1, 2])
        let single = try recount(.singleChoice, #"{"options": ["A", "B"], "ballots": ["A", null, "B", "A"]}"#,
                                 as: TallyReport.Votes.self)
        #expect(single.ranking == [["A"], ["B"]] && single.expressed == 3 && single.majorityReached == true)
        let consent = try recount(.consent, """
            {"ballots": [{"position": "agree"}, {"position": "block", "reason": "Hors de notre objet social"}]}
            """, as: TallyReport.Consent.self)
        #expect(consent.outcome == .blocked && consent.blocks == ["Hors de notre objet social"])
        #expect(consent.counts["agree"] == 1 && consent.counts["disagree"] == 0)
        let meeting = try recount(.meetingTime, #"{"options": ["lundi", "mardi"], "ballots": [["maybe", "yes"], ["yes", "no"]]}"#,
                                  as: TallyReport.MeetingTime.self)
        #expect(meeting.ranking == [["lundi"], ["mardi"]])
    }

    @Test func votesInCollegesPrintHowEachCollegeWasWeighted() throws {
        let report = try recount(.singleChoice, """
            {"options": ["Oui", "Non"], "electorate": 12, "quorum": "1/2", "colleges": [
              {"name": "Salariés", "weight": 50, "ballots": ["Oui", "Oui"]},
              {"name": "Usagers", "weight": 30, "ballots": ["Non", "Non", "Non", "Oui"]},
              {"name": "Collectivités", "weight": 20, "ballots": ["Non"]}]}
            """, as: TallyReport.Votes.self)
        // Oui: 50 + 30/4 = 57.5 %; Non: 22.5 + 20 = 42.5 %.
        #expect(report.ranking == [["Oui"], ["Non"]])
        #expect(report.options[0].votes * 425 == report.options[1].votes * 575)
        #expect(report.colleges?.map(\.ballots) == [2, 4, 1])
        let turnout = try #require(report.turnout)
        #expect(turnout.electorate == 12 && turnout.participants == 7 && turnout.quorum == "1/2" && turnout.quorumReached)
    }

    @Test func theSameFilePrintsTheSameBytes() throws {
        let json = Data(#"{"options": ["B", "A"], "ballots": [["A"], ["B"]]}"#.utf8)
        let once = try Tally.run(method: .approval, json: json)
        #expect(try Tally.run(method: "approval", json: json) == once)
        let text = try #require(String(data: once, encoding: .utf8))
        #expect(text.contains(#""method" : "approval""#))
        #expect(text.range(of: "\"ballots\"")!.lowerBound < text.range(of: "\"method\"")!.lowerBound)
    }

    @Test func aBallotFileRoundTripsThroughTheExportFormat() throws {
        let file = TallyFile(options: ["A", "B"], colleges: [
            CollegeBallots(name: "Salariés", weight: 50, votes: ApprovalBallots(ballots: [["A"]])),
            CollegeBallots(name: "Usagers", weight: 50, votes: ApprovalBallots(ballots: [["B"], []])),
        ], electorate: 3)
        let json = try JSONEncoder().encode(file)
        #expect(try TallyFile<ApprovalBallots>.decode(json) == file)
    }

    @Test func invalidFilesAreRefusedWithTheProblemNamed() {
        #expect(errorCode(.majorityJudgment, #"{"options": ["A"], "ballots": [[9]]}"#) == "grade_out_of_range")
        #expect(errorCode(.majorityJudgment, #"{"options": ["A", "B"], "ballots": [[1, 2], [3]]}"#) == "ballot_length")
        #expect(errorCode(.majorityJudgment, #"{"options": ["A"], "tallies": [[1, 2]], "grades": 3}"#) == "tally_length")
        #expect(errorCode(.majorityJudgment, #"{"options": ["A", "B"], "tallies": [[1, 2]]}"#) == "tally_rows")
        #expect(errorCode(.majorityJudgment, #"{"options": ["A"], "ballots": [[1]], "tallies": [[1, 2]]}"#) == "ballots_or_tallies")
        #expect(errorCode(.majorityJudgment, #"{"options": [], "ballots": []}"#) == "no_options")
        #expect(errorCode(.approval, #"{"options": ["A", "A"], "ballots": []}"#) == "duplicate_option")
        #expect(errorCode(.approval, #"{"options": ["A", " "], "ballots": []}"#) == "blank_option")
        #expect(errorCode(.approval, #"{"options": ["A"], "ballots": [["A"], ["Z"]]}"#) == "unknown_option")
        #expect(errorCode(.schulze, #"{"options": ["A", "B"], "ballots": [{"ranking": [["A"], ["A"]]}]}"#) == "option_twice_in_ballot")
        #expect(errorCode(.schulze, #"{"options": ["A"], "ballots": [{"ranking": [["A"]], "count": -2}]}"#) == "negative_count")
        #expect(errorCode(.singleChoice, #"{"options": ["A"], "ballots": ["B"]}"#) == "unknown_option")
        #expect(errorCode(.consent, #"{"ballots": [{"position": "maybe"}]}"#) == "invalid_value")
        #expect(errorCode(.approval, #"{"options": ["A"]}"#) == "missing_field")
        #expect(errorCode(.approval, #"{"options": ["A"], "ballots": "A"}"#) == "invalid_value")
        #expect(errorCode(.approval, "not json") == "invalid_json")
        #expect(errorCode(.approval, #"{"options": ["A"], "ballots": [], "electorate": 5, "quorum": "un quart"}"#) == "invalid_fraction")
        #expect(errorCode(.approval, #"{"options": ["A"], "colleges": [{"name": "X", "weight": 100, "ballots": []}]}"#) == "college_weight_out_of_bounds")
    }

    @Test func anUnknownMethodListsTheKnownOnes() {
        do {
            _ = try Tally.run(method: "borda", json: Data("{}".utf8))
            Issue.record("borda is not a method")
        } catch {
            #expect(error.code == "unknown_method")
            #expect(error.message.en.contains("majority-judgment, schulze, approval, single-choice, consent"))
        }
    }

    @Test func theMissingFieldMessageGivesItsPath() {
        do {
            _ = try Tally.run(method: .schulze, json: Data(#"{"options": ["A"], "ballots": [{"count": 1}]}"#.utf8))
        } catch {
            #expect(error.field == "ballots[0].ranking")
        }
    }
}
