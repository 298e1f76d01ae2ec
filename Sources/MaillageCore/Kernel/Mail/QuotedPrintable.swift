/// RFC 2045 §6.7 quoted-printable, for the text and HTML parts: readable where the text is
/// ASCII, any length of line carried in lines of at most 76 characters.
public enum QuotedPrintable {
    public static let lineWidth = 76

    /// The UTF-8 of `text` encoded, its line breaks (CRLF, LF or CR alike) written as CRLF, with
    /// soft line breaks (`=` at the end of a line) wherever a line is longer than 76 characters.
    /// A line starting with "From " gets its F encoded: some mail stores would otherwise prefix it
    /// with `>`. A line starting with "." stays as it is: SMTP's dot-stuffing protects it.
    public static func encode(_ text: String) -> String {
        lines(of: text).map(encodeLine).joined(separator: "\r\n")
    }

    /// The lines of a text, whichever line breaks it uses.
    public static func lines(of text: String) -> [Substring] {
        // Swift counts "\r\n" as one Character, so splitting on all three ends every line once.
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" })
    }

    private static func encodeLine(_ line: Substring) -> String {
        let bytes = Array(line.utf8)
        let startsWithFrom = line.hasPrefix("From ")
        var output = ""
        var width = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal: Bool
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): literal = !isLast  // trailing white space is dropped in transit
            case UInt8(ascii: "="): literal = false
            case 33...126: literal = !(index == 0 && startsWithFrom)
            default: literal = false
            }
            let piece = literal ? String(UnicodeScalar(byte)) : escape(byte)
            // The last piece may fill the line; any other must leave room for the soft break's "=".
            if width + piece.count > (isLast ? lineWidth : lineWidth - 1) {
                output += "=\r\n"
                width = 0
            }
            output += piece
            width += piece.count
        }
        return output
    }

    private static let hex = Array("0123456789ABCDEF")

    private static func escape(_ byte: UInt8) -> String {
        "=" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
    }
}
