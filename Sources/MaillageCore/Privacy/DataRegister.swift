import Foundation

/// The record of processing (CNIL template): every column a module stores is declared here,
/// personal or not, so the published register cannot drift from the code.
public struct TableRegister: Sendable, Hashable {
    public let table: String
    /// The column naming the person the row is about, for export and erasure ("user_id"…), if any.
    public let subject: String?
    /// Other columns naming a person the row is also about (the driver of a ride, the owner of a
    /// loan): their export holds the row too.
    public let alsoAbout: [String]
    public let purpose: Localized
    public let legalBasis: LegalBasis
    public let persons: Localized
    public let recipients: Localized
    public let retention: Retention
    public let personal: [PersonalField]
    /// Columns that hold nothing about a person (ids, amounts, flags…).
    public let nonPersonal: [String]

    public init(table: String, subject: String?, purpose: Localized, legalBasis: LegalBasis, persons: Localized,
                recipients: Localized, retention: Retention, personal: [PersonalField], nonPersonal: [String],
                alsoAbout: [String] = []) {
        self.table = table
        self.subject = subject
        self.alsoAbout = alsoAbout
        self.purpose = purpose
        self.legalBasis = legalBasis
        self.persons = persons
        self.recipients = recipients
        self.retention = retention
        self.personal = personal
        self.nonPersonal = nonPersonal
    }

    public var declaredColumns: Set<String> { Set(personal.map(\.column) + nonPersonal) }
}

public struct PersonalField: Sendable, Hashable {
    public let column: String
    public let category: DataCategory
    public init(_ column: String, _ category: DataCategory) {
        self.column = column
        self.category = category
    }
}

/// Categories of personal data, as the CNIL record names them.
public enum DataCategory: String, Sendable, Hashable, CaseIterable, Codable {
    case identity, contact, credentials, membership, participation, economic, location, connection, communication

    public var label: Localized {
        switch self {
        case .identity: Localized(fr: "État civil, identité", en: "Identity")
        case .contact: Localized(fr: "Coordonnées", en: "Contact details")
        case .credentials: Localized(fr: "Données d’authentification", en: "Credentials")
        case .membership: Localized(fr: "Vie de la coopérative (sociétariat, rôles)", en: "Cooperative life (membership, roles)")
        case .participation: Localized(fr: "Participation démocratique (votes, présences)", en: "Democratic participation (votes, attendance)")
        case .economic: Localized(fr: "Informations d’ordre économique", en: "Economic information")
        case .location: Localized(fr: "Données de localisation", en: "Location data")
        case .connection: Localized(fr: "Données de connexion (journaux)", en: "Connection data (logs)")
        case .communication: Localized(fr: "Messages et notifications", en: "Messages and notifications")
        }
    }
}

/// GDPR art. 6 bases.
public enum LegalBasis: String, Sendable, Hashable, CaseIterable, Codable {
    case contract, legalObligation = "legal-obligation", legitimateInterest = "legitimate-interest", consent

    public var label: Localized {
        switch self {
        case .contract: Localized(fr: "Exécution du contrat (statuts, adhésion, CGU)", en: "Performance of a contract (statutes, membership, terms)")
        case .legalObligation: Localized(fr: "Obligation légale", en: "Legal obligation")
        case .legitimateInterest: Localized(fr: "Intérêt légitime (sécurité du service)", en: "Legitimate interest (security of the service)")
        case .consent: Localized(fr: "Consentement", en: "Consent")
        }
    }
}

/// How long rows are kept. `.days` rules are applied by the retention job on `column`.
public enum Retention: Sendable, Hashable {
    case whileAccountExists
    case days(Int, column: String)
    /// Kept as records of the cooperative (books, decisions), linked to a pseudonym after erasure.
    case cooperativeRecords(years: Int)

    public var label: Localized {
        switch self {
        case .whileAccountExists: Localized(fr: "Tant que le compte existe ; effacé à sa suppression", en: "While the account exists; erased when it is deleted")
        case .days(let days, _): Localized(fr: "\(days) jours, puis supprimé automatiquement", en: "\(days) days, then deleted automatically")
        case .cooperativeRecords(let years):
            Localized(fr: "\(years) ans (archives de la coopérative), rattaché à un pseudonyme après suppression du compte",
                      en: "\(years) years (cooperative records), linked to a pseudonym once the account is deleted")
        }
    }
}

public enum DataRegister {
    /// Columns of a table that nobody has declared: a personal-data field must not slip in unnoticed.
    public static func undeclared(table: String, columns: [String], in register: [TableRegister]) -> [String] {
        guard let entry = register.first(where: { $0.table == table }) else { return columns }
        return columns.filter { !entry.declaredColumns.contains($0) }
    }
}
