import Foundation

/// Directions and rectangles for trips: where a trip heads (a carpool driver and passenger going
/// the same way) and the lat/lon rectangles a database index can answer.
extension GeoPoint {
    /// The initial great-circle bearing towards `other`, in degrees 0..<360 (0 = north,
    /// 90 = east). 0 when both points are the same.
    public func bearing(to other: GeoPoint) -> Double {
        let φ1 = lat * .pi / 180, φ2 = other.lat * .pi / 180
        let dλ = (other.lon - lon) * .pi / 180
        let y = sin(dλ) * cos(φ2)
        let x = cos(φ1) * sin(φ2) - sin(φ1) * cos(φ2) * cos(dλ)
        guard y != 0 || x != 0 else { return 0 }
        return Self.normalisedBearing(atan2(y, x) * 180 / .pi)
    }

    /// The angle between two bearings, 0…180 (350° and 5° are 15° apart).
    public static func bearingDifference(_ a: Double, _ b: Double) -> Double {
        let d = abs(a - b).truncatingRemainder(dividingBy: 360)
        return d > 180 ? 360 - d : d
    }

    /// Any angle in degrees brought into 0..<360.
    public static func normalisedBearing(_ degrees: Double) -> Double {
        let d = degrees.truncatingRemainder(dividingBy: 360)
        let positive = d < 0 ? d + 360 : d
        return positive >= 360 ? 0 : positive   // −1e-15 + 360 rounds to 360
    }

    /// The point `km` away along the great circle that starts with `bearing` (degrees): a
    /// place near a commune, a point on a trip. Longitude wraps at ±180°; latitude stays on the
    /// sphere, so the result always exists.
    public func moved(km: Double, bearing: Double) -> GeoPoint {
        let δ = km / Self.earthRadiusKm, θ = bearing * .pi / 180
        let φ1 = lat * .pi / 180, λ1 = lon * .pi / 180
        let φ2 = asin(min(1, max(-1, sin(φ1) * cos(δ) + cos(φ1) * sin(δ) * cos(θ))))
        let λ2 = λ1 + atan2(sin(θ) * sin(δ) * cos(φ1), cos(δ) - sin(φ1) * sin(φ2))
        var lonDegrees = (λ2 * 180 / .pi).truncatingRemainder(dividingBy: 360)
        if lonDegrees > 180 { lonDegrees -= 360 } else if lonDegrees < -180 { lonDegrees += 360 }
        let latDegrees = min(90, max(-90, φ2 * 180 / .pi))
        return GeoPoint(lat: latDegrees, lon: lonDegrees) ?? self
    }
}

extension GeoBoundingBox {
    /// A rectangle from its sides (south, north, west, east), as stored in a row.
    public init(minLat: Double, maxLat: Double, minLon: Double, maxLon: Double) {
        self.minLat = minLat
        self.maxLat = maxLat
        self.minLon = minLon
        self.maxLon = maxLon
    }

    /// The plain rectangle of a set of points (a trip's origin and destination). Trips never
    /// cross the ±180° meridian in a territory, so no wrap is handled.
    public init(enclosing points: [GeoPoint]) {
        precondition(!points.isEmpty, "a rectangle needs at least one point")
        self.init(minLat: points.map(\.lat).min()!, maxLat: points.map(\.lat).max()!,
                  minLon: points.map(\.lon).min()!, maxLon: points.map(\.lon).max()!)
    }

    /// True when the two rectangles share at least one point (edges included) — the SQL
    /// `a.minLat <= b.maxLat AND b.minLat <= a.maxLat AND …`.
    public func intersects(_ other: GeoBoundingBox) -> Bool {
        minLat <= other.maxLat && other.minLat <= maxLat && minLon <= other.maxLon && other.minLon <= maxLon
    }

    /// This rectangle grown so that it holds every point within `km` (great-circle) of any point
    /// inside it. Latitude: `km` is at most km/R radians of latitude. Longitude: a point `δ`
    /// radians away moves at most asin(sin δ / cos φ) in longitude (Matuschek, as in
    /// `init(around:radiusKm:)`), largest at the latitude nearest a pole, which is used for the
    /// whole rectangle. Near a pole every longitude is in reach.
    public func grown(byKm km: Double) -> GeoBoundingBox {
        let margin = max(0, km.isFinite ? km : 0)
        let δ = margin / GeoPoint.earthRadiusKm
        let dLat = δ * 180 / .pi
        let south = max(-90, minLat - dLat), north = min(90, maxLat + dLat)
        let poleward = max(abs(south), abs(north)) * .pi / 180
        let ratio = sin(δ) / cos(poleward)
        guard north < 90, south > -90, ratio < 1 else {
            return GeoBoundingBox(minLat: south, maxLat: north, minLon: -180, maxLon: 180)
        }
        let dLon = asin(ratio) * 180 / .pi
        let west = minLon - dLon, east = maxLon + dLon
        guard west >= -180, east <= 180 else {
            return GeoBoundingBox(minLat: south, maxLat: north, minLon: -180, maxLon: 180)
        }
        return GeoBoundingBox(minLat: south, maxLat: north, minLon: west, maxLon: east)
    }
}
