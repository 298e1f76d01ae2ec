import Foundation
import MaillageCore

/// The places people choose from: the cooperative's relay points first (they make matches: a
/// driver picks up where it is easy to stop), then the territory's communes. A form sends
/// "relay:<id>" or "commune:<name>"; the API may also send coordinates.
enum CarpoolPlaces {
    static func options(_ relayPoints: [RelayPoint], _ t: Translator, empty: String? = nil) -> [(String, String)] {
        (empty.map { [("", $0)] } ?? [])
            + relayPoints.map { ("relay:\($0.id)", "\($0.name) (\($0.commune))") }
            + Communes.known.map { ("commune:\($0.name)", $0.name) }
    }

    /// The place a form or query value names, or nil when it names none of the lists.
    static func resolve(_ value: String, _ relayPoints: [RelayPoint]) -> RidePlace? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("relay:") {
            guard let id = UUID(uuidString: String(text.dropFirst(6))), let relay = relayPoints.first(where: { $0.id == id }),
                  let point = relay.point else { return nil }
            return RidePlace(name: relay.name, point: point, relayPoint: relay.id)
        }
        let name = text.hasPrefix("commune:") ? String(text.dropFirst(8)) : text
        guard let place = Communes.coordinates(of: name), let point = GeoPoint(lat: place.lat, lon: place.lon) else { return nil }
        return RidePlace(name: place.name, point: point)
    }

    /// A place given by the API: a relay point id, a commune, or coordinates with a name.
    static func resolve(relayPoint: UUID?, commune: String?, lat: Double?, lon: Double?, name: String?,
                        _ relayPoints: [RelayPoint]) -> RidePlace? {
        if let relayPoint { return resolve("relay:\(relayPoint)", relayPoints) }
        if let commune { return resolve("commune:\(commune)", relayPoints) }
        guard let lat, let lon, let point = GeoPoint(lat: lat, lon: lon) else { return nil }
        let label = (name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return RidePlace(name: label.isEmpty ? String(format: "%.4f, %.4f", lat, lon) : String(label.prefix(80)), point: point)
    }

    static func value(of place: RidePlace) -> String {
        place.relayPoint.map { "relay:\($0)" } ?? "commune:\(place.name)"
    }
}
