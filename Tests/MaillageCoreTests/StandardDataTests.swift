import Foundation
@testable import MaillageCore
import Testing

@Suite struct StandardDataTests {
    /// One of each list, a few of them wrong in one field each.
    static let document = #"""
    {
      "users": [
        {"id": "7", "alias": "alice", "operator": "autre-plateforme.example", "firstName": "Alice", "lastName": "Martin"},
        {"id": "8", "operator": "autre-plateforme.example"}
      ],
      "driverJourneys": [
        {"id": "j1", "driver": {"id": "7", "alias": "alice"}, "operator": "autre-plateforme.example", "duration": 3600,
         "passengerPickupLat": 47.2184, "passengerPickupLng": -1.5536, "passengerDropLat": 47.2735, "passengerDropLng": -2.2138,
         "passengerPickupAddress": "Gare de Nantes", "passengerPickupDate": 1893481200, "availableSeats": 2, "type": "PLANNED"},
        {"id": "j2", "driver": {"id": "7", "alias": "alice"}, "operator": "autre-plateforme.example", "duration": 60,
         "passengerPickupLat": 47.2184, "passengerPickupLng": -1.5536, "passengerDropLat": 47.2185, "passengerDropLng": -1.5537,
         "passengerPickupDate": 1893481200, "type": "PLANNED"}
      ],
      "passengerJourneys": [
        {"id": "p1", "passenger": {"id": "9", "alias": "bruno"}, "operator": "autre-plateforme.example", "duration": 3600,
         "passengerPickupLat": 47.2735, "passengerPickupLng": -2.2138, "passengerDropLat": 47.2184, "passengerDropLng": -1.5536,
         "passengerPickupDate": 1893481200, "driverDepartureDate": 1893480000, "requestedSeats": 9, "type": "PLANNED"}
      ],
      "driverRegularTrips": [
        {"driver": {"id": "7", "alias": "alice"}, "operator": "autre-plateforme.example", "duration": 3600,
         "passengerPickupLat": 47.2184, "passengerPickupLng": -1.5536, "passengerDropLat": 47.2735, "passengerDropLng": -2.2138,
         "schedules": [{"passengerPickupDay": "MON", "passengerPickupTimeOfDay": "07:30:00"},
                       {"passengerPickupDay": "FRI", "passengerPickupTimeOfDay": "08:00:00"},
                       {"passengerPickupDay": "XYZ", "passengerPickupTimeOfDay": "08:00:00"}]}
      ],
      "bookings": [
        {"id": "b1", "driver": {"id": "7", "alias": "alice"}, "passenger": {"id": "9", "alias": "bruno"}, "operator": "autre-plateforme.example",
         "status": "CONFIRMED", "passengerPickupDate": 1893481200, "passengerPickupLat": 47.2184, "passengerPickupLng": -1.5536,
         "passengerDropLat": 47.2735, "passengerDropLng": -2.2138, "driverJourneyId": "j1", "price": {"type": "PAYING", "amount": 3.5}},
        {"id": "b2", "driver": {"id": "7", "alias": "alice"}, "passenger": {"id": "9", "alias": "bruno"}, "operator": "autre-plateforme.example",
         "status": "LOST", "passengerPickupDate": 1893481200, "passengerPickupLat": 47.2184, "passengerPickupLng": -1.5536,
         "passengerDropLat": 47.2735, "passengerDropLng": -2.2138}
      ],
      "vehicles": []
    }
    """#

    @Test func eachItemIsReadOrReportedWithItsPath() throws {
        let data = try StandardData.read(Data(Self.document.utf8))
        let paths = Set(data.problems.map(\.path))
        #expect(paths == ["vehicles", "users[1].alias", "driverJourneys[1]", "passengerJourneys[0].requestedSeats",
                          "driverRegularTrips[0].schedules[2].passengerPickupDay", "bookings[1].status"], "\(data.problems)")
        #expect(data.users.map(\.displayName) == ["Alice Martin"])
        #expect(data.journeys.map(\.id) == ["j1", "p1"])
        #expect(data.people.map(\.key) == ["autre-plateforme.example/7", "autre-plateforme.example/9"])
        #expect(data.bookings.map(\.id) == ["b1"])
        #expect(data.bookings.first?.status == .accepted)
        #expect(data.bookings.first?.priceCents == 350)
        #expect(data.regularTrips.first?.days == [1: 450, 5: 480])
    }

    @Test func journeysBecomeAdsOnTheTerritorysClock() throws {
        let data = try StandardData.read(Data(Self.document.utf8))
        // 1893481200 is 2030-01-01 07:00 UTC, 08:00 in Paris.
        let driver = StandardData.ad(data.journeys[0])
        #expect(driver.role == .driver)
        #expect(driver.seats == 2)
        #expect(driver.origin.name == "Gare de Nantes")
        #expect(driver.destination.name == "47,2735 ; -2,2138")
        #expect(driver.schedule == .punctual(date: LocalDate(year: 2030, month: 1, day: 1)!, outward: RideTime(minute: 480), backDate: nil, back: nil))
        let passenger = StandardData.ad(data.journeys[1])
        #expect(passenger.role == .passenger)
        #expect(passenger.seats == 1, "a refused seat count falls back to one seat")
        let today = LocalDate(year: 2029, month: 6, day: 3)!
        let regular = StandardData.ad(data.regularTrips[0], today: today)
        guard case let .regular(from, until, outward, back) = regular.schedule else { Issue.record("not regular"); return }
        #expect(from == today && from.days(to: until) == RideDraft.longestRegularDays - 1)
        #expect(outward == [1: RideTime(minute: 450), 5: RideTime(minute: 480)] && back.isEmpty)
    }

    @Test func somethingElseIsNotADocument() {
        #expect(throws: DomainError.self) { try StandardData.read(Data("[1, 2]".utf8)) }
        #expect(throws: DomainError.self) { try StandardData.read(Data(#"{"rides": []}"#.utf8)) }
        #expect(throws: DomainError.self) { try StandardData.read(Data("not json".utf8)) }
    }
}
