import Foundation

/// The text rules of iCalendar (RFC 5545 §3.1, §3.3.11) that every feed needs: escaping,
/// folding long lines, UTC timestamps.
public enum ICalendarText {
    /// Lines end with CRLF (§3.1).
    public static let lineBreak = "\r\n"
    /// A content line holds at most 75 octets before its line break (§3.1).
    public static let maximumOctets = 75

    /// Escapes a TEXT value (§3.3.11): backslash, semicolon and comma get a backslash; any line
    /// break becomes `\n`; other control characters, which TEXT forbids, are dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }
            case "\t": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Folds one content line (given without its line break) into lines of at most 75 octets,
    /// each continuation starting with a space (§3.1). Cuts fall between Unicode scalars, never
    /// inside a multi-byte UTF-8 sequence. The result has no trailing line break.
    public static func fold(_ line: String) -> String {
        var out = ""
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > maximumOctets {
                out += lineBreak + " "
                octets = 1
            }
            out.unicodeScalars.append(scalar)
            octets += size
        }
        return out
    }

    /// A UTC DATE-TIME (§3.3.5, form 2): "20260329T010000Z". Seconds are truncated.
    public static func utcStamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let day = LocalDate(daysSinceEpoch: days)?.basic ?? "19700101"
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day)T\(two(rest / 3600))\(two(rest % 3600 / 60))\(two(rest % 60))Z"
    }
}
