/// The whole days an item is lent for, both ends included: from the morning of `first` (pickup)
/// to the evening of `last` (return). Stored as the half-open UTC span
/// `[first 00:00, last + 1 00:00)` in the territory's zone (see `LocalZone.interval(of:)`).
///
/// Overlap is decided on days, never on instants: a loan ending on day D and one starting on
/// D + 1 do not overlap (back-to-back: returned in the evening, lent again next morning); two
/// loans that share day D do overlap, even if one person would return at 9:00 and the other pick
/// up at 18:00 — a neighbour's return time is a promise, not a schedule, and the day is the unit
/// the database claims (`LendingStorageContract`).
public struct LoanPeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    public let first: LocalDate
    public let last: LocalDate

    /// Refuses a period that ends before it starts, or ends on the last representable day.
    public init(first: LocalDate, last: LocalDate) throws(DomainError) {
        guard first <= last else { throw .periodReversed }
        guard last.adding(days: 1) != nil else { throw .periodOutOfRange }
        self.first = first
        self.last = last
    }

    /// `days` days starting on `first` (a one-day loan has `days` = 1).
    public init(first: LocalDate, days: Int) throws(DomainError) {
        guard days >= 1 else { throw .periodReversed }
        guard let last = first.adding(days: days - 1) else { throw .periodOutOfRange }
        try self.init(first: first, last: last)
    }

    /// Reads a form's two `YYYY-MM-DD` fields.
    public init(firstISO: String, lastISO: String) throws(DomainError) {
        guard let first = LocalDate(iso: firstISO.trimmingCharacters(in: .whitespaces)) else {
            throw .invalidDate(field: "first_day")
        }
        guard let last = LocalDate(iso: lastISO.trimmingCharacters(in: .whitespaces)) else {
            throw .invalidDate(field: "last_day")
        }
        try self.init(first: first, last: last)
    }

    /// Number of days lent, both ends counted: 1 for a same-day loan.
    public var dayCount: Int { first.days(to: last) + 1 }

    /// The exclusive end: the first day the item is free again (iCalendar's DTEND).
    public var dayAfter: LocalDate {
        // The initialiser guarantees it exists.
        last.adding(days: 1) ?? last
    }

    /// Every day of the period in order — the rows of `loan_days` claimed on acceptance.
    public var days: [LocalDate] {
        let start = first.daysSinceEpoch
        return (0..<dayCount).compactMap { LocalDate(daysSinceEpoch: start + $0) }
    }

    public func contains(_ date: LocalDate) -> Bool { first <= date && date <= last }

    /// Whether the two periods share at least one day (see the type's comment for back-to-back).
    public func overlaps(_ other: LoanPeriod) -> Bool { first <= other.last && other.first <= last }

    public var description: String { "\(first.iso)…\(last.iso)" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let first = try container.decode(LocalDate.self, forKey: .first)
        let last = try container.decode(LocalDate.self, forKey: .last)
        do {
            try self.init(first: first, last: last)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .last, in: container, debugDescription: error.code)
        }
    }
}
