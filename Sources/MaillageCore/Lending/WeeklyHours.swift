import Foundation

/// One opening of a place on a weekday, in local wall-clock minutes: 14:00–18:30 on Wednesdays
/// is `OpeningSlot(weekday: 3, opens: 840, closes: 1110)`. Wall-clock, not UTC: the showcase opens
/// at 14:00 in summer and in winter alike.
public struct OpeningSlot: Sendable, Hashable, Codable {
    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public let weekday: Int
    /// Minutes since midnight, `opens` < `closes` ≤ 1440 (a slot ending at midnight closes at 1440).
    public let opens: Int
    public let closes: Int

    public init(weekday: Int, opens: Int, closes: Int) throws(DomainError) {
        guard (1...7).contains(weekday) else { throw .invalidOpeningSlot }
        guard (0..<1440).contains(opens), (1...1440).contains(closes), opens < closes else { throw .invalidOpeningSlot }
        self.weekday = weekday
        self.opens = opens
        self.closes = closes
    }

    /// Reads "14:00" and "18:30" as typed in a form.
    public init(weekday: Int, opens: String, closes: String) throws(DomainError) {
        guard let o = Self.minutes(opens), let c = Self.minutes(closes) else { throw .invalidOpeningSlot }
        try self.init(weekday: weekday, opens: o, closes: c)
    }

    static func minutes(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).lowercased()
            .split(whereSeparator: { $0 == ":" || $0 == "h" }).map(String.init)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.count <= 2 && $0.allSatisfy(\.isNumber) }),
              let hours = Int(parts[0]), let minutes = parts.count == 2 ? Int(parts[1]) : 0,
              (0...24).contains(hours), (0..<60).contains(minutes), hours * 60 + minutes <= 1440 else { return nil }
        return hours * 60 + minutes
    }
}

/// A place's weekly opening hours, e.g. the cooperative's showcase (*lieu vitrine*) where
/// members drop and collect items.
public struct WeeklyHours: Sendable, Hashable, Codable {
    /// Sorted by weekday then opening time; never two overlapping slots on one day.
    public let slots: [OpeningSlot]

    public init(_ slots: [OpeningSlot]) throws(DomainError) {
        let sorted = slots.sorted { ($0.weekday, $0.opens) < ($1.weekday, $1.opens) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.weekday == b.weekday && b.opens < a.closes {
            throw .overlappingOpeningSlots
        }
        self.slots = sorted
    }

    public var isEmpty: Bool { slots.isEmpty }

    public func slots(on weekday: Int) -> [OpeningSlot] { slots.filter { $0.weekday == weekday } }

    /// Whether the place opens at some time on that day.
    public func isOpen(on date: LocalDate) -> Bool { slots.contains { $0.weekday == date.weekday } }

    /// Whether the place is open at an instant, read on the zone's wall clock.
    public func isOpen(at instant: Date, in zone: LocalZone = .paris) -> Bool {
        let weekday = zone.localDate(at: instant).weekday
        let minute = zone.minuteOfDay(at: instant)
        return slots.contains { $0.weekday == weekday && $0.opens <= minute && minute < $0.closes }
    }

    /// The first day on or after `date` when the place opens; nil when it never does.
    public func nextOpenDay(onOrAfter date: LocalDate) -> LocalDate? {
        guard !slots.isEmpty else { return nil }
        return (0..<7).lazy.compactMap { date.adding(days: $0) }.first { isOpen(on: $0) }
    }

    /// "mercredi 14 h – 18 h 30 ; samedi 10 h – 12 h" / "Wednesday 14:00–18:30; Saturday 10:00–12:00".
    public func text(_ language: Language) -> String {
        guard !slots.isEmpty else { return language == .fr ? "Sur rendez-vous" : "By appointment" }
        var parts: [String] = []
        for weekday in 1...7 {
            let day = slots(on: weekday)
            guard !day.isEmpty else { continue }
            let times = day.map { "\(Self.clock($0.opens, language))–\(Self.clock($0.closes, language))" }
            parts.append("\(Self.weekdayName(weekday, language)) \(times.joined(separator: ", "))")
        }
        return parts.joined(separator: language == .fr ? " ; " : "; ")
    }

    public static func weekdayName(_ weekday: Int, _ language: Language) -> String {
        let fr = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
        let en = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        let index = min(max(weekday, 1), 7) - 1
        return language == .fr ? fr[index] : en[index]
    }

    static func clock(_ minutes: Int, _ language: Language) -> String {
        let h = minutes / 60, m = minutes % 60
        let mm = m < 10 ? "0\(m)" : "\(m)"
        switch language {
        case .fr: return m == 0 ? "\(h)\u{00A0}h" : "\(h)\u{00A0}h\u{00A0}\(mm)"
        case .en: return "\(h < 10 ? "0" : "")\(h):\(mm)"
        }
    }
}

/// The cooperative's showcase location (*lieu vitrine*): a shop or local where members leave
/// items and borrowers collect them during opening hours, so neighbours need not meet at home.
public struct ShowcaseLocation: Sendable, Hashable, Codable, Identifiable {
    public let id: UUID
    public var name: String
    public var address: String
    public var commune: String
    public var position: GeoPoint
    public var hours: WeeklyHours

    public init(id: UUID = UUID(), name: String, address: String, commune: String, position: GeoPoint, hours: WeeklyHours) {
        self.id = id
        self.name = name
        self.address = address
        self.commune = commune
        self.position = position
        self.hours = hours
    }
}

/// Where a borrower collects the item and brings it back.
public enum PickupPlace: Sendable, Hashable, Codable {
    /// At the owner's home; the address is shown to the borrower only once the loan is accepted.
    case ownerHome
    /// At the cooperative's showcase location, during its opening hours.
    case showcase(ShowcaseLocation)

    public var code: String {
        switch self {
        case .ownerHome: "domicile"
        case .showcase: "vitrine"
        }
    }

    public var label: Localized {
        switch self {
        case .ownerHome: Localized(fr: "Chez le ou la propriétaire", en: "At the owner’s home")
        case .showcase(let place): Localized(fr: "Au lieu vitrine : \(place.name)", en: "At the showcase: \(place.name)")
        }
    }
}
