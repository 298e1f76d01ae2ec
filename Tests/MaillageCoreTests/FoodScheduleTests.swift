import Foundation
import Testing
@testable import MaillageCore

/// What a coordinator is offered when setting up a new cycle, and the rules every sales figure
/// and every stock message follow.
@Suite struct FoodScheduleTests {
    let zone = LocalZone.paris

    func local(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        zone.instant(on: LocalDate(year: year, month: month, day: day)!, hour: hour, minute: minute)
    }

    func hourAndMinute(_ date: Date) -> (Int, Int) { (zone.minuteOfDay(at: date) / 60, zone.minuteOfDay(at: date) % 60) }

    @Test func aCycleSetUpInTheMorningOpensTodayAtEightAndClosesAWeekLaterAtEight() {
        let schedule = CycleSchedule.suggested(at: local(2026, 3, 10, 10, 17))
        #expect(schedule.opensAt == local(2026, 3, 10, 8))
        #expect(schedule.closesAt == local(2026, 3, 17, 20))
        #expect(schedule.slotStart == local(2026, 3, 18, 17))
        #expect(schedule.slotEnd == local(2026, 3, 18, 19))
    }

    /// Set up at 23:40, the old defaults (now + n days, two hours long) gave a slot from 23:40
    /// to 01:40 the next night. The suggestion stays on round daytime hours.
    @Test func aCycleSetUpLateInTheEveningOpensTomorrowMorningAndItsSlotStaysInTheDay() {
        let now = local(2026, 3, 10, 23, 40)
        let schedule = CycleSchedule.suggested(at: now)
        #expect(schedule.opensAt == local(2026, 3, 11, 8), "opens tomorrow morning, not at 23:40")
        #expect(schedule.closesAt == local(2026, 3, 18, 20))
        #expect(schedule.slotStart == local(2026, 3, 19, 17) && schedule.slotEnd == local(2026, 3, 19, 19))
        #expect(CycleSchedule.staysWithinADay(schedule.slotStart, schedule.slotEnd))
        #expect(!CycleSchedule.staysWithinADay(local(2026, 3, 10, 23, 40), local(2026, 3, 11, 1, 40)), "the old default crossed midnight")
    }

    /// Every minute of a day (and across the clock changes of spring and autumn), the suggested
    /// dates are whole hours in daytime, in order, and the slot never crosses midnight.
    @Test(arguments: [(2026, 3, 28), (2026, 10, 24), (2026, 6, 15), (2026, 12, 31)])
    func theSuggestionIsRoundDaytimeAndInOrderAtAnyHour(year: Int, month: Int, day: Int) {
        for minute in stride(from: 0, to: 24 * 60, by: 7) {
            let now = local(year, month, day, minute / 60, minute % 60)
            let s = CycleSchedule.suggested(at: now)
            for date in [s.opensAt, s.closesAt, s.slotStart, s.slotEnd] {
                let (hour, minutes) = hourAndMinute(date)
                #expect(minutes == 0 && (8...20).contains(hour), "\(date) suggested at \(now)")
            }
            #expect(s.opensAt < s.closesAt && s.closesAt <= s.slotStart && s.slotStart < s.slotEnd)
            #expect(CycleSchedule.staysWithinADay(s.slotStart, s.slotEnd))
            #expect(s.closesAt > now, "a suggested cycle is still to close")
        }
    }

    @Test func aSecondPickupPointsSlotIsShiftedButStaysInTheDay() {
        let closes = local(2026, 3, 17, 20)
        let shifted = CycleSchedule.pickupSlot(after: closes, offset: 30)
        #expect(shifted.startsAt == local(2026, 3, 18, 17, 30) && shifted.endsAt == local(2026, 3, 18, 19, 30))
        let far = CycleSchedule.pickupSlot(after: closes, offset: 10_000)
        #expect(CycleSchedule.staysWithinADay(far.startsAt, far.endsAt))
    }

    @Test func onlyConfirmedAndCollectedOrdersCountAsSold() {
        #expect(OrderStatus.sold == [.confirmed, .collected])
        #expect(!OrderStatus.pending.countsAsSold && !OrderStatus.cancelled.countsAsSold && !OrderStatus.expired.countsAsSold)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(OrderStatus.pending.standing(expiresAt: now, at: now) == .expired, "a hold that is over is an abandoned basket")
        #expect(OrderStatus.pending.standing(expiresAt: now.addingTimeInterval(60), at: now) == .pending)
        #expect(OrderStatus.confirmed.standing(expiresAt: now.addingTimeInterval(-60), at: now) == .confirmed)
    }

    @Test func aBasketMayNotHoldMoreThanIsLeftAndTheMessageNamesTheProduct() throws {
        try BasketStock.check("Pommes Reinette — 1 kg", wanted: 2, inBasket: 0, available: 2)
        try BasketStock.check("Jus de pomme — 1 L", wanted: 999, inBasket: 0, available: nil)
        do {
            try BasketStock.check("Pommes Reinette — 1 kg", wanted: 3, inBasket: 0, available: 2)
            Issue.record("three of two left must be refused")
        } catch {
            #expect(error.code == "out_of_stock" && error.kind == .conflict)
            #expect(error.message.fr == "Plus que 2 « Pommes Reinette — 1 kg » en stock : choisissez 2 au plus.")
            #expect(error.message.en.contains("“Pommes Reinette — 1 kg”"))
        }
        do {
            try BasketStock.check("Pommes Reinette — 1 kg", wanted: 4, inBasket: 2, available: 3)
            Issue.record("two more on top of two, with three left, must be refused")
        } catch {
            #expect(error.message.fr.contains("votre panier en a déjà 2") && error.message.fr.contains("ajouter 1 au plus"), "\(error.message.fr)")
        }
        do {
            try BasketStock.check("Coings — 1 kg", wanted: 1, inBasket: 0, available: 0)
            Issue.record("a sold-out product must be refused")
        } catch {
            #expect(error.message.fr == "« Coings — 1 kg » est épuisé : retirez-le du panier ou choisissez un autre produit.")
        }
    }
}
