/// Which share bookings a membership's history still needs. A person may join, leave, come back
/// and leave again: each period of membership subscribes the shares held then, and each period
/// that ended redeems them. The books hold those bookings in order, counted, so each is made once
/// — its idempotency key is its count — and a redemption waiting on the capital floor never stops
/// a later subscription (which, raising the capital, is often what lets it through).
extension ShareCapital {
    public struct MembershipHistory: Sendable, Hashable {
        /// The shares held at each departure, oldest first.
        public var departures: [Int64]
        /// The shares of the present period; nil when the person is not an active member now.
        public var current: Int64?

        public init(departures: [Int64], current: Int64?) {
            self.departures = departures
            self.current = current
        }

        /// Every period's shares, ended ones first.
        public var periods: [Int64] { departures + (current.map { [$0] } ?? []) }
    }

    public struct Booking: Sendable, Hashable {
        /// Its place among the membership's bookings of its kind (0 for the first), the key's count.
        public let index: Int
        public let shares: Int64
    }

    /// The subscriptions due, then the redemptions due, given how many of each are booked.
    /// A period is redeemed only once its subscription is booked: nothing is paid back that never came in.
    public static func due(_ history: MembershipHistory, subscriptionsBooked: Int,
                           redemptionsBooked: Int) -> (subscriptions: [Booking], redemptions: [Booking]) {
        let periods = history.periods
        let subscriptions = (min(subscriptionsBooked, periods.count)..<periods.count).map { Booking(index: $0, shares: periods[$0]) }
        let subscribed = max(subscriptionsBooked, periods.count)
        let ended = min(history.departures.count, subscribed)
        let redemptions = (min(redemptionsBooked, ended)..<ended).map { Booking(index: $0, shares: history.departures[$0]) }
        return (subscriptions, redemptions)
    }
}
