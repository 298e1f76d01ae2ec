import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import Testing
import VaporTesting

/// Deleting an account never leaves someone waiting at the roadside: an accepted ride still to
/// come is cancelled first (the other person is told), then the account can go.
@Suite("Carpool rides settle before an account is deleted")
struct CarpoolObligationTests {
    typealias S = CarpoolStandardTests

    @Test func anAcceptedRideToComeIsCancelledBeforeEitherPersonDeletesTheirAccount() async throws {
        try await withMaillage { app in
            let f = try await S.carpool(app)
            let ad = try await S.commute(f)
            let monday = S.next(1)
            let asked = try await f.clients[2].send(.POST, "\(S.api)/ads/\(ad)/asks", json: #"{"date": "\#(monday.iso)", "seats": 1}"#)
            let ask = try #require(asked.json["id"] as? String)
            #expect(try await Erasure.openObligations(of: f.users[2], on: app.db).isEmpty, "a request not yet accepted binds nobody")
            #expect(try await f.clients[0].send(.POST, "\(S.api)/asks/\(ask)/accept").status == .ok)

            let passenger = try await Erasure.openObligations(of: f.users[2], on: app.db)
            // (users[0] also sits alone on the board: only the ride is this module's to say.)
            let driver = try await CarpoolModule().openObligations(of: f.users[0], on: app.db)
            #expect(passenger.count == 1 && passenger[0].fr.contains("Une place vous attend le \(monday.iso)"), "\(passenger)")
            #expect(driver.count == 1 && driver[0].fr.contains("Vous conduisez quelqu’un le \(monday.iso)"), "\(driver)")
            await #expect(throws: DomainError.self) { try await Erasure.erase(f.users[2], on: app.db) }
            #expect(try await f.clients[3].send(.GET, "\(S.api)/asks/\(ask)").status == .notFound, "someone else has no obligation")

            let cancelled = try await f.clients[2].send(.POST, "\(S.api)/asks/\(ask)/cancel", json: #"{"reason": "Je déménage"}"#)
            #expect(cancelled.status == .ok, "\(cancelled.body.string)")
            #expect(try await Erasure.openObligations(of: f.users[2], on: app.db).isEmpty)
            #expect(try await CarpoolModule().openObligations(of: f.users[0], on: app.db).isEmpty)
            try await Erasure.erase(f.users[2], on: app.db)
        }
    }
}
