import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Finding rides, in Mobicoop's two steps: the cooperative's ride index (`CarpoolSearchIndex`,
/// in memory, kept fresh from the database) keeps the rows that could match (same direction,
/// rectangles that meet, distances in proportion, times that may overlap, the day they travel:
/// `CarpoolDayIndex.Query`), then Core's `CarpoolMatching.check` keeps those whose detour is
/// acceptable and says why each matched.
enum CarpoolSearch {
    struct Query: Sendable {
        var origin: RidePlace
        var destination: RidePlace
        var date: LocalDate
        /// The searcher's departure; nil for any time that day.
        var time: RideTime?
        /// The role of the ads wanted: `.driver` for someone looking for a seat.
        var lookingFor: RideRole
        /// Who searches: their own ads and communities.
        var person: UUID?
    }

    struct Result: Sendable {
        var ad: RideAdRow
        var leg: RideLeg
        var date: LocalDate
        var time: RideTime
        var departure: Date
        var match: CarpoolMatching.Match
        var seatsLeft: Int
    }

    /// At most this many stored rows a partner's journey search reads per day (`StandardJourneys`).
    static let candidateLimit = 2_000

    static func run(_ query: Query, coop: UUID, relayPoints: [GeoPoint], zone: LocalZone = .paris, limit: Int = 50,
                    index: CarpoolSearchIndex, on db: any Database) async throws -> [Result] {
        let estimator = CarpoolAds.estimator
        let searcher = CarpoolMatching.Trip(origin: query.origin.point, destination: query.destination.point)
        let wantsDrivers = query.lookingFor != .passenger
        let window = query.time ?? RideTime(minute: 720, margin: 720)
        let asked = CarpoolDayIndex.Query(searcher: searcher, window: window, wantsDrivers: wantsDrivers, date: query.date,
                                          communities: Set(try await CarpoolAds.communities(of: query.person, on: db)), estimator: estimator)
        let candidates = try await index.index(of: coop, on: db).candidates(asked)
        var matched: [(row: CarpoolDayIndex.Row, departure: Date, match: CarpoolMatching.Match)] = []
        // Results are ranked by departure first, and candidates come in departure order: once
        // `limit` rides match, only those leaving in the same minute as the last one can still
        // rank among them.
        var lastShownMinute: Int?
        for candidate in candidates {
            if let lastShownMinute, candidate.time.minute > lastShownMinute { break }
            guard query.person == nil || candidate.author != query.person else { continue }
            let (driverTrip, passengerTrip, driverTime, passengerTime) = wantsDrivers
                ? (candidate.trip, searcher, candidate.time, window) : (searcher, candidate.trip, window, candidate.time)
            guard let match = CarpoolMatching.check(driver: driverTrip, passenger: passengerTrip, relayPoints: relayPoints, estimator: estimator),
                  let driverWindow = CarpoolTimeWindows.DepartureWindow(minute: driverTime.minute, margin: driverTime.margin),
                  let passengerWindow = CarpoolTimeWindows.DepartureWindow(minute: passengerTime.minute, margin: passengerTime.margin),
                  CarpoolTimeWindows.overlaps(driver: driverWindow, pickupAfterMinutes: match.pickupAfterMinutes, passenger: passengerWindow)
            else { continue }
            // Every candidate leaves on the searched date: its minute orders departures as
            // their instants do, and only the results shown get their instant.
            matched.append((candidate, Date(timeIntervalSinceReferenceDate: Double(candidate.time.minute) * 60), match))
            if matched.count == limit { lastShownMinute = candidate.time.minute }
        }
        // Only the results shown are read whole.
        let shown = CarpoolMatching.ranked(matched, departure: \.departure, match: \.match, id: \.row.ad).prefix(limit)
        guard !shown.isEmpty else { return [] }
        let ads = try await db.sql.select().columns(CarpoolAds.columns.map { SQLColumn($0) }).from("carpool_ads")
            .where("id", .in, SQLBind.group(Array(Set(shown.map(\.row.ad))))).all().map(RideAdRow.init(row:))
        let byID = Dictionary(ads.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var results: [Result] = []
        for one in shown {
            guard let ad = byID[one.row.ad] else { continue }
            let time = one.row.time
            let departure = zone.instant(on: query.date, hour: time.minute / 60, minute: time.minute % 60)
            results.append(Result(ad: ad, leg: one.row.leg, date: query.date, time: time, departure: departure, match: one.match, seatsLeft: ad.seats))
        }
        return try await withSeatsLeft(results, on: db)
    }

    /// Each result's free seats that day: the ad's seats minus what accepted asks hold.
    private static func withSeatsLeft(_ results: [Result], on db: any Database) async throws -> [Result] {
        guard !results.isEmpty else { return [] }
        struct Taken: Decodable { var ad_id: UUID; var travel_date: String; var leg: String; var taken: Int }
        let taken = try await db.sql.select().columns("ad_id", "travel_date", "leg", "taken").from("carpool_seats")
            .where("ad_id", .in, SQLBind.group(results.map(\.ad.id)))
            .where("travel_date", .equal, SQLBind(results[0].date.iso))
            .all(decoding: Taken.self)
        return results.map { result in
            var result = result
            let held = taken.first { $0.ad_id == result.ad.id && $0.leg == result.leg.rawValue }?.taken ?? 0
            result.seatsLeft = max(0, result.ad.seats - held)
            return result
        }
    }
}
