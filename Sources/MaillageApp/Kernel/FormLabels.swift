import Foundation
import MaillageCore
import NIOConcurrencyHelpers
import Plot

/// What each page form calls its fields, read from the form itself the first time it is drawn
/// (per address, with ids and numbers taken out, and per language). A form sent back after it
/// expired (`ExpiredForm`) is shown with the labels the person saw, not the fields' names.
enum FormLabels {
    private static let known = NIOLockedValueBox([String: [String: String]]())

    /// Called by `Form.post`; reads the form's labels only when its address is new.
    static func remember(action: String, language: Language, nodes: [Node<HTML.FormContext>]) {
        let key = self.key(action, language)
        guard known.withLockedValue({ $0[key] == nil }) else { return }
        let labels = read(Node<HTML.BodyContext>.form(.group(nodes)).render())
        known.withLockedValue { $0[key] = labels }
    }

    /// The labels of the form posted to `path`, by field name; empty if it was not drawn since the
    /// instance started.
    static func labels(for path: String, language: Language) -> [String: String] {
        known.withLockedValue { $0[key(path, language)] } ?? [:]
    }

    /// `/c/ma-coop/exchange/3f2a…/edit` and `/c/ma-coop/exchange/9b1c…/edit` are one form.
    static func key(_ path: String, _ language: Language) -> String {
        let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        let segments = bare.split(separator: "/", omittingEmptySubsequences: false).map { segment -> Substring in
            UUID(uuidString: String(segment)) != nil || (!segment.isEmpty && segment.allSatisfy(\.isNumber)) ? ":id" : segment
        }
        return language.rawValue + " " + segments.joined(separator: "/")
    }

    /// `<label for="x">Text</label>` joined to the control whose `id` is `x`, by its `name`.
    static func read(_ html: String) -> [String: String] {
        let labelPattern = try! NSRegularExpression(pattern: #"<label[^>]*\bfor="([^"]+)"[^>]*>(.*?)</label>"#, options: [.dotMatchesLineSeparators])
        let controlPattern = try! NSRegularExpression(pattern: #"<(?:input|select|textarea)\b([^>]*)>"#)
        let range = NSRange(html.startIndex..., in: html)
        func group(_ match: NSTextCheckingResult, _ index: Int) -> String {
            Range(match.range(at: index), in: html).map { String(html[$0]) } ?? ""
        }
        var byID: [String: String] = [:]
        for match in labelPattern.matches(in: html, range: range) {
            let text = group(match, 2).replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
            byID[group(match, 1)] = decode(text).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var byName: [String: String] = [:]
        for match in controlPattern.matches(in: html, range: range) {
            let attributes = group(match, 1)
            guard let id = attribute("id", in: attributes), let name = attribute("name", in: attributes),
                  let label = byID[id], byName[name] == nil else { continue }
            byName[name] = label
        }
        return byName
    }

    private static func attribute(_ name: String, in attributes: String) -> String? {
        guard let range = attributes.range(of: #"\b\#(name)="([^"]*)""#, options: .regularExpression) else { return nil }
        let found = attributes[range]
        return decode(String(found.dropFirst(name.count + 2).dropLast()))
    }

    private static func decode(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
