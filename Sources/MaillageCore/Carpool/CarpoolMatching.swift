import Foundation

/// Who can ride with whom. As Mobicoop does it, in two steps: a cheap prefilter on numbers stored
/// with each ad (bearing, road distance, rectangles — indexed SQL comparisons), then `check`,
/// which routes the driver through the passenger's pick-up and drop-off points and measures the
/// detour exactly. Distances are the estimator's road kilometres unless named otherwise.
public enum CarpoolMatching {
    /// A passenger and a driver go "the same way" when their trips' bearings differ by at most this.
    public static let bearingTolerance = 10.0
    /// The passenger's trip is at least half the driver's (prefilter).
    public static let minimumPassengerShare = 0.5
    /// The detour is at most a quarter of the driver's trip, in distance and in duration.
    public static let maximumDetourShare = 0.25
    /// The kilometres ridden together are at least 35 % of the driver's trip.
    public static let minimumCommonShare = 0.35
    /// From 10 % of the driver's trip, in distance or duration, the detour is shown as noticeable.
    public static let noticeableDetourShare = 0.10
    /// How far a passenger walks to a relay point (car park, station), as the crow flies.
    public static let walkingRadiusKm = 1.0
    /// Walking speed for "5 min à pied".
    public static let walkingKmPerHour = 4.5

    /// Limits are inclusive: a detour of exactly 25 % is accepted. This absorbs the rounding of
    /// sums of legs (1e-9 of the driver's trip, far below a metre).
    static let edgeSlack = 1e-9

    public struct Trip: Sendable, Hashable {
        public let origin: GeoPoint
        public let destination: GeoPoint
        public init(origin: GeoPoint, destination: GeoPoint) {
            self.origin = origin
            self.destination = destination
        }
    }

    /// What the App stores per ad and computes per search, for the SQL prefilter.
    public struct Prefilter: Sendable, Hashable {
        /// Origin → destination, degrees 0..<360.
        public let bearing: Double
        /// The estimator's road distance.
        public let distanceKm: Double
        /// The plain rectangle of origin and destination.
        public let box: GeoBoundingBox
        /// Every place a passenger could start or end and still pass `check` with this trip as
        /// the driver's lies inside (see `extendedMarginKm`).
        public let extendedBox: GeoBoundingBox

        public init(bearing: Double, distanceKm: Double, box: GeoBoundingBox, extendedBox: GeoBoundingBox) {
            self.bearing = bearing
            self.distanceKm = distanceKm
            self.box = box
            self.extendedBox = extendedBox
        }
    }

    public static func prefilter(_ trip: Trip, estimator: any RouteEstimator) -> Prefilter {
        let road = estimator.estimate(from: trip.origin, to: trip.destination).distanceKm
        let box = GeoBoundingBox(enclosing: [trip.origin, trip.destination])
        let margin = extendedMarginKm(trip, roadKm: road, minimumCircuity: estimator.minimumCircuity)
        return Prefilter(bearing: trip.origin.bearing(to: trip.destination), distanceKm: road,
                         box: box, extendedBox: box.grown(byKm: margin))
    }

    /// How far beyond the driver's rectangle a passenger's origin or destination can be.
    ///
    /// The driver A → B goes A → P → Q → B (P pick-up, Q drop-off). Accepted detours satisfy
    /// r(AP) + r(PQ) + r(QB) ≤ (1 + s)·R with s = `maximumDetourShare`, R = r(AB) the road
    /// distance. Roads are never shorter than k × the great circle (k = the estimator's
    /// `minimumCircuity`), and the triangle inequality gives |AP| + |PB| ≤ |AP| + |PQ| + |QB|, so
    ///     |AP| + |PB| ≤ (1 + s)·R / k = 2a,
    /// i.e. P (and likewise Q) lies in the ellipse of foci A, B and semi-major axis a. With the
    /// straight-line estimator R = k·|AB|, so 2a = 1.25·|AB|; the half focal distance is
    /// c = |AB| / 2 and the semi-minor axis b = √(a² − c²) = |AB|/2 · √(1.25² − 1) = 0.375·|AB|.
    /// Every point of the ellipse is within b of the segment AB: a point at distance d whose
    /// foot falls on the segment has |AP| + |PB| ≥ 2√(d² + c²) (convexity), so d ≤ b; one beyond
    /// an end, say A, has |PB| ≥ |AB|, so d ≤ 2a − 2c ≤ b. The rectangle of A and B holds the
    /// segment, so growing it by b holds the ellipse (the ends reach only a − c = 0.125·|AB|).
    /// The passenger walks at most `walkingRadiusKm` to P, hence margin = b + walking radius.
    /// On the sphere the segment is a great-circle arc, which bulges poleward out of the
    /// rectangle by about L²·tan φ / 8R, and the plane ellipse is exact to (L/R)²; the margin
    /// adds that bulge and 1 % to stay a true superset.
    static func extendedMarginKm(_ trip: Trip, roadKm: Double, minimumCircuity: Double) -> Double {
        let straight = trip.origin.distanceKm(to: trip.destination)
        let a = (1 + maximumDetourShare) * roadKm / max(1, minimumCircuity) / 2
        let c = straight / 2
        let b = (max(0, a * a - c * c)).squareRoot()
        let poleward = min(89, max(abs(trip.origin.lat), abs(trip.destination.lat))) * .pi / 180
        let bulge = straight * straight * tan(poleward) / (8 * GeoPoint.earthRadiusKm)
        return (b + walkingRadiusKm) * 1.01 + bulge
    }

    /// The bearings within `bearingTolerance` of `bearing`, as one or two ranges (split at
    /// north) for SQL `bearing BETWEEN ? AND ?` joined by OR.
    public static func bearingRanges(around bearing: Double) -> [ClosedRange<Double>] {
        let centre = GeoPoint.normalisedBearing(bearing)
        let low = centre - bearingTolerance, high = centre + bearingTolerance
        if low < 0 { return [0...high, (low + 360)...360] }
        if high >= 360 { return [low...360, 0...(high - 360)] }
        return [low...high]
    }

    /// The prefilter's rules, the same as the SQL the App runs: same direction, the passenger's
    /// rectangle meets the driver's extended one, and the passenger goes at least half as far.
    public static func passesPrefilter(driver: Prefilter, passenger: Prefilter) -> Bool {
        GeoPoint.bearingDifference(driver.bearing, passenger.bearing) <= bearingTolerance
            && passenger.box.intersects(driver.extendedBox)
            && passenger.distanceKm >= minimumPassengerShare * driver.distanceKm
    }

    /// The best way for the driver to carry the passenger, or nil when none is acceptable.
    ///
    /// Pick-up candidates are the passenger's origin and every relay point within walking
    /// radius of it; drop-off candidates likewise around the destination. Among the pairs whose
    /// detour is at most 25 % of the driver's distance and of the driver's duration, and whose
    /// common part (pick-up → drop-off, the kilometres ridden together; the passenger's own trip
    /// when no relay is used) is at least 35 % of the driver's distance, the least detour wins,
    /// then the least walking.
    public static func check(driver: Trip, passenger: Trip, relayPoints: [GeoPoint] = [],
                             estimator: any RouteEstimator) -> Match? {
        let direct = estimator.estimate(from: driver.origin, to: driver.destination)
        guard direct.distanceKm > 0, direct.minutes > 0 else { return nil }
        let pickups = candidates(around: passenger.origin, relayPoints)
        let dropoffs = candidates(around: passenger.destination, relayPoints)
        let slackKm = edgeSlack * direct.distanceKm, slackMinutes = edgeSlack * direct.minutes
        var best: Match?
        for pickup in pickups {
            let toPickup = estimator.estimate(from: driver.origin, to: pickup)
            for dropoff in dropoffs {
                let common = estimator.estimate(from: pickup, to: dropoff)
                let route = toPickup + common + estimator.estimate(from: dropoff, to: driver.destination)
                let detourKm = max(0, route.distanceKm - direct.distanceKm)
                let detourMinutes = max(0, route.minutes - direct.minutes)
                guard detourKm <= maximumDetourShare * direct.distanceKm + slackKm,
                      detourMinutes <= maximumDetourShare * direct.minutes + slackMinutes,
                      common.distanceKm + slackKm >= minimumCommonShare * direct.distanceKm else { continue }
                let match = Match(detourKm: detourKm, detourMinutes: detourMinutes,
                                  driverKm: direct.distanceKm, driverMinutes: direct.minutes,
                                  commonKm: common.distanceKm, pickup: pickup, dropoff: dropoff,
                                  walkToPickupKm: pickup.distanceKm(to: passenger.origin),
                                  walkFromDropoffKm: dropoff.distanceKm(to: passenger.destination),
                                  pickupAfterMinutes: toPickup.minutes)
                if let current = best, !match.isBetter(than: current) { continue }
                best = match
            }
        }
        return best
    }

    private static func candidates(around place: GeoPoint, _ relays: [GeoPoint]) -> [GeoPoint] {
        [place] + relays.filter { $0 != place && $0.distanceKm(to: place) <= walkingRadiusKm }
    }

    /// Matches in the order a passenger reads them: earliest departure first, then the
    /// smallest detour in minutes, then the id (so equal results always come in the same
    /// order). Generic over any row: pass how to read its departure, match and id, e.g.
    /// `ranked(rows, departure: \.departure, match: \.match, id: \.id)`.
    public static func ranked<Row>(_ rows: [Row], departure: (Row) -> Date, match: (Row) -> Match,
                                   id: (Row) -> UUID) -> [Row] {
        rows.map { (row: $0, key: (departure($0), match($0).detourMinutes, id($0).uuidString)) }
            .sorted { a, b in
                if a.key.0 != b.key.0 { return a.key.0 < b.key.0 }
                if a.key.1 != b.key.1 { return a.key.1 < b.key.1 }
                return a.key.2 < b.key.2
            }
            .map(\.row)
    }

    /// The same order for plain tuples.
    public static func ranked(_ matches: [(id: UUID, departure: Date, match: Match)])
        -> [(id: UUID, departure: Date, match: Match)] {
        ranked(matches, departure: { $0.departure }, match: { $0.match }, id: { $0.id })
    }
}

extension CarpoolMatching {
    /// An acceptable way to carry a passenger, with the numbers the page shows ("détour 3,2 km /
    /// 4 min", "5 min à pied jusqu'au point de rendez-vous"); the words are the page's.
    public struct Match: Sendable, Hashable {
        /// Extra road distance and time for the driver, compared with going straight.
        public let detourKm: Double, detourMinutes: Double
        /// The driver's own trip, without the passenger.
        public let driverKm: Double, driverMinutes: Double
        /// Road distance ridden together, pick-up → drop-off.
        public let commonKm: Double
        /// Where the driver picks up and drops off: the passenger's origin and destination, or
        /// relay points within walking radius of them.
        public let pickup: GeoPoint, dropoff: GeoPoint
        /// The passenger's walk, as the crow flies (0 without a relay point).
        public let walkToPickupKm: Double, walkFromDropoffKm: Double
        /// The driver's time from their origin to the pick-up, to compare with the passenger's time.
        public let pickupAfterMinutes: Double

        /// The detour as a share of the driver's trip: the larger of distance and duration.
        public var detourShare: Double { max(detourKm / driverKm, detourMinutes / driverMinutes) }

        /// The page points out detours from 10 % of the driver's distance or duration.
        public var isNoticeable: Bool {
            detourKm >= CarpoolMatching.noticeableDetourShare * driverKm
                || detourMinutes >= CarpoolMatching.noticeableDetourShare * driverMinutes
        }

        public var walkToPickupMinutes: Double { walkToPickupKm / CarpoolMatching.walkingKmPerHour * 60 }
        public var walkFromDropoffMinutes: Double { walkFromDropoffKm / CarpoolMatching.walkingKmPerHour * 60 }
        /// Both walks together.
        public var walkingMinutes: Double { walkToPickupMinutes + walkFromDropoffMinutes }

        /// Less detour first, then less walking.
        func isBetter(than other: Match) -> Bool {
            if detourKm != other.detourKm { return detourKm < other.detourKm }
            return walkToPickupKm + walkFromDropoffKm < other.walkToPickupKm + other.walkFromDropoffKm
        }
    }
}
