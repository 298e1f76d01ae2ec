/// The five characteristics of a cooperative platform, each self-assessed by the cooperative.
public enum Characteristic: String, Sendable, CaseIterable, Codable {
    case governance, valueSharing = "value-sharing", dataEthics = "data-ethics", commons, interCooperation = "inter-cooperation"

    public var label: Localized {
        switch self {
        case .governance: Localized(fr: "Gouvernance inclusive", en: "Inclusive governance")
        case .valueSharing: Localized(fr: "Partage de la valeur", en: "Value sharing")
        case .dataEthics: Localized(fr: "Éthique des données", en: "Data ethics")
        case .commons: Localized(fr: "Communs", en: "Commons")
        case .interCooperation: Localized(fr: "Inter-coopération", en: "Inter-cooperation")
        }
    }

    public var question: Localized {
        switch self {
        case .governance: Localized(fr: "Les membres possèdent-ils et pilotent-ils la plateforme (une personne = une voix) ?",
                                    en: "Do members own and steer the platform (one person = one vote)?")
        case .valueSharing: Localized(fr: "Les frais sont-ils visibles et les excédents répartis par vote ?",
                                      en: "Are fees visible and surpluses allocated by vote?")
        case .dataEthics: Localized(fr: "Les données personnelles sont-elles limitées, déclarées et maîtrisées par les membres ?",
                                    en: "Is personal data minimal, declared and under members’ control?")
        case .commons: Localized(fr: "Le code et les données sont-ils publiés comme communs (licences libres) ?",
                                 en: "Are code and data published as commons (open licences)?")
        case .interCooperation: Localized(fr: "La plateforme coopère-t-elle avec d’autres via des standards ouverts ?",
                                          en: "Does the platform cooperate with others through open standards?")
        }
    }
}

public enum CharterAnswer: String, Sendable, CaseIterable, Codable {
    case yes, partly, no

    public var label: Localized {
        switch self {
        case .yes: Localized(fr: "Oui", en: "Yes")
        case .partly: Localized(fr: "En partie", en: "Partly")
        case .no: Localized(fr: "Non", en: "No")
        }
    }

    /// Points towards the badge: a "partly" counts half.
    var points: Int {
        switch self {
        case .yes: 2
        case .partly: 1
        case .no: 0
        }
    }
}

public struct CharterItem: Sendable, Hashable, Codable {
    public var characteristic: Characteristic
    public var answer: CharterAnswer
    public var evidence: String

    public init(_ characteristic: Characteristic, _ answer: CharterAnswer, evidence: String) {
        self.characteristic = characteristic
        self.answer = answer
        self.evidence = evidence
    }
}

/// A cooperative's self-assessment on the five characteristics, and the badge that sums it up.
public struct CharterAssessment: Sendable, Hashable {
    public private(set) var items: [Characteristic: CharterItem]

    public init(_ items: [CharterItem]) {
        self.items = Dictionary(items.map { ($0.characteristic, $0) }, uniquingKeysWith: { _, last in last })
    }

    public func item(_ characteristic: Characteristic) -> CharterItem {
        items[characteristic] ?? CharterItem(characteristic, .no, evidence: "")
    }

    public var ordered: [CharterItem] { Characteristic.allCases.map(item) }

    /// Out of 10: two points per "yes", one per "partly".
    public var score: Int { ordered.reduce(0) { $0 + $1.answer.points } }

    public var badge: CharterBadge {
        // A "yes" only counts if it shows its evidence: an unsupported claim is a "partly".
        let supported = ordered.map { $0.answer == .yes && $0.evidence.isEmpty ? CharterAnswer.partly : $0.answer }
        let yes = supported.filter { $0 == .yes }.count
        let no = supported.filter { $0 == .no }.count
        if yes == 5 { return .exemplary }
        if yes >= 3 && no == 0 { return .committed }
        if no <= 2 { return .onTheWay }
        return .starting
    }

    /// Evidence is a short text or a link; both stay short so cards stay readable.
    public static func validate(_ items: [CharterItem]) throws(DomainError) {
        for item in items where item.evidence.count > 500 {
            throw DomainError(.invalid, code: "evidence_too_long", field: "charter.\(item.characteristic.rawValue).evidence",
                              fr: "La preuve pour « \(item.characteristic.label.fr) » ne peut dépasser 500 caractères.",
                              en: "The evidence for “\(item.characteristic.label.en)” cannot exceed 500 characters.")
        }
    }
}

public enum CharterBadge: String, Sendable, CaseIterable, Codable {
    case exemplary, committed, onTheWay = "on-the-way", starting

    public var label: Localized {
        switch self {
        case .exemplary: Localized(fr: "Plateforme coopérative exemplaire", en: "Exemplary cooperative platform")
        case .committed: Localized(fr: "Plateforme coopérative engagée", en: "Committed cooperative platform")
        case .onTheWay: Localized(fr: "En chemin", en: "On the way")
        case .starting: Localized(fr: "Premiers pas", en: "First steps")
        }
    }
}
