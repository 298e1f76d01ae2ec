import Foundation

/// A place on Earth in decimal degrees (WGS 84), e.g. a commune's town hall from `Communes`.
/// Distances are for "within 5 km of me", so the spherical model is precise enough (< 0.5 %).
public struct GeoPoint: Sendable, Hashable, Codable {
    public let lat: Double
    public let lon: Double

    /// Mean Earth radius (IUGG), in km.
    public static let earthRadiusKm = 6371.0088

    /// Nil outside −90…90 / −180…180 or for a non-finite number.
    public init?(lat: Double, lon: Double) {
        guard lat.isFinite, lon.isFinite, (-90...90).contains(lat), (-180...180).contains(lon) else { return nil }
        self.lat = lat
        self.lon = lon
    }

    /// The town hall of a known commune of the territory.
    public init?(commune: String) {
        guard let place = Communes.coordinates(of: commune) else { return nil }
        self.init(lat: place.lat, lon: place.lon)
    }

    /// Great-circle distance in km (haversine formula, stable for short distances).
    public func distanceKm(to other: GeoPoint) -> Double {
        let φ1 = lat * .pi / 180, φ2 = other.lat * .pi / 180
        let dφ = (other.lat - lat) * .pi / 180, dλ = (other.lon - lon) * .pi / 180
        let h = sin(dφ / 2) * sin(dφ / 2) + cos(φ1) * cos(φ2) * sin(dλ / 2) * sin(dλ / 2)
        return 2 * Self.earthRadiusKm * asin(min(1, sqrt(h)))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let lat = try container.decode(Double.self, forKey: .lat), lon = try container.decode(Double.self, forKey: .lon)
        guard let point = GeoPoint(lat: lat, lon: lon) else {
            throw DecodingError.dataCorruptedError(forKey: .lat, in: container, debugDescription: "coordinates out of range")
        }
        self = point
    }
}

/// The latitude/longitude rectangle that contains every point within a radius of a centre: a
/// cheap `WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?` on indexed columns that keeps a
/// superset of the answer, which `GeoPoint.distanceKm` then trims exactly.
public struct GeoBoundingBox: Sendable, Hashable {
    public let minLat: Double, maxLat: Double
    public let minLon: Double, maxLon: Double

    /// When the circle crosses the ±180° meridian the longitude range wraps; rather than two
    /// ranges, the box then spans every longitude (still a superset; it never happens in France).
    public init(around centre: GeoPoint, radiusKm: Double) {
        let radius = max(0, radiusKm.isFinite ? radiusKm : 0)
        let angular = radius / GeoPoint.earthRadiusKm              // radians
        let latRad = centre.lat * .pi / 180
        var minLat = (latRad - angular) * 180 / .pi
        var maxLat = (latRad + angular) * 180 / .pi
        var minLon = -180.0, maxLon = 180.0
        if minLat > -90 && maxLat < 90 {
            // The widest longitude offset of the circle (J. P. Matuschek, "Finding points within a
            // distance of a latitude/longitude using bounding coordinates").
            let ratio = sin(angular) / cos(latRad)
            if ratio < 1 {
                let dLon = asin(ratio) * 180 / .pi
                minLon = centre.lon - dLon
                maxLon = centre.lon + dLon
                if minLon < -180 || maxLon > 180 { minLon = -180; maxLon = 180 }
            }
        } else {
            // The circle holds a pole: every longitude is in reach.
            minLat = max(minLat, -90)
            maxLat = min(maxLat, 90)
        }
        self.minLat = minLat
        self.maxLat = maxLat
        self.minLon = minLon
        self.maxLon = maxLon
    }

    public func contains(_ point: GeoPoint) -> Bool {
        (minLat...maxLat).contains(point.lat) && (minLon...maxLon).contains(point.lon)
    }
}
