import Foundation

/// When to remind a borrower that a loan is late: on days 1, 3 and 7 after the last day, at
/// 09:00 on the territory's clock (never in the night). Pure, so the reminder job — leased, run
/// by any replica — only asks "what is due now?" and records what it sent under a unique
/// (loan, day) key, which makes each reminder go out once.
public struct OverdueReminders: Sendable, Hashable {
    /// Days after the last day of the loan, ascending, all ≥ 1.
    public let offsets: [Int]
    /// Local hour of the day a reminder becomes due.
    public let hour: Int

    public static let standard = OverdueReminders(uncheckedOffsets: [1, 3, 7], hour: 9)

    public init(offsets: [Int], hour: Int = 9) throws(DomainError) {
        let sorted = Array(Set(offsets)).sorted()
        guard !sorted.isEmpty, sorted.allSatisfy({ (1...365).contains($0) }), (0...23).contains(hour) else {
            throw .invalidReminderSchedule
        }
        self.init(uncheckedOffsets: sorted, hour: hour)
    }

    private init(uncheckedOffsets: [Int], hour: Int) {
        offsets = uncheckedOffsets
        self.hour = hour
    }

    /// When the reminder of `offset` days becomes due for a loan ending on `last`.
    public func dueTime(offset: Int, last: LocalDate, zone: LocalZone = .paris) -> Date? {
        last.adding(days: offset).map { zone.instant(on: $0, hour: hour) }
    }

    /// The reminder to send now, if any: the latest one already due, unless it or a later one
    /// was sent. After an outage the borrower gets one message, not three; the skipped ones are
    /// simply never sent. Nil for a loan that is not overdue (returned, or not yet late).
    public func due(for loan: Loan, at now: Date, sent: Set<Int>, zone: LocalZone = .paris) -> Int? {
        guard loan.isOverdue(at: now, zone: zone) else { return nil }
        guard let latest = offsets.last(where: { dueTime(offset: $0, last: loan.period.last, zone: zone).map { $0 <= now } ?? false })
        else { return nil }
        guard !sent.contains(where: { $0 >= latest }) else { return nil }
        return latest
    }

    /// When the job should look at this loan again: the next reminder's due time, if any is left.
    public func nextCheck(for loan: Loan, after now: Date, zone: LocalZone = .paris) -> Date? {
        guard loan.status == .handedOver else { return nil }
        return offsets.lazy.compactMap { self.dueTime(offset: $0, last: loan.period.last, zone: zone) }.first { $0 > now }
    }
}
