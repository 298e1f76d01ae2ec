/// What an account counts in. Every amount is a whole number of the unit's smallest part, so the
/// ledger never rounds: euro cents, barter cents, minutes of time.
///
/// `BARTER` is kept in hundredths of a unit, like the euro it is worth (1 unit = 1 €, the France
/// Barter convention): a 5 % commission on 10,50 units is 0,53 units, not a rounding of whole
/// units, and a barter price reads the same as the euro price it replaces.
public enum UnitOfAccount: String, Sendable, Hashable, CaseIterable, Codable {
    case eur = "EUR"
    case barter = "BARTER"
    case hour = "HOUR"

    /// The code stored beside every amount (`EUR`, `BARTER`, `HOUR`).
    public var code: String { rawValue }

    /// How many stored units make one unit people speak of: 100 cents, 100 barter cents, 60 minutes.
    public var minorPerMajor: Int64 {
        switch self {
        case .eur, .barter: 100
        case .hour: 60
        }
    }

    public var label: Localized {
        switch self {
        case .eur: Localized(fr: "Euros", en: "Euros")
        case .barter: Localized(fr: "Unités de troc (1 unité = 1 €)", en: "Barter units (1 unit = €1)")
        case .hour: Localized(fr: "Heures (banque de temps)", en: "Hours (time bank)")
        }
    }

    /// The name of the stored minor unit, for column headers ("centimes", "minutes").
    public var minorLabel: Localized {
        switch self {
        case .eur: Localized(fr: "centimes d’euro", en: "euro cents")
        case .barter: Localized(fr: "centièmes d’unité de troc", en: "hundredths of a barter unit")
        case .hour: Localized(fr: "minutes", en: "minutes")
        }
    }

    /// Formats a stored value for people.
    /// EUR: "1 234,50 €" / "€1,234.50"; BARTER: "12,50 unités troc" / "12.50 barter units";
    /// HOUR: "2 h 05" / "2 h 05 min".
    public func format(_ minor: Int64, _ language: Language) -> String {
        switch self {
        case .eur:
            return Euros.format(cents: minor, language)
        case .barter:
            let number = Self.decimal(minor, language)
            // French takes the singular below two ("1,50 unité"); English only for exactly one.
            switch language {
            case .fr: return "\(number)\u{00A0}\(minor.magnitude < 200 ? "unité" : "unités") troc"
            case .en: return "\(number) barter \(minor.magnitude == 100 ? "unit" : "units")"
            }
        case .hour:
            let sign = minor < 0 ? "-" : ""
            let hours = Self.group(minor.magnitude / 60, language)
            let rest = minor.magnitude % 60
            let minutes = rest < 10 ? "0\(rest)" : "\(rest)"
            switch language {
            case .fr: return "\(sign)\(hours)\u{00A0}h\u{00A0}\(minutes)"
            case .en: return "\(sign)\(hours) h \(minutes) min"
            }
        }
    }

    /// A plain, machine-readable figure in the major unit, the same in every language, for CSV
    /// and JSON: "-12.50" for money, "-2:05" for time (spreadsheets read it as a duration).
    public func plain(_ minor: Int64) -> String {
        let sign = minor < 0 ? "-" : ""
        let whole = minor.magnitude / UInt64(minorPerMajor), rest = minor.magnitude % UInt64(minorPerMajor)
        let padded = rest < 10 ? "0\(rest)" : "\(rest)"
        return self == .hour ? "\(sign)\(whole):\(padded)" : "\(sign)\(whole).\(padded)"
    }

    public static func decimal(_ minor: Int64, _ language: Language) -> String {
        let sign = minor < 0 ? "-" : ""
        let rest = minor.magnitude % 100
        let fraction = rest < 10 ? "0\(rest)" : "\(rest)"
        return "\(sign)\(group(minor.magnitude / 100, language))\(language == .fr ? "," : ".")\(fraction)"
    }

    /// Thousands grouped as `Euros` does: a narrow no-break space in French, a comma in English.
    static func group(_ value: UInt64, _ language: Language) -> String {
        let separator = language == .fr ? "\u{202F}" : ","
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += separator }
            out.append(digit)
        }
        return out
    }
}
