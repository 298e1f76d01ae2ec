import Foundation
import MaillageCore
import Testing

@Suite struct CarpoolRulesTests {
    let zone = LocalZone.paris
    var now: Date { zone.instant(on: LocalDate(iso: "2027-03-10")!, hour: 12) }   // a Wednesday
    let nantes = RidePlace(name: "Nantes", point: GeoPoint(commune: "Nantes")!)
    let stNazaire = RidePlace(name: "Saint-Nazaire", point: GeoPoint(commune: "Saint-Nazaire")!)

    @Test func timesAreReadAsPeopleTypeThem() {
        #expect(RideTime.minute(of: "07:30") == 450 && RideTime.minute(of: "7h30") == 450 && RideTime.minute(of: "7h") == 420)
        #expect(RideTime.minute(of: "7.05") == 425 && RideTime.minute(of: " 18:00 ") == 1080)
        for bad in ["25:00", "7:5", "", "midi", "7h300", "-1:00"] { #expect(RideTime.minute(of: bad) == nil, "\(bad)") }
        #expect(RideTime.clock(425) == "07:05")
    }

    @Test func aOneOffTripWithAReturnIsCheckedWholeAndAPastOneRefused() throws {
        let ad = try RideDraft(role: "driver", frequency: "punctual", date: "2027-03-11", time: "7h30", returnTime: "18:00", seats: "")
            .validated(origin: stNazaire, destination: nantes, community: nil, now: now)
        #expect(ad.seats == 3, "a driver offers 3 seats unless they say otherwise")
        #expect(ad.schedule.time(on: LocalDate(iso: "2027-03-11")!, leg: .return) == RideTime(minute: 1080, margin: 15))
        #expect(ad.schedule.time(on: LocalDate(iso: "2027-03-12")!, leg: .outward) == nil)
        do {
            _ = try RideDraft(role: "driver", frequency: "punctual", date: "2027-03-10", time: "09:00", returnTime: "08:00")
                .validated(origin: stNazaire, destination: nil, community: nil, now: now)
            Issue.record("refused")
        } catch let errors as ValidationErrors {
            let codes = Set(errors.errors.map(\.code))
            #expect(codes == ["unknown_place", "in_the_past", "return_before_outward"], "\(codes)")
        }
        let passenger = try RideDraft(role: "passenger", frequency: "punctual", date: "2027-03-10", time: "12:10", margin: "15")
            .validated(origin: stNazaire, destination: nantes, community: nil, now: now)
        #expect(passenger.seats == 1, "within its margin, today's trip is still to come")
    }

    @Test func aRegularTripRunsOnItsWeekdaysWithinItsDates() throws {
        let ad = try RideDraft(role: "both", frequency: "regular", fromDate: "2027-03-10", untilDate: "2027-06-30",
                               weekdays: [1: ("07:15", "17:45"), 3: ("07:15", ""), 6: ("", "")])
            .validated(origin: stNazaire, destination: nantes, community: nil, now: now)
        let monday = LocalDate(iso: "2027-03-15")!, tuesday = LocalDate(iso: "2027-03-16")!
        #expect(ad.schedule.time(on: monday, leg: .outward)?.minute == 435 && ad.schedule.time(on: monday, leg: .return)?.minute == 1065)
        #expect(ad.schedule.time(on: tuesday, leg: .outward) == nil && ad.schedule.time(on: LocalDate(iso: "2027-07-05")!, leg: .outward) == nil)
        #expect(throws: ValidationErrors.self) {
            try RideDraft(role: "driver", frequency: "regular", fromDate: "2027-03-10", untilDate: "2028-06-30", weekdays: [:])
                .validated(origin: stNazaire, destination: nantes, community: nil, now: now)
        }
    }

    @Test func anAskMovesOnlyByItsRules() throws {
        // A passenger asks: the driver answers; the passenger may withdraw, not accept.
        #expect(try AskRules.next(from: .pending, .accept, by: .driver, waitingFor: .driver) == .accepted)
        #expect(throws: CarpoolErrors.notYourTurn) { try AskRules.next(from: .pending, .accept, by: .passenger, waitingFor: .driver) }
        #expect(try AskRules.next(from: .pending, .cancel, by: .passenger, waitingFor: .driver) == .cancelled)
        #expect(throws: CarpoolErrors.notYourTurn) { try AskRules.next(from: .pending, .cancel, by: .driver, waitingFor: .driver) }
        #expect(try AskRules.next(from: .initiated, .ask, by: .driver, waitingFor: nil) == .pending)
        #expect(throws: CarpoolErrors.reasonRequired) { try AskRules.next(from: .accepted, .cancel, by: .driver, waitingFor: nil, reason: "  ") }
        #expect(try AskRules.next(from: .accepted, .cancel, by: .driver, waitingFor: nil, reason: "Panne") == .cancelled)
        #expect(throws: CarpoolErrors.notYet) { try AskRules.next(from: .accepted, .complete, by: .passenger, waitingFor: nil, tripHasStarted: false) }
        for final in [AskStatus.declined, .cancelled, .completed] {
            for action in AskAction.allCases {
                #expect(throws: DomainError.self) { try AskRules.next(from: final, action, by: .driver, waitingFor: nil, reason: "x") }
            }
        }
        #expect(AskStatus.accepted.revealsContact && !AskStatus.pending.revealsContact && AskStatus.accepted.holdsSeats)
    }

    @Test func theContributionIsNeverMoreThanRateTimesKilometresAndFreeIsFree() throws {
        let rate = CarpoolContribution.atCost(centsPerKm: 6)
        for km in stride(from: 0.5, through: 200, by: 3.7) {
            let cents = rate.suggestedCents(km: km)
            #expect(Double(cents) <= km * 6 && Double(cents) > km * 6 - 1, "\(km) km: \(cents)")
        }
        #expect(rate.suggestedCents(km: 65, seats: 2) == 780)
        #expect(CarpoolContribution.free.suggestedCents(km: 65) == 0 && rate.suggestedCents(km: .nan) == 0)
        #expect(try CarpoolContribution.parse(mode: "at-cost", rate: "0,06") == rate)
        #expect(throws: DomainError.self) { try CarpoolContribution.parse(mode: "at-cost", rate: "0,50") }
    }

    @Test func aCommunityLetsInByItsRule() throws {
        #expect(try CommunityJoining.open.decide(email: "a@b.fr", domains: [], list: []) == .joined)
        #expect(try CommunityJoining.approval.decide(email: "a@b.fr", domains: [], list: []) == .waiting)
        let domains = CommunityJoining.entries("@Chantiers.fr, ecole.org")
        #expect(try CommunityJoining.domain.decide(email: "Marie@chantiers.fr", domains: domains, list: []) == .joined)
        #expect(throws: CarpoolErrors.communityDomain) { try CommunityJoining.domain.decide(email: "marie@chantiers.fr.evil.com", domains: domains, list: []) }
        #expect(throws: CarpoolErrors.communityClosed) { try CommunityJoining.list.decide(email: "x@y.fr", domains: [], list: ["a@b.fr"]) }
    }
}
