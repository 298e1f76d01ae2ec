import Foundation
import MaillageCore
import Testing

@Suite("Solidarity transport: eligibility, availability, requests, matching, allowance")
struct SolidarityRulesTests {
    let monday = LocalDate(year: 2026, month: 3, day: 2)!   // an ISO Monday
    let nantes = GeoPoint(lat: 47.2184, lon: -1.5536)!
    let rezé = GeoPoint(lat: 47.1833, lon: -1.5500)!

    func volunteer(_ home: String = "Nantes", slots: [String] = ["1-morning"], maxKm: Int = 30, paused: Bool = false,
                   limit: Int = 4) -> VolunteerProfile {
        VolunteerProfile(slots: Set(slots.compactMap { WeekSlot(code: $0) }), homeCommune: home, maxKm: maxKm, vehicle: "Clio",
                         paused: paused, monthlyLimit: limit)
    }

    var mondayMorning: SolidarityMatcher.Trip {
        SolidarityMatcher.Trip(pickup: rezé, destination: nantes, slots: [WeekSlot(weekday: 1, period: .morning)!])
    }

    @Test func aVolunteerAtTheirMonthlyLimitIsNeverProposed() {
        let full = UUID(), free = UUID()
        let proposals = SolidarityMatcher.propose(for: mondayMorning, among: [
            .init(volunteer: full, profile: volunteer(limit: 2), tripsThisMonth: 2, recentKm: 0),
            .init(volunteer: free, profile: volunteer(limit: 2), tripsThisMonth: 1, recentKm: 500),
        ], estimator: StraightLineEstimator.standard)
        #expect(proposals.map(\.volunteer) == [free])
        // A limit of 0 means "not this month".
        #expect(SolidarityMatcher.propose(for: mondayMorning, among: [.init(volunteer: full, profile: volunteer(limit: 0), tripsThisMonth: 0, recentKm: 0)],
                                          estimator: StraightLineEstimator.standard).isEmpty)
    }

    @Test func theMatcherPrefersTheLessLoadedAndLeavesOutPausedFarAndBusyVolunteers() {
        let loaded = UUID(), light = UUID(), paused = UUID(), far = UUID(), busy = UUID()
        let proposals = SolidarityMatcher.propose(for: mondayMorning, among: [
            .init(volunteer: loaded, profile: volunteer(), tripsThisMonth: 3, recentKm: 0),
            .init(volunteer: light, profile: volunteer("Rezé"), tripsThisMonth: 1, recentKm: 80),
            .init(volunteer: paused, profile: volunteer(paused: true), tripsThisMonth: 0, recentKm: 0),
            .init(volunteer: far, profile: volunteer("Saint-Nazaire", maxKm: 30), tripsThisMonth: 0, recentKm: 0),
            .init(volunteer: busy, profile: volunteer(slots: ["1-evening", "2-morning"]), tripsThisMonth: 0, recentKm: 0),
        ], estimator: StraightLineEstimator.standard)
        #expect(proposals.map(\.volunteer) == [light, loaded])
        #expect(proposals[0].sharedSlots == [WeekSlot(weekday: 1, period: .morning)!])
    }

    @Test func aWindowCoversEveryWeekdayItSpans() throws {
        let fixed = try SolidarityTiming.check(date: monday.iso, within: "0", period: "afternoon", back: "+2h", today: monday)
        #expect(fixed.slots == [WeekSlot(weekday: 1, period: .afternoon)!] && fixed.back == .after(hours: 2))
        let week = try SolidarityTiming.check(date: monday.iso, within: "15", period: "morning", back: "none", today: monday)
        #expect(week.slots.count == 7 && week.last == monday.adding(days: 14))
        let threeDays = SolidarityTiming(first: monday, withinDays: 7, period: .evening, back: .none)
        #expect(threeDays.slots.map(\.weekday).sorted() == Array(1...7))
    }

    @Test func aRequestFormIsRefusedWithEveryProblemAtOnce() {
        do {
            _ = try SolidarityTiming.check(date: "2026-03-01", within: "10", period: "night", back: "2026-02-01", today: monday)
            Issue.record("accepted")
        } catch let errors as ValidationErrors {
            #expect(Set(errors.errors.compactMap(\.field)) == ["date", "within", "period", "back"], "the return comes before the outward day too")
        } catch { Issue.record("unexpected \(error)") }
        #expect(throws: DomainError.self) {
            try SolidarityTiming.check(date: monday.adding(days: 2)!.iso, within: "0", period: "morning", back: monday.iso, today: monday)
        }
    }

    @Test func aCaseMovesOnlyForward() {
        #expect(SolidarityStatus.created.canMove(to: .handling) && SolidarityStatus.handling.canMove(to: .found))
        #expect(SolidarityStatus.found.canMove(to: .done) && SolidarityStatus.found.canMove(to: .handling), "a volunteer may withdraw")
        #expect(!SolidarityStatus.done.canMove(to: .found) && !SolidarityStatus.cancelled.canMove(to: .handling))
        #expect(!SolidarityStatus.created.canMove(to: .done), "no trip is done without a volunteer")
        #expect(!SolidarityStatus.found.canMove(to: .unsolved), "a found volunteer is released before closing")
        #expect(Set(SolidarityStatus.sources(of: .found)) == [.created, .handling])
    }

    @Test func theEligibilityFormRefusesMissingAndUnknownAnswers() throws {
        let fields = SolidaritySettings.standard.fields
        do {
            _ = try Eligibility.check(["situation": "Milliardaire", "birth_date": "hier"], against: fields)
            Issue.record("accepted")
        } catch let errors as ValidationErrors {
            #expect(Set(errors.errors.compactMap(\.field)) == ["no_car", "situation", "birth_date"])
        }
        let kept = try Eligibility.check(["no_car": "on", "situation": "Personne âgée", "other": "dropped"], against: fields)
        #expect(kept == ["no_car": "oui", "situation": "Personne âgée"])
    }

    @Test func aStructureWritesItsOwnForm() throws {
        let settings = try SolidaritySettings.check(reasons: "Santé\n\nCourses", fields: "checkbox|Sans voiture|oui\nchoice|Âge|non|Moins de 60;60 et plus\nfile|Justificatif|non",
                                                    rate: "0,35", retentionYears: "2")
        #expect(settings.reasons == ["Santé", "Courses"] && settings.centsPerKm == 35 && settings.fields.count == 3)
        #expect(settings.fields[1].choices == ["Moins de 60", "60 et plus"] && !settings.fields[1].required && settings.fields[0].required)
        let again = try SolidaritySettings.check(reasons: "Santé", fields: settings.fieldsText, rate: "0.35", retentionYears: "2")
        #expect(again.fields == settings.fields)
        #expect(throws: ValidationErrors.self) { try SolidaritySettings.check(reasons: "", fields: "choice|Âge|oui", rate: "3", retentionYears: "0") }
    }

    @Test func theAllowanceIsTheKilometresTimesTheRate() throws {
        #expect(try MileageAllowance.parseKm("42,5") == 425)
        #expect(MileageAllowance.cents(tenthsOfKm: 425, centsPerKm: 32) == 1_360)
        #expect(MileageAllowance.cents(tenthsOfKm: 3, centsPerKm: 35) == 11, "10,5 cents round up")
        #expect(MileageAllowance.kmText(425, .fr) == "42,5" && MileageAllowance.kmText(420, .en) == "42")
        #expect(throws: DomainError.self) { try MileageAllowance.parseKm("-3") }
    }
}
