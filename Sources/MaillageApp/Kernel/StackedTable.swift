import Foundation
import Plot

/// Wide tables on a phone: wrapped in `StackedTable.node`, a table gets the class `stack` and
/// each body cell the name of its column (`data-label`, from the table's `thead`). At 600 px and
/// below the stylesheet shows each row as a card, each cell under its column's name; wider, it
/// stays a table. Screen readers keep the table's own headers.
enum StackedTable {
    static func node(_ table: Node<HTML.BodyContext>) -> Node<HTML.BodyContext> {
        .raw(labelled(table.render()))
    }

    /// The rendered table with its class and its cells' labels (HTML as Plot writes it).
    static func labelled(_ html: String) -> String {
        guard let tableStart = html.range(of: "<table") else { return html }
        var out = html
        // The class: added to the first table tag, or merged into its class attribute.
        let tagEnd = out[tableStart.upperBound...].firstIndex(of: ">") ?? out.endIndex
        let tag = out[tableStart.lowerBound..<tagEnd]
        if let cls = tag.range(of: "class=\"") {
            out.insert(contentsOf: "stack ", at: cls.upperBound)
        } else {
            out.insert(contentsOf: " class=\"stack\"", at: tableStart.upperBound)
        }
        guard let headStart = out.range(of: "<thead"), let headEnd = out.range(of: "</thead>"),
              let bodyStart = out.range(of: "<tbody", range: headEnd.upperBound..<out.endIndex) else { return out }
        let labels = cells(in: String(out[headStart.upperBound..<headEnd.lowerBound]), tags: ["<th"]).map { text(of: $0) }
        guard !labels.isEmpty else { return out }
        let bodyEnd = out.range(of: "</tbody>", range: bodyStart.upperBound..<out.endIndex)?.lowerBound ?? out.endIndex
        let body = String(out[bodyStart.lowerBound..<bodyEnd])
        var labelledBody = ""
        var rest = Substring(body)
        var column = 0
        while let next = nextTag(in: rest) {
            labelledBody += rest[rest.startIndex..<next.range.lowerBound]
            labelledBody += rest[next.range]
            switch next.kind {
            case .row: column = 0
            case .cell:
                if column < labels.count, !labels[column].isEmpty { labelledBody += " data-label=\"\(labels[column])\"" }
                column += 1
            }
            rest = rest[next.range.upperBound...]
        }
        labelledBody += rest
        out.replaceSubrange(bodyStart.lowerBound..<bodyEnd, with: labelledBody)
        return out
    }

    private enum Kind { case row, cell }

    /// The next `<tr`, `<td` or `<th` opening (not `<thead`, `<tbody`), its name's range.
    private static func nextTag(in text: Substring) -> (range: Range<Substring.Index>, kind: Kind)? {
        var search = text.startIndex
        while let open = text[search...].firstIndex(of: "<") {
            let name = text[open...].prefix(4)
            if name.count == 4, let last = name.last, last == " " || last == ">" {
                let kind: Kind? = switch name.prefix(3) { case "<tr": .row; case "<td", "<th": .cell; default: nil }
                if let kind { return (open..<text.index(open, offsetBy: 3), kind) }
            }
            search = text.index(after: open)
        }
        return nil
    }

    /// The header cells' openings-to-closings of a `thead`.
    private static func cells(in head: String, tags: [String]) -> [String] {
        head.components(separatedBy: "<th").dropFirst().compactMap { piece in
            guard let first = piece.first, first == " " || first == ">" else { return nil }
            return piece.components(separatedBy: "</th>").first
        }
    }

    /// A header cell's text, without its tags (already escaped by Plot; quotes escaped for the attribute).
    private static func text(of cell: String) -> String {
        guard let start = cell.firstIndex(of: ">") else { return "" }
        var inner = String(cell[cell.index(after: start)...])
        while let open = inner.range(of: "<"), let close = inner.range(of: ">", range: open.upperBound..<inner.endIndex) {
            inner.removeSubrange(open.lowerBound..<close.upperBound)
        }
        return inner.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\"", with: "&quot;")
    }
}
