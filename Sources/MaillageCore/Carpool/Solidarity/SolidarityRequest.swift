import Foundation

/// Where a request for a solidarity trip stands.
public enum SolidarityStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case created, handling, found, done, cancelled, unsolved

    public var label: Localized {
        switch self {
        case .created: Localized(fr: "Créée", en: "Created")
        case .handling: Localized(fr: "En cours de traitement", en: "Being handled")
        case .found: Localized(fr: "Bénévole trouvé·e", en: "Volunteer found")
        case .done: Localized(fr: "Effectuée", en: "Done")
        case .cancelled: Localized(fr: "Annulée", en: "Cancelled")
        case .unsolved: Localized(fr: "Close sans solution", en: "Closed without a solution")
        }
    }

    public var isClosed: Bool { [.done, .cancelled, .unsolved].contains(self) }

    /// The moves a case may make; anything else is refused (a done trip is never "found" again).
    public func canMove(to next: SolidarityStatus) -> Bool {
        switch (self, next) {
        case (.created, .handling), (.created, .found), (.handling, .found): true
        case (.found, .done), (.found, .handling): true
        case (.created, .cancelled), (.handling, .cancelled), (.found, .cancelled): true
        case (.created, .unsolved), (.handling, .unsolved): true
        default: false
        }
    }

    /// The states from which a move to `next` is allowed, for the conditional UPDATE that makes it.
    public static func sources(of next: SolidarityStatus) -> [SolidarityStatus] {
        allCases.filter { $0.canMove(to: next) }
    }
}

/// When the person needs to go: on a date, or any day of a window (within 7, 15 or 30 days of a
/// first day), in a part of the day; and when they come back.
public struct SolidarityTiming: Sendable, Hashable {
    public enum Return: Sendable, Hashable {
        case none
        case after(hours: Int)
        case on(LocalDate)

        public var code: String {
            switch self {
            case .none: "none"
            case .after(let hours): "+\(hours)h"
            case .on(let day): day.iso
            }
        }

        public init?(code: String) {
            switch code {
            case "none", "": self = .none
            case "+1h": self = .after(hours: 1)
            case "+2h": self = .after(hours: 2)
            case "+3h": self = .after(hours: 3)
            default:
                guard let day = LocalDate(iso: code) else { return nil }
                self = .on(day)
            }
        }
    }

    public static let windows = [0, 7, 15, 30]

    public var first: LocalDate
    /// 0 for a fixed date; else 7, 15 or 30.
    public var withinDays: Int
    public var period: DayPeriod
    public var back: Return

    public init(first: LocalDate, withinDays: Int, period: DayPeriod, back: Return) {
        self.first = first
        self.withinDays = withinDays
        self.period = period
        self.back = back
    }

    public var last: LocalDate { withinDays == 0 ? first : first.adding(days: withinDays - 1) ?? first }

    /// The cells of the weekly grid the trip may fall in.
    public var slots: Set<WeekSlot> {
        let days = withinDays == 0 ? [first.weekday] : Array(Set((0..<min(withinDays, 7)).compactMap { first.adding(days: $0)?.weekday }))
        return Set(days.compactMap { WeekSlot(weekday: $0, period: period) })
    }

    /// A request is for the coming weeks: not before today, not more than 90 days ahead; a return
    /// on a date comes on or after the outward day.
    public static func check(date: String, within: String, period: String, back: String, today: LocalDate) throws -> SolidarityTiming {
        var errors = ValidationErrors()
        let day = LocalDate(iso: date.trimmingCharacters(in: .whitespaces))
        if day == nil { errors.add(CarpoolErrors.date("date")) }
        else if day! < today { errors.add(CarpoolErrors.past("date")) }
        else if today.days(to: day!) > 90 {
            errors.add(DomainError(.invalid, code: "too_far_ahead", field: "date",
                                   fr: "Enregistrez une demande dans les trois mois qui viennent.", en: "Record a request within the coming three months."))
        }
        let window = Int(within) ?? -1
        if !windows.contains(window) { errors.add(CarpoolErrors.unknownChoice("within")) }
        let part = DayPeriod(rawValue: period)
        if part == nil { errors.add(CarpoolErrors.unknownChoice("period")) }
        var comeBack = Return(code: back.trimmingCharacters(in: .whitespaces))
        if comeBack == nil { errors.add(CarpoolErrors.unknownChoice("back")) }
        if case .on(let returnDay)? = comeBack, let day, returnDay < day {
            errors.add(DomainError(.invalid, code: "return_before_outward", field: "back",
                                   fr: "Le retour a lieu le jour de l’aller ou après.", en: "The return is on the outward day or after."))
            comeBack = nil
        }
        try errors.throwIfAny()
        return SolidarityTiming(first: day!, withinDays: window, period: part!, back: comeBack!)
    }

    public func text(_ language: Language) -> String {
        let when = withinDays == 0 ? (language == .fr ? "le \(first.iso)" : "on \(first.iso)")
            : (language == .fr ? "entre le \(first.iso) et le \(last.iso)" : "between \(first.iso) and \(last.iso)")
        let part = period.label(language)
        let returning: String
        switch back {
        case .none: returning = language == .fr ? "aller simple" : "one way"
        case .after(let hours): returning = language == .fr ? "retour \(hours) h après" : "return \(hours) h later"
        case .on(let day): returning = language == .fr ? "retour le \(day.iso)" : "return on \(day.iso)"
        }
        return "\(when), \(part) — \(returning)"
    }
}
