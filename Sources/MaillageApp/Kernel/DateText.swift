import Foundation
import MaillageCore

/// Dates shown in the instance's zone (Europe/Paris), in the reader's language.
enum DateText {
    static let zone = TimeZone(identifier: "Europe/Paris") ?? .gmt

    static func short(_ date: Date?, _ language: Language) -> String {
        guard let date else { return "" }
        let style = Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: language == .fr ? "fr_FR" : "en_GB"), timeZone: zone)
        return date.formatted(style)
    }

    /// The `datetime-local` form value in the instance's zone ("2026-12-01T18:00"), read and written.
    static let localInput: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter
    }()
}
