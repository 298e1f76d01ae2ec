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

    private struct Candidate: Decodable {
        var ad_id: UUID
        var leg: String
        var minute: Int
        var margin: Int
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
        let select = db.sql.select().columns("ad_id", "leg", "minute", "margin").distinct().from("carpool_ad_times")
            .where("cooperative_id", .equal, SQLBind(coop))
            .where("role", .in, SQLBind.group(roles))
            .where { day in
                day.where("on_date", .equal, SQLBind(query.date.iso))
                    .orWhere { $0.where("weekday", .equal, SQLBind(query.date.weekday))
                        .where("from_date", .lessThanOrEqual, SQLBind(query.date.iso))
                        .where("until_date", .greaterThanOrEqual, SQLBind(query.date.iso)) }
            }
            .where { bearing in
                for range in CarpoolMatching.bearingRanges(around: mine.bearing) {
                    bearing.orWhere { $0.where("bearing", .greaterThanOrEqual, SQLBind(range.lowerBound))
                        .where("bearing", .lessThanOrEqual, SQLBind(range.upperBound)) }
                }
                return bearing
            }
            .where { visible in
                visible.where("community_id", .is, SQLLiteral.null)
                if !communities.isEmpty { visible.orWhere("community_id", .in, SQLBind.group(communities)) }
                return visible
            }
        if wantsDrivers {
            // The ad drives: its extended rectangle meets the searcher's, who goes at least half as far.
            select.where("ext_min_lat", .lessThanOrEqual, SQLBind(mine.box.maxLat)).where("ext_max_lat", .greaterThanOrEqual, SQLBind(mine.box.minLat))
                .where("ext_min_lon", .lessThanOrEqual, SQLBind(mine.box.maxLon)).where("ext_max_lon", .greaterThanOrEqual, SQLBind(mine.box.minLon))
                .where("distance_km", .lessThanOrEqual, SQLBind(mine.distanceKm / CarpoolMatching.minimumPassengerShare))
                // It reaches the pickup between its departure and its arrival with the largest detour.
                .where(SQLRaw("minute - margin <= \(window.minute + window.margin)"))
                .where(SQLBinaryExpression(SQLRaw("minute + margin + minutes * \(1 + CarpoolMatching.maximumDetourShare)"),
                                           .greaterThanOrEqual, SQLLiteral.numeric("\(window.minute - window.margin)")))
        } else {
            // The searcher drives: the ad's rectangle meets the searcher's extended one.
            select.where("min_lat", .lessThanOrEqual, SQLBind(mine.extendedBox.maxLat)).where("max_lat", .greaterThanOrEqual, SQLBind(mine.extendedBox.minLat))
                .where("min_lon", .lessThanOrEqual, SQLBind(mine.extendedBox.maxLon)).where("max_lon", .greaterThanOrEqual, SQLBind(mine.extendedBox.minLon))
                .where("distance_km", .greaterThanOrEqual, SQLBind(mine.distanceKm * CarpoolMatching.minimumPassengerShare))
                .where(SQLRaw("minute + margin >= \(window.minute - window.margin)"))
                // The searcher reaches the ad's pickup between their departure and their arrival with the largest detour.
                .where(SQLRaw("minute - margin <= \(window.minute + window.margin + Int(myMinutes * (1 + CarpoolMatching.maximumDetourShare)) + 1)"))
        }
        let candidates = try await select.limit(candidateLimit).all(decoding: Candidate.self)
        guard !candidates.isEmpty else { return [] }
        let ads = try await db.sql.select().columns(CarpoolAds.columns.map { SQLColumn($0) }).from("carpool_ads")
            .where("id", .in, SQLBind.group(Array(Set(candidates.map(\.ad_id)))))
            .where("withdrawn_at", .is, SQLLiteral.null)
            .all(decoding: RideAdRow.self)
        let byID = Dictionary(ads.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var results: [Result] = []
        for candidate in candidates {
            guard let ad = byID[candidate.ad_id], ad.author_id != query.person, let leg = RideLeg(rawValue: candidate.leg) else { continue }
            let adTrip = leg == .outward ? ad.trip : CarpoolMatching.Trip(origin: ad.destination, destination: ad.origin)
            let adTime = RideTime(minute: candidate.minute, margin: candidate.margin)
            let (driverTrip, passengerTrip, driverTime, passengerTime) = wantsDrivers
                ? (adTrip, searcher, adTime, window) : (searcher, adTrip, window, adTime)
            guard let match = CarpoolMatching.check(driver: driverTrip, passenger: passengerTrip, relayPoints: relayPoints, estimator: estimator),
                  let driverWindow = CarpoolTimeWindows.DepartureWindow(minute: driverTime.minute, margin: driverTime.margin),
                  let passengerWindow = CarpoolTimeWindows.DepartureWindow(minute: passengerTime.minute, margin: passengerTime.margin),
                  CarpoolTimeWindows.overlaps(driver: driverWindow, pickupAfterMinutes: match.pickupAfterMinutes, passenger: passengerWindow)
            else { continue }
            results.append(Result(ad: ad, leg: leg, date: query.date, time: adTime,
                                  departure: zone.instant(on: query.date, hour: adTime.minute / 60, minute: adTime.minute % 60),
                                  match: match, seatsLeft: ad.seats))
        }
        results = Array(CarpoolMatching.ranked(results, departure: \.departure, match: \.match, id: \.ad.id).prefix(limit))
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
