import Foundation

/// Communes of the demo territory (around Nantes) with their town-hall coordinates, so a
/// commune alone is enough to place a cooperative, a member or an item on a map.
public enum Communes {
    public struct Place: Sendable, Hashable {
        public let name: String
        public let postalCode: String
        public let lat: Double
        public let lon: Double
    }

    public static let known: [Place] = [
        Place(name: "Nantes", postalCode: "44000", lat: 47.2184, lon: -1.5536),
        Place(name: "Rezé", postalCode: "44400", lat: 47.1833, lon: -1.5500),
        Place(name: "Saint-Herblain", postalCode: "44800", lat: 47.2122, lon: -1.6497),
        Place(name: "Orvault", postalCode: "44700", lat: 47.2711, lon: -1.6225),
        Place(name: "Vertou", postalCode: "44120", lat: 47.1686, lon: -1.4697),
        Place(name: "Carquefou", postalCode: "44470", lat: 47.2975, lon: -1.4914),
        Place(name: "Bouguenais", postalCode: "44340", lat: 47.1778, lon: -1.6236),
        Place(name: "Clisson", postalCode: "44190", lat: 47.0867, lon: -1.2822),
        Place(name: "Ancenis-Saint-Géréon", postalCode: "44150", lat: 47.3656, lon: -1.1775),
        Place(name: "Savenay", postalCode: "44260", lat: 47.3608, lon: -1.9419),
        Place(name: "Pornic", postalCode: "44210", lat: 47.1156, lon: -2.1028),
        Place(name: "Saint-Nazaire", postalCode: "44600", lat: 47.2736, lon: -2.2139),
    ]

    /// Matches a commune by name, ignoring case and accents.
    public static func coordinates(of commune: String) -> Place? {
        let key = fold(commune)
        return known.first { fold($0.name) == key }
    }

    static func fold(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "à", "â", "ä": "a"
            case "é", "è", "ê", "ë": "e"
            case "î", "ï": "i"
            case "ô", "ö": "o"
            case "ù", "û", "ü": "u"
            case "ç": "c"
            case "’", "'": "-"
            default: Character(scalar)
            }
        }).trimmingCharacters(in: .whitespaces)
    }
}
