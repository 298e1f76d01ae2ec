import Foundation

/// Numbers and counted words as readers write them: "60,6 %" and "1 sociétaire actif" in French,
/// "60.6 %" and "1 active member" in English.
public enum NumberText {
    /// A decimal with `digits` figures after the separator: a comma in French ("8,00"), a point in English.
    public static func decimal(_ value: Double, digits: Int, _ language: Language) -> String {
        let text = String(format: "%.\(max(0, digits))f", value)
        return language == .fr ? text.replacingOccurrences(of: ".", with: ",") : text
    }

    /// A percentage: "60,6 %" in French (a no-break space before the sign, as French typography
    /// wants), "60.6%" in English.
    public static func percent(_ value: Double, digits: Int = 1, _ language: Language) -> String {
        language == .fr ? decimal(value, digits: digits, language) + "\u{00A0}%" : decimal(value, digits: digits, language) + "%"
    }
}

/// Counted words in the reader's language, without "(s)".
public enum Plural {
    /// Whether a count takes the singular: 0 and 1 in French ("0 produit", "1 produit"), only 1 in English.
    public static func isSingular(_ count: Int, _ language: Language) -> Bool {
        language == .fr ? abs(count) < 2 : abs(count) == 1
    }

    /// The word alone for `count`: `word(2, "sociétaire actif", "sociétaires actifs", .fr)` → "sociétaires actifs".
    public static func word(_ count: Int, _ singular: String, _ plural: String, _ language: Language) -> String {
        isSingular(count, language) ? singular : plural
    }

    /// The count and its word: "1 sociétaire actif", "2 sociétaires actifs".
    public static func count(_ count: Int, _ singular: String, _ plural: String, _ language: Language) -> String {
        "\(count) " + word(count, singular, plural, language)
    }

    /// The same, with words for both languages: `count(n, fr: ("produit", "produits"), en: ("product", "products"), language)`.
    public static func count(_ count: Int, fr: (String, String), en: (String, String), _ language: Language) -> String {
        language == .fr ? Self.count(count, fr.0, fr.1, .fr) : Self.count(count, en.0, en.1, .en)
    }
}

extension SearchText {
    /// The key a name is sorted by, the same on SQLite and PostgreSQL (byte order of the folded
    /// text): case and accents folded, so "Céleri" comes before "Cuisses" and "Écoles" after "Eau",
    /// as in a French dictionary. Leading spaces and quotes are ignored.
    public static func sortKey(_ name: String) -> String {
        let folded = fold(name)
        let trimmed = folded.drop(while: { $0.isWhitespace || "\"'«»“”‘’".contains($0) })
        return String(trimmed)
    }
}

extension LocalDate {
    static let monthsFR = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
    static let monthsEN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The date in words, month abbreviated: "16 déc. 2026", "1 Jan 2027" (the first of a month
    /// is "1er" in French).
    public func words(_ language: Language) -> String {
        switch language {
        case .fr: "\(day == 1 ? "1er" : String(day)) \(Self.monthsFR[month - 1]) \(year)"
        case .en: "\(day) \(Self.monthsEN[month - 1]) \(year)"
        }
    }
}
