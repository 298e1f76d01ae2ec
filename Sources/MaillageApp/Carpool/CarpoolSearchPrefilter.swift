import Foundation
import MaillageCore
import SQLKit

extension CarpoolSearch {
    /// The SQL half of a search: the day's rows that could match, in departure order.
    ///
    /// One subquery per kind of day row (the date's one-off rows, the weekday's regular rows)
    /// and per 10° sector of the bearing range, joined by `UNION ALL`: each reads one range of a
    /// covering index (`CarpoolSearchEnds`) already in departure order, so the database merges
    /// them without sorting and stops at the page's end. (A single query with `OR`s let the
    /// planner read every row of the cooperative: 65 ms instead of 2 ms at 100,000 ads.)
    struct Prefilter {
        let wantsDrivers: Bool
        let date: LocalDate
        let coop: UUID
        let communities: [UUID]
        let window: RideTime
        /// The searcher's trip, as the ads' rows store theirs.
        let mine: CarpoolMatching.Prefilter
        /// The searcher's own duration, for when they drive.
        let myMinutes: Double
        /// The longest an ad that could carry the searcher lasts (it goes at most twice as far),
        /// when the estimator bounds durations by distances.
        let longestDriverMinutes: Double?

        /// Numbers the search computed itself go into the SQL as literals: a search's 60 to 100
        /// bound parameters cost as much as reading its rows.
        static func number(_ value: Double) -> SQLLiteral { .numeric(value.isFinite ? "\(value)" : "0") }
        static func number(_ value: Int) -> SQLLiteral { .numeric("\(value)") }

        /// The 10° sector a bearing (0..<360) is stored under, 0...35.
        static func sector(of bearing: Double) -> Int { min(35, max(0, Int(bearing / 10))) }

        static let columns = ["ad_id", "leg", "minute", "margin", "author_id", "origin_lat", "origin_lon", "destination_lat", "destination_lon"]

        init(searcher: CarpoolMatching.Trip, window: RideTime, wantsDrivers: Bool, date: LocalDate, coop: UUID, communities: [UUID],
             estimator: any RouteEstimator) {
            self.wantsDrivers = wantsDrivers
            self.date = date
            self.coop = coop
            self.communities = communities
            self.window = window
            mine = CarpoolMatching.prefilter(searcher, estimator: estimator)
            myMinutes = estimator.estimate(from: searcher.origin, to: searcher.destination).minutes
            let farthestDriverKm = mine.distanceKm / CarpoolMatching.minimumPassengerShare
            longestDriverMinutes = estimator.slowestKmPerHour.map { farthestDriverKm / $0 * 60 }
        }

        /// The candidates, earliest departure first (then ad and leg, so that reading them in
        /// pages is stable); the caller sets the page.
        func select(on sql: any SQLDatabase) -> SQLUnionBuilder {
            var parts: [SQLSelect] = []
            let sectors = CarpoolMatching.bearingRanges(around: mine.bearing).flatMap { range in
                (Self.sector(of: range.lowerBound)...Self.sector(of: range.upperBound)).map { (range, $0) }
            }
            for (range, sector) in sectors {
                for regular in [false, true] {
                    let select = sql.select().columns(Self.columns.map { SQLColumn($0) }).from("carpool_ad_times")
                        .where("cooperative_id", .equal, SQLBind(coop))
                    // A date matches one-off rows, a weekday regular ones within their dates: never both.
                    if regular {
                        select.where("weekday", .equal, Self.number(date.weekday))
                            .where("from_date", .lessThanOrEqual, SQLLiteral.string(date.iso)).where("until_date", .greaterThanOrEqual, SQLLiteral.string(date.iso))
                    } else {
                        select.where("on_date", .equal, SQLLiteral.string(date.iso))
                    }
                    select.where("sector", .equal, Self.number(sector))
                        .where("bearing", .greaterThanOrEqual, Self.number(range.lowerBound)).where("bearing", .lessThanOrEqual, Self.number(range.upperBound))
                    parts.append(filtered(select).select)
                }
            }
            let union = SQLUnionBuilder(on: sql, initialQuery: parts[0])
            for part in parts.dropFirst() { _ = union.union(all: part) }
            return union.orderBy("minute").orderBy("ad_id").orderBy("leg")
        }

        /// What every subquery keeps of its range: the role wanted, what the person may see,
        /// then the geometry and the times.
        private func filtered(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
            select.where("role", .in, SQLGroupExpression((wantsDrivers ? ["driver", "both"] : ["passenger", "both"]).map { SQLLiteral.string($0) }))
                .where { visible in
                    visible.where("community_id", .is, SQLLiteral.null)
                    if !communities.isEmpty { visible.orWhere("community_id", .in, SQLBind.group(communities)) }
                    return visible
                }
            if wantsDrivers {
                let longest = longestDriverMinutes.map { Int(($0 * (1 + CarpoolMatching.maximumDetourShare)).rounded(.up)) + 1 } ?? 24 * 60
                let earliestDriverDeparture = window.minute - window.margin - RideTime.margins.upperBound - longest
                // The ad drives: its extended rectangle holds the searcher's two ends (every accepted
                // pick-up and drop-off lies inside it, walking included: Core's property test), and
                // the searcher goes at least half as far.
                return select.where("ext_min_lat", .lessThanOrEqual, Self.number(mine.box.minLat)).where("ext_max_lat", .greaterThanOrEqual, Self.number(mine.box.maxLat))
                    .where("ext_min_lon", .lessThanOrEqual, Self.number(mine.box.minLon)).where("ext_max_lon", .greaterThanOrEqual, Self.number(mine.box.maxLon))
                    .where("distance_km", .lessThanOrEqual, Self.number(mine.distanceKm / CarpoolMatching.minimumPassengerShare))
                    // It reaches the pickup between its departure and its arrival with the largest detour.
                    .where(SQLRaw("minute - margin <= \(window.minute + window.margin)"))
                    // The same two, as bounds of the index's minute (an ad's margin is at most 2 hours).
                    .where("minute", .lessThanOrEqual, Self.number(window.minute + window.margin + RideTime.margins.upperBound))
                    .where("minute", .greaterThanOrEqual, Self.number(earliestDriverDeparture))
                    .where(SQLBinaryExpression(SQLRaw("minute + margin + minutes * \(1 + CarpoolMatching.maximumDetourShare)"),
                                               .greaterThanOrEqual, SQLLiteral.numeric("\(window.minute - window.margin)")))
            }
            let latestPickup = window.minute + window.margin + Int(myMinutes * (1 + CarpoolMatching.maximumDetourShare)) + 1
            // The searcher drives: the ad's two ends lie inside the searcher's extended rectangle.
            return select.where("min_lat", .greaterThanOrEqual, Self.number(mine.extendedBox.minLat)).where("max_lat", .lessThanOrEqual, Self.number(mine.extendedBox.maxLat))
                .where("min_lon", .greaterThanOrEqual, Self.number(mine.extendedBox.minLon)).where("max_lon", .lessThanOrEqual, Self.number(mine.extendedBox.maxLon))
                .where("distance_km", .greaterThanOrEqual, Self.number(mine.distanceKm * CarpoolMatching.minimumPassengerShare))
                .where(SQLRaw("minute + margin >= \(window.minute - window.margin)"))
                .where("minute", .greaterThanOrEqual, Self.number(window.minute - window.margin - RideTime.margins.upperBound))
                // The searcher reaches the ad's pickup between their departure and their arrival with the largest detour.
                .where(SQLRaw("minute - margin <= \(latestPickup)"))
                .where("minute", .lessThanOrEqual, Self.number(latestPickup + RideTime.margins.upperBound))
        }
    }
}
