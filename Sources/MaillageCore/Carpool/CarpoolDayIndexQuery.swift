import Foundation

extension CarpoolDayIndex {
    /// What a search asks of the index: the rows of `date` that could carry the searcher (or be
    /// carried by them), which they may see. Every bound is a superset of what the exact check
    /// (`CarpoolMatching.check`, then `CarpoolTimeWindows.overlaps`) accepts, so the index only
    /// saves work (`CarpoolSearchAgreementTests` compares it with a brute force over every ad).
    public struct Query: Sendable {
        public let date: LocalDate
        /// True when the searcher looks for drivers (they need a seat).
        public let wantsDrivers: Bool
        /// The communities whose ads the searcher may see, besides the public ones.
        public let communities: Set<UUID>
        public let window: RideTime
        /// The searcher's trip, as the rows hold theirs.
        public let mine: CarpoolMatching.Prefilter
        /// The searcher's own duration, for when they drive.
        let myMinutes: Double
        /// The longest an ad that could carry the searcher lasts (it goes at most twice as far),
        /// when the estimator bounds durations by distances.
        let longestDriverMinutes: Double?

        public init(searcher: CarpoolMatching.Trip, window: RideTime, wantsDrivers: Bool, date: LocalDate, communities: Set<UUID>,
                    estimator: any RouteEstimator) {
            self.date = date
            self.wantsDrivers = wantsDrivers
            self.communities = communities
            self.window = window
            mine = CarpoolMatching.prefilter(searcher, estimator: estimator)
            myMinutes = estimator.estimate(from: searcher.origin, to: searcher.destination).minutes
            let farthestDriverKm = mine.distanceKm / CarpoolMatching.minimumPassengerShare
            longestDriverMinutes = estimator.slowestKmPerHour.map { farthestDriverKm / $0 * 60 }
        }

        /// The sectors to read, each with the bearings it may hold.
        var sectors: [(ClosedRange<Double>, Int)] {
            CarpoolMatching.bearingRanges(around: mine.bearing).flatMap { range in
                (CarpoolDayIndex.sector(of: range.lowerBound)...CarpoolDayIndex.sector(of: range.upperBound)).map { (range, $0) }
            }
        }

        /// The latest minute the searcher, driving, can reach an ad's pickup.
        private var latestPickup: Int {
            window.minute + window.margin + Int(myMinutes * (1 + CarpoolMatching.maximumDetourShare)) + 1
        }

        /// The departures (a row's minute) that can still match; a row's margin is at most
        /// `RideTime.margins.upperBound`.
        var departures: ClosedRange<Int> {
            let widest = RideTime.margins.upperBound
            if wantsDrivers {
                let longest = longestDriverMinutes.map { Int(($0 * (1 + CarpoolMatching.maximumDetourShare)).rounded(.up)) + 1 } ?? 24 * 60
                let earliest = window.minute - window.margin - widest - longest
                return earliest...max(earliest, window.minute + window.margin + widest)
            }
            let earliest = window.minute - window.margin - widest
            return earliest...max(earliest, latestPickup + widest)
        }

        /// What the index keeps of a row of the right day, sector and departure range.
        func admits(_ row: Row) -> Bool {
            guard wantsDrivers ? row.role != .passenger : row.role != .driver else { return false }
            if let community = row.community, !communities.contains(community) { return false }
            let minute = row.time.minute, margin = row.time.margin
            if wantsDrivers {
                // The ad drives: its extended rectangle holds the searcher's two ends (every accepted
                // pick-up and drop-off lies inside it, walking included: Core's property test), the
                // searcher goes at least half as far, and it reaches the pickup between its departure
                // and its arrival with the largest detour.
                let theirs = row.geometry.extendedBox, box = mine.box
                return theirs.minLat <= box.minLat && theirs.maxLat >= box.maxLat && theirs.minLon <= box.minLon && theirs.maxLon >= box.maxLon
                    && row.geometry.distanceKm <= mine.distanceKm / CarpoolMatching.minimumPassengerShare
                    && minute - margin <= window.minute + window.margin
                    && Double(minute + margin) + row.minutes * (1 + CarpoolMatching.maximumDetourShare) >= Double(window.minute - window.margin)
            }
            // The searcher drives: the ad's two ends lie inside the searcher's extended rectangle,
            // and the searcher reaches the ad's pickup between their departure and their arrival
            // with the largest detour.
            let theirs = row.geometry.box, extended = mine.extendedBox
            return theirs.minLat >= extended.minLat && theirs.maxLat <= extended.maxLat && theirs.minLon >= extended.minLon && theirs.maxLon <= extended.maxLon
                && row.geometry.distanceKm >= mine.distanceKm * CarpoolMatching.minimumPassengerShare
                && minute + margin >= window.minute - window.margin
                && minute - margin <= latestPickup
        }
    }
}
