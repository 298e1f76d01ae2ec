/// Comma-separated values as RFC 4180 writes them: fields joined by commas, rows ended by CRLF,
/// a field holding a comma, quote or line break quoted with its quotes doubled.
/// Text that starts with = + - @ (or a tab or carriage return) is prefixed with a quote so a
/// spreadsheet shows it instead of running it as a formula (OWASP "CSV injection"); figures
/// we produce ourselves ("-12.50", "-2:05") stay numbers, and anything else passed as a figure
/// is treated as text.
public enum CSV {
    public enum Field: Sendable, Hashable {
        case text(String)
        case figure(String)
    }

    public static func render(_ rows: [[Field]]) -> String {
        rows.map { $0.map(escape).joined(separator: ",") + "\r\n" }.joined()
    }

    public static func escape(_ field: Field) -> String {
        var value: String
        switch field {
        case .figure(let figure) where isFigure(figure): value = figure
        case .figure(let text), .text(let text):
            value = text
            if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// An optional minus, digits, and at most one "." or ":" followed by digits.
    static func isFigure(_ text: String) -> Bool {
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = body.split(omittingEmptySubsequences: false) { $0 == "." || $0 == ":" }
        return (1...2).contains(parts.count)
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
