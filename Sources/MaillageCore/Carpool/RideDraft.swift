import Foundation

/// The ad form as typed, kept as text so a refused form comes back as it was filled. The places
/// are resolved by the caller (a commune, a relay point or coordinates) and given as values.
public struct RideDraft: Sendable {
    public var role: String
    /// "punctual" or "regular".
    public var frequency: String
    public var date: String
    public var time: String
    public var returnDate: String
    public var returnTime: String
    public var margin: String
    public var fromDate: String
    public var untilDate: String
    /// ISO weekday → (outward time, return time), each "" when the ad does not travel then.
    public var weekdays: [Int: (outward: String, back: String)]
    public var seats: String
    public var options: [String]
    public var comment: String

    public static let commentLength = 0...1000
    public static let seatRange = 1...8
    /// A regular trip is published for a year at most; it can be published again.
    public static let longestRegularDays = 366

    public init(role: String, frequency: String, date: String = "", time: String = "", returnDate: String = "",
                returnTime: String = "", margin: String = "", fromDate: String = "", untilDate: String = "",
                weekdays: [Int: (outward: String, back: String)] = [:], seats: String = "", options: [String] = [],
                comment: String = "") {
        self.role = role
        self.frequency = frequency
        self.date = date
        self.time = time
        self.returnDate = returnDate
        self.returnTime = returnTime
        self.margin = margin
        self.fromDate = fromDate
        self.untilDate = untilDate
        self.weekdays = weekdays
        self.seats = seats
        self.options = options
        self.comment = comment
    }

    /// Checks every field and returns the ad, or every problem at once. `origin` and
    /// `destination` are nil when the typed place is unknown; `now` refuses a trip in the past.
    public func validated(origin: RidePlace?, destination: RidePlace?, community: UUID?, now: Date,
                          zone: LocalZone = .paris) throws -> RideAd {
        var errors = ValidationErrors()
        let role = RideRole(rawValue: role.trimmingCharacters(in: .whitespaces))
        if role == nil { errors.add(CarpoolErrors.unknownChoice("role")) }
        if origin == nil { errors.add(CarpoolErrors.unknownPlace("from")) }
        if destination == nil { errors.add(CarpoolErrors.unknownPlace("to")) }
        if let origin, let destination, origin.point.distanceKm(to: destination.point) < 1 {
            errors.add(CarpoolErrors.samePlace)
        }
        let margin = parsedMargin(&errors)
        let today = zone.localDate(at: now), nowMinute = zone.minuteOfDay(at: now)
        var schedule: RideSchedule?
        switch frequency {
        case "punctual": schedule = punctual(margin: margin, today: today, nowMinute: nowMinute, &errors)
        case "regular": schedule = regular(margin: margin, today: today, &errors)
        default: errors.add(CarpoolErrors.unknownChoice("frequency"))
        }
        let seatsText = seats.trimmingCharacters(in: .whitespaces)
        let seats = seatsText.isEmpty ? role?.defaultSeats : Int(seatsText)
        if seats.map({ !Self.seatRange.contains($0) }) ?? true { errors.add(CarpoolErrors.seats) }
        let parsedOptions = options.map { RideOption(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        if parsedOptions.contains(nil) { errors.add(CarpoolErrors.unknownChoice("options")) }
        let comment = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        if comment.count > Self.commentLength.upperBound { errors.add(CarpoolErrors.commentTooLong) }
        try errors.throwIfAny()
        guard let role, let origin, let destination, let schedule, let seats else { throw CarpoolErrors.unknownChoice("role") }
        return RideAd(role: role, origin: origin, destination: destination, schedule: schedule, seats: seats,
                      options: Set(parsedOptions.compactMap { $0 }), comment: comment, community: community)
    }

    private func parsedMargin(_ errors: inout ValidationErrors) -> Int {
        let text = margin.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return RideTime.defaultMargin }
        guard let value = Int(text), RideTime.margins.contains(value) else { errors.add(CarpoolErrors.margin); return RideTime.defaultMargin }
        return value
    }

    private func punctual(margin: Int, today: LocalDate, nowMinute: Int, _ errors: inout ValidationErrors) -> RideSchedule? {
        let day = LocalDate(iso: date.trimmingCharacters(in: .whitespaces))
        let minute = RideTime.minute(of: time)
        if day == nil { errors.add(CarpoolErrors.date("date")) }
        if minute == nil { errors.add(CarpoolErrors.time("time")) }
        if let day, let minute, day < today || (day == today && minute + margin < nowMinute) { errors.add(CarpoolErrors.past("date")) }
        if let day, day > today.adding(days: Self.longestRegularDays) ?? day { errors.add(CarpoolErrors.tooFar("date")) }
        var backDate: LocalDate?, back: RideTime?
        let typedBack = returnTime.trimmingCharacters(in: .whitespaces)
        if !typedBack.isEmpty {
            let text = returnDate.trimmingCharacters(in: .whitespaces)
            backDate = text.isEmpty ? day : LocalDate(iso: text)
            if backDate == nil { errors.add(CarpoolErrors.date("return_date")) }
            if let minute = RideTime.minute(of: typedBack) { back = RideTime(minute: minute, margin: margin) } else { errors.add(CarpoolErrors.time("return_time")) }
            if let day, let backDate, let minute, let back,
               backDate < day || (backDate == day && back.minute <= minute) { errors.add(CarpoolErrors.returnBeforeOutward) }
        }
        guard let day, let minute else { return nil }
        return .punctual(date: day, outward: RideTime(minute: minute, margin: margin), backDate: back == nil ? nil : backDate, back: back)
    }

    private func regular(margin: Int, today: LocalDate, _ errors: inout ValidationErrors) -> RideSchedule? {
        let fromText = fromDate.trimmingCharacters(in: .whitespaces)
        let from = fromText.isEmpty ? today : LocalDate(iso: fromText)
        let until = LocalDate(iso: untilDate.trimmingCharacters(in: .whitespaces))
        if from == nil { errors.add(CarpoolErrors.date("from_date")) }
        if until == nil { errors.add(CarpoolErrors.date("until_date")) }
        if let until, until < today { errors.add(CarpoolErrors.past("until_date")) }
        if let from, let until, until < from || from.days(to: until) > Self.longestRegularDays { errors.add(CarpoolErrors.regularRange) }
        var outward: [Int: RideTime] = [:], back: [Int: RideTime] = [:]
        for weekday in 1...7 {
            guard let typed = weekdays[weekday] else { continue }
            for (text, leg) in [(typed.outward, RideLeg.outward), (typed.back, .return)] where !text.trimmingCharacters(in: .whitespaces).isEmpty {
                guard let minute = RideTime.minute(of: text) else {
                    errors.add(CarpoolErrors.time("\(leg == .outward ? "out" : "back")_\(weekday)"))
                    continue
                }
                if leg == .outward { outward[weekday] = RideTime(minute: minute, margin: margin) } else { back[weekday] = RideTime(minute: minute, margin: margin) }
            }
            if let go = outward[weekday], let home = back[weekday], home.minute <= go.minute { errors.add(CarpoolErrors.returnBeforeOutward) }
        }
        if outward.isEmpty && back.isEmpty { errors.add(CarpoolErrors.noWeekday) }
        guard let from, let until else { return nil }
        return .regular(from: from, until: until, outward: outward, back: back)
    }
}
