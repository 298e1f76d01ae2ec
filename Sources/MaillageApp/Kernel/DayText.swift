import Foundation
import MaillageCore

/// Days written in words, in the instance's zone: "16 déc. 2026", and list headings
/// "Aujourd’hui", "Hier", "lundi 14 déc.".
extension DateText {
    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The day alone, month abbreviated: "16 déc. 2026" / "16 Dec 2026".
    static func day(_ date: Date, _ language: Language) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .omitted, locale: Locale(identifier: language == .fr ? "fr_FR" : "en_GB"), timeZone: zone))
    }

    /// The heading of a day in a list, seen from `now`: "Aujourd’hui", "Hier", then "lundi 14 déc."
    /// (with the year when it is not this year).
    static func dayHeading(_ date: Date, now: Date = Date(), _ language: Language) -> String {
        let calendar = calendar
        if calendar.isDate(date, inSameDayAs: now) { return language == .fr ? "Aujourd’hui" : "Today" }
        if let yesterday = calendar.date(byAdding: .day, value: -1, to: now), calendar.isDate(date, inSameDayAs: yesterday) {
            return language == .fr ? "Hier" : "Yesterday"
        }
        var style = Date.FormatStyle(locale: Locale(identifier: language == .fr ? "fr_FR" : "en_GB"), timeZone: zone)
            .weekday(.wide).day().month(.abbreviated)
        if calendar.component(.year, from: date) != calendar.component(.year, from: now) { style = style.year() }
        return date.formatted(style)
    }

    /// The day a date falls on in the instance's zone, to group a list by day.
    static func dayStart(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    /// A day in full, for a mail read some other day: "lundi 7 décembre 2026" / "Monday 7 December 2026".
    static func longDay(_ day: LocalDate, _ language: Language) -> String {
        // Noon of the day, so the zone's offset cannot move it to the day before or after.
        let noon = LocalZone(zone).instant(on: day, hour: 12)
        return noon.formatted(Date.FormatStyle(locale: Locale(identifier: language == .fr ? "fr_FR" : "en_GB"), timeZone: zone)
            .weekday(.wide).day().month(.wide).year())
    }
}
