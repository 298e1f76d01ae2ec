import Foundation
import MaillageCore

/// The merit profile of a majority-judgment vote as horizontal stacked bars, drawn on the
/// server: one bar per option, one segment per grade (best on the left), a line at half the
/// voters. Colours are attributes (no style sheet needed); the figures are also in a table.
enum MeritProfileChart {
    /// Worst grade first, as the scale: reds to greens, each dark enough for white text (≥ 4.5:1).
    static let colours = ["#8b1a1a", "#a3400f", "#7a5a00", "#4a5561", "#2f6b2f", "#1d5e3a", "#0f4a2a"]

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

    static func svg(_ options: [TallyReport.MajorityJudgment.Option], labels: [String], judges: Int64,
                    title: String, description: String) -> String {
        guard !options.isEmpty else { return "" }
        let width = 640, labelWidth = 180, plot = width - labelWidth - 10, rowHeight = 34
        let legendTop = options.count * rowHeight + 12
        let height = legendTop + ((labels.count + 3) / 4) * 22 + 8
        let id = "merit-\(abs(title.hashValue ^ description.hashValue) % 1_000_000)"
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\">"
        svg += "<title id=\"\(id)-t\">\(Charts.escape(title))</title><desc id=\"\(id)-d\">\(Charts.escape(description))</desc>"
        for (row, option) in options.enumerated() {
            let y = row * rowHeight + 4
            svg += "<text x=\"0\" y=\"\(y + 20)\" font-size=\"14\" fill=\"#1b1f23\">\(Charts.escape(clip(option.name, 24)))</text>"
            var x = Double(labelWidth)
            for (grade, part) in shares(option.tally, judges: judges).enumerated().reversed() where part.count > 0 {
                let length = part.share * Double(plot)
                svg += "<rect x=\"\(format(x))\" y=\"\(y + 2)\" width=\"\(format(length))\" height=\"\(rowHeight - 8)\" fill=\"\(colour(grade, of: labels.count))\"/>"
                if length >= 38 {
                    svg += "<text x=\"\(format(x + length / 2))\" y=\"\(y + 20)\" font-size=\"12\" fill=\"#ffffff\" text-anchor=\"middle\">\(Int((part.share * 100).rounded())) %</text>"
                }
                x += length
            }
        }
        let middle = labelWidth + plot / 2
        svg += "<line x1=\"\(middle)\" y1=\"0\" x2=\"\(middle)\" y2=\"\(options.count * rowHeight + 2)\" stroke=\"#1b1f23\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
        for (position, grade) in labels.indices.reversed().enumerated() {
            let x = (position % 4) * 160, y = legendTop + (position / 4) * 22
            svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"14\" height=\"14\" fill=\"\(colour(grade, of: labels.count))\"/>"
            svg += "<text x=\"\(x + 20)\" y=\"\(y + 12)\" font-size=\"13\" fill=\"#1b1f23\">\(Charts.escape(labels[grade]))</text>"
        }
        return svg + "</svg>"
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func clip(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
