import Foundation
import MaillageCore

/// The merit profile of a majority-judgment vote as horizontal stacked bars, drawn on the
/// server: one bar per option, one segment per grade (best on the left), a line at half the
/// voters. Colours are attributes (no style sheet needed); the figures are also in a table.
enum MeritProfileChart {
    /// Worst grade first: red to blue through near-white (a diverging scale readable with the
    /// common colour blindnesses); each colour carries the text colour that reads on it (≥ 4.5:1).
    static let colours = ["#b2182b", "#ef8a62", "#fddbc7", "#f2f2f2", "#d1e5f0", "#67a9cf", "#2166ac"]
    static let inks = ["#ffffff", "#1b1f23", "#1b1f23", "#1b1f23", "#1b1f23", "#1b1f23", "#ffffff"]

    static func ink(_ grade: Int, of grades: Int) -> String { inks[colours.firstIndex(of: colour(grade, of: grades)) ?? 0] }

    static func colour(_ grade: Int, of grades: Int) -> String {
        guard grades > 1 else { return colours[0] }
        let index = Int((Double(grade) / Double(grades - 1) * Double(colours.count - 1)).rounded())
        return colours[max(0, min(colours.count - 1, index))]
    }

    /// Each grade's count and share of the option's judgments (weighted ones, in a vote by college).
    static func shares(_ tally: [Int64], judges: Int64) -> [(count: Int64, share: Double)] {
        let total = max(tally.reduce(0, +), 1)
        return tally.map { ($0, Double($0) / Double(total)) }
    }

    /// A vote counted by college weighs each ballot: its tallies are no longer numbers of ballots.
    static func isWeighted(_ report: TallyReport.MajorityJudgment) -> Bool {
        report.colleges != nil || report.options.contains { $0.tally.reduce(0, +) != report.judges }
    }

    static func percent(_ share: Double, _ t: Translator) -> String {
        let text = String(format: "%.1f", share * 100)
        return t(text.replacingOccurrences(of: ".", with: ",") + " %", text + "%")
    }

    /// Each option's name above its bar, so the drawing stays legible on a phone (it scales to
    /// the width of the page).
    static func svg(_ options: [TallyReport.MajorityJudgment.Option], labels: [String], judges: Int64,
                    title: String, description: String) -> String {
        guard !options.isEmpty else { return "" }
        let width = 420, bar = 26, nameHeight = 20, rowHeight = nameHeight + bar + 10
        let legendColumns = 3, legendTop = options.count * rowHeight + 8
        let height = legendTop + ((labels.count + legendColumns - 1) / legendColumns) * 22 + 4
        let id = "merit-" + String(options.map(\.name).joined(separator: "|").unicodeScalars.reduce(UInt32(5381)) { ($0 &* 33) ^ $1.value }, radix: 36)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\">"
        svg += "<title id=\"\(id)-t\">\(Charts.escape(title))</title><desc id=\"\(id)-d\">\(Charts.escape(description))</desc>"
        for (row, option) in options.enumerated() {
            let top = row * rowHeight
            svg += "<text x=\"0\" y=\"\(top + 15)\" font-size=\"14\" font-weight=\"600\" fill=\"#1b1f23\">\(Charts.escape(clip(option.name, 48)))</text>"
            var x = 0.0
            for (grade, part) in shares(option.tally, judges: judges).enumerated().reversed() where part.count > 0 {
                let length = part.share * Double(width)
                svg += "<rect x=\"\(format(x))\" y=\"\(top + nameHeight)\" width=\"\(format(length))\" height=\"\(bar)\" fill=\"\(colour(grade, of: labels.count))\" stroke=\"#6b7280\" stroke-width=\"0.5\"/>"
                if length >= 34 {
                    svg += "<text x=\"\(format(x + length / 2))\" y=\"\(top + nameHeight + 18)\" font-size=\"12\" fill=\"\(ink(grade, of: labels.count))\" text-anchor=\"middle\">\(Int((part.share * 100).rounded())) %</text>"
                }
                x += length
            }
        }
        let middle = width / 2
        svg += "<line x1=\"\(middle)\" y1=\"\(nameHeight - 4)\" x2=\"\(middle)\" y2=\"\(options.count * rowHeight)\" stroke=\"#1b1f23\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
        for (position, grade) in labels.indices.reversed().enumerated() {
            let x = (position % legendColumns) * (width / legendColumns), y = legendTop + (position / legendColumns) * 22
            svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"14\" height=\"14\" fill=\"\(colour(grade, of: labels.count))\" stroke=\"#6b7280\" stroke-width=\"0.5\"/>"
            svg += "<text x=\"\(x + 20)\" y=\"\(y + 12)\" font-size=\"13\" fill=\"#1b1f23\">\(Charts.escape(labels[grade]))</text>"
        }
        return svg + "</svg>"
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func clip(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
