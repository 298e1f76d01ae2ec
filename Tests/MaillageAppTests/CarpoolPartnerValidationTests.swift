import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// A partner operator's booking is VALIDATED, as the standard means it, only when both sides said
/// the ride happened: the partner for its passenger, our driver on the ride's page. And the driver
/// finds those bookings in their data export; erasing their account unlinks them.
@Suite("Carpool partner bookings validated by both sides", .serialized)
struct CarpoolPartnerValidationTests {
    typealias S = CarpoolStandardTests
    typealias C = CarpoolPartnerClientTests

    @Test func aBookingIsValidatedOnlyWhenBothSidesSayTheRideHappened() async throws {
        try await withMaillage { app in
            let f = try await S.carpool(app)
            let ad = try await S.commute(f)
            let key = try await S.key(app, f, name: "Covoit’ Voisins")
            let journey = StandardJourneyID(ad: UUID(uuidString: ad)!, date: S.next(1), leg: .outward).text
            let (first, second) = (UUID(), UUID())
            for id in [first, second] {
                let made = try await S.send(app, .POST, "\(S.standard)/bookings", key: key, json: S.bookingJSON(id: id, journey: journey, status: "CONFIRMED"))
                #expect(made.status == .created, "\(made.body.string)")
            }
            func status(_ id: UUID) async throws -> String? {
                try await S.get(app, "\(S.standard)/bookings/\(id.uuidString.lowercased())", key: key).json["status"] as? String
            }
            let page = "/c/\(S.slug)/carpool/ads/\(ad)"
            let driver = try await C.signedIn(app, f.users[0])
            // Before the pickup time the driver cannot say the ride happened.
            #expect(!(try await driver.get(page).body.string.contains("Le trajet a eu lieu")))
            #expect(try await driver.post("\(page)/partner-bookings/\(first)/completed", []).status == .conflict)
            #expect(try await status(first) == "CONFIRMED")

            // The ride's day comes.
            try await app.db.sql.update("carpool_partner_bookings").set("pickup_at", to: SQLBind(Date().addingTimeInterval(-3_600))).run()

            // The partner says first: its VALIDATED waits for the driver's word.
            let early = try await S.send(app, .PATCH, "\(S.standard)/bookings/\(first.uuidString.lowercased())?status=VALIDATED", key: key)
            #expect(early.status == .ok && early.json["status"] as? String == "COMPLETED_PENDING_VALIDATION", "\(early.body.string)")
            #expect(try await driver.get(page).body.string.contains("Le trajet a eu lieu"))
            #expect(try await driver.post("\(page)/partner-bookings/\(first)/completed", []).status == .seeOther)
            #expect(try await status(first) == "VALIDATED", "both sides said it")
            #expect(try await driver.post("\(page)/partner-bookings/\(first)/completed", []).status == .conflict, "once is enough")

            // The driver says first: completed, pending the partner's validation.
            #expect(try await driver.post("\(page)/partner-bookings/\(second)/completed", []).status == .seeOther)
            #expect(try await status(second) == "COMPLETED_PENDING_VALIDATION")
            #expect(try await driver.get(page).body.string.contains("la plateforme partenaire le validera"))
            let late = try await S.send(app, .PATCH, "\(S.standard)/bookings/\(second.uuidString.lowercased())?status=VALIDATED", key: key)
            #expect(late.status == .ok && late.json["status"] as? String == "VALIDATED", "\(late.body.string)")

            // Another member cannot say it for the driver.
            let other = try await C.signedIn(app, f.users[3])
            try await other.get(page)
            #expect(try await other.post("\(page)/partner-bookings/\(first)/completed", []).status == .notFound)
        }
    }

    @Test func theDriverFindsPartnerBookingsInTheirExportAndErasureUnlinksThem() async throws {
        try await withMaillage { app in
            let f = try await S.carpool(app)
            let ad = try await S.commute(f)
            let key = try await S.key(app, f)
            let journey = StandardJourneyID(ad: UUID(uuidString: ad)!, date: S.next(1), leg: .outward).text
            let id = UUID()
            #expect(try await S.send(app, .POST, "\(S.standard)/bookings", key: key, json: S.bookingJSON(id: id, journey: journey)).status == .created)
            let register = Modules.all.flatMap(\.dataRegister)
            let driverID = try f.users[0].requireID()
            let exported = try await DataExport.tables(for: driverID, register: register, on: app.db)
            #expect(exported.first { $0.name == "carpool_partner_bookings" }?.rows.contains { $0["id"]?.lowercased() == id.uuidString.lowercased() } == true)
            let someoneElse = try await DataExport.tables(for: try f.users[3].requireID(), register: register, on: app.db)
            #expect(!someoneElse.contains { $0.name == "carpool_partner_bookings" })

            try await CarpoolModule().erasePersonalData(of: driverID, name: f.users[0].displayName, pseudonym: "Ancien membre", on: app.db)
            let after = try await DataExport.tables(for: driverID, register: register, on: app.db)
            #expect(!after.contains { $0.name == "carpool_partner_bookings" }, "no longer linked to the erased person")
            #expect(try await S.get(app, "\(S.standard)/bookings/\(id.uuidString.lowercased())", key: key).status == .ok, "the partner's record stays")
        }
    }

    /// RDEX+'s `regularSchedule`: a regular journey is found only if it travels on every slot asked
    /// (UTC times, each on its first day of the period).
    @Test func rdexRegularSearchesKeepJourneysTravellingOnEverySlot() async throws {
        try await withMaillage { app in
            let f = try await S.carpool(app)
            let ad = try await S.commute(f)
            let monday = S.next(1)
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            let clock = utc.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: Double(S.at(monday, 7, 15))))
            let time = String(format: "%02d:%02d:00", clock.hour!, clock.minute!)
            func journeys(_ schedule: String) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.GET, "/c/\(S.slug)/carpool/rdex/journeys?" + S.journeysQuery(at: S.at(monday, 0, 0))
                    + "&frequency=regular&regularSchedule=" + schedule.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            }
            func ids(_ answer: TestingHTTPResponse) -> [String] {
                (answer.json["journeys"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            let weekdays = try await journeys(#"[{"mondayTime": "\#(time)", "fridayTime": "\#(time)"}]"#)
            #expect(weekdays.status == .ok && ids(weekdays) == [ad.lowercased()], "\(weekdays.body.string)")
            #expect(ids(try await journeys(#"[{"mondayTime": "\#(time)"}, {"saturdayTime": "\#(time)"}]"#)).isEmpty, "it does not travel on Saturdays")
            #expect(ids(try await journeys(#"{"tuesdayTime": "11:00:00", "tuesdayTimeDelta": 600}"#)).isEmpty, "not at that hour")
            let unreadable = try await journeys(#"[{"mondayTime": "7 heures"}]"#)
            #expect(unreadable.status == .badRequest && unreadable.json["errorCode"] as? String == "invalid_input")
        }
    }
}
