import Foundation

/// When a driver and a passenger can meet. Times are local wall-clock minutes of the day in the
/// instance's zone (`LocalZone`), with dates as `LocalDate`. A day's times never reach into the
/// next day: a driver leaving at 23:50 who reaches the pick-up 20 minutes later is at minute
/// 1450, which no passenger's window (0…1439 ± margin) of the same day reaches, and the next
/// day is not searched. Night trips across midnight are rare enough to leave unmatched.
public enum CarpoolTimeWindows {
    /// A departure time with its flexibility: "8:00, give or take 15 minutes".
    public struct DepartureWindow: Sendable, Hashable {
        /// Minutes since local midnight, 0..<1440.
        public let minute: Int
        /// Flexibility either side, in minutes (never negative).
        public let margin: Int

        /// Nil for a minute outside the day.
        public init?(minute: Int, margin: Int) {
            guard (0..<1440).contains(minute) else { return nil }
            self.minute = minute
            self.margin = max(0, margin)
        }

        /// The window as an interval of minutes of the day (ends may leave 0…1439).
        var interval: ClosedRange<Double> { Double(minute - margin)...Double(minute + margin) }
    }

    /// A regular trip: a window for each ISO weekday it runs (1 = Monday … 7 = Sunday).
    public struct WeeklyPattern: Sendable, Hashable {
        public let days: [Int: DepartureWindow]

        /// Keys outside 1…7 are dropped.
        public init(days: [Int: DepartureWindow]) {
            self.days = days.filter { (1...7).contains($0.key) }
        }
    }

    /// True when the driver, who reaches the pick-up `pickupAfterMinutes` after leaving (± their
    /// margin), can be there while the passenger is (their minute ± margin). Edges count.
    public static func overlaps(driver: DepartureWindow, pickupAfterMinutes: Double,
                                passenger: DepartureWindow) -> Bool {
        let after = pickupAfterMinutes.isFinite ? max(0, pickupAfterMinutes) : 0
        let atPickup = (Double(driver.minute) + after - Double(driver.margin))...(Double(driver.minute) + after + Double(driver.margin))
        return atPickup.overlaps(passenger.interval)
    }

    /// The weekdays (ascending) on which both regular trips run and their times meet.
    public static func overlaps(driver: WeeklyPattern, pickupAfterMinutes: Double,
                                passenger: WeeklyPattern) -> [Int] {
        driver.days.keys.sorted().filter { day in
            guard let ours = driver.days[day], let theirs = passenger.days[day] else { return false }
            return overlaps(driver: ours, pickupAfterMinutes: pickupAfterMinutes, passenger: theirs)
        }
    }

    /// A one-off passenger trip on `date` against a regular driver: the driver's window for that
    /// date's weekday. Whether the date lies in the driver's validity period is the caller's.
    public static func overlaps(driver: WeeklyPattern, pickupAfterMinutes: Double,
                                passengerOn date: LocalDate, window: DepartureWindow) -> Bool {
        guard let ours = driver.days[date.weekday] else { return false }
        return overlaps(driver: ours, pickupAfterMinutes: pickupAfterMinutes, passenger: window)
    }

    /// The stored departure minutes worth fetching for a window, for SQL `minute BETWEEN ? AND ?`:
    /// the window's own margin plus `widenedBy` (e.g. the largest driver margin and the longest
    /// time to a pick-up), clamped to the day 0…1439 (no matching across midnight, see above).
    public static func minuteRange(for window: DepartureWindow, widenedBy: Int) -> ClosedRange<Int> {
        let spread = window.margin + max(0, widenedBy)
        return max(0, window.minute - spread)...min(1439, window.minute + spread)
    }
}
