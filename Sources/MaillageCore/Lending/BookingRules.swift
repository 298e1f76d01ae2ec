import Foundation

/// What a loan request must respect before it reaches the owner. The app checks these when the
/// request is made, and again on acceptance (dates may have become taken meanwhile), where the
/// database has the last word (`LendingStorageContract`).
public enum BookingRules {
    /// How far ahead one may ask: a year keeps calendars readable and `loan_days` small.
    public static let maximumAdvanceDays = 365

    /// Checks the dates alone against the item and the day it is today in the territory:
    /// not in the past (today is allowed), not longer than the owner accepts, not too far ahead,
    /// and — for an item kept at the showcase — starting and ending on days it opens, so the
    /// borrower can collect and return it.
    public static func checkRequest(_ period: LoanPeriod, for item: LendingItem, today: LocalDate) throws(DomainError) {
        guard period.first >= today else { throw .periodInPast }
        guard period.dayCount <= item.maximumLoanDays else { throw .loanTooLong(maximumDays: item.maximumLoanDays) }
        guard today.days(to: period.first) <= maximumAdvanceDays else { throw .tooFarAhead(maximumAdvanceDays) }
        if case .showcase(let place) = item.pickup, !place.hours.isEmpty {
            guard place.hours.isOpen(on: period.first) else { throw .showcaseClosed(on: period.first, field: "first_day") }
            guard place.hours.isOpen(on: period.last) else { throw .showcaseClosed(on: period.last, field: "last_day") }
        }
    }

    /// The same check, reading "today" off the clock in the territory's zone.
    public static func checkRequest(_ period: LoanPeriod, for item: LendingItem, now: Date, zone: LocalZone = .paris) throws(DomainError) {
        try checkRequest(period, for: item, today: zone.localDate(at: now))
    }

    /// Refuses dates that share a day with a loan already accepted (or handed over) or with days
    /// the owner blocked. Other pending requests do not count: the owner chooses among them.
    public static func checkFree(_ period: LoanPeriod, taken: [LoanPeriod], blocked: [LoanPeriod]) throws(DomainError) {
        if let clash = taken.first(where: period.overlaps) { throw .datesTaken(clash) }
        if let clash = blocked.first(where: period.overlaps) { throw .datesBlocked(clash) }
    }

    /// The accepted periods that would be in the way (for the message and the calendar).
    public static func conflicts(of period: LoanPeriod, with taken: [LoanPeriod]) -> [LoanPeriod] {
        taken.filter(period.overlaps)
    }
}

/// What a day looks like on an item's availability calendar.
public enum DayStatus: String, Sendable, Hashable, Codable {
    case free
    /// Lent: an accepted or handed-over loan holds it.
    case booked
    /// The owner keeps the item that day.
    case blocked

    public var label: Localized {
        switch self {
        case .free: Localized(fr: "Disponible", en: "Available")
        case .booked: Localized(fr: "Prêté", en: "On loan")
        case .blocked: Localized(fr: "Indisponible", en: "Unavailable")
        }
    }
}

/// A month of an item's availability, for display: one entry per day, with the blanks to put
/// before the 1st in a Monday-first grid.
public struct AvailabilityMonth: Sendable, Hashable {
    public struct Day: Sendable, Hashable {
        public let date: LocalDate
        public let status: DayStatus
        /// Before today: shown greyed, not requestable whatever its status.
        public let isPast: Bool
    }

    public let year: Int
    public let month: Int
    public let days: [Day]

    /// Empty cells before the 1st in a week starting on Monday (0 when the 1st is a Monday).
    public var leadingBlanks: Int { (days.first?.date.weekday ?? 1) - 1 }

    /// Nil for a month outside the supported years. A day both booked and blocked (which the
    /// storage contract prevents) shows as booked.
    public init?(year: Int, month: Int, taken: [LoanPeriod], blocked: [LoanPeriod], today: LocalDate) {
        guard let first = LocalDate(year: year, month: month, day: 1) else { return nil }
        let count = LocalDate.daysIn(month: month, year: year)
        guard let last = first.adding(days: count - 1), let whole = try? LoanPeriod(first: first, last: last) else { return nil }
        // Only the periods touching the month matter; a long list stays cheap.
        let takenHere = taken.filter(whole.overlaps), blockedHere = blocked.filter(whole.overlaps)
        self.year = year
        self.month = month
        self.days = whole.days.map { date in
            let status: DayStatus = takenHere.contains { $0.contains(date) } ? .booked
                : blockedHere.contains { $0.contains(date) } ? .blocked : .free
            return Day(date: date, status: status, isPast: date < today)
        }
    }
}
