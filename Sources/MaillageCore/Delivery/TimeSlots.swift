import Foundation

/// A window a store may book for its pickup.
public struct TimeSlot: Sendable, Hashable, Codable {
    public let start: Date
    public let end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }
}

/// The slots the cooperative offers its stores: e.g. 2-hour ranges from 9:00 to 19:00 on
/// working days, same-day orders until 11:00, and at least an hour's notice.
public struct TimeSlotPlan: Sendable, Hashable, Codable {
    public var firstMinute: Int
    public var lastMinute: Int
    public var slotMinutes: Int
    /// ISO weekdays (1 = Monday … 7 = Sunday).
    public var workingDays: Set<Int>
    /// After this local minute, today's slots are no longer offered; nil: no cutoff.
    public var sameDayCutoffMinute: Int?
    /// A slot starts at least this long after the order.
    public var noticeMinutes: Int

    public init(firstMinute: Int = 9 * 60, lastMinute: Int = 19 * 60, slotMinutes: Int = 120, workingDays: Set<Int> = [1, 2, 3, 4, 5],
                sameDayCutoffMinute: Int? = 11 * 60, noticeMinutes: Int = 60) throws(DomainError) {
        guard (0..<1440).contains(firstMinute), (1...1440).contains(lastMinute), firstMinute < lastMinute,
              (15...720).contains(slotMinutes), slotMinutes <= lastMinute - firstMinute else { throw .slotPlanHours }
        guard !workingDays.isEmpty, workingDays.allSatisfy({ (1...7).contains($0) }) else { throw .slotPlanDays }
        guard (0...(7 * 1440)).contains(noticeMinutes), sameDayCutoffMinute.map({ (0...1440).contains($0) }) ?? true else { throw .slotPlanNotice }
        self.firstMinute = firstMinute
        self.lastMinute = lastMinute
        self.slotMinutes = slotMinutes
        self.workingDays = workingDays
        self.sameDayCutoffMinute = sameDayCutoffMinute
        self.noticeMinutes = noticeMinutes
    }

    public static let standard = try! TimeSlotPlan()

    /// The slots still bookable at `now`, over the next `days` local days (today included).
    public func slots(at now: Date, days: Int, zone: LocalZone = .paris) -> [TimeSlot] {
        let today = zone.localDate(at: now)
        let earliest = now.addingTimeInterval(TimeInterval(noticeMinutes * 60))
        let pastCutoff = sameDayCutoffMinute.map { zone.minuteOfDay(at: now) > $0 } ?? false
        var slots: [TimeSlot] = []
        for offset in 0..<max(0, min(days, 60)) {
            guard let day = today.adding(days: offset), workingDays.contains(day.weekday) else { continue }
            if offset == 0 && pastCutoff { continue }
            var minute = firstMinute
            while minute + slotMinutes <= lastMinute {
                let start = zone.instant(on: day, hour: minute / 60, minute: minute % 60)
                let endMinute = minute + slotMinutes
                let end = endMinute == 1440 ? zone.start(of: day.adding(days: 1) ?? day)
                                            : zone.instant(on: day, hour: endMinute / 60, minute: endMinute % 60)
                if start >= earliest { slots.append(TimeSlot(start: start, end: end)) }
                minute += slotMinutes
            }
        }
        return slots
    }

    /// Whether a window a store asks for is one of the slots offered now.
    public func offers(_ slot: TimeSlot, at now: Date, zone: LocalZone = .paris) -> Bool {
        let days = zone.localDate(at: now).days(to: zone.localDate(at: slot.start)) + 1
        guard days >= 1 else { return false }
        return slots(at: now, days: days, zone: zone).contains(slot)
    }
}
