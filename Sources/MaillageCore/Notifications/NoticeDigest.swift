import Foundation

/// One person's digest: their notices of the digest kinds since the last one, grouped by the day
/// they came (oldest day first, each day in the order things happened).
public struct NoticeDigest: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var id: UUID
        public var kind: NoticeKind
        public var createdAt: Date
        public var text: Localized
        public var link: String

        public init(id: UUID, kind: NoticeKind, createdAt: Date, text: Localized, link: String) {
            self.id = id
            self.kind = kind
            self.createdAt = createdAt
            self.text = text
            self.link = link
        }
    }

    public struct Day: Sendable, Hashable {
        public var day: LocalDate
        public var entries: [Entry]
    }

    public var days: [Day]
    /// Entries left out of the mail past `limit` (all are counted as digested: the site has them).
    public var more: Int
    /// The kinds the mail speaks of: its unsubscribe link turns these off.
    public var kinds: [NoticeKind]
    public var count: Int { days.reduce(0) { $0 + $1.entries.count } + more }

    /// Nil when there is nothing to say: no mail is sent for an empty digest.
    public static func compose(_ entries: [Entry], zone: LocalZone = .paris, limit: Int = 100) -> NoticeDigest? {
        guard !entries.isEmpty else { return nil }
        let ordered = entries.sorted { ($0.createdAt, $0.id.uuidString) < ($1.createdAt, $1.id.uuidString) }
        let shown = ordered.prefix(max(1, limit))
        var days: [Day] = []
        for entry in shown {
            let day = zone.localDate(at: entry.createdAt)
            if days.last?.day == day { days[days.count - 1].entries.append(entry) } else { days.append(Day(day: day, entries: [entry])) }
        }
        let kinds = NoticeKind.allCases.filter { kind in entries.contains { $0.kind == kind } }
        return NoticeDigest(days: days, more: ordered.count - shown.count, kinds: kinds)
    }
}
