import Foundation

/// The territory's civil time zone, which turns calendar days into the UTC instants stored in
/// the database (DESIGN: "stored UTC, shown in the instance's zone"). Never the server's own
/// zone: a replica started with `TZ=UTC` must cut days exactly where one in Paris does.
public struct LocalZone: Sendable, Hashable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    /// Nil for an identifier the system's zone database does not know.
    public init?(identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.init(zone)
    }

    public init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.locale = Locale(identifier: "en_US_POSIX")
        self.calendar = calendar
    }

    /// Europe/Paris, the default instance zone. Foundation carries its own zone data (ICU), so
    /// this identifier is known on every platform we run on.
    public static let paris = LocalZone(identifier: "Europe/Paris")!

    public var identifier: String { timeZone.identifier }

    /// The first instant of a day in this zone: local midnight, or — in a zone that skips
    /// midnight when changing to summer time — the first local time that exists that day.
    /// Europe/Paris changes at 02:00/03:00, so its days always start at 00:00.
    public func start(of date: LocalDate) -> Date {
        let components = DateComponents(year: date.year, month: date.month, day: date.day)
        if let start = calendar.date(from: components) { return start }
        // Not expected with a Gregorian calendar; solve local = utc + offset by iteration instead.
        let local = Date(timeIntervalSince1970: TimeInterval(date.daysSinceEpoch) * 86_400)
        var guess = local.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: local)))
        guess = local.addingTimeInterval(-TimeInterval(timeZone.secondsFromGMT(for: guess)))
        return guess
    }

    /// The calendar day, in this zone, that an instant falls on.
    public func localDate(at instant: Date) -> LocalDate {
        let parts = calendar.dateComponents(in: timeZone, from: instant)
        guard let year = parts.year, let month = parts.month, let day = parts.day,
              let date = LocalDate(year: year, month: month, day: day) else {
            // Only for instants outside years 1…9999; clamp rather than trap on a strange clock.
            return instant.timeIntervalSince1970 < 0 ? LocalDate(unchecked: 1, 1, 1) : LocalDate(unchecked: 9999, 12, 31)
        }
        return date
    }

    /// Minutes since local midnight at an instant (for opening hours), 0…1439.
    public func minuteOfDay(at instant: Date) -> Int {
        let parts = calendar.dateComponents(in: timeZone, from: instant)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }

    /// A local wall-clock time on a day ("9:00 on 2026-03-30"), as an instant. A time inside the
    /// spring-forward gap moves forward by the gap, as clocks do.
    public func instant(on date: LocalDate, hour: Int, minute: Int = 0) -> Date {
        let components = DateComponents(year: date.year, month: date.month, day: date.day, hour: hour, minute: minute)
        return calendar.date(from: components)
            ?? start(of: date).addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
    }

    /// The half-open span `[first day 00:00, day after last 00:00)` of a period, in UTC instants.
    /// 23 h per day in the spring-forward day, 25 h in the fall-back one.
    public func interval(of period: LoanPeriod) -> Range<Date> {
        start(of: period.first)..<start(of: period.dayAfter)
    }

    public static func == (a: LocalZone, b: LocalZone) -> Bool { a.timeZone == b.timeZone }
    public func hash(into hasher: inout Hasher) { hasher.combine(timeZone) }
}
