import Foundation

/// What the carpool proof registry (*registre de preuve de covoiturage*) needs to recognise a
/// person across operators without learning their name: a phone number in E.164 and a legal last
/// name written the registry's way, hashed together (`identity_key`).
public enum ProofIdentity {
    /// Mobile prefixes of the overseas departments, dialled from France as 06 / 07 but with a
    /// country code of their own in E.164 (the registry's example: +590690101010).
    static let overseas: [(prefix: String, code: String)] = [
        ("0690", "590"), ("0691", "590"), ("0694", "594"), ("0696", "596"), ("0697", "596"),
        ("0692", "262"), ("0693", "262"), ("0639", "262"),
    ]

    /// A phone number as typed ("06 01 02 03 04", "+33 6 01 02 03 04", "0033601020304",
    /// "+33 (0)6…") in E.164 ("+33601020304"); nil when it is not one.
    public static func phone(_ typed: String) -> String? {
        var text = typed.replacingOccurrences(of: "(0)", with: "")
        text = text.filter { !" .-/()\u{00A0}\u{202F}".contains($0) }
        if text.hasPrefix("00") { text = "+" + text.dropFirst(2) }
        if text.hasPrefix("+") {
            let digits = text.dropFirst()
            guard digits.allSatisfy(\.isASCIIDigit), (8...15).contains(digits.count), digits.first != "0" else { return nil }
            // "+33 0 6…": a trunk zero kept after the country code.
            if digits.hasPrefix("330"), digits.count == 12 { return "+33" + digits.dropFirst(3) }
            if digits.hasPrefix("33"), digits.count != 11 { return nil }
            return "+" + digits
        }
        guard text.count == 10, text.allSatisfy(\.isASCIIDigit), text.hasPrefix("0"), text.dropFirst().first != "0" else { return nil }
        if let overseas = overseas.first(where: { text.hasPrefix($0.prefix) }) { return "+" + overseas.code + text.dropFirst() }
        return "+33" + text.dropFirst()
    }

    /// The last name the registry's way: capitals without accents, a space for each hyphen,
    /// apostrophe or other sign (`[A-Z ]*`): "D'Hérûg-de-l'Hérault" → "D HERUG DE L HERAULT".
    public static func lastName(_ typed: String) -> String {
        var out = ""
        for scalar in typed.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: continue
            default: break
            }
            let upper = String(scalar).uppercased()
            switch upper {
            case "Œ": out += "OE"
            case "Æ": out += "AE"
            case "SS", "ẞ": out += "SS"
            case "Ø": out += "O"
            case "Ł": out += "L"
            case "Đ", "Ð": out += "D"
            default:
                out += upper.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) ? upper : " "
            }
        }
        return out.split(separator: " ").joined(separator: " ")
    }

    /// The text whose SHA-256 is `identity_key`: `+33701020304-D HERUG DE L HERAULT`.
    public static func keySource(phone: String, lastName: String) -> String { "\(phone)-\(lastName)" }

    /// The number without its last two digits (`phone_trunc`: "+336010203").
    public static func truncated(_ phone: String) -> String { String(phone.dropLast(2)) }

    /// Lower-case hexadecimal, as `identity_key` is written.
    public static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
