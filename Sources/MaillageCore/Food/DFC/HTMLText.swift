import Foundation

/// Descriptions other platforms publish as HTML (Shopify tables, `<p>`, `<br>`, comments) read as
/// plain text with paragraphs: pages show descriptions as text, so markup kept as it is would
/// show as literal tags. Not an HTML parser: tags are dropped, block tags end a line, entities
/// are decoded, a link keeps its address after its text.
public enum HTMLText {
    /// Tags after which the text goes on a new paragraph.
    static let blocks: Set<String> = ["p", "div", "table", "tbody", "thead", "tr", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                                      "blockquote", "section", "article", "header", "footer", "pre", "dl", "hr"]
    /// Tags after which the text goes on a new line of the same paragraph.
    static let lines: Set<String> = ["br", "li", "dt", "dd"]
    /// Tags whose content is not text to read.
    static let hidden: Set<String> = ["script", "style", "head", "title", "template", "noscript"]

    /// Whether `text` holds markup at all: plain text is kept exactly as written.
    public static func looksLikeHTML(_ text: String) -> Bool {
        text.range(of: #"<(/?[A-Za-z][A-Za-z0-9]*)(\s[^>]*)?/?>|<!--|&[a-zA-Z]+;|&#[0-9]+;"#, options: .regularExpression) != nil
    }

    /// The most characters read: far more than a description keeps, so a huge one costs little.
    static let readLimit = 100_000

    public static func plain(_ html: String) -> String {
        let html = html.count > readLimit ? String(html.prefix(readLimit)) : html
        guard looksLikeHTML(html) else { return html.trimmingCharacters(in: .whitespacesAndNewlines) }
        var out = "", index = html.startIndex
        var hiddenDepth = 0
        var link: String?
        while index < html.endIndex {
            let character = html[index]
            let next = html.index(after: index) < html.endIndex ? html[html.index(after: index)] : " "
            if character == "<", next.isLetter || next == "/" || next == "!" {
                if html[index...].hasPrefix("<!--") {
                    index = html.range(of: "-->", range: index..<html.endIndex)?.upperBound ?? html.endIndex
                    continue
                }
                guard let close = html[index...].firstIndex(of: ">") else { out.append(contentsOf: html[index...]); break }
                let inside = html[html.index(after: index)..<close]
                index = html.index(after: close)
                let closing = inside.hasPrefix("/")
                let name = inside.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
                if hidden.contains(name) { hiddenDepth = max(0, hiddenDepth + (closing ? -1 : 1)); continue }
                // A list item or a break starts a line; only blocks end one (else each item would be a paragraph).
                if blocks.contains(name) { out.append("\n\n") } else if lines.contains(name), !closing { out.append("\n") }
                if name == "li", !closing { out.append("• ") }
                if name == "td" || name == "th" { out.append(" ") }
                if name == "a" {
                    if closing, let address = link { out.append(" (\(address))"); link = nil }
                    if !closing { link = attribute("href", in: String(inside)).flatMap { $0.hasPrefix("http") ? $0 : nil } }
                }
                continue
            }
            if hiddenDepth == 0 {
                if character == "&", let semicolon = html[index...].prefix(12).firstIndex(of: ";"),
                   let decoded = entity(String(html[html.index(after: index)..<semicolon])) {
                    out.append(decoded)
                    index = html.index(after: semicolon)
                    continue
                }
                out.append(character)
            }
            index = html.index(after: index)
        }
        return tidy(out)
    }

    /// One space between words, lines trimmed, at most one blank line between paragraphs.
    static func tidy(_ text: String) -> String {
        var paragraphs: [String] = [], current: [String] = []
        for line in text.replacingOccurrences(of: "\u{00A0}", with: " ").replacingOccurrences(of: "\r", with: "").split(separator: "\n", omittingEmptySubsequences: false) {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            if words.isEmpty {
                if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")); current = [] }
            } else {
                current.append(words)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: "\n")) }
        return paragraphs.joined(separator: "\n\n")
    }

    static func attribute(_ name: String, in tag: String) -> String? {
        guard let range = tag.range(of: #"\#(name)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)"#, options: [.regularExpression, .caseInsensitive]) else { return nil }
        let value = tag[range].drop { $0 != "=" }.dropFirst().trimmingCharacters(in: .whitespaces)
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
    }

    static func entity(_ name: String) -> String? {
        let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "rsquo": "’", "lsquo": "‘",
                     "rdquo": "”", "ldquo": "“", "hellip": "…", "ndash": "–", "mdash": "—", "eacute": "é", "egrave": "è",
                     "agrave": "à", "ccedil": "ç", "euro": "€", "pound": "£", "deg": "°"]
        if let value = named[name] { return value }
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let code = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
        return code.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
    }
}
