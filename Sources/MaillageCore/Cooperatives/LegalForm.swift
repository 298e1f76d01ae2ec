/// Legal forms a territory's cooperative platforms take in France.
public enum LegalForm: String, Sendable, CaseIterable, Codable {
    case scic, scop, cooperativeAssociation = "cooperative-association", association1901 = "association-1901", other

    public var label: Localized {
        switch self {
        case .scic: Localized(fr: "SCIC (société coopérative d’intérêt collectif)", en: "SCIC (multi-stakeholder cooperative)")
        case .scop: Localized(fr: "SCOP (société coopérative et participative)", en: "SCOP (worker cooperative)")
        case .cooperativeAssociation: Localized(fr: "Association coopérative", en: "Cooperative association")
        case .association1901: Localized(fr: "Association loi 1901", en: "Non-profit association (loi 1901)")
        case .other: Localized(fr: "Autre forme", en: "Other form")
        }
    }

    public var shortLabel: String {
        switch self {
        case .scic: "SCIC"
        case .scop: "SCOP"
        case .cooperativeAssociation: "Asso. coop."
        case .association1901: "Asso. 1901"
        case .other: "—"
        }
    }

    /// Associations have no share capital; cooperatives do (Loi 47-1775 art. 11).
    public var hasShareCapital: Bool {
        switch self {
        case .scic, .scop, .cooperativeAssociation: true
        case .association1901, .other: false
        }
    }

    /// SCIC: at least three member categories (Loi 47-1775 art. 19 septies).
    public var minimumColleges: Int { self == .scic ? 3 : 0 }
}
