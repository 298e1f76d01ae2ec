import Foundation

/// A search of the "standard covoiturage" operator API, checked: coordinates, a departure time
/// (a UNIX instant for punctual journeys, a time of day and weekdays for regular trips), the
/// tolerance around it, the radii around both ends (km) and at most how many answers.
public struct StandardJourneyQuery: Sendable, Equatable {
    public var departure: GeoPoint
    public var arrival: GeoPoint
    /// Punctual journeys: the passenger's wished pickup, UNIX seconds.
    public var departureDate: Int?
    /// Regular trips: the wished pickup time, seconds after midnight, and ISO weekdays (1 = Monday).
    public var timeOfDay: Int?
    public var weekdays: Set<Int>
    public var minDepartureDate: Int?
    public var maxDepartureDate: Int?
    public var timeDelta: Int
    public var departureRadiusKm: Double
    public var arrivalRadiusKm: Double
    public var count: Int?

    public static let weekdayNames = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]
    /// A week either side is already more than any carpooler waits; larger asks are refused, not clipped.
    public static let largestTimeDelta = 7 * 86_400
    public static let largestRadiusKm = 500.0

    static func invalid(_ field: String) -> DomainError {
        DomainError(.invalid, code: "invalid_parameter", field: field,
                    fr: "Paramètre manquant ou invalide : \(field).", en: "Missing or invalid parameter: \(field).")
    }

    /// Punctual journeys (`driver_journeys`, `passenger_journeys`).
    public static func punctual(_ query: [String: String]) throws(DomainError) -> StandardJourneyQuery {
        var parsed = try common(query)
        guard let text = query["departureDate"], let date = Int(text), date > 0 else { throw invalid("departureDate") }
        parsed.departureDate = date
        return parsed
    }

    /// Regular trips (`driver_regular_trips`, `passenger_regular_trips`).
    public static func regular(_ query: [String: String]) throws(DomainError) -> StandardJourneyQuery {
        var parsed = try common(query)
        guard let text = query["departureTimeOfDay"], let seconds = secondsOfDay(text) else { throw invalid("departureTimeOfDay") }
        parsed.timeOfDay = seconds
        if let text = query["departureWeekdays"] {
            var days = Set<Int>()
            for name in text.split(separator: ",") {
                guard let index = weekdayNames.firstIndex(of: name.trimmingCharacters(in: .whitespaces).uppercased()) else { throw invalid("departureWeekdays") }
                days.insert(index + 1)
            }
            guard !days.isEmpty else { throw invalid("departureWeekdays") }
            parsed.weekdays = days
        }
        parsed.minDepartureDate = try optionalInt(query, "minDepartureDate")
        parsed.maxDepartureDate = try optionalInt(query, "maxDepartureDate")
        if let low = parsed.minDepartureDate, let high = parsed.maxDepartureDate, low > high { throw invalid("maxDepartureDate") }
        return parsed
    }

    static func common(_ query: [String: String]) throws(DomainError) -> StandardJourneyQuery {
        func point(_ lat: String, _ lng: String) throws(DomainError) -> GeoPoint {
            guard let latText = query[lat], let latValue = Double(latText) else { throw invalid(lat) }
            guard let lngText = query[lng], let lngValue = Double(lngText) else { throw invalid(lng) }
            guard let point = GeoPoint(lat: latValue, lon: lngValue) else { throw invalid(lat) }
            return point
        }
        func radius(_ name: String) throws(DomainError) -> Double {
            guard let text = query[name] else { return 1 }
            guard let value = Double(text), value > 0, value <= largestRadiusKm else { throw invalid(name) }
            return value
        }
        let departure = try point("departureLat", "departureLng"), arrival = try point("arrivalLat", "arrivalLng")
        let delta = try optionalInt(query, "timeDelta") ?? 900
        guard (0...largestTimeDelta).contains(delta) else { throw invalid("timeDelta") }
        let count = try optionalInt(query, "count")
        if let count, count < 0 { throw invalid("count") }
        return StandardJourneyQuery(departure: departure, arrival: arrival, departureDate: nil, timeOfDay: nil, weekdays: Set(1...7),
                                    minDepartureDate: nil, maxDepartureDate: nil, timeDelta: delta,
                                    departureRadiusKm: try radius("departureRadius"), arrivalRadiusKm: try radius("arrivalRadius"), count: count)
    }

    static func optionalInt(_ query: [String: String], _ name: String) throws(DomainError) -> Int? {
        guard let text = query[name] else { return nil }
        guard let value = Int(text) else { throw invalid(name) }
        return value
    }

    /// RFC 3339 partial-time, `HH:MM:SS` with an optional fraction (dropped).
    public static func secondsOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ".", maxSplits: 1)[0].split(separator: ":")
        guard parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
              let h = Int(parts[0]), let m = Int(parts[1]), let s = Int(parts[2]),
              (0..<24).contains(h), (0..<60).contains(m), (0..<61).contains(s) else { return nil }
        return h * 3600 + m * 60 + min(s, 59)
    }

    public static func partialTime(minute: Int) -> String {
        String(format: "%02d:%02d:00", (minute / 60) % 24, minute % 60)
    }

    /// Whether a pickup and drop-off answer this search: within both radii.
    public func reaches(pickup: GeoPoint, drop: GeoPoint) -> Bool {
        pickup.distanceKm(to: departure) <= departureRadiusKm && drop.distanceKm(to: arrival) <= arrivalRadiusKm
    }

    /// Whether a punctual pickup instant is within the time delta.
    public func accepts(pickupAt instant: Int) -> Bool {
        guard let wished = departureDate else { return false }
        return abs(instant - wished) <= timeDelta
    }

    /// Whether a regular pickup (weekday, seconds after midnight) answers this search.
    public func accepts(weekday: Int, secondsOfDay: Int) -> Bool {
        guard let wished = timeOfDay, weekdays.contains(weekday) else { return false }
        return abs(secondsOfDay - wished) <= timeDelta
    }

    /// The answers in order (closest time first, then id), each id once, at most `count`.
    public func finish<T>(_ items: [T], id: (T) -> String, gap: (T) -> Int) -> [T] {
        var seen = Set<String>()
        let ordered = items.sorted { a, b in
            let (ga, gb) = (gap(a), gap(b))
            return ga != gb ? ga < gb : id(a) < id(b)
        }.filter { seen.insert(id($0)).inserted }
        return count.map { Array(ordered.prefix($0)) } ?? ordered
    }
}

/// A journey's id in the operator API: the ad, the day and the leg, so the same ride on the same
/// day always answers with the same id (a partner books it by that id).
public struct StandardJourneyID: Sendable, Hashable {
    public var ad: UUID
    public var date: LocalDate
    public var leg: RideLeg

    public init(ad: UUID, date: LocalDate, leg: RideLeg) {
        self.ad = ad
        self.date = date
        self.leg = leg
    }

    public var text: String { "\(ad.uuidString.lowercased())-\(date.basic)-\(leg == .outward ? "o" : "r")" }

    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 7, let ad = UUID(uuidString: parts[0...4].joined(separator: "-")),
              parts[5].count == 8, let number = Int(parts[5]),
              let date = LocalDate(year: number / 10_000, month: number / 100 % 100, day: number % 100) else { return nil }
        switch parts[6] {
        case "o": self.init(ad: ad, date: date, leg: .outward)
        case "r": self.init(ad: ad, date: date, leg: .return)
        default: return nil
        }
    }
}
