import Foundation
@testable import MaillageCore
import Testing

@Suite struct StandardBookingTests {
    @Test func asksReadAsBookingsAndAContactIsNone() {
        #expect(StandardBookingStatus.of(.initiated) == nil)
        #expect(StandardBookingStatus.of(.pending) == .waitingConfirmation)
        #expect(StandardBookingStatus.of(.accepted) == .confirmed)
        #expect(StandardBookingStatus.of(.declined) == .cancelled && StandardBookingStatus.of(.cancelled) == .cancelled)
        #expect(StandardBookingStatus.of(.completed) == .completedPendingValidation)
        #expect(StandardBookingStatus.of(.completed, validatedByBoth: true) == .validated)
        #expect(StandardBookingStatus(standard: "WAITING_DRIVER_CONFIRMATION") == .waitingConfirmation)
        #expect(StandardBookingStatus(standard: "WAITING_PASSENGER_CONFIRMATION") == .waitingConfirmation)
        #expect(StandardBookingStatus(standard: "confirmed") == nil)
        #expect(StandardBookingStatus.allCases.filter(\.holdsSeat) == [.confirmed, .completedPendingValidation, .validated])
    }

    @Test func aLaterStatusIsAcceptedTheSameOrAnEarlierOneIsAConflict() throws {
        let order: [StandardBookingStatus] = [.waitingConfirmation, .confirmed, .completedPendingValidation, .validated]
        for (i, from) in order.enumerated() {
            for (j, to) in order.enumerated() {
                if j > i { try StandardBookingRules.check(from: from, to: to) } else {
                    #expect(throws: StandardBookingRules.alreadySet) { try StandardBookingRules.check(from: from, to: to) }
                }
            }
        }
        try StandardBookingRules.check(from: .waitingConfirmation, to: .cancelled)
        try StandardBookingRules.check(from: .confirmed, to: .cancelled)
        for from in [StandardBookingStatus.cancelled, .completedPendingValidation, .validated] {
            #expect(throws: StandardBookingRules.alreadySet) { try StandardBookingRules.check(from: from, to: .cancelled) }
        }
        for to in StandardBookingStatus.allCases {
            #expect(throws: StandardBookingRules.alreadySet) { try StandardBookingRules.check(from: .cancelled, to: to) }
        }
        #expect(throws: StandardBookingRules.unknownStatus) { try StandardBookingRules.status("FLYING") }
        #expect(throws: StandardBookingRules.unknownStatus) { try StandardBookingRules.status(nil) }
        #expect(throws: StandardBookingRules.openingStatus) { try StandardBookingRules.checkOpening(.validated) }
    }

    @Test func theJourneyQueryIsCheckedAndFinished() throws {
        let base = ["departureLat": "47.27", "departureLng": "-2.21", "arrivalLat": "47.21", "arrivalLng": "-1.55", "departureDate": "1700000000"]
        let query = try StandardJourneyQuery.punctual(base)
        #expect(query.timeDelta == 900 && query.departureRadiusKm == 1 && query.arrivalRadiusKm == 1 && query.count == nil)
        for (name, value) in [("departureLat", "x"), ("departureLat", "91"), ("departureDate", ""), ("timeDelta", "-1"),
                              ("departureRadius", "0"), ("arrivalRadius", "abc"), ("count", "-1")] {
            var bad = base
            bad[name] = value
            #expect(throws: DomainError.self, "\(name)=\(value)") { try StandardJourneyQuery.punctual(bad) }
        }
        var missing = base
        missing["arrivalLng"] = nil
        #expect(throws: DomainError.self) { try StandardJourneyQuery.punctual(missing) }
        #expect(query.accepts(pickupAt: 1_700_000_900) && !query.accepts(pickupAt: 1_700_000_901))
        #expect(query.reaches(pickup: GeoPoint(lat: 47.275, lon: -2.21)!, drop: GeoPoint(lat: 47.21, lon: -1.55)!))
        #expect(!query.reaches(pickup: GeoPoint(lat: 47.30, lon: -2.21)!, drop: GeoPoint(lat: 47.21, lon: -1.55)!))
        var counted = base
        counted["count"] = "2"
        let finished = try StandardJourneyQuery.punctual(counted).finish([("b", 5), ("a", 5), ("c", 1), ("a", 0)], id: \.0, gap: \.1)
        #expect(finished.map(\.0) == ["a", "c"], "closest first, each id once, at most count")

        var regular = base
        regular["departureDate"] = nil
        regular["departureTimeOfDay"] = "07:30:00"
        regular["departureWeekdays"] = "MON,fri"
        let trips = try StandardJourneyQuery.regular(regular)
        #expect(trips.timeOfDay == 27_000 && trips.weekdays == [1, 5])
        #expect(trips.accepts(weekday: 1, secondsOfDay: 27_900) && !trips.accepts(weekday: 2, secondsOfDay: 27_000))
        regular["departureWeekdays"] = "MON,XYZ"
        #expect(throws: DomainError.self) { try StandardJourneyQuery.regular(regular) }
        #expect(StandardJourneyQuery.secondsOfDay("7:30:00") == nil && StandardJourneyQuery.secondsOfDay("07:30:00.5") == 27_000)
    }

    @Test func journeyIdsAreStableAndReadBack() throws {
        let ad = UUID(), day = try #require(LocalDate(iso: "2027-03-08"))
        let id = StandardJourneyID(ad: ad, date: day, leg: .return)
        #expect(id.text == "\(ad.uuidString.lowercased())-20270308-r")
        #expect(StandardJourneyID(id.text) == id)
        #expect(StandardJourneyID("nope") == nil && StandardJourneyID("\(ad)-20271308-o") == nil && StandardJourneyID("\(ad)-20270308-x") == nil)
    }
}
