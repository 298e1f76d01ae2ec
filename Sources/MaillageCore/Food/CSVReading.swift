import Foundation

extension CSV {
    /// One record of a CSV file and the line it starts on (1 = the first line), for error reports.
    public struct Record: Sendable, Hashable {
        public let line: Int
        public let fields: [String]
    }

    /// Reads CSV as people's spreadsheets write it: RFC 4180 quoting (a quoted field may hold
    /// separators, doubled quotes and line breaks), CRLF, LF or CR line ends, a leading UTF-8
    /// byte order mark, and `;` as well as `,` — French Excel writes `;` because `,` is the
    /// decimal separator. Without `separator`, the one found most often outside quotes on the
    /// first line wins (`;`, `,` or tab). Blank lines are skipped. Lenient on purpose: a stray
    /// quote inside an unquoted field is kept as text, an unclosed quote runs to the end.
    public static func parse(_ text: String, separator: Unicode.Scalar? = nil) -> [Record] {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        let separator = separator ?? detectSeparator(scalars)
        var records: [Record] = []
        var fields: [String] = [], field = String.UnicodeScalarView()
        var line = 1, recordLine = 1
        var quoted = false, wasQuoted = false
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            fields.append(String(field))
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = String.UnicodeScalarView()
            wasQuoted = false
        }
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    let next = iterator.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    if scalar == "\n" || scalar == "\r" { line += 1 }
                    if scalar == "\r" {
                        // A CRLF inside quotes is one line break, kept as "\n".
                        let next = iterator.next()
                        if next != "\n" { pending = next }
                        field.append("\n")
                    } else {
                        field.append(scalar)
                    }
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !wasQuoted:
                quoted = true
                wasQuoted = true
            case separator:
                fields.append(String(field))
                field = String.UnicodeScalarView()
                wasQuoted = false
            case "\r", "\n":
                if scalar == "\r" {
                    let next = iterator.next()
                    if next != "\n" { pending = next }
                }
                endRecord()
                line += 1
                recordLine = line
            default:
                field.append(scalar)
            }
        }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }

    static func detectSeparator(_ scalars: Substring.UnicodeScalarView) -> Unicode.Scalar {
        let candidates: [Unicode.Scalar] = [";", ",", "\t"]
        var counts = candidates.map { _ in 0 }
        var quoted = false
        for scalar in scalars {
            if scalar == "\"" { quoted.toggle() }
            if !quoted && (scalar == "\n" || scalar == "\r") { break }
            if !quoted, let index = candidates.firstIndex(of: scalar) { counts[index] += 1 }
        }
        // Ties go to the earlier candidate; a header without any separator is one column.
        var best = 1
        for index in candidates.indices where counts[index] > counts[best] || (counts[index] == counts[best] && index < best && counts[index] > 0) {
            best = index
        }
        return candidates[best]
    }
}
