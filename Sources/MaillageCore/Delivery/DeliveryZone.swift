import Foundation

/// An area the cooperative rides in ("Nantes intra-périphérique"), as polygons: a point is in
/// the zone when it lies in one of them (outer ring) and in none of its holes.
public struct DeliveryZone: Sendable, Hashable {
    /// Rings of lon/lat corners; the first ring is the outline, the others are holes.
    public typealias Polygon = [[GeoPoint]]

    public let name: String
    public let polygons: [Polygon]

    public init(name: String, polygons: [Polygon]) {
        self.name = name
        self.polygons = polygons
    }

    public func contains(_ point: GeoPoint) -> Bool {
        polygons.contains { polygon in
            guard let outline = polygon.first, Self.ring(outline, contains: point) else { return false }
            return !polygon.dropFirst().contains { Self.ring($0, contains: point) }
        }
    }

    /// Even–odd ray casting on longitude/latitude: at a city's scale the plane is exact enough.
    static func ring(_ ring: [GeoPoint], contains point: GeoPoint) -> Bool {
        guard ring.count >= 3 else { return false }
        var inside = false
        var j = ring.count - 1
        for i in ring.indices {
            let a = ring[i], b = ring[j]
            if (a.lat > point.lat) != (b.lat > point.lat) {
                let crossLon = (b.lon - a.lon) * (point.lat - a.lat) / (b.lat - a.lat) + a.lon
                if point.lon < crossLon { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// The names of the zones a point lies in.
    public static func names(of zones: [DeliveryZone], containing point: GeoPoint) -> Set<String> {
        Set(zones.filter { $0.contains(point) }.map(\.name))
    }
}

/// Reads zones from GeoJSON (RFC 7946): a FeatureCollection, a Feature or a bare geometry, with
/// Polygon or MultiPolygon geometries. Positions are [longitude, latitude].
public enum GeoJSONZones {
    /// The polygons of the document, all merged into one zone of this name.
    public static func zone(named name: String, from data: Data) throws -> DeliveryZone {
        guard data.count <= maximumBytes else { throw DomainError.zoneFileTooLarge }
        guard let object = try? JSONSerialization.jsonObject(with: data) else { throw DomainError.zoneNotGeoJSON }
        var polygons: [DeliveryZone.Polygon] = []
        try collect(object, into: &polygons)
        guard !polygons.isEmpty else { throw DomainError.zoneWithoutPolygon }
        return DeliveryZone(name: name, polygons: polygons)
    }

    /// A city's outline fits in far less; a bigger file is a mistake, not a zone.
    public static let maximumBytes = 2_000_000

    private static func collect(_ object: Any, into polygons: inout [DeliveryZone.Polygon]) throws {
        guard let dictionary = object as? [String: Any], let type = dictionary["type"] as? String else { throw DomainError.zoneNotGeoJSON }
        switch type {
        case "FeatureCollection":
            guard let features = dictionary["features"] as? [Any] else { throw DomainError.zoneNotGeoJSON }
            for feature in features { try collect(feature, into: &polygons) }
        case "Feature":
            if let geometry = dictionary["geometry"], !(geometry is NSNull) { try collect(geometry, into: &polygons) }
        case "GeometryCollection":
            for geometry in dictionary["geometries"] as? [Any] ?? [] { try collect(geometry, into: &polygons) }
        case "Polygon":
            polygons.append(try polygon(dictionary["coordinates"]))
        case "MultiPolygon":
            guard let list = dictionary["coordinates"] as? [Any] else { throw DomainError.zoneNotGeoJSON }
            for item in list { polygons.append(try polygon(item)) }
        default:
            break // points and lines are not areas; they are left out
        }
    }

    private static func polygon(_ value: Any?) throws -> DeliveryZone.Polygon {
        guard let rings = value as? [Any], !rings.isEmpty else { throw DomainError.zoneNotGeoJSON }
        return try rings.map { ring in
            guard let positions = ring as? [Any], positions.count >= 4 else { throw DomainError.zoneNotGeoJSON }
            return try positions.map { position in
                guard let pair = position as? [Any], pair.count >= 2,
                      let lon = (pair[0] as? NSNumber)?.doubleValue, let lat = (pair[1] as? NSNumber)?.doubleValue,
                      let point = GeoPoint(lat: lat, lon: lon) else { throw DomainError.zoneNotGeoJSON }
                return point
            }
        }
    }
}
