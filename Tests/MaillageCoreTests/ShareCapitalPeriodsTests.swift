import MaillageCore
import Testing

/// Which share bookings a membership's history still needs: one subscription per period of
/// membership, one redemption per period ended, each once.
@Suite struct ShareCapitalPeriodsTests {
    typealias History = ShareCapital.MembershipHistory

    func due(_ history: History, subscribed: Int, redeemed: Int) -> (subscriptions: [Int64], redemptions: [Int64]) {
        let due = ShareCapital.due(history, subscriptionsBooked: subscribed, redemptionsBooked: redeemed)
        return (due.subscriptions.map(\.shares), due.redemptions.map(\.shares))
    }

    @Test func aNewMemberSubscribesOnceAndALeaverIsPaidBackOnce() {
        #expect(due(History(departures: [], current: 5), subscribed: 0, redeemed: 0) == ([5], []))
        #expect(due(History(departures: [], current: 5), subscribed: 1, redeemed: 0) == ([], []))
        #expect(due(History(departures: [5], current: nil), subscribed: 1, redeemed: 0) == ([], [5]))
        #expect(due(History(departures: [5], current: nil), subscribed: 1, redeemed: 1) == ([], []))
    }

    @Test func aMemberBackWithAPaybackWaitingGetsTheNewSubscriptionAndTheOldPayback() {
        // Left holding 5 shares, payback waiting; back with 3.
        let back = ShareCapital.due(History(departures: [5], current: 3), subscriptionsBooked: 1, redemptionsBooked: 0)
        #expect(back.subscriptions.map(\.index) == [1] && back.subscriptions.map(\.shares) == [3])
        #expect(back.redemptions.map(\.index) == [0] && back.redemptions.map(\.shares) == [5])
        // Once both are booked, nothing more; leaving again owes the 3.
        #expect(due(History(departures: [5], current: 3), subscribed: 2, redeemed: 1) == ([], []))
        #expect(due(History(departures: [5, 3], current: nil), subscribed: 2, redeemed: 1) == ([], [3]))
    }

    @Test func aPeriodEndedBeforeItsSubscriptionWasBookedIsBookedThenPaidBack() {
        // Joined and left between two runs of the job: nothing is paid back that never came in.
        #expect(due(History(departures: [4], current: nil), subscribed: 0, redeemed: 0) == ([4], [4]))
    }
}
