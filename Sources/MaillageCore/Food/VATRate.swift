import Foundation

/// The VAT rates a food product may carry in mainland France (CGI art. 278 à 281 nonies): 0 for
/// a producer under the *franchise en base*, 5,5 % for most food, 10 % for prepared food to eat
/// at once, 20 % for alcohol, sweets and non-food goods. Prices are shown and stored VAT
/// included (TTC), as a shopper reads them; the VAT part is worked out from them.
public enum VATRate: Int64, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case zero = 0
    case reduced = 550
    case intermediate = 1000
    case standard = 2000

    /// In basis points: 550 = 5,5 %.
    public var basisPoints: Int64 { rawValue }

    public static func < (lhs: VATRate, rhs: VATRate) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The rate as a person writes it: "5,5 %" in French, "5.5%" in English.
    public func formatted(_ language: Language) -> String {
        let percent = percentText(decimalSeparator: language == .fr ? "," : ".")
        return language == .fr ? "\(percent)\u{00A0}%" : "\(percent)%"
    }

    /// "5.5", "20", "0" — the machine-readable percentage used in CSV and DFC documents.
    public var percent: String { percentText(decimalSeparator: ".") }

    private func percentText(decimalSeparator: String) -> String {
        let whole = rawValue / 100, hundredths = rawValue % 100
        if hundredths == 0 { return "\(whole)" }
        let fraction = hundredths % 10 == 0 ? "\(hundredths / 10)" : (hundredths < 10 ? "0\(hundredths)" : "\(hundredths)")
        return "\(whole)\(decimalSeparator)\(fraction)"
    }

    /// Reads "5,5", "5.5 %", "20", "0" (a percentage); nil when it is not one of the French rates.
    public static func parse(_ raw: String) -> VATRate? {
        var text = raw.replacingOccurrences(of: "%", with: "")
        text.removeAll { $0.isWhitespace }
        guard let points = percentToBasisPoints(text) else { return nil }
        return VATRate(rawValue: points)
    }

    /// "5.5" → 550; nil when not a plain decimal with at most two decimals.
    static func percentToBasisPoints(_ text: String) -> Int64? {
        let parts = text.replacingOccurrences(of: ",", with: ".").split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 4,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let whole = Int64(parts[0]) else { return nil }
        var hundredths: Int64 = 0
        if parts.count == 2 {
            // Trailing zeros carry no value: "5.50" is 5,5 %.
            var fraction = String(parts[1])
            while fraction.count > 2, fraction.hasSuffix("0") { fraction.removeLast() }
            guard !fraction.isEmpty, fraction.count <= 2,
                  let value = Int64(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)) else { return nil }
            hundredths = value
        }
        return whole * 100 + hundredths
    }

    /// The VAT contained in a price that includes it: TTC × t / (1 + t), rounded half up to the
    /// cent. Worked out on the total of each rate, not on each line, as a French invoice
    /// summarises its VAT per rate (CGI art. 242 nonies A), so lines never add rounding drift.
    public func vatPart(ofGross grossCents: Int64) -> Int64 {
        guard grossCents > 0 else { return 0 }
        return Apportionment.scale(grossCents, by: rawValue, over: 10_000 + rawValue, rounding: .halfUp)
    }
}
