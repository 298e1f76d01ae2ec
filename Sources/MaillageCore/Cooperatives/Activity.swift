/// The activities a cooperative can run on the platform, one module each.
public enum Activity: String, Sendable, CaseIterable, Codable {
    case food, delivery, carpool, lending, exchange, barter

    public var label: Localized {
        switch self {
        case .food: Localized(fr: "Alimentation en circuit court", en: "Local food")
        case .delivery: Localized(fr: "Livraison à vélo", en: "Bike delivery")
        case .carpool: Localized(fr: "Covoiturage", en: "Carpooling")
        case .lending: Localized(fr: "Prêt d’objets", en: "Lending of objects")
        case .exchange: Localized(fr: "Échange de services", en: "Service exchange")
        case .barter: Localized(fr: "Réseau de troc inter-entreprises", en: "Business barter network")
        }
    }

    /// Keywords published in the Murmurations `tags` field.
    public var tags: [String] {
        switch self {
        case .food: ["food", "short-food-chain", "circuit-court"]
        case .delivery: ["delivery", "bike", "logistics"]
        case .carpool: ["carpool", "mobility", "covoiturage"]
        case .lending: ["lending", "library-of-things", "pret"]
        case .exchange: ["services", "time-bank", "mutual-aid"]
        case .barter: ["barter", "mutual-credit", "troc"]
        }
    }

    /// Parses a comma-separated list, keeping the canonical order and dropping unknown names.
    public static func list(from raw: String) -> [Activity] {
        let names = Set(raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        return allCases.filter { names.contains($0.rawValue) }
    }

    public static func serialize(_ activities: [Activity]) -> String {
        allCases.filter(activities.contains).map(\.rawValue).joined(separator: ",")
    }
}
