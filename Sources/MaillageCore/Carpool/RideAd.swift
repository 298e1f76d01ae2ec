import Foundation

/// Who an ad is from: a driver with free seats, a passenger looking for a seat, or someone who
/// can do either (Mobicoop's "les deux").
public enum RideRole: String, Sendable, Hashable, Codable, CaseIterable {
    case driver, passenger, both

    public var label: Localized {
        switch self {
        case .driver: Localized(fr: "Conducteur·rice", en: "Driver")
        case .passenger: Localized(fr: "Passager·ère", en: "Passenger")
        case .both: Localized(fr: "Conducteur·rice ou passager·ère", en: "Driver or passenger")
        }
    }

    public var drives: Bool { self != .passenger }
    public var rides: Bool { self != .driver }
    /// Seats offered by a driver (3, as Mobicoop) or wanted by a passenger (1) when nothing is typed.
    public var defaultSeats: Int { self == .passenger ? 1 : 3 }
}

/// What the car can take besides people.
public enum RideOption: String, Sendable, Hashable, Codable, CaseIterable {
    case luggage, bike
    case backSeatOnly = "back-seat"

    public var label: Localized {
        switch self {
        case .luggage: Localized(fr: "Bagages", en: "Luggage")
        case .bike: Localized(fr: "Vélo", en: "Bike")
        case .backSeatOnly: Localized(fr: "Deux personnes au plus à l’arrière", en: "At most two people in the back")
        }
    }
}

/// One way of a trip: outward, or the return.
public enum RideLeg: String, Sendable, Hashable, Codable, CaseIterable {
    case outward, `return`

    public var label: Localized {
        self == .outward ? Localized(fr: "Aller", en: "Outward") : Localized(fr: "Retour", en: "Return")
    }
}

/// A departure time on the local wall clock with its margin: 07:30 ± 15 min.
public struct RideTime: Sendable, Hashable, Codable {
    /// Minutes since local midnight, 0..<1440.
    public let minute: Int
    /// Minutes either side the person accepts.
    public let margin: Int

    public static let defaultMargin = 15
    public static let margins = 0...120

    public init(minute: Int, margin: Int = RideTime.defaultMargin) {
        self.minute = minute
        self.margin = margin
    }

    /// "07:30", "7:30", "7h30", "7h" or "07.30" as people type it; nil otherwise.
    public static func minute(of text: String) -> Int? {
        let cleaned = text.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = cleaned.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "h" || $0 == "." })
        guard (1...2).contains(parts.count), let hour = Int(parts[0]), (0...23).contains(hour) else { return nil }
        let minute = parts.count == 2 && !parts[1].isEmpty ? Int(parts[1]) : 0
        guard let minute, (0...59).contains(minute), parts.count == 1 || parts[1].isEmpty || parts[1].count == 2 else { return nil }
        return hour * 60 + minute
    }

    /// "07:30", as a time input shows it.
    public var clock: String { Self.clock(minute) }

    public static func clock(_ minute: Int) -> String {
        let hour = minute / 60, rest = minute % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (rest < 10 ? "0" : "") + "\(rest)"
    }
}

/// When an ad travels: once on a day, or every chosen weekday between two dates.
public enum RideSchedule: Sendable, Hashable {
    /// One trip; `back` is the optional return, on `backDate` (the same day or later).
    case punctual(date: LocalDate, outward: RideTime, backDate: LocalDate?, back: RideTime?)
    /// A regular trip (*trajet régulier*): ISO weekday (1 = Monday) → outward and optional return times.
    case regular(from: LocalDate, until: LocalDate, outward: [Int: RideTime], back: [Int: RideTime])

    public var isRegular: Bool { if case .regular = self { true } else { false } }

    /// The outward departure on `date`, when the ad travels that day.
    public func time(on date: LocalDate, leg: RideLeg) -> RideTime? {
        switch self {
        case let .punctual(day, outward, backDate, back):
            if leg == .outward { return day == date ? outward : nil }
            return backDate == date ? back : nil
        case let .regular(from, until, outward, back):
            guard from <= date, date <= until else { return nil }
            return (leg == .outward ? outward : back)[date.weekday]
        }
    }

    /// The last day the ad travels: after it, the ad is no longer shown.
    public var lastDay: LocalDate {
        switch self {
        case let .punctual(date, _, backDate, _): max(date, backDate ?? date)
        case let .regular(_, until, _, _): until
        }
    }
}

/// A place of an ad: its name as shown (a commune or a relay point) and its coordinates.
public struct RidePlace: Sendable, Hashable {
    public let name: String
    public let point: GeoPoint
    /// Set when the place is one of the cooperative's relay points.
    public let relayPoint: UUID?

    public init(name: String, point: GeoPoint, relayPoint: UUID? = nil) {
        self.name = name
        self.point = point
        self.relayPoint = relayPoint
    }
}

/// A carpool ad as checked: ready to be stored and matched.
public struct RideAd: Sendable, Hashable {
    public let role: RideRole
    public let origin: RidePlace
    public let destination: RidePlace
    public let schedule: RideSchedule
    public let seats: Int
    public let options: Set<RideOption>
    public let comment: String
    /// Shown only to the members of this community when set.
    public let community: UUID?
}
