import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Finding rides, in Mobicoop's two steps: one SQL query keeps the ads that could match (same
/// direction, rectangles that meet, distances in proportion, times that may overlap, the day
/// they travel), then Core's `CarpoolMatching.check` keeps those whose detour is acceptable and
/// says why each matched.
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
    private struct Candidate: Decodable {
        var ad_id: UUID
        var leg: String
        var minute: Int
        var margin: Int
        var author_id: UUID
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

    static func run(_ query: Query, coop: UUID, relayPoints: [GeoPoint], zone: LocalZone = .paris, limit: Int = 50,
                    on db: any Database) async throws -> [Result] {
        let estimator = CarpoolAds.estimator
        let searcher = CarpoolMatching.Trip(origin: query.origin.point, destination: query.destination.point)
        let mine = CarpoolMatching.prefilter(searcher, estimator: estimator)
        let myMinutes = estimator.estimate(from: searcher.origin, to: searcher.destination).minutes
        let wantsDrivers = query.lookingFor != .passenger
        let roles = wantsDrivers ? ["driver", "both"] : ["passenger", "both"]
        let communities = try await CarpoolAds.communities(of: query.person, on: db)
        let window = query.time ?? RideTime(minute: 720, margin: 720)
        // One row per leg and day: a date matches punctual rows, a weekday regular ones, never both.
        let select = db.sql.select()
            .columns(SQLColumn("ad_id", table: "t"), SQLColumn("leg", table: "t"), SQLColumn("minute", table: "t"), SQLColumn("margin", table: "t"),
                     SQLColumn("author_id", table: "a"), SQLColumn("origin_lat", table: "a"), SQLColumn("origin_lon", table: "a"),
                     SQLColumn("destination_lat", table: "a"), SQLColumn("destination_lon", table: "a"))
            .from(SQLAlias(SQLIdentifier("carpool_ad_times"), as: SQLIdentifier("t")))
            .join(SQLAlias(SQLIdentifier("carpool_ads"), as: SQLIdentifier("a")), on: SQLColumn("id", table: "a"), .equal, SQLColumn("ad_id", table: "t"))
            .where(SQLColumn("cooperative_id", table: "t"), .equal, SQLBind(coop))
            .where(SQLColumn("role", table: "t"), .in, SQLBind.group(roles))
            .where { day in
                day.where(SQLColumn("on_date", table: "t"), .equal, SQLBind(query.date.iso))
                    .orWhere { $0.where(SQLColumn("weekday", table: "t"), .equal, SQLBind(query.date.weekday))
                        .where(SQLColumn("from_date", table: "t"), .lessThanOrEqual, SQLBind(query.date.iso))
                        .where(SQLColumn("until_date", table: "t"), .greaterThanOrEqual, SQLBind(query.date.iso)) }
            }
            .where { bearing in
                for range in CarpoolMatching.bearingRanges(around: mine.bearing) {
                    bearing.orWhere { $0.where(SQLColumn("bearing", table: "t"), .greaterThanOrEqual, SQLBind(range.lowerBound))
                        .where(SQLColumn("bearing", table: "t"), .lessThanOrEqual, SQLBind(range.upperBound)) }
                }
                return bearing
            }
            .where { visible in
                visible.where(SQLColumn("community_id", table: "t"), .is, SQLLiteral.null)
                if !communities.isEmpty { visible.orWhere(SQLColumn("community_id", table: "t"), .in, SQLBind.group(communities)) }
                return visible
            }
        if wantsDrivers {
            // The ad drives: its extended rectangle holds the searcher's two ends (every accepted
            // pick-up and drop-off lies inside it, walking included: Core's property test), and
            // the searcher goes at least half as far.
            select.where(SQLColumn("ext_min_lat", table: "t"), .lessThanOrEqual, SQLBind(mine.box.minLat)).where(SQLColumn("ext_max_lat", table: "t"), .greaterThanOrEqual, SQLBind(mine.box.maxLat))
                .where(SQLColumn("ext_min_lon", table: "t"), .lessThanOrEqual, SQLBind(mine.box.minLon)).where(SQLColumn("ext_max_lon", table: "t"), .greaterThanOrEqual, SQLBind(mine.box.maxLon))
                .where(SQLColumn("distance_km", table: "t"), .lessThanOrEqual, SQLBind(mine.distanceKm / CarpoolMatching.minimumPassengerShare))
                // It reaches the pickup between its departure and its arrival with the largest detour.
                .where(SQLRaw("t.minute - t.margin <= \(window.minute + window.margin)"))
                .where(SQLBinaryExpression(SQLRaw("t.minute + t.margin + t.minutes * \(1 + CarpoolMatching.maximumDetourShare)"),
                                           .greaterThanOrEqual, SQLLiteral.numeric("\(window.minute - window.margin)")))
        } else {
            // The searcher drives: the ad's two ends lie inside the searcher's extended rectangle.
            select.where(SQLColumn("min_lat", table: "t"), .greaterThanOrEqual, SQLBind(mine.extendedBox.minLat)).where(SQLColumn("max_lat", table: "t"), .lessThanOrEqual, SQLBind(mine.extendedBox.maxLat))
                .where(SQLColumn("min_lon", table: "t"), .greaterThanOrEqual, SQLBind(mine.extendedBox.minLon)).where(SQLColumn("max_lon", table: "t"), .lessThanOrEqual, SQLBind(mine.extendedBox.maxLon))
                .where(SQLColumn("distance_km", table: "t"), .greaterThanOrEqual, SQLBind(mine.distanceKm * CarpoolMatching.minimumPassengerShare))
                .where(SQLRaw("t.minute + t.margin >= \(window.minute - window.margin)"))
                // The searcher reaches the ad's pickup between their departure and their arrival with the largest detour.
                .where(SQLRaw("t.minute - t.margin <= \(window.minute + window.margin + Int(myMinutes * (1 + CarpoolMatching.maximumDetourShare)) + 1)"))
        }
        let candidates = try await select.where(SQLColumn("withdrawn_at", table: "a"), .is, SQLLiteral.null)
            .limit(candidateLimit).all(decoding: Candidate.self)
        var matched: [(candidate: Candidate, time: RideTime, departure: Date, match: CarpoolMatching.Match)] = []
        for candidate in candidates {
            guard candidate.author_id != query.person, let adTrip = candidate.trip else { continue }
            let adTime = RideTime(minute: candidate.minute, margin: candidate.margin)
            let (driverTrip, passengerTrip, driverTime, passengerTime) = wantsDrivers
                ? (adTrip, searcher, adTime, window) : (searcher, adTrip, window, adTime)
            guard let match = CarpoolMatching.check(driver: driverTrip, passenger: passengerTrip, relayPoints: relayPoints, estimator: estimator),
                  let driverWindow = CarpoolTimeWindows.DepartureWindow(minute: driverTime.minute, margin: driverTime.margin),
                  let passengerWindow = CarpoolTimeWindows.DepartureWindow(minute: passengerTime.minute, margin: passengerTime.margin),
                  CarpoolTimeWindows.overlaps(driver: driverWindow, pickupAfterMinutes: match.pickupAfterMinutes, passenger: passengerWindow)
            else { continue }
            matched.append((candidate, adTime, zone.instant(on: query.date, hour: adTime.minute / 60, minute: adTime.minute % 60), match))
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
