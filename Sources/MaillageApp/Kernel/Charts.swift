import Foundation
import MaillageCore
import Plot

/// Small SVG charts, drawn on the server: no script, no third party, readable by screen readers
/// (a title and a description; the figures are always in a table beside). Every text put in the
/// SVG is escaped here, since Plot does not build SVG elements.
enum Charts {
    struct Bar: Sendable {
        var label: String
        var value: Int64
        /// The value as people read it ("1 234,50 €").
        var text: String
    }

    /// Colours with at least 4.5:1 contrast against white, for text and slices alike.
    static let palette = ["#14532d", "#0b5cad", "#7a4d00", "#6b21a8", "#a3161b", "#0f5f5f", "#4a5561"]

    /// Horizontal bars, one per line, scaled to the largest value.
    static func bars(_ bars: [Bar], title: String, description: String) -> Node<HTML.BodyContext> {
        guard !bars.isEmpty else { return .empty }
        let width = 640, labelWidth = 230, valueWidth = 130, rowHeight = 30
        let plot = width - labelWidth - valueWidth - 10
        let top = max(1, bars.map { abs($0.value) }.max() ?? 1)
        let id = "chart-\(abs(title.hashValue) % 1_000_000)"
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(bars.count * rowHeight + 10)\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\">"
        svg += "<title id=\"\(id)-t\">\(escape(title))</title><desc id=\"\(id)-d\">\(escape(description))</desc>"
        for (index, bar) in bars.enumerated() {
            let y = index * rowHeight + 5
            let length = Int((Double(abs(bar.value)) / Double(top) * Double(plot)).rounded())
            let colour = bar.value < 0 ? "#a3161b" : palette[index % palette.count]
            svg += "<text x=\"0\" y=\"\(y + 19)\" font-size=\"14\" fill=\"#1b1f23\">\(escape(clip(bar.label, 30)))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(max(length, 1))\" height=\"\(rowHeight - 10)\" fill=\"\(colour)\" rx=\"3\"/>"
            svg += "<text x=\"\(labelWidth + max(length, 1) + 6)\" y=\"\(y + 19)\" font-size=\"14\" fill=\"#1b1f23\">\(escape(bar.text))</text>"
        }
        svg += "</svg>"
        return .div(.class("chart-box"), .raw(svg))
    }

    /// One bar split in parts (where a payment goes), with a legend. `parts` carry their share
    /// in basis points, which sum to 10 000.
    static func split(_ parts: [(label: String, basisPoints: Int64, text: String)], title: String, language: Language = .fr) -> Node<HTML.BodyContext> {
        let shown = parts.filter { $0.basisPoints > 0 }
        guard !shown.isEmpty else { return .empty }
        let width = 600, id = "split-\(abs(title.hashValue) % 1_000_000)"
        let description = shown.map { "\($0.label) : \($0.text)" }.joined(separator: " ; ")
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(40 + shown.count * 24)\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\">"
        svg += "<title id=\"\(id)-t\">\(escape(title))</title><desc id=\"\(id)-d\">\(escape(description))</desc>"
        var x = 0
        for (index, part) in shown.enumerated() {
            let length = index == shown.count - 1 ? width - x : Int(Double(part.basisPoints) / 10_000 * Double(width))
            svg += "<rect x=\"\(x)\" y=\"0\" width=\"\(max(length, 0))\" height=\"28\" fill=\"\(palette[index % palette.count])\"/>"
            x += length
        }
        for (index, part) in shown.enumerated() {
            let y = 40 + index * 24
            let percent = NumberText.percent(Double(part.basisPoints) / 100, digits: 1, language)
            svg += "<rect x=\"0\" y=\"\(y)\" width=\"16\" height=\"16\" fill=\"\(palette[index % palette.count])\"/>"
            svg += "<text x=\"24\" y=\"\(y + 13)\" font-size=\"14\" fill=\"#1b1f23\">\(escape("\(part.label) — \(part.text) (\(percent))"))</text>"
        }
        svg += "</svg>"
        return .div(.class("chart-box"), .raw(svg))
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func clip(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
