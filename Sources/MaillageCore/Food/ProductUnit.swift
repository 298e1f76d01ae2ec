import Foundation

/// What a product is sold by. A variant's `Measure` counts this unit ("1 kg", "0,5 kg", "6 pièces").
public enum ProductUnit: String, Sendable, Hashable, Codable, CaseIterable {
    case kilogram, gram, litre, millilitre, piece

    public var label: Localized {
        switch self {
        case .kilogram: Localized(fr: "kg", en: "kg")
        case .gram: Localized(fr: "g", en: "g")
        case .litre: Localized(fr: "L", en: "L")
        case .millilitre: Localized(fr: "mL", en: "mL")
        case .piece: Localized(fr: "pièce", en: "piece")
        }
    }

    /// Reads the words producers write in French or English ("kg", "kilo", "litre", "pièce",
    /// "unité", "pc"…), ignoring case, accents and a plural "s".
    public static func parse(_ raw: String) -> ProductUnit? {
        var word = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR"))
            .lowercased()
        if word.hasSuffix("."), word.count > 1 { word.removeLast() }
        if let unit = aliases[word] { return unit }
        if word.hasSuffix("s"), let unit = aliases[String(word.dropLast())] { return unit }
        return nil
    }

    private static let aliases: [String: ProductUnit] = [
        "kg": .kilogram, "kilo": .kilogram, "kilogramme": .kilogram, "kilogram": .kilogram,
        "g": .gram, "gr": .gram, "gramme": .gram, "gram": .gram,
        "l": .litre, "litre": .litre, "liter": .litre,
        "ml": .millilitre, "millilitre": .millilitre, "milliliter": .millilitre,
        "piece": .piece, "pc": .piece, "pce": .piece, "unite": .piece, "unit": .piece, "u": .piece,
    ]
}

/// An amount of a product's unit, to the thousandth, without floating point: 1 500 thousandths
/// of a kilogram is 1,5 kg. Always positive once validated.
public struct Measure: Sendable, Hashable, Codable, Comparable {
    public let thousandths: Int64

    public init(thousandths: Int64) { self.thousandths = thousandths }
    public static func whole(_ units: Int64) -> Measure { Measure(thousandths: units * 1000) }

    public static func < (lhs: Measure, rhs: Measure) -> Bool { lhs.thousandths < rhs.thousandths }

    /// Reads "1", "1,5", "0.250"; nil for anything else, more than three decimals, or a value
    /// above a million units.
    public static func parse(_ raw: String) -> Measure? {
        let text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !text.isEmpty, parts[0].count <= 7,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        let whole = Int64(parts[0].isEmpty ? "0" : String(parts[0])) ?? 0
        var fraction: Int64 = 0
        if parts.count == 2 {
            var digits = String(parts[1])
            while digits.count > 3, digits.hasSuffix("0") { digits.removeLast() }
            guard !digits.isEmpty, digits.count <= 3,
                  let value = Int64(digits.padding(toLength: 3, withPad: "0", startingAt: 0)) else { return nil }
            fraction = value
        }
        guard whole <= 1_000_000 else { return nil }
        return Measure(thousandths: whole * 1000 + fraction)
    }

    /// "1,5" in French, "1.5" in English; `plain` is the English form for CSV and DFC.
    public func formatted(_ language: Language) -> String { text(separator: language == .fr ? "," : ".") }
    public var plain: String { text(separator: ".") }

    private func text(separator: String) -> String {
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = thousandths.magnitude
        let whole = magnitude / 1000, rest = magnitude % 1000
        guard rest > 0 else { return "\(sign)\(whole)" }
        var digits = String(rest)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(whole)\(separator)\(digits)"
    }
}
