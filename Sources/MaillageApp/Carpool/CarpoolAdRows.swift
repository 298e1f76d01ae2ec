import Fluent
import Foundation
import MaillageCore
import SQLKit

/// What storing an ad writes: its `carpool_ads` row and one `carpool_ad_times` row per leg and
/// day it travels, each carrying the leg's prefilter geometry (bearing, rectangles, distance)
/// and what the search's exact check reads (the ad's ends and author).
/// One place builds them, so that a published ad and a seeded one are stored alike.
struct CarpoolAdRows: Sendable {
    static let adColumns = ["id", "cooperative_id", "author_id", "role", "frequency", "origin_name", "origin_lat", "origin_lon", "origin_relay_id",
                            "destination_name", "destination_lat", "destination_lon", "destination_relay_id", "distance_km", "minutes",
                            "from_date", "until_date", "margin", "seats", "options", "comment", "phone", "community_id", "created_at"]
    static let timeColumns = ["ad_id", "cooperative_id", "leg", "on_date", "weekday", "minute", "margin", "role", "bearing", "distance_km", "minutes",
                              "min_lat", "max_lat", "min_lon", "max_lon", "ext_min_lat", "ext_max_lat", "ext_min_lon", "ext_max_lon",
                              "from_date", "until_date", "community_id", "author_id", "origin_lat", "origin_lon", "destination_lat", "destination_lon", "sector"]

    let id: UUID
    let coop: UUID
    let ad: [any SQLExpression]
    let times: [[any SQLExpression]]

    init(_ ad: RideAd, phone: String?, author: UUID, coop: UUID, id: UUID = UUID(), now: Date = Date(),
         estimator: any RouteEstimator = CarpoolAds.estimator) {
        self.id = id
        self.coop = coop
        let trip = CarpoolMatching.Trip(origin: ad.origin.point, destination: ad.destination.point)
        let outward = CarpoolMatching.prefilter(trip, estimator: estimator)
        let back = CarpoolMatching.prefilter(CarpoolMatching.Trip(origin: trip.destination, destination: trip.origin), estimator: estimator)
        let route = estimator.estimate(from: trip.origin, to: trip.destination)
        let (from, until): (LocalDate, LocalDate) = switch ad.schedule {
        case let .punctual(date, _, _, _): (date, ad.schedule.lastDay)
        case let .regular(from, until, _, _): (from, until)
        }
        let margin = switch ad.schedule {
        case let .punctual(_, outward, _, _): outward.margin
        case let .regular(_, _, outward, back): (outward.values.first ?? back.values.first)?.margin ?? RideTime.defaultMargin
        }
        let phone = phone?.trimmingCharacters(in: .whitespaces).prefix(30).description
        self.ad = [SQLBind(id), SQLBind(coop), SQLBind(author), SQLBind(ad.role.rawValue), SQLBind(ad.schedule.isRegular ? "regular" : "punctual"),
                   SQLBind(ad.origin.name), SQLBind(ad.origin.point.lat), SQLBind(ad.origin.point.lon), SQLBind(ad.origin.relayPoint),
                   SQLBind(ad.destination.name), SQLBind(ad.destination.point.lat), SQLBind(ad.destination.point.lon),
                   SQLBind(ad.destination.relayPoint), SQLBind(route.distanceKm), SQLBind(route.minutes),
                   SQLBind(from.iso), SQLBind(until.iso), SQLBind(margin), SQLBind(ad.seats),
                   SQLBind(RideOption.allCases.filter(ad.options.contains).map(\.rawValue).joined(separator: ",")),
                   SQLBind(ad.comment), SQLBind(phone?.isEmpty == false ? phone : nil), SQLBind(ad.community), SQLBind(now)]
        var legs: [(RideLeg, String?, Int?, RideTime)] = []
        switch ad.schedule {
        case let .punctual(date, outward, backDate, back):
            legs.append((.outward, date.iso, nil, outward))
            if let backDate, let back { legs.append((.return, backDate.iso, nil, back)) }
        case let .regular(_, _, outward, back):
            for (weekday, time) in outward.sorted(by: { $0.key < $1.key }) { legs.append((.outward, nil, weekday, time)) }
            for (weekday, time) in back.sorted(by: { $0.key < $1.key }) { legs.append((.return, nil, weekday, time)) }
        }
        times = legs.map { leg, date, weekday, time -> [any SQLExpression] in
            let geometry = leg == .outward ? outward : back
            return [SQLBind(id), SQLBind(coop), SQLBind(leg.rawValue), SQLBind(date), SQLBind(weekday), SQLBind(time.minute),
                    SQLBind(time.margin), SQLBind(ad.role.rawValue), SQLBind(geometry.bearing), SQLBind(route.distanceKm),
                    SQLBind(route.minutes),
                    SQLBind(geometry.box.minLat), SQLBind(geometry.box.maxLat), SQLBind(geometry.box.minLon), SQLBind(geometry.box.maxLon),
                    SQLBind(geometry.extendedBox.minLat), SQLBind(geometry.extendedBox.maxLat),
                    SQLBind(geometry.extendedBox.minLon), SQLBind(geometry.extendedBox.maxLon),
                    SQLBind(from.iso), SQLBind(until.iso), SQLBind(ad.community),
                    // The ad's ends, as in `carpool_ads`, so the search needs no join (CarpoolSearchEnds).
                    SQLBind(author), SQLBind(ad.origin.point.lat), SQLBind(ad.origin.point.lon),
                    SQLBind(ad.destination.point.lat), SQLBind(ad.destination.point.lon), SQLBind(CarpoolDayIndex.sector(of: geometry.bearing))]
        }
    }

    /// Writes the ads and their times, many rows per statement, and tells the search indexes
    /// (`CarpoolSearchChanges`); the caller holds the transaction. Statements stay under
    /// SQLite's 32,766 bound parameters (and PostgreSQL's 65,535).
    static func insert(_ rows: [CarpoolAdRows], on db: any SQLDatabase) async throws {
        // A bulk write (an import, a benchmark's seed) is read again whole rather than ad by ad.
        for (coop, ads) in Dictionary(grouping: rows, by: \.coop) {
            try await CarpoolSearchChanges.touch(ads.count > bulk ? [] : ads.map(\.id), coop: coop, on: db)
        }
        let perStatement = 30_000
        for chunk in rows.chunked(by: perStatement / adColumns.count) {
            var insert = db.insert(into: "carpool_ads").columns(adColumns)
            for row in chunk { insert = insert.values(row.ad) }
            try await insert.run()
        }
        let times = rows.flatMap(\.times)
        for chunk in times.chunked(by: perStatement / timeColumns.count) {
            var insert = db.insert(into: "carpool_ad_times").columns(timeColumns)
            for row in chunk { insert = insert.values(row) }
            try await insert.run()
        }
    }
}

extension CarpoolAdRows {
    /// Beyond this many ads in one write, searches read the cooperative's rows again whole.
    static let bulk = 500
}

private extension Array {
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: Swift.max(1, size)).map { self[$0..<Swift.min(count, $0 + Swift.max(1, size))] }
    }
}
