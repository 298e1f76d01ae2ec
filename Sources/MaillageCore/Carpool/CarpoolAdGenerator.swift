import Foundation

/// Carpool ads and searches that look like a territory's, for the benchmark and load tests:
/// places around the communes of `Communes.known`, commuting flows towards Nantes and
/// Saint-Nazaire, regular weekday trips in the morning and back in the evening, one-off trips
/// over the next 30 days. Seeded (`SplitMix64`), so a seed always gives the same ads, ids included.
public enum CarpoolAdGenerator {
    public typealias Trip = CarpoolMatching.Trip
    public typealias DepartureWindow = CarpoolTimeWindows.DepartureWindow
    public typealias WeeklyPattern = CarpoolTimeWindows.WeeklyPattern

    public struct GeneratedAd: Sendable, Hashable {
        public let id: UUID
        /// "driver", "passenger" or "both".
        public let role: String
        public let trip: Trip
        /// A one-off trip's day and time; nil for a regular one.
        public let departureDate: LocalDate?, window: DepartureWindow?
        /// A regular trip's weekdays and times, valid from … until; nil for a one-off one.
        public let pattern: WeeklyPattern?, from: LocalDate?, until: LocalDate?
        /// Seats offered by a driver, seats wanted by a passenger.
        public let seats: Int
    }

    /// A passenger looking for a ride on a given day.
    public struct GeneratedSearch: Sendable, Hashable {
        public let id: UUID
        public let trip: Trip
        public let date: LocalDate
        public let window: DepartureWindow
    }

    /// A fixed Monday, so that a run without a date is reproducible too.
    public static let defaultStart = LocalDate(year: 2026, month: 1, day: 5)!

    public static let margins = [10, 15, 30]
    /// Morning departures towards work (6:30–9:00) and evening returns (16:30–19:00), minutes.
    public static let morning = 390...540, evening = 990...1140
    /// Road kilometres of a generated trip.
    public static let tripKm = 5.0...80.0
    /// How far a place lies from its commune's town hall, at most.
    public static let jitterKm = 8.0

    public static func ads(count: Int, seed: UInt64 = 44, startingOn start: LocalDate = defaultStart) -> [GeneratedAd] {
        var random = SplitMix64(seed: seed)
        return (0..<max(0, count)).map { _ in ad(start: start, using: &random) }
    }

    public static func searches(count: Int, seed: UInt64 = 4_400, startingOn start: LocalDate = defaultStart) -> [GeneratedSearch] {
        var random = SplitMix64(seed: seed)
        return (0..<max(0, count)).map { _ in
            let id = uuid(using: &random)
            let (trip, outward) = commute(using: &random)
            let date = start.adding(days: Int.random(in: 0..<30, using: &random)) ?? start
            return GeneratedSearch(id: id, trip: trip, date: date,
                                   window: window(outward ? morning : evening, using: &random))
        }
    }

    private static func ad(start: LocalDate, using random: inout SplitMix64) -> GeneratedAd {
        let id = uuid(using: &random)
        let roll = Double.random(in: 0..<1, using: &random)
        let role = roll < 0.7 ? "driver" : roll < 0.9 ? "passenger" : "both"
        let seats = role == "passenger"
            ? (Double.random(in: 0..<1, using: &random) < 0.85 ? 1 : 2)
            : [1, 2, 3, 3, 3, 4].randomElement(using: &random)!
        let (trip, outward) = commute(using: &random)
        let hours = outward ? morning : evening
        if Bool.random(using: &random) {
            let window = window(hours, using: &random)
            let from = start.adding(days: Int.random(in: 0...6, using: &random)) ?? start
            let until = from.adding(days: Int.random(in: 90...365, using: &random)) ?? from
            let days = weekdays(using: &random)
            let pattern = WeeklyPattern(days: Dictionary(uniqueKeysWithValues: days.map { ($0, window) }))
            return GeneratedAd(id: id, role: role, trip: trip, departureDate: nil, window: nil,
                               pattern: pattern, from: from, until: until, seats: seats)
        }
        let date = start.adding(days: Int.random(in: 0..<30, using: &random)) ?? start
        // One-off trips: most at commuting hours, the others through the day (7:00–21:00).
        let anyTime = Double.random(in: 0..<1, using: &random) < 0.4
        let window = window(anyTime ? 420...1260 : hours, using: &random)
        return GeneratedAd(id: id, role: role, trip: trip, departureDate: date, window: window,
                           pattern: nil, from: nil, until: nil, seats: seats)
    }

    /// Monday to Friday for most; some work three or four days; a few on Saturdays too.
    private static func weekdays(using random: inout SplitMix64) -> [Int] {
        let roll = Double.random(in: 0..<1, using: &random)
        if roll < 0.8 { return [1, 2, 3, 4, 5] }
        if roll < 0.93 {
            return Array([1, 2, 3, 4, 5].shuffled(using: &random).prefix(Int.random(in: 3...4, using: &random))).sorted()
        }
        return [1, 2, 3, 4, 5, 6]
    }

    /// A trip and whether it heads to work. Two in three are commutes between a commune and
    /// Nantes (most) or Saint-Nazaire; the others join two communes at random.
    private static func commute(using random: inout SplitMix64) -> (Trip, outward: Bool) {
        let places = Communes.known
        let nantes = places.first { $0.name == "Nantes" }!, stNazaire = places.first { $0.name == "Saint-Nazaire" }!
        let outward = Bool.random(using: &random)
        for _ in 0..<50 {
            let home = places.randomElement(using: &random)!
            let work: Communes.Place
            if Double.random(in: 0..<1, using: &random) < 0.67 {
                work = Double.random(in: 0..<1, using: &random) < 0.7 ? nantes : stNazaire
            } else {
                work = places.randomElement(using: &random)!
            }
            let a = near(home, using: &random), b = near(work, using: &random)
            let km = StraightLineEstimator.standard.estimate(from: a, to: b).distanceKm
            guard tripKm.contains(km) else { continue }
            return (outward ? Trip(origin: a, destination: b) : Trip(origin: b, destination: a), outward)
        }
        // Not reached in practice (many pairs fit); keeps the function total.
        let a = GeoPoint(lat: nantes.lat, lon: nantes.lon)!, b = GeoPoint(lat: stNazaire.lat, lon: stNazaire.lon)!
        return (Trip(origin: a, destination: b), outward)
    }

    /// A place up to `jitterKm` from a town hall, spread evenly over the disc.
    private static func near(_ place: Communes.Place, using random: inout SplitMix64) -> GeoPoint {
        let centre = GeoPoint(lat: place.lat, lon: place.lon)!
        let km = jitterKm * Double.random(in: 0...1, using: &random).squareRoot()
        return centre.moved(km: km, bearing: Double.random(in: 0..<360, using: &random))
    }

    /// A time in `minutes` on a 5-minute step, with a margin of 10, 15 or 30 minutes.
    private static func window(_ minutes: ClosedRange<Int>, using random: inout SplitMix64) -> DepartureWindow {
        let minute = Int.random(in: minutes.lowerBound / 5...minutes.upperBound / 5, using: &random) * 5
        return DepartureWindow(minute: minute, margin: margins.randomElement(using: &random)!)!
    }

    /// A version-4 UUID drawn from the generator (RFC 9562 §5.4).
    private static func uuid(using random: inout SplitMix64) -> UUID {
        let high = random.next(), low = random.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(i)))
            bytes[8 + i] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(i)))
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
