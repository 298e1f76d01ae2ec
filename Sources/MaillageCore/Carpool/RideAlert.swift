import Foundation

/// A saved search: the side a person looks for (a driver to ride with, or passengers to take),
/// the days and the time they travel. The places are the caller's (`RidePlace`).
public struct RideAlert: Sendable, Hashable {
    /// `.driver`: they want a seat; `.passenger`: they drive and want passengers.
    public let lookingFor: RideSide
    /// ISO weekdays (1 = Monday); empty for any day.
    public let weekdays: Set<Int>
    /// Their departure with its margin; nil for any time of day.
    public let time: RideTime?

    /// Wider than a ride's default: an alert is a standing wish, not a booked departure.
    public static let defaultMargin = 30

    public init(lookingFor: RideSide, weekdays: Set<Int> = [], time: RideTime? = nil) {
        self.lookingFor = lookingFor
        self.weekdays = weekdays.filter { (1...7).contains($0) }
        self.time = time
    }

    /// The form's text, checked all at once.
    public static func parse(lookingFor: String, weekdays: [String], time: String, margin: String) throws -> RideAlert {
        var errors = ValidationErrors()
        let side = RideSide(rawValue: lookingFor.trimmingCharacters(in: .whitespaces))
        if side == nil { errors.add(CarpoolErrors.unknownChoice("looking_for")) }
        let days = weekdays.map { Int($0.trimmingCharacters(in: .whitespaces)) }
        if days.contains(where: { $0.map { !(1...7).contains($0) } ?? true }) { errors.add(CarpoolErrors.unknownChoice("weekdays")) }
        let timeText = time.trimmingCharacters(in: .whitespaces), marginText = margin.trimmingCharacters(in: .whitespaces)
        let minute = timeText.isEmpty ? nil : RideTime.minute(of: timeText)
        if !timeText.isEmpty && minute == nil { errors.add(CarpoolErrors.time("time")) }
        let spread = marginText.isEmpty ? defaultMargin : Int(marginText)
        if spread.map({ !RideTime.margins.contains($0) }) ?? true { errors.add(CarpoolErrors.margin) }
        try errors.throwIfAny()
        guard let side else { throw CarpoolErrors.unknownChoice("looking_for") }
        return RideAlert(lookingFor: side, weekdays: Set(days.compactMap { $0 }),
                         time: minute.map { RideTime(minute: $0, margin: spread ?? defaultMargin) })
    }

    /// Whether an ad of `role` offers what the person looks for: a driver, or someone to drive.
    public func wants(_ role: RideRole) -> Bool { lookingFor == .driver ? role.drives : role.rides }

    /// Whether one leg of an ad, leaving on `weekday` at `adTime`, meets the alert's days and
    /// time. The driver (the ad's author when the person looks for a driver) reaches the pick-up
    /// `pickupAfterMinutes` after leaving, as for a search (`CarpoolTimeWindows.overlaps`).
    public func meets(weekday: Int, adTime: RideTime, pickupAfterMinutes: Double) -> Bool {
        guard weekdays.isEmpty || weekdays.contains(weekday) else { return false }
        guard let time else { return true }
        guard let ad = CarpoolTimeWindows.DepartureWindow(minute: adTime.minute, margin: adTime.margin),
              let mine = CarpoolTimeWindows.DepartureWindow(minute: time.minute, margin: time.margin) else { return false }
        return lookingFor == .driver
            ? CarpoolTimeWindows.overlaps(driver: ad, pickupAfterMinutes: pickupAfterMinutes, passenger: mine)
            : CarpoolTimeWindows.overlaps(driver: mine, pickupAfterMinutes: pickupAfterMinutes, passenger: ad)
    }

    /// "1,2,3,4,5" as stored; "" for any day.
    public var weekdaysText: String { weekdays.sorted().map(String.init).joined(separator: ",") }

    public static func weekdays(from text: String) -> Set<Int> {
        Set(text.split(separator: ",").compactMap { Int($0) }.filter { (1...7).contains($0) })
    }
}
