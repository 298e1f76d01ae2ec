import Foundation

/// A part of the day, as people say when they agree on a lift.
public enum DayPeriod: String, Sendable, Hashable, Codable, CaseIterable {
    case morning, afternoon, evening

    public var label: Localized {
        switch self {
        case .morning: Localized(fr: "matin", en: "morning")
        case .afternoon: Localized(fr: "après-midi", en: "afternoon")
        case .evening: Localized(fr: "soir", en: "evening")
        }
    }
}

/// One cell of the weekly grid: an ISO weekday (1 = Monday) and a part of the day.
public struct WeekSlot: Sendable, Hashable, Comparable {
    public let weekday: Int
    public let period: DayPeriod

    public init?(weekday: Int, period: DayPeriod) {
        guard (1...7).contains(weekday) else { return nil }
        self.weekday = weekday
        self.period = period
    }

    /// "1-morning", as stored and as a checkbox's value.
    public var code: String { "\(weekday)-\(period.rawValue)" }

    public init?(code: String) {
        let parts = code.split(separator: "-")
        guard parts.count == 2, let day = Int(parts[0]), let period = DayPeriod(rawValue: String(parts[1])) else { return nil }
        self.init(weekday: day, period: period)
    }

    public static func < (a: WeekSlot, b: WeekSlot) -> Bool {
        (a.weekday, DayPeriod.allCases.firstIndex(of: a.period)!) < (b.weekday, DayPeriod.allCases.firstIndex(of: b.period)!)
    }

    public static let all: [WeekSlot] = (1...7).flatMap { day in DayPeriod.allCases.map { WeekSlot(weekday: day, period: $0)! } }
}

/// What a volunteer driver offers: when, from where, how far, in what, how often.
public struct VolunteerProfile: Sendable, Hashable {
    public var slots: Set<WeekSlot>
    public var homeCommune: String
    public var maxKm: Int
    public var vehicle: String
    public var paused: Bool
    public var monthlyLimit: Int

    public init(slots: Set<WeekSlot>, homeCommune: String, maxKm: Int, vehicle: String, paused: Bool, monthlyLimit: Int) {
        self.slots = slots
        self.homeCommune = homeCommune
        self.maxKm = maxKm
        self.vehicle = vehicle
        self.paused = paused
        self.monthlyLimit = monthlyLimit
    }

    public var slotCodes: String { slots.sorted().map(\.code).joined(separator: ",") }

    public static func slots(from codes: String) -> Set<WeekSlot> {
        Set(codes.split(separator: ",").compactMap { WeekSlot(code: String($0)) })
    }

    /// Reads the volunteer's form; the home commune must be one the instance knows, so distances
    /// can be estimated.
    public static func check(slots codes: [String], homeCommune: String, maxKm: String, vehicle: String, paused: Bool,
                             monthlyLimit: String) throws -> VolunteerProfile {
        var errors = ValidationErrors()
        let slots = Set(codes.compactMap { WeekSlot(code: $0) })
        let home = Communes.coordinates(of: homeCommune)
        if home == nil { errors.add(CarpoolErrors.unknownPlace("home_commune")) }
        let km = Int(maxKm.trimmingCharacters(in: .whitespaces))
        if km == nil || !(1...300).contains(km!) {
            errors.add(DomainError(.invalid, code: "invalid_distance", field: "max_km",
                                   fr: "La distance va de 1 à 300 km.", en: "The distance is 1 to 300 km."))
        }
        let limit = Int(monthlyLimit.trimmingCharacters(in: .whitespaces))
        if limit == nil || !(0...60).contains(limit!) {
            errors.add(DomainError(.invalid, code: "invalid_limit", field: "monthly_limit",
                                   fr: "La limite va de 0 à 60 trajets par mois.", en: "The limit is 0 to 60 trips a month."))
        }
        let car = vehicle.trimmingCharacters(in: .whitespacesAndNewlines)
        if car.count > 120 {
            errors.add(DomainError(.invalid, code: "too_long", field: "vehicle", fr: "120 caractères au plus.", en: "120 characters at most."))
        }
        try errors.throwIfAny()
        return VolunteerProfile(slots: slots, homeCommune: home!.name, maxKm: km!, vehicle: car, paused: paused, monthlyLimit: limit!)
    }
}
