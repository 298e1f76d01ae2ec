import Foundation

/// RDEX+'s `regularSchedule`: the weekdays and UTC times a regular journey is wanted, each with an
/// optional margin. A journey answers the request only if it travels on every slot asked (RDEX+:
/// "the journey is expected to happen on all given time slots").
public struct RdexRegularSchedule: Sendable, Hashable {
    public struct Slot: Sendable, Hashable {
        /// ISO weekday, 1 = Monday.
        public var weekday: Int
        /// Minutes after midnight, UTC, as RDEX+ gives them.
        public var utcMinute: Int
        /// The slot's own margin in seconds, when given (else the request's `timeDelta`).
        public var timeDelta: Int?
    }

    public var slots: [Slot]

    public static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    public static let invalid = DomainError(.invalid, code: "invalid_input", field: "regularSchedule",
        fr: "Horaires réguliers illisibles : une liste d’objets comme {\"mondayTime\": \"08:30:00\"}.",
        en: "Unreadable regular schedule: a list of objects like {\"mondayTime\": \"08:30:00\"}.")

    /// Reads the week schedules given as JSON (one object or a list of them), or as the entries of
    /// `regularSchedule[0][mondayTime]=08:30:00` query fields (`fields`: each object's keys and values).
    public static func read(json: String?, fields: [[String: String]] = []) throws(DomainError) -> RdexRegularSchedule? {
        var objects = fields
        if let json, !json.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let data = json.data(using: .utf8), let parsed = try? JSONSerialization.jsonObject(with: data) else { throw invalid }
            let list: [Any] = (parsed as? [Any]) ?? [parsed]
            for element in list {
                guard let object = element as? [String: Any] else { throw invalid }
                var strings: [String: String] = [:]
                for (key, value) in object {
                    switch value {
                    case let text as String: strings[key] = text
                    case let number as NSNumber: strings[key] = number.stringValue
                    default: throw invalid
                    }
                }
                objects.append(strings)
            }
        }
        guard !objects.isEmpty else { return nil }
        var slots: [Slot] = []
        for object in objects {
            for (index, day) in weekdays.enumerated() {
                guard let time = object["\(day)Time"] else {
                    if object["\(day)TimeDelta"] != nil { throw invalid }
                    continue
                }
                guard let minute = utcMinute(time) else { throw invalid }
                var delta: Int?
                if let text = object["\(day)TimeDelta"] {
                    guard let value = Int(text), (0...43_200).contains(value) else { throw invalid }
                    delta = value
                }
                slots.append(Slot(weekday: index + 1, utcMinute: minute, timeDelta: delta))
            }
        }
        guard !slots.isEmpty else { throw invalid }
        return RdexRegularSchedule(slots: slots)
    }

    /// "08:30:00" or "08:30" (RFC 3339 partial time; seconds and a fraction are ignored).
    static func utcMinute(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        if parts.count == 3 {
            let seconds = parts[2].prefix { $0 != "." }
            guard seconds.count == 2, let value = Int(seconds), (0..<60).contains(value) else { return nil }
        }
        return hour * 60 + minute
    }

    /// The slot's departure on `date` (a UTC day): the instant RDEX+ means.
    public func instant(_ slot: Slot, on date: LocalDate) -> Date {
        Date(timeIntervalSince1970: Double(date.daysSinceEpoch) * 86_400 + Double(slot.utcMinute) * 60)
    }

    /// The first day on or after `start` that falls on `weekday`, if it is not after `end`.
    public static func firstDay(_ weekday: Int, from start: LocalDate, until end: LocalDate?) -> LocalDate? {
        var day = start
        for _ in 0..<7 {
            if day.weekday == weekday { return end.map { day <= $0 } ?? true ? day : nil }
            guard let next = day.adding(days: 1) else { return nil }
            day = next
        }
        return nil
    }
}
