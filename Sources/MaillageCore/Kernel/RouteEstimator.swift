import Foundation

/// How far and how long a car trip is: what lending, carpooling, delivery pricing and route
/// planning all ask of geography.
public struct RouteEstimate: Sendable, Hashable {
    public let distanceKm: Double
    public let minutes: Double

    public init(distanceKm: Double, minutes: Double) {
        self.distanceKm = distanceKm
        self.minutes = minutes
    }

    public static let zero = RouteEstimate(distanceKm: 0, minutes: 0)

    public static func + (a: RouteEstimate, b: RouteEstimate) -> RouteEstimate {
        RouteEstimate(distanceKm: a.distanceKm + b.distanceKm, minutes: a.minutes + b.minutes)
    }
}

/// Road distance and driving time between two places. An instance without map data uses
/// `StraightLineEstimator`; one with a routing engine or a distance matrix can plug in another.
public protocol RouteEstimator: Sendable {
    func estimate(from: GeoPoint, to: GeoPoint) -> RouteEstimate

    /// The smallest ratio road distance / great-circle distance this estimator can return for
    /// any pair of places. Geometry built on the estimator (the carpool search rectangles)
    /// uses it to stay a true superset of what the estimator accepts: with 1 (the default)
    /// any road network is covered, since no road is shorter than the great circle.
    var minimumCircuity: Double { get }

    /// No trip goes slower than this on average, so a road distance bounds its duration;
    /// nil when the estimator cannot promise it (the search then reads more rows).
    var slowestKmPerHour: Double? { get }
}

extension RouteEstimator {
    public var minimumCircuity: Double { 1 }

    public var slowestKmPerHour: Double? { nil }

    /// A trip through several points in order: the sum of its legs (zero for fewer than two).
    public func estimate(through points: [GeoPoint]) -> RouteEstimate {
        zip(points, points.dropFirst()).reduce(.zero) { $0 + estimate(from: $1.0, to: $1.1) }
    }
}

/// The embedded default, which needs no map data and works offline.
///
/// Road distance = great-circle distance × a circuity factor. Comparisons of road and
/// straight-line distances (for instance Ballou, Rahardja & Sakai's country circuity factors
/// for road travel, and later studies on French and European networks) put the factor around
/// 1.2–1.4 for dense European road networks; 1.3 is the round figure usually used for France.
/// It is an average: a trip along a motorway is closer to 1.15, one around an estuary (Loire,
/// Saint-Nazaire bridge) can exceed 1.5.
///
/// Duration = road distance / a mean speed. 50 km/h is an assumption, not a measurement: a
/// round door-to-door average for mixed urban, peri-urban and main-road car trips, between
/// city traffic (20–30 km/h) and expressways (90–110 km/h). It is used to compare times
/// (when the driver reaches a pick-up point), never to promise an arrival time.
public struct StraightLineEstimator: RouteEstimator, Hashable {
    public let circuity: Double
    public let kmPerHour: Double

    /// A circuity below 1 (shorter than the great circle) or a non-positive speed is
    /// meaningless; both are brought back to the nearest sensible value.
    public init(circuity: Double = 1.3, kmPerHour: Double = 50) {
        self.circuity = circuity.isFinite ? max(1, circuity) : 1.3
        self.kmPerHour = kmPerHour.isFinite && kmPerHour > 0 ? kmPerHour : 50
    }

    public static let standard = StraightLineEstimator()

    public var minimumCircuity: Double { circuity }

    /// Every trip goes at exactly `kmPerHour`.
    public var slowestKmPerHour: Double? { kmPerHour }

    public func estimate(from: GeoPoint, to: GeoPoint) -> RouteEstimate {
        let road = from.distanceKm(to: to) * circuity
        return RouteEstimate(distanceKm: road, minutes: road / kmPerHour * 60)
    }
}
