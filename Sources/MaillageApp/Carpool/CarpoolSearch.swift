import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Finding rides, in Mobicoop's two steps: one SQL query keeps the ads that could match (same
/// direction, rectangles that meet, distances in proportion, times that may overlap, the day
/// they travel: `CarpoolSearch.Prefilter`), then Core's `CarpoolMatching.check` keeps those
/// whose detour is acceptable and says why each matched.
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

    /// A row the prefilter kept, with only what the exact check reads.
    struct Candidate: Decodable {
        var ad_id: UUID
        var leg: String
        var minute: Int
        var margin: Int
        var author_id: UUID?
        var origin_lat: Double
        var origin_lon: Double
        var destination_lat: Double
        var destination_lon: Double

        var trip: CarpoolMatching.Trip? {
            guard let origin = GeoPoint(lat: origin_lat, lon: origin_lon), let destination = GeoPoint(lat: destination_lat, lon: destination_lon)
            else { return nil }
            return leg == RideLeg.outward.rawValue ? CarpoolMatching.Trip(origin: origin, destination: destination)
                                                   : CarpoolMatching.Trip(origin: destination, destination: origin)
        }
    }

    /// At most this many candidates go to the exact check; the prefilter keeps far fewer on a
    /// territory's real ads, so this only bounds the work of a pathological query.
    static let candidateLimit = 2_000
    /// Candidates are read in departure order this many at a time: the search stops reading
    /// once it holds the results it will show and the next candidate leaves later.
    static let candidatesPerRead = 250

    static func run(_ query: Query, coop: UUID, relayPoints: [GeoPoint], zone: LocalZone = .paris, limit: Int = 50,
                    on db: any Database) async throws -> [Result] {
        let estimator = CarpoolAds.estimator
        let searcher = CarpoolMatching.Trip(origin: query.origin.point, destination: query.destination.point)
        let wantsDrivers = query.lookingFor != .passenger
        let window = query.time ?? RideTime(minute: 720, margin: 720)
        let prefilter = Prefilter(searcher: searcher, window: window, wantsDrivers: wantsDrivers, date: query.date, coop: coop,
                                  communities: try await CarpoolAds.communities(of: query.person, on: db), estimator: estimator)
        var matched: [(candidate: Candidate, time: RideTime, departure: Date, match: CarpoolMatching.Match)] = []
        // Results are ranked by departure first, and candidates come in departure order: once
        // `limit` rides match, only those leaving in the same minute as the last one can still
        // rank among them.
        var lastShownMinute: Int?
        reading: for offset in stride(from: 0, to: candidateLimit, by: candidatesPerRead) {
            let candidates = try await prefilter.select(on: db.sql).limit(candidatesPerRead).offset(offset).all(decoding: Candidate.self)
            for candidate in candidates {
                if let lastShownMinute, candidate.minute > lastShownMinute { break reading }
                guard query.person == nil || candidate.author_id != query.person, let adTrip = candidate.trip else { continue }
                let adTime = RideTime(minute: candidate.minute, margin: candidate.margin)
                let (driverTrip, passengerTrip, driverTime, passengerTime) = wantsDrivers
                    ? (adTrip, searcher, adTime, window) : (searcher, adTrip, window, adTime)
                guard let match = CarpoolMatching.check(driver: driverTrip, passenger: passengerTrip, relayPoints: relayPoints, estimator: estimator),
                      let driverWindow = CarpoolTimeWindows.DepartureWindow(minute: driverTime.minute, margin: driverTime.margin),
                      let passengerWindow = CarpoolTimeWindows.DepartureWindow(minute: passengerTime.minute, margin: passengerTime.margin),
                      CarpoolTimeWindows.overlaps(driver: driverWindow, pickupAfterMinutes: match.pickupAfterMinutes, passenger: passengerWindow)
                else { continue }
                matched.append((candidate, adTime, zone.instant(on: query.date, hour: adTime.minute / 60, minute: adTime.minute % 60), match))
                if matched.count == limit { lastShownMinute = candidate.minute }
            }
            if candidates.count < candidatesPerRead { break }
        }
        // Only the results shown are read whole.
        let shown = CarpoolMatching.ranked(matched, departure: \.departure, match: \.match, id: \.candidate.ad_id).prefix(limit)
        guard !shown.isEmpty else { return [] }
        let ads = try await db.sql.select().columns(CarpoolAds.columns.map { SQLColumn($0) }).from("carpool_ads")
            .where("id", .in, SQLBind.group(Array(Set(shown.map(\.candidate.ad_id))))).all(decoding: RideAdRow.self)
        let byID = Dictionary(ads.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var results: [Result] = []
        for one in shown {
            guard let ad = byID[one.candidate.ad_id], let leg = RideLeg(rawValue: one.candidate.leg) else { continue }
            results.append(Result(ad: ad, leg: leg, date: query.date, time: one.time, departure: one.departure, match: one.match, seatsLeft: ad.seats))
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
