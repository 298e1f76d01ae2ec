import Foundation

/// Formats cents as euros for people, French or English style, without floating point.
public enum Euros {
    public static func format(cents: Int64, _ language: Language) -> String {
        let sign = cents < 0 ? "-" : ""
        let absolute = cents.magnitude
        let units = absolute / 100
        let rest = absolute % 100
        let fraction = rest < 10 ? "0\(rest)" : "\(rest)"
        let grouped = group(units, separator: language == .fr ? "\u{202F}" : ",")
        switch language {
        case .fr: return "\(sign)\(grouped),\(fraction)\u{00A0}€"
        case .en: return "\(sign)€\(grouped).\(fraction)"
        }
    }

    /// Parses "12", "12,5", "12.50", "1 000,00 €" into cents; nil when it is not an amount.
    public static func parseCents(_ raw: String) -> Int64? {
        var text = raw.replacingOccurrences(of: "€", with: "")
        text.removeAll { $0 == " " || $0 == "\u{00A0}" || $0 == "\u{202F}" }
        text = text.replacingOccurrences(of: ",", with: ".")
        guard !text.isEmpty, text.filter({ $0 == "." }).count <= 1,
              text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard let units = Int64(parts[0].isEmpty ? "0" : String(parts[0])), units < 1_000_000_000_000 else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let fraction = String(parts[1])
            guard fraction.count <= 2 else { return nil }
            cents = Int64(fraction.isEmpty ? "0" : fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        }
        return units * 100 + cents
    }

    private static func group(_ value: UInt64, separator: String) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += separator }
            out.append(digit)
        }
        return out
    }
}
