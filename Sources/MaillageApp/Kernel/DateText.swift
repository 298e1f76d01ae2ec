import Foundation
import NIOConcurrencyHelpers
import MaillageCore

/// Dates shown in the instance's zone (Europe/Paris), in the reader's language.
enum DateText {
    static let zone = TimeZone(identifier: "Europe/Paris") ?? .gmt

    static func short(_ date: Date?, _ language: Language) -> String {
        guard let date else { return "" }
        return remembered(date, language, style: 0) {
            date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: locale(language), timeZone: zone))
        }
    }

    /// The time of day alone ("18:30"), for the end of a slot that starts the same day.
    static func time(_ date: Date, _ language: Language) -> String {
        remembered(date, language, style: 1) {
            date.formatted(Date.FormatStyle(date: .omitted, time: .shortened, locale: locale(language), timeZone: zone))
        }
    }

    private static func locale(_ language: Language) -> Locale { Locale(identifier: language == .fr ? "fr_FR" : "en_GB") }

    /// Formatting a date builds an ICU formatter (tens of microseconds), and the same dates come
    /// back on every page and every order mail of a cycle (its slots, its close): each text is
    /// made once. Bounded: emptied when full.
    private struct Key: Hashable { var seconds: Double; var language: Language; var style: Int }
    private static let memo = NIOLockedValueBox<[Key: String]>([:])

    private static func remembered(_ date: Date, _ language: Language, style: Int, _ make: () -> String) -> String {
        let key = Key(seconds: date.timeIntervalSince1970, language: language, style: style)
        if let known = memo.withLockedValue({ $0[key] }) { return known }
        let text = make()
        memo.withLockedValue { texts in
            if texts.count >= 4_096 { texts.removeAll(keepingCapacity: true) }
            texts[key] = text
        }
        return text
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
