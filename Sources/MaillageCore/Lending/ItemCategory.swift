/// The shared taxonomy of things lent and services exchanged, the same for every cooperative of
/// the territory so a search or an observatory count means the same everywhere. Raw values are
/// stable codes stored in the database and used in URLs; labels are for people.
public enum ItemCategory: String, Sendable, Hashable, Codable, CaseIterable {
    case tools = "outillage"
    case diy = "bricolage"
    case gardening = "jardinage"
    case kitchen = "cuisine"
    case household = "maison"
    case leisureAndSport = "loisirs-sport"
    case children = "enfants"
    case events = "evenementiel"
    case highTech = "high-tech"
    case mobility = "mobilite"
    case books = "livres-jeux"
    case other = "autre"

    public var label: Localized {
        switch self {
        case .tools: Localized(fr: "Outillage", en: "Tools")
        case .diy: Localized(fr: "Bricolage", en: "DIY")
        case .gardening: Localized(fr: "Jardinage", en: "Gardening")
        case .kitchen: Localized(fr: "Cuisine", en: "Kitchen")
        case .household: Localized(fr: "Maison et entretien", en: "Home and cleaning")
        case .leisureAndSport: Localized(fr: "Loisirs et sport", en: "Leisure and sport")
        case .children: Localized(fr: "Enfants et puériculture", en: "Children and babies")
        case .events: Localized(fr: "Évènementiel et fêtes", en: "Events and parties")
        case .highTech: Localized(fr: "High-tech et multimédia", en: "Electronics and multimedia")
        case .mobility: Localized(fr: "Mobilité (vélos, remorques)", en: "Mobility (bikes, trailers)")
        case .books: Localized(fr: "Livres et jeux", en: "Books and games")
        case .other: Localized(fr: "Autre", en: "Other")
        }
    }

    /// Words a person may type for this category, in both languages, so that searching
    /// "perceuse" or "drill" finds items filed under tools even when the title says "visseuse".
    public var keywords: [String] {
        switch self {
        case .tools: ["outil", "outillage", "perceuse", "visseuse", "scie", "ponceuse", "tool", "drill", "saw"]
        case .diy: ["bricolage", "echelle", "escabeau", "peinture", "diy", "ladder", "paint"]
        case .gardening: ["jardin", "jardinage", "tondeuse", "taille-haie", "broyeur", "garden", "mower"]
        case .kitchen: ["cuisine", "robot", "appareil", "raclette", "plancha", "kitchen", "cooking"]
        case .household: ["maison", "menage", "nettoyeur", "shampouineuse", "home", "cleaning", "cleaner"]
        case .leisureAndSport: ["loisir", "sport", "camping", "tente", "randonnee", "leisure", "tent", "hiking"]
        case .children: ["enfant", "bebe", "poussette", "siege-auto", "child", "baby", "stroller"]
        case .events: ["fete", "evenement", "barnum", "sono", "vaisselle", "party", "event", "gazebo"]
        case .highTech: ["high-tech", "videoprojecteur", "ordinateur", "camera", "projector", "computer"]
        case .mobility: ["velo", "remorque", "cargo", "mobilite", "bike", "trailer", "cargo-bike"]
        case .books: ["livre", "jeu", "jeux", "book", "game", "boardgame"]
        case .other: []
        }
    }

    public init?(code: String) { self.init(rawValue: code.trimmingCharacters(in: .whitespaces).lowercased()) }
}

/// How worn an item is, as its owner describes it.
public enum ItemCondition: String, Sendable, Hashable, Codable, CaseIterable {
    case new = "neuf"
    case veryGood = "tres-bon"
    case good = "bon"
    case worn = "use"

    public var label: Localized {
        switch self {
        case .new: Localized(fr: "Neuf", en: "New")
        case .veryGood: Localized(fr: "Très bon état", en: "Very good")
        case .good: Localized(fr: "Bon état", en: "Good")
        case .worn: Localized(fr: "Usé", en: "Worn")
        }
    }
}
