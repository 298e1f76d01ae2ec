import Foundation
import MaillageCore
import Testing

/// What members read about a vote: the tie-break in words, its state and times from one clock
/// comparison, who takes part before it opens, and where a year's allocation stands.
@Suite struct GovernanceFirstWeekCoreTests {
    /// The first difference the explanation names is the one the ranking decided on: the same
    /// index of the whole majority value (judge by judge), and the same sign as `compare`.
    @Test func theTieBreakNamesWhereTheMajorityValuesFirstDiffer() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            let grades = Int.random(in: 2...5, using: &generator)
            let judges = Int64.random(in: 1...12, using: &generator)
            func tally() -> [Int64] {
                var counts = [Int64](repeating: 0, count: grades)
                for _ in 0..<judges { counts[Int.random(in: 0..<grades, using: &generator)] += 1 }
                return counts
            }
            let x = tally(), y = tally()
            let valueX = MajorityJudgment.majorityValue(x), valueY = MajorityJudgment.majorityValue(y)
            let expected = zip(valueX, valueY).enumerated().first { $0.element.0 != $0.element.1 }
            let found = MajorityJudgment.firstDifference(x, y)
            #expect(found?.removed == expected.map { Int64($0.offset) }, "\(x) \(y)")
            #expect(found?.x == expected?.element.0 && found?.y == expected?.element.1, "\(x) \(y)")
            let sign = MajorityJudgment.compare(x, y)
            if let found { #expect((found.x > found.y) == (sign > 0), "\(x) \(y)") } else { #expect(sign == 0) }
        }
    }

    /// Pizza and Pasta both have « Insuffisant » (grade 1) as majority grade; Pizza wins after
    /// five medians are taken from each (1, 2, 1, 2, 0, then 3 against 2).
    @Test func tiesAreExplainedFromTheReportInTheScalesWords() throws {
        let file = #"{"options": ["Pasta", "Pizza", "Soupe"], "grades": 7, "tallies": [[3, 2, 3, 2, 0, 0, 0], [3, 2, 2, 3, 0, 0, 0], [0, 0, 0, 0, 10, 0, 0]]}"#
        let report = try JSONDecoder().decode(TallyReport.MajorityJudgment.self, from: try Tally.run(method: .majorityJudgment, json: Data(file.utf8)))
        #expect(report.ranking == [["Soupe"], ["Pizza"], ["Pasta"]])
        let breaks = MajorityJudgment.tieBreaks(report)
        #expect(breaks.count == 1, "Soupe's grade alone puts it first; only Pizza and Pasta needed breaking")
        let only = try #require(breaks.first)
        #expect(only.better == "Pizza" && only.worse == "Pasta" && only.sharedGrade == 1 && only.removed == 5)
        #expect(only.betterGrade == 3 && only.worseGrade == 2)
        let words = only.sentence(grades: 7)
        #expect(words.fr.contains("« Pizza » et « Pasta » ont la même mention majoritaire « Insuffisant »"), "\(words.fr)")
        #expect(words.fr.contains("après 5 retraits, la médiane de « Pizza » est « Assez bien » et celle de « Pasta » « Passable »"), "\(words.fr)")
        #expect(words.en.contains("“Pizza” wins"))

        let tied = #"{"options": ["A", "B"], "grades": 7, "ballots": [[3, 5], [5, 3]]}"#
        let tiedReport = try JSONDecoder().decode(TallyReport.MajorityJudgment.self, from: try Tally.run(method: .majorityJudgment, json: Data(tied.utf8)))
        let tie = try #require(MajorityJudgment.tieBreaks(tiedReport).first)
        #expect(tie.removed == nil)
        #expect(tie.sentence(grades: 7).fr.contains("restent à égalité"))
    }

    @Test func aVoteClosedEarlyEndsWhenItClosedAndSaysSo() {
        let opens = Date(timeIntervalSince1970: 1_800_000_000)
        let planned = opens.addingTimeInterval(10 * 3_600), closed = opens.addingTimeInterval(3_600)
        let schedule = VoteSchedule(opensAt: opens, closesAt: planned, closedAt: closed)
        let afterwards = closed.addingTimeInterval(60)
        #expect(schedule.phase(at: afterwards) == .closed)
        #expect(schedule.endsAt == closed, "the time shown with « Clos » is when it closed, not the evening it had planned")
        #expect(afterwards >= schedule.endsAt)
        // Counted by the job a little after its planned close: it ended at the planned close.
        let counted = VoteSchedule(opensAt: opens, closesAt: planned, closedAt: planned.addingTimeInterval(20))
        #expect(counted.endsAt == planned)
        // Past the planned close, not yet counted: closed all the same.
        #expect(VoteSchedule(opensAt: opens, closesAt: planned).phase(at: planned) == .closed)
        let cancelled = VoteSchedule(opensAt: opens, closesAt: planned, cancelledAt: closed)
        #expect(cancelled.phase(at: opens.addingTimeInterval(1)) == .cancelled && cancelled.endsAt == closed)
        #expect(!cancelled.isCancellable(at: afterwards) && !cancelled.isEditable(at: opens.addingTimeInterval(-1), electorateTaken: false))
        #expect(VoteSchedule(opensAt: opens, closesAt: planned).isEditable(at: opens.addingTimeInterval(-1), electorateTaken: false))
        #expect(!VoteSchedule(opensAt: opens, closesAt: planned).isEditable(at: opens.addingTimeInterval(1), electorateTaken: false))
    }

    @Test func beforeOpeningParticipationNamesWhoWillVote() {
        let before = Participation.of(electorateTaken: false, eligibleNow: 12, electorate: 0, voted: 0)
        #expect(before == .beforeOpening(eligibleNow: 12) && !before.isFixed && before.electorate == 12)
        #expect(!before.sentence.fr.contains("0 sur 0") && before.sentence.fr.contains("12 aujourd’hui"))
        let after = Participation.of(electorateTaken: true, eligibleNow: 13, electorate: 12, voted: 5)
        #expect(after.sentence.fr == "Participation : 5 sur 12 sociétaires.")
    }

    @Test func anAllocationIsScheduledVotingOrDecidedAsItsVoteIs() {
        #expect(AllocationStatus.decide(stored: nil, vote: nil, adopted: nil) == .none)
        #expect(AllocationStatus.decide(stored: "voting", vote: .scheduled, adopted: nil) == .scheduled)
        #expect(AllocationStatus.decide(stored: "voting", vote: .open, adopted: nil) == .voting)
        #expect(AllocationStatus.decide(stored: "voting", vote: .closed, adopted: nil) == .counting)
        #expect(AllocationStatus.decide(stored: "voting", vote: .closed, adopted: true) == .adopted)
        #expect(AllocationStatus.decide(stored: "voting", vote: .closed, adopted: false) == .rejected)
        #expect(AllocationStatus.decide(stored: "voting", vote: .cancelled, adopted: nil) == .cancelled)
        #expect(AllocationStatus.decide(stored: "booked", vote: .closed, adopted: true) == .booked)
        #expect(AllocationStatus.scheduled.sentence.fr.contains("programmé"))
        #expect(!AllocationStatus.scheduled.sentence.fr.contains("Aucune"))
    }
}
