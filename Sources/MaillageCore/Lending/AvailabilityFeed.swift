import Foundation

/// An item's availability as an iCalendar feed (RFC 5545) that calendar apps subscribe to:
/// one all-day event per period the item is away or kept. Events say "On loan", never who
/// borrows it: the feed is public, a borrower's name is personal data (see `Privacy`).
public enum AvailabilityFeed {
    public struct Entry: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable { case loan, block }

        /// The loan's (or block's) id: the event's UID stays the same at every fetch, so a
        /// calendar updates the event instead of duplicating it.
        public let id: UUID
        public let kind: Kind
        public let period: LoanPeriod
        /// When the loan or block last changed (acceptance, handover…), as DTSTAMP: fixed between
        /// fetches, so an unchanged feed is byte-for-byte the same (ETag-friendly).
        public let updatedAt: Date

        public init(id: UUID, kind: Kind, period: LoanPeriod, updatedAt: Date) {
            self.id = id
            self.kind = kind
            self.period = period
            self.updatedAt = updatedAt
        }

        /// The feed entry of a loan that holds days; nil for one that does not.
        public init?(loan: Loan) {
            guard loan.status.holdsDays else { return nil }
            let updatedAt = loan.handover.completedAt ?? loan.decidedAt ?? loan.requestedAt
            self.init(id: loan.id, kind: .loan, period: loan.period, updatedAt: updatedAt)
        }
    }

    public static let productID = "-//Maillage//Lending availability//FR"
    public static let mediaType = "text/calendar; charset=utf-8"

    /// The whole feed, CRLF-terminated lines, folded at 75 octets.
    /// `domain` makes UIDs globally unique (the instance's host name, e.g. "pret.example.coop").
    public static func render(calendarName: String, entries: [Entry], domain: String, language: Language) -> String {
        var lines = [
            "BEGIN:VCALENDAR",
            "PRODID:\(productID)",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:\(ICalendarText.escape(calendarName))",
            // RFC 7986 §5.7 and its widely read predecessor: refresh hourly.
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H",
        ]
        let sorted = entries.sorted { ($0.period.first, $0.id.uuidString) < ($1.period.first, $1.id.uuidString) }
        for entry in sorted {
            let summary = entry.kind == .loan ? DayStatus.booked.label(language) : DayStatus.blocked.label(language)
            lines += [
                "BEGIN:VEVENT",
                "UID:\(entry.kind.rawValue)-\(entry.id.uuidString.lowercased())@\(domain)",
                "DTSTAMP:\(ICalendarText.utcStamp(entry.updatedAt))",
                // All-day: DATE values, DTEND exclusive (§3.6.1), so no zone and no DST question.
                "DTSTART;VALUE=DATE:\(entry.period.first.basic)",
                "DTEND;VALUE=DATE:\(entry.period.dayAfter.basic)",
                "SUMMARY:\(ICalendarText.escape(summary))",
                "TRANSP:OPAQUE",
                "STATUS:CONFIRMED",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map { ICalendarText.fold($0) + ICalendarText.lineBreak }.joined()
    }
}
