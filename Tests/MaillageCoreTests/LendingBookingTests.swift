import Foundation
@testable import MaillageCore
import Testing

@Suite struct LendingBookingTests {
    typealias T = LendingTest
    let owner = LendingTest.uuid(1)

    func drill(maximumDays: Int = 7, pickup: PickupPlace = .ownerHome) -> LendingItem {
        LendingItem(id: T.uuid(100), owner: owner, title: "Perceuse à percussion", category: .tools,
                    description: "Bosch 700 W, coffret et forets", condition: .good, depositCents: 5000,
                    maximumLoanDays: maximumDays, pickup: pickup)
    }

    func showcase() throws -> ShowcaseLocation {
        // Open Wednesday afternoon and Saturday morning.
        let hours = try WeeklyHours([OpeningSlot(weekday: 6, opens: "10:00", closes: "12h30"),
                                     OpeningSlot(weekday: 3, opens: "14:00", closes: "18:00")])
        return ShowcaseLocation(id: T.uuid(50), name: "La Ressourcerie de Rezé", address: "2 rue des Forges",
                                commune: "Rezé", position: GeoPoint(commune: "Rezé")!, hours: hours)
    }

    // MARK: request dates

    @Test func aRequestMayStartToday() throws {
        try BookingRules.checkRequest(try T.period("2026-05-04", "2026-05-05"), for: drill(), today: T.day("2026-05-04"))
    }

    @Test func requestsInThePastAreRefused() {
        #expect(T.code { try BookingRules.checkRequest(try T.period("2026-05-03", "2026-05-05"), for: drill(), today: T.day("2026-05-04")) }
                == "period_in_past")
    }

    /// "Today" is read on the Paris clock: at 23:30 UTC on 3 May it is already 4 May in Paris.
    @Test func todayIsTheParisDayNotTheUTCOne() throws {
        let period = try T.period("2026-05-03", "2026-05-03")
        #expect(T.code { try BookingRules.checkRequest(period, for: drill(), now: T.utc("2026-05-03T22:30:00Z")) } == "period_in_past")
        #expect(T.code { try BookingRules.checkRequest(period, for: drill(), now: T.utc("2026-05-03T21:59:00Z")) } == nil)
    }

    @Test func theOwnersMaximumLengthIsEnforcedCountingBothEnds() throws {
        let item = drill(maximumDays: 7)
        let today = T.day("2026-12-20")
        #expect(T.code { try BookingRules.checkRequest(try T.period("2026-12-28", "2027-01-03"), for: item, today: today) } == nil)
        let eight = try T.period("2026-12-28", "2027-01-04")
        #expect(T.code { try BookingRules.checkRequest(eight, for: item, today: today) } == "loan_too_long")
        #expect(T.code { try BookingRules.checkRequest(eight, for: drill(maximumDays: 8), today: today) } == nil)
    }

    @Test func aLeapDayCountsAsADay() throws {
        let item = drill(maximumDays: 3)
        #expect(T.code { try BookingRules.checkRequest(try T.period("2028-02-28", "2028-03-01"), for: item, today: T.day("2028-02-01")) } == nil)
        #expect(T.code { try BookingRules.checkRequest(try T.period("2028-02-27", "2028-03-01"), for: item, today: T.day("2028-02-01")) }
                == "loan_too_long")
    }

    @Test func requestsTooFarAheadAreRefused() throws {
        let today = T.day("2026-01-10")
        #expect(T.code { try BookingRules.checkRequest(try T.period("2027-01-10", "2027-01-10"), for: drill(), today: today) } == nil)
        #expect(T.code { try BookingRules.checkRequest(try T.period("2027-01-11", "2027-01-11"), for: drill(), today: today) } == "too_far_ahead")
    }

    @Test func showcaseItemsStartAndEndOnOpeningDays() throws {
        let item = drill(pickup: .showcase(try showcase()))
        let today = T.day("2026-05-01")
        // Wednesday 6 May → Saturday 9 May.
        #expect(T.code { try BookingRules.checkRequest(try T.period("2026-05-06", "2026-05-09"), for: item, today: today) } == nil)
        let thursday = T.code { try BookingRules.checkRequest(try T.period("2026-05-07", "2026-05-09"), for: item, today: today) }
        #expect(thursday == "showcase_closed")
        let error = #expect(throws: DomainError.self) {
            try BookingRules.checkRequest(try T.period("2026-05-06", "2026-05-08"), for: item, today: today)
        }
        #expect(error?.field == "last_day")
        #expect(error?.message.fr.contains("vendredi") == true)
    }

    @Test func takenAndBlockedDatesAreRefusedButOtherRequestsAreNot() throws {
        let taken = [try T.period("2026-05-10", "2026-05-12")]
        let blocked = [try T.period("2026-05-20", "2026-05-21")]
        #expect(T.code { try BookingRules.checkFree(try T.period("2026-05-12", "2026-05-13"), taken: taken, blocked: blocked) } == "dates_taken")
        #expect(T.code { try BookingRules.checkFree(try T.period("2026-05-13", "2026-05-19"), taken: taken, blocked: blocked) } == nil)
        #expect(T.code { try BookingRules.checkFree(try T.period("2026-05-19", "2026-05-20"), taken: taken, blocked: blocked) } == "dates_blocked")
        #expect(BookingRules.conflicts(of: try T.period("2026-05-01", "2026-05-31"), with: taken) == taken)
    }

    @Test func borrowingOnesOwnItemIsForbidden() throws {
        let error = #expect(throws: DomainError.self) {
            try Loan.request(item: drill(), borrower: owner, period: try T.period("2026-05-10", "2026-05-11"),
                             now: T.utc("2026-05-01T10:00:00Z"))
        }
        #expect(error?.kind == .forbidden)
    }

    // MARK: calendar

    @Test func monthCalendarShowsBookedBlockedFreeAndPastDays() throws {
        let month = try #require(AvailabilityMonth(
            year: 2026, month: 2,
            taken: [try T.period("2026-01-30", "2026-02-02"), try T.period("2026-02-27", "2026-03-03")],
            blocked: [try T.period("2026-02-14", "2026-02-15")], today: T.day("2026-02-10")))
        #expect(month.days.count == 28)
        #expect(month.leadingBlanks == 6)            // 1 February 2026 is a Sunday
        let status = Dictionary(uniqueKeysWithValues: month.days.map { ($0.date.day, $0.status) })
        #expect([1, 2, 27, 28].allSatisfy { status[$0] == .booked })
        #expect([14, 15].allSatisfy { status[$0] == .blocked })
        #expect(status[3] == .free && status[26] == .free)
        #expect(month.days.filter(\.isPast).map(\.date.day) == Array(1...9))
        #expect(AvailabilityMonth(year: 2028, month: 2, taken: [], blocked: [], today: T.day("2028-01-01"))?.days.count == 29)
        #expect(AvailabilityMonth(year: 2026, month: 13, taken: [], blocked: [], today: T.day("2026-01-01")) == nil)
    }

    // MARK: opening hours

    @Test func openingHoursReadTheParisWallClockInSummerAndWinter() throws {
        let hours = try showcase().hours
        // Wednesday 14:30 in Paris: 13:30 UTC in winter, 12:30 UTC in summer.
        #expect(hours.isOpen(at: T.utc("2026-01-07T13:30:00Z")))
        #expect(hours.isOpen(at: T.utc("2026-07-08T12:30:00Z")))
        #expect(!hours.isOpen(at: T.utc("2026-07-08T11:30:00Z")))   // 13:30 in Paris
        #expect(!hours.isOpen(at: T.utc("2026-07-08T16:00:00Z")))   // 18:00: closed at closing time
        #expect(hours.nextOpenDay(onOrAfter: T.day("2026-05-07")) == T.day("2026-05-09"))
        #expect(hours.text(.fr) == "mercredi 14\u{00A0}h–18\u{00A0}h ; samedi 10\u{00A0}h–12\u{00A0}h\u{00A0}30")
        #expect(hours.text(.en) == "Wednesday 14:00–18:00; Saturday 10:00–12:30")
    }

    @Test func openingSlotsMustBeSound() {
        #expect(T.code { _ = try OpeningSlot(weekday: 8, opens: 600, closes: 700) } == "invalid_opening_slot")
        #expect(T.code { _ = try OpeningSlot(weekday: 1, opens: "18:00", closes: "14:00") } == "invalid_opening_slot")
        #expect(T.code { _ = try OpeningSlot(weekday: 1, opens: "9:75", closes: "14:00") } == "invalid_opening_slot")
        #expect(T.code { _ = try OpeningSlot(weekday: 1, opens: "20:00", closes: "24:00") } == nil)
        #expect(T.code {
            _ = try WeeklyHours([OpeningSlot(weekday: 2, opens: 600, closes: 720), OpeningSlot(weekday: 2, opens: 700, closes: 800)])
        } == "overlapping_opening_slots")
        #expect(T.code {
            _ = try WeeklyHours([OpeningSlot(weekday: 2, opens: 600, closes: 720), OpeningSlot(weekday: 2, opens: 720, closes: 800)])
        } == nil)
    }

    // MARK: item form

    @Test func aValidItemFormBecomesAnItem() throws {
        let draft = LendingItemDraft(title: "  Perceuse à percussion ", category: "outillage", description: "Avec forets",
                                     condition: "bon", deposit: "50,00 €", maximumLoanDays: "7", pickupAtShowcase: true)
        let item = try draft.validated(owner: owner, showcase: try showcase())
        #expect(item.title == "Perceuse à percussion")
        #expect(item.category == .tools && item.condition == .good)
        #expect(item.depositCents == 5000 && item.deposit == .euros(cents: 5000))
        #expect(item.maximumLoanDays == 7)
        #expect(item.pickup.code == "vitrine")
        let noDeposit = LendingItemDraft(title: "Tente 4 places", category: "loisirs-sport", condition: "tres-bon",
                                         maximumLoanDays: "14")
        #expect(try noDeposit.validated(owner: owner, showcase: nil).depositCents == 0)
    }

    @Test func anItemFormReportsEveryProblemAtOnce() throws {
        let draft = LendingItemDraft(title: "ab", category: "voitures", description: String(repeating: "x", count: 2001),
                                     condition: "cassé", deposit: "-5", maximumLoanDays: "90", pickupAtShowcase: true)
        let errors = try #require(#expect(throws: ValidationErrors.self) { try draft.validated(owner: owner, showcase: nil) })
        #expect(Set(errors.errors.compactMap(\.field)) == ["title", "description", "category", "condition", "deposit", "maximum_loan_days", "pickup"])
        #expect(errors.message(for: "deposit")?.fr.contains("caution") == true)
        #expect(errors.message(for: "maximum_loan_days")?.en.contains("between 1 and 60") == true)
    }

    @Test func aSingleWrongFieldThrowsItsOwnError() {
        let draft = LendingItemDraft(title: "Escabeau", category: "bricolage", condition: "use", deposit: "beaucoup",
                                     maximumLoanDays: "3")
        #expect(T.code { _ = try draft.validated(owner: owner, showcase: nil) } == "invalid_deposit")
        let huge = LendingItemDraft(title: "Escabeau", category: "bricolage", condition: "use", deposit: "2000,01",
                                    maximumLoanDays: "3")
        #expect(T.code { _ = try huge.validated(owner: owner, showcase: nil) } == "invalid_deposit")
        let overflow = LendingItemDraft(title: "Escabeau", category: "bricolage", condition: "use",
                                        maximumLoanDays: "99999999999999999999999")
        #expect(T.code { _ = try overflow.validated(owner: owner, showcase: nil) } == "invalid_maximum_loan_days")
    }

    @Test func everyCategoryAndConditionHasTwoLabelsAndAStableCode() {
        for category in ItemCategory.allCases {
            #expect(!category.label.fr.isEmpty && !category.label.en.isEmpty)
            #expect(ItemCategory(code: " \(category.rawValue.uppercased()) ") == category)
            #expect(category.rawValue.allSatisfy { $0.isASCII && ($0.isLowercase || $0 == "-") })
        }
        #expect(Set(ItemCategory.allCases.map(\.rawValue)).count == ItemCategory.allCases.count)
        #expect(ItemCondition.allCases.map(\.rawValue) == ["neuf", "tres-bon", "bon", "use"])
    }
}
