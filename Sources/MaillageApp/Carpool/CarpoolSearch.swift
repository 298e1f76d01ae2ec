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
    struct Candidate {
        var ad_id: UUID
        var leg: String
        var minute: Int
        var margin: Int
        var author_id: UUID?
        var origin_lat: Double
        var origin_lon: Double
        var destination_lat: Double
        var destination_lon: Double

        /// Read column by column: a search reads hundreds of these, and `Decodable`'s keyed
        /// containers cost as much as the database's own work for them.
        init(_ row: any SQLRow) throws {
            ad_id = try row.decode(column: "ad_id", as: UUID.self)
            leg = try row.decode(column: "leg", as: String.self)
            minute = try row.decode(column: "minute", as: Int.self)
            margin = try row.decode(column: "margin", as: Int.self)
            author_id = try row.decode(column: "author_id", as: UUID?.self)
            origin_lat = try row.decode(column: "origin_lat", as: Double.self)
            origin_lon = try row.decode(column: "origin_lon", as: Double.self)
            destination_lat = try row.decode(column: "destination_lat", as: Double.self)
            destination_lon = try row.decode(column: "destination_lon", as: Double.self)
        }

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
    /// Candidates are read in departure order, four times the page at first, then twice as many
    /// at each read: the search stops reading once it holds the results it will show and the next
    /// candidate leaves later (half the searches need fewer than 100 candidates, the slowest
    /// hundredth about 700, at 100,000 ads).
    static func reads(for limit: Int) -> [Range<Int>] {
        var reads: [Range<Int>] = [], start = 0, size = max(200, 4 * limit)
        while start < candidateLimit {
            reads.append(start..<min(candidateLimit, start + size))
            start += size
            size *= 2
        }
        return reads
    }

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
        reading: for read in reads(for: limit) {
            let candidates = try await prefilter.select(on: db.sql).limit(read.count).offset(read.lowerBound).all().map(Candidate.init)
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
                // Every candidate leaves on the searched date: its minute orders departures as
                // their instants do, and only the results shown get their instant.
                matched.append((candidate, adTime, Date(timeIntervalSinceReferenceDate: Double(adTime.minute) * 60), match))
                if matched.count == limit { lastShownMinute = candidate.minute }
            }
            if candidates.count < read.count { break }
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
            let departure = zone.instant(on: query.date, hour: one.time.minute / 60, minute: one.time.minute % 60)
            results.append(Result(ad: ad, leg: leg, date: query.date, time: one.time, departure: departure, match: one.match, seatsLeft: ad.seats))
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
