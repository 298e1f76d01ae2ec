import Foundation
@testable import MaillageCore
import Testing

@Suite struct LendingLoanTests {
    typealias T = LendingTest
    let owner = LendingTest.uuid(1), borrower = LendingTest.uuid(2), stranger = LendingTest.uuid(3)

    var item: LendingItem {
        LendingItem(id: T.uuid(100), owner: owner, title: "Perceuse", category: .tools, description: "",
                    condition: .good, depositCents: 0, maximumLoanDays: 14, pickup: .ownerHome)
    }

    /// A request made on 1 May for 10–12 May 2026.
    func requested() throws -> Loan {
        try Loan.request(id: T.uuid(7), item: item, borrower: borrower, period: try T.period("2026-05-10", "2026-05-12"),
                         now: T.utc("2026-05-01T08:00:00Z"))
    }

    func handedOver() throws -> Loan {
        var loan = try requested()
        try loan.accept(by: .owner, at: T.utc("2026-05-02T08:00:00Z"))
        try loan.confirmHandover(by: .owner, at: T.utc("2026-05-10T07:00:00Z"))
        try loan.confirmHandover(by: .borrower, at: T.utc("2026-05-10T07:05:00Z"))
        return loan
    }

    func returned() throws -> Loan {
        var loan = try handedOver()
        try loan.confirmReturn(by: .borrower, at: T.utc("2026-05-12T17:00:00Z"))
        try loan.confirmReturn(by: .owner, at: T.utc("2026-05-12T17:10:00Z"))
        return loan
    }

    @Test func aRequestStartsRequested() throws {
        let loan = try requested()
        #expect(loan.status == .requested && loan.owner == owner && loan.itemID == item.id)
        #expect(loan.actor(member: owner, isStaff: true) == .owner)
        #expect(loan.actor(member: borrower, isStaff: false) == .borrower)
        #expect(loan.actor(member: stranger, isStaff: true) == .staff)
        #expect(loan.actor(member: stranger, isStaff: false) == nil)
    }

    @Test func theOwnerAcceptsAndTheEventSaysSo() throws {
        var loan = try requested()
        let event = try loan.accept(by: .owner, at: T.utc("2026-05-02T08:00:00Z"))
        #expect(loan.status == .accepted && loan.decidedAt == T.utc("2026-05-02T08:00:00Z"))
        #expect(event == LoanEvent(loanID: loan.id, kind: .accepted, actor: .owner, at: T.utc("2026-05-02T08:00:00Z"), statusAfter: .accepted))
    }

    @Test func theBorrowerCannotAcceptOrDeclineTheirOwnRequest() throws {
        var loan = try requested()
        let error = #expect(throws: DomainError.self) { try loan.accept(by: .borrower, at: T.utc("2026-05-02T08:00:00Z")) }
        #expect(error?.kind == .forbidden && error?.code == "loan_forbidden")
        #expect(error?.message.fr == "Vous ne pouvez pas accepter cette demande.")
        #expect(T.code { try loan.decline(by: .borrower, at: T.utc("2026-05-02T08:00:00Z")) } == "loan_forbidden")
        #expect(loan.status == .requested)
    }

    @Test func staffMayAcceptForAShowcaseItem() throws {
        var loan = try requested()
        try loan.accept(by: .staff, at: T.utc("2026-05-02T08:00:00Z"))
        #expect(loan.status == .accepted)
    }

    @Test func acceptingTakenDatesIsAConflict() throws {
        var loan = try requested()
        let error = #expect(throws: DomainError.self) {
            try loan.accept(by: .owner, at: T.utc("2026-05-02T08:00:00Z"), taken: [try T.period("2026-05-12", "2026-05-14")])
        }
        #expect(error?.kind == .conflict && error?.code == "dates_taken")
        #expect(loan.status == .requested)
        // Back-to-back with the loan before is fine.
        try loan.accept(by: .owner, at: T.utc("2026-05-02T08:00:00Z"), taken: [try T.period("2026-05-05", "2026-05-09")])
    }

    @Test func aRequestWhoseFirstDayPassedCannotBeAccepted() throws {
        var loan = try requested()
        // 22:30 UTC on 10 May is 00:30 on 11 May in Paris: too late.
        #expect(T.code { try loan.accept(by: .owner, at: T.utc("2026-05-10T22:30:00Z")) } == "request_stale")
        #expect(loan.isStale(at: T.utc("2026-05-10T22:30:00Z")))
        // On the first day itself it still can.
        try loan.accept(by: .owner, at: T.utc("2026-05-10T21:30:00Z"))
    }

    @Test func onlyARequestCanBeAcceptedOrDeclined() throws {
        var loan = try requested()
        try loan.decline(by: .owner, at: T.utc("2026-05-02T08:00:00Z"))
        #expect(loan.status == .declined)
        let error = #expect(throws: DomainError.self) { try loan.accept(by: .owner, at: T.utc("2026-05-02T09:00:00Z")) }
        #expect(error?.kind == .conflict)
        #expect(error?.message.en == "Cannot accept this request: the loan is declined.")
    }

    @Test func cancellingFollowsWhoAndWhen() throws {
        var request = try requested()
        #expect(T.code { try request.cancel(by: .owner, at: T.utc("2026-05-02T08:00:00Z")) } == "decline_instead")
        try request.cancel(by: .borrower, at: T.utc("2026-05-02T08:00:00Z"))
        #expect(request.status == .cancelled && request.cancelledBy == .borrower)

        var accepted = try requested()
        try accepted.accept(by: .owner, at: T.utc("2026-05-02T08:00:00Z"))
        try accepted.cancel(by: .owner, at: T.utc("2026-05-03T08:00:00Z"))
        #expect(accepted.status == .cancelled && !accepted.status.holdsDays)

        var out = try handedOver()
        #expect(T.code { try out.cancel(by: .staff, at: T.utc("2026-05-11T08:00:00Z")) } == "loan_wrong_status")
    }

    @Test func handoverNeedsBothSides() throws {
        var loan = try requested()
        try loan.accept(by: .owner, at: T.utc("2026-05-02T08:00:00Z"))
        let first = try loan.confirmHandover(by: .borrower, at: T.utc("2026-05-10T07:00:00Z"))
        #expect(first?.statusAfter == .accepted && loan.status == .accepted)
        #expect(loan.handover.borrower == T.utc("2026-05-10T07:00:00Z") && loan.handover.owner == nil)
        // A second click by the same side changes nothing.
        #expect(try loan.confirmHandover(by: .borrower, at: T.utc("2026-05-10T07:01:00Z")) == nil)
        #expect(loan.handover.borrower == T.utc("2026-05-10T07:00:00Z"))
        let second = try loan.confirmHandover(by: .owner, at: T.utc("2026-05-10T07:02:00Z"))
        #expect(second?.kind == .handoverConfirmed && second?.statusAfter == .handedOver)
        #expect(loan.status == .handedOver && loan.handover.completedAt == T.utc("2026-05-10T07:02:00Z"))
        #expect(try loan.confirmHandover(by: .owner, at: T.utc("2026-05-10T08:00:00Z")) == nil)
    }

    @Test func staffConfirmOnTheOwnersSide() throws {
        var loan = try requested()
        try loan.accept(by: .owner, at: T.utc("2026-05-02T08:00:00Z"))
        try loan.confirmHandover(by: .staff, at: T.utc("2026-05-10T09:00:00Z"))
        #expect(loan.handover.owner != nil)
        #expect(try loan.confirmHandover(by: .owner, at: T.utc("2026-05-10T09:01:00Z")) == nil)
        try loan.confirmHandover(by: .borrower, at: T.utc("2026-05-10T09:02:00Z"))
        #expect(loan.status == .handedOver)
    }

    @Test func handoverHappensWithinTheLoansDays() throws {
        var loan = try requested()
        try loan.accept(by: .owner, at: T.utc("2026-05-02T08:00:00Z"))
        // 21:59 UTC on 9 May is 23:59 in Paris, the evening before.
        #expect(T.code { try loan.confirmHandover(by: .owner, at: T.utc("2026-05-09T21:59:00Z")) } == "handover_too_early")
        #expect(T.code { try loan.confirmHandover(by: .owner, at: T.utc("2026-05-12T22:00:00Z")) } == "handover_too_late")
        #expect(T.code { try loan.confirmHandover(by: .owner, at: T.utc("2026-05-09T22:00:00Z")) } == nil)
    }

    @Test func returnNeedsBothSidesAndOnlyAfterHandover() throws {
        var accepted = try requested()
        try accepted.accept(by: .owner, at: T.utc("2026-05-02T08:00:00Z"))
        #expect(T.code { try accepted.confirmReturn(by: .owner, at: T.utc("2026-05-11T08:00:00Z")) } == "loan_wrong_status")

        var loan = try handedOver()
        try loan.confirmReturn(by: .owner, at: T.utc("2026-05-11T08:00:00Z"))   // early return is fine
        #expect(loan.status == .handedOver)
        #expect(try loan.confirmReturn(by: .owner, at: T.utc("2026-05-11T08:01:00Z")) == nil)
        let event = try loan.confirmReturn(by: .borrower, at: T.utc("2026-05-11T08:02:00Z"))
        #expect(event?.statusAfter == .returned && loan.status == .returned && loan.status.isFinal)
        #expect(try loan.confirmReturn(by: .borrower, at: T.utc("2026-05-11T09:00:00Z")) == nil)
    }

    @Test func overdueIsReadFromTheParisClock() throws {
        let loan = try handedOver()
        // The last day is 12 May; it ends at 22:00 UTC (midnight in Paris, summer time).
        #expect(!loan.isOverdue(at: T.utc("2026-05-12T21:59:59Z")))
        #expect(loan.isOverdue(at: T.utc("2026-05-12T22:00:00Z")))
        #expect(loan.daysLate(at: T.utc("2026-05-12T22:00:00Z")) == 1)
        #expect(loan.daysLate(at: T.utc("2026-05-15T10:00:00Z")) == 3)
        #expect(try !returned().isOverdue(at: T.utc("2026-06-01T00:00:00Z")))
    }

    @Test func overdueAcrossTheAutumnChange() throws {
        var loan = try Loan.request(item: item, borrower: borrower, period: try T.period("2026-10-20", "2026-10-25"),
                                    now: T.utc("2026-10-01T08:00:00Z"))
        try loan.accept(by: .owner, at: T.utc("2026-10-02T08:00:00Z"))
        try loan.confirmHandover(by: .owner, at: T.utc("2026-10-20T08:00:00Z"))
        try loan.confirmHandover(by: .borrower, at: T.utc("2026-10-20T08:00:00Z"))
        // 25 October lasts 25 hours; it ends at 23:00 UTC, not 22:00.
        #expect(!loan.isOverdue(at: T.utc("2026-10-25T22:30:00Z")))
        #expect(loan.isOverdue(at: T.utc("2026-10-25T23:00:00Z")))
    }

    // MARK: reviews

    @Test func eachSideReviewsOnceAfterTheReturn() throws {
        var loan = try returned()
        let review = try loan.review(by: .borrower, rating: 5, text: "  Parfait, merci !  ", at: T.utc("2026-05-13T08:00:00Z"))
        #expect(review.text == "Parfait, merci !" && review.author == .borrower && loan.borrowerReview == review)
        #expect(T.code { try loan.review(by: .borrower, rating: 4, text: "", at: T.utc("2026-05-13T09:00:00Z")) } == "already_reviewed")
        try loan.review(by: .owner, rating: 4, text: "", at: T.utc("2026-05-13T09:00:00Z"))
        #expect(loan.ownerReview?.rating == 4)
        #expect(T.code { try loan.review(by: .staff, rating: 4, text: "", at: T.utc("2026-05-13T09:00:00Z")) } == "loan_forbidden")
    }

    @Test func reviewsWaitForTheReturnAndStayShort() throws {
        var out = try handedOver()
        #expect(T.code { try out.review(by: .owner, rating: 5, text: "", at: T.utc("2026-05-11T08:00:00Z")) } == "loan_wrong_status")
        var loan = try returned()
        #expect(T.code { try loan.review(by: .owner, rating: 0, text: "", at: T.utc("2026-05-13T08:00:00Z")) } == "invalid_rating")
        #expect(T.code { try loan.review(by: .owner, rating: 6, text: "", at: T.utc("2026-05-13T08:00:00Z")) } == "invalid_rating")
        #expect(T.code { try loan.review(by: .owner, rating: 3, text: String(repeating: "é", count: 501), at: T.utc("2026-05-13T08:00:00Z")) }
                == "review_too_long")
        #expect(T.code { try loan.review(by: .owner, rating: 3, text: String(repeating: "é", count: 500), at: T.utc("2026-05-13T08:00:00Z")) }
                == nil)
    }

    // MARK: reminders

    @Test func remindersFallOnDaysOneThreeAndSevenAtNineParisTime() throws {
        let loan = try handedOver()   // last day 12 May
        let reminders = OverdueReminders.standard
        #expect(reminders.dueTime(offset: 1, last: loan.period.last) == T.utc("2026-05-13T07:00:00Z"))
        #expect(reminders.due(for: loan, at: T.utc("2026-05-13T06:59:00Z"), sent: []) == nil)
        #expect(reminders.due(for: loan, at: T.utc("2026-05-13T07:00:00Z"), sent: []) == 1)
        #expect(reminders.due(for: loan, at: T.utc("2026-05-14T12:00:00Z"), sent: [1]) == nil)
        #expect(reminders.due(for: loan, at: T.utc("2026-05-15T07:00:00Z"), sent: [1]) == 3)
        #expect(reminders.due(for: loan, at: T.utc("2026-05-19T07:00:00Z"), sent: [1, 3]) == 7)
        #expect(reminders.due(for: loan, at: T.utc("2026-06-30T07:00:00Z"), sent: [1, 3, 7]) == nil)
        #expect(reminders.nextCheck(for: loan, after: T.utc("2026-05-13T08:00:00Z")) == T.utc("2026-05-15T07:00:00Z"))
    }

    @Test func afterAnOutageOnlyTheLatestReminderGoesOut() throws {
        let loan = try handedOver()
        #expect(OverdueReminders.standard.due(for: loan, at: T.utc("2026-05-18T10:00:00Z"), sent: []) == 3)
        #expect(OverdueReminders.standard.due(for: loan, at: T.utc("2026-05-18T10:00:00Z"), sent: [3]) == nil)
    }

    @Test func noReminderForALoanReturnedOrNotLate() throws {
        #expect(OverdueReminders.standard.due(for: try returned(), at: T.utc("2026-05-20T10:00:00Z"), sent: []) == nil)
        #expect(OverdueReminders.standard.due(for: try requested(), at: T.utc("2026-05-20T10:00:00Z"), sent: []) == nil)
    }

    @Test func reminderSchedulesAreChecked() throws {
        #expect(T.code { _ = try OverdueReminders(offsets: []) } == "invalid_reminder_schedule")
        #expect(T.code { _ = try OverdueReminders(offsets: [0, 2]) } == "invalid_reminder_schedule")
        #expect(T.code { _ = try OverdueReminders(offsets: [2], hour: 24) } == "invalid_reminder_schedule")
        #expect(try OverdueReminders(offsets: [7, 2, 2]).offsets == [2, 7])
    }

    /// A reminder due at 09:00 the day after a loan ending on 28 March (before the spring change)
    /// is at 08:00 UTC; on 30 March (after it) at 07:00 UTC.
    @Test func reminderTimesFollowDaylightSaving() {
        let reminders = OverdueReminders.standard
        #expect(reminders.dueTime(offset: 1, last: T.day("2026-03-27")) == T.utc("2026-03-28T08:00:00Z"))
        #expect(reminders.dueTime(offset: 3, last: T.day("2026-03-27")) == T.utc("2026-03-30T07:00:00Z"))
    }
}
