import Foundation

extension OrderStatus {
    /// Whether an order in this status counts as sold: confirmed, or already handed out. Pending
    /// baskets (held, not bought), cancelled and abandoned ones never do. Every figure of sales
    /// (the cycle's offers, its reports, the API) is decided by this one rule.
    public var countsAsSold: Bool { self == .confirmed || self == .collected }

    /// The statuses that count as sold, for a query to select.
    public static var sold: [OrderStatus] { allCases.filter(\.countsAsSold) }

    /// The status as people should read it at `now`: a pending basket whose hold is over is
    /// abandoned, even before the job that gives its stock back has run.
    public func standing(expiresAt: Date, at now: Date) -> OrderStatus {
        self == .pending && expiresAt <= now ? .expired : self
    }
}

/// Whether a basket may hold `wanted` items of a product with `available` left (nil: made to
/// order). Said at once when the shopper adds to the basket or changes a quantity; the checkout
/// still takes the stock with a conditional update, which alone decides under concurrency.
public enum BasketStock {
    public static func check(_ name: String, wanted: Int, inBasket: Int, available: Int?) throws(DomainError) {
        guard let available, wanted > available else { return }
        throw .outOfStock(name, available: available, inBasket: inBasket)
    }
}

/// The dates a new cycle's form suggests: round, daytime hours in the territory's zone. Orders
/// open at 08:00 (today, or tomorrow when the day is nearly over), close a week later at 20:00,
/// and are collected the next day from 17:00 to 19:00 — a slot that never crosses midnight,
/// whatever the hour the coordinator sets the cycle up.
public struct CycleSchedule: Sendable, Hashable {
    public static let opensAtHour = 8
    public static let closesAtHour = 20
    public static let pickupFromHour = 17
    public static let pickupUntilHour = 19
    /// After this hour, a cycle set up today opens tomorrow morning.
    public static let lastOpeningHour = 18

    public let opensAt: Date
    public let closesAt: Date
    public let slotStart: Date
    public let slotEnd: Date

    public init(opensAt: Date, closesAt: Date, slotStart: Date, slotEnd: Date) {
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.slotStart = slotStart
        self.slotEnd = slotEnd
    }

    /// The suggestion for a cycle set up at `now`, open for `days` days.
    public static func suggested(at now: Date, days: Int = 7, in zone: LocalZone = .paris) -> CycleSchedule {
        let today = zone.localDate(at: now)
        let late = zone.minuteOfDay(at: now) >= lastOpeningHour * 60
        let opening = late ? (today.adding(days: 1) ?? today) : today
        let closing = opening.adding(days: max(1, days)) ?? opening
        let closesAt = zone.instant(on: closing, hour: closesAtHour)
        let slot = pickupSlot(after: closesAt, in: zone)
        return CycleSchedule(opensAt: zone.instant(on: opening, hour: opensAtHour), closesAt: closesAt,
                             slotStart: slot.startsAt, slotEnd: slot.endsAt)
    }

    /// The pickup slot suggested for a cycle closing at `closesAt`: the next day, 17:00–19:00
    /// local time (`offset` moves both ends, for a second pickup point, staying within the day).
    public static func pickupSlot(after closesAt: Date, offset minutes: Int = 0, in zone: LocalZone = .paris) -> (startsAt: Date, endsAt: Date) {
        let day = zone.localDate(at: closesAt).adding(days: 1) ?? zone.localDate(at: closesAt)
        let shift = min(max(0, minutes), (24 - pickupUntilHour) * 60 - 1)
        let start = pickupFromHour * 60 + shift, end = pickupUntilHour * 60 + shift
        return (zone.instant(on: day, hour: start / 60, minute: start % 60), zone.instant(on: day, hour: end / 60, minute: end % 60))
    }

    /// Whether a slot starts and ends on the same local day.
    public static func staysWithinADay(_ startsAt: Date, _ endsAt: Date, in zone: LocalZone = .paris) -> Bool {
        endsAt > startsAt && zone.localDate(at: startsAt) == zone.localDate(at: endsAt.addingTimeInterval(-1))
    }
}
