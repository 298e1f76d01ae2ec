import Foundation
import MaillageCore

/// Enough YAML to read the OpenAPI documents standards publish (block mappings and sequences,
/// plain, quoted and block scalars, empty flow collections) as `SchemaJSON`, so that their
/// schemas can check our answers. Not a general YAML reader: no anchors, tags or flow mappings.
enum YAMLSubset {
    struct Line { var indent: Int; var text: String }

    static func read(_ text: String) -> SchemaJSON {
        var lines: [Line] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw).replacingOccurrences(of: "\r", with: "")
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            lines.append(Line(indent: line.prefix { $0 == " " }.count, text: trimmed))
        }
        var index = 0
        return lines.isEmpty ? .null : node(&lines, &index, indent: lines[0].indent)
    }

    static func node(_ lines: inout [Line], _ i: inout Int, indent: Int) -> SchemaJSON {
        guard i < lines.count else { return .null }
        return isItem(lines[i].text) ? sequence(&lines, &i, indent: indent) : mapping(&lines, &i, indent: indent)
    }

    static func isItem(_ text: String) -> Bool { text == "-" || text.hasPrefix("- ") }

    static func sequence(_ lines: inout [Line], _ i: inout Int, indent: Int) -> SchemaJSON {
        var items: [SchemaJSON] = []
        while i < lines.count, lines[i].indent == indent, isItem(lines[i].text) {
            let rest = String(lines[i].text.dropFirst(1)).trimmingCharacters(in: .whitespaces)
            if rest.isEmpty {
                i += 1
                items.append(i < lines.count && lines[i].indent > indent ? node(&lines, &i, indent: lines[i].indent) : .null)
            } else if split(rest) != nil {
                // "- key: value": a mapping whose keys line up after the dash.
                let inner = indent + (lines[i].text.count - rest.count)
                lines[i] = Line(indent: inner, text: rest)
                items.append(mapping(&lines, &i, indent: inner))
            } else {
                i += 1
                items.append(scalar(rest))
            }
        }
        return .array(items)
    }

    static func mapping(_ lines: inout [Line], _ i: inout Int, indent: Int) -> SchemaJSON {
        var object: [String: SchemaJSON] = [:]
        while i < lines.count, lines[i].indent == indent, !isItem(lines[i].text), let (key, value) = split(lines[i].text) {
            i += 1
            if value.isEmpty {
                if i < lines.count, lines[i].indent > indent {
                    object[key] = node(&lines, &i, indent: lines[i].indent)
                } else if i < lines.count, lines[i].indent == indent, isItem(lines[i].text) {
                    object[key] = sequence(&lines, &i, indent: indent)
                } else {
                    object[key] = .null
                }
            } else if ["|", "|-", "|+", ">", ">-", ">+"].contains(value) {
                var parts: [String] = []
                while i < lines.count, lines[i].indent > indent { parts.append(lines[i].text); i += 1 }
                object[key] = .string(parts.joined(separator: value.hasPrefix("|") ? "\n" : " "))
            } else {
                // A plain scalar may go on over more indented lines.
                var text = value
                while i < lines.count, lines[i].indent > indent { text += " " + lines[i].text; i += 1 }
                object[key] = scalar(text)
            }
        }
        return .object(object)
    }

    /// "key: value" or "key:", the key plain or quoted; nil for a line that is no mapping entry.
    static func split(_ text: String) -> (String, String)? {
        var quote: Character?
        var previous: Character = " "
        for (offset, character) in text.enumerated() {
            if let open = quote {
                if character == open { quote = nil }
            } else if (character == "\"" || character == "'") && offset == 0 {
                quote = character
            } else if character == ":" && previous != " " {
                let after = text.index(text.startIndex, offsetBy: offset + 1)
                if after == text.endIndex || text[after] == " " {
                    var key = String(text[..<text.index(text.startIndex, offsetBy: offset)])
                    if key.count >= 2, let first = key.first, first == "\"" || first == "'", key.last == first { key = String(key.dropFirst().dropLast()) }
                    return (key, String(text[after...]).trimmingCharacters(in: .whitespaces))
                }
            }
            previous = character
        }
        return nil
    }

    static func scalar(_ text: String) -> SchemaJSON {
        if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
            let inner = String(text.dropFirst().dropLast())
            return .string(first == "'" ? inner.replacingOccurrences(of: "''", with: "'") : inner)
        }
        switch text {
        case "[]": return .array([])
        case "{}": return .object([:])
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null", "~": return .null
        default: break
        }
        if text.hasPrefix("[") && text.hasSuffix("]") {
            return .array(text.dropFirst().dropLast().split(separator: ",").map { scalar($0.trimmingCharacters(in: .whitespaces)) })
        }
        if let int = Int64(text) { return .int(int) }
        if text.contains("."), let number = Double(text), !text.hasSuffix(".") { return .number(number) }
        return .string(text)
    }

    /// OpenAPI 3.0's `allOf` folded into one schema, which `SchemaValidator` reads: properties and
    /// required fields joined, enums joined (RDEX+ widens an enum this way: `carpoolerType` is the
    /// strict one plus `both`).
    static func foldingAllOf(_ schema: SchemaJSON, in root: SchemaJSON) -> SchemaJSON {
        switch schema {
        case .array(let items): return .array(items.map { foldingAllOf($0, in: root) })
        case .object(var object):
            if case .array(let parts)? = object.removeValue(forKey: "allOf") {
                for part in parts {
                    var member = part
                    if let ref = part.object?["$ref"]?.string, ref.hasPrefix("#/") {
                        member = ref.dropFirst(2).split(separator: "/").reduce(root) { $0.object?[String($1)] ?? .null }
                    }
                    guard case .object(let fields) = foldingAllOf(member, in: root) else { continue }
                    for (key, value) in fields {
                        switch (key, object[key], value) {
                        case ("properties", .object(let mine)?, .object(let theirs)):
                            object[key] = .object(mine.merging(theirs) { a, _ in a })
                        case ("required", .array(let mine)?, .array(let theirs)), ("enum", .array(let mine)?, .array(let theirs)):
                            object[key] = .array(mine + theirs.filter { !mine.contains($0) })
                        default:
                            if object[key] == nil { object[key] = value }
                        }
                    }
                }
            }
            return .object(object.mapValues { foldingAllOf($0, in: root) })
        default: return schema
        }
    }
}
