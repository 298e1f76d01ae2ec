import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// The person who asks for a seat can leave a phone, as the driver does with the ad: the driver
/// sees it only once the request is accepted; it leaves with the person's account.
@Suite("Carpool: the asker's phone")
struct CarpoolAskPhoneTests {
    typealias S = CarpoolStandardTests

    @Test func theDriverSeesThePassengersPhoneOnlyOnceTheRequestIsAccepted() async throws {
        try await withMaillage { app in
            let f = try await S.carpool(app)
            let ad = try await S.commute(f)
            let monday = S.next(1)
            let asked = try await f.clients[2].send(.POST, "\(S.api)/ads/\(ad)/asks",
                                                    json: #"{"date": "\#(monday.iso)", "seats": 1, "phone": "  06 55 44 33 22 "}"#)
            #expect(asked.status == .created, "\(asked.body.string)")
            let ask = try #require(asked.json["id"] as? String)
            let driver = try await CarpoolPartnerClientTests.signedIn(app, f.users[0])
            let page = "/c/\(S.slug)/carpool/asks/\(ask)"
            #expect(!(try await driver.get(page).body.string.contains("06 55 44 33 22")), "hidden while pending")
            #expect(try await f.clients[0].send(.POST, "\(S.api)/asks/\(ask)/accept").status == .ok)
            let shown = try await driver.get(page).body.string
            #expect(shown.contains(#"href="tel:06 55 44 33 22""#), "the driver can call the passenger")

            let register = Modules.all.flatMap(\.dataRegister)
            let exported = try await DataExport.tables(for: try f.users[2].requireID(), register: register, on: app.db)
            #expect(exported.first { $0.name == "carpool_asks" }?.rows.first?["asker_phone"] == "06 55 44 33 22")
            try await CarpoolModule().erasePersonalData(of: try f.users[2].requireID(), name: "", pseudonym: "Ancien membre", on: app.db)
            let kept = try await app.db.sql.select().column("asker_phone").from("carpool_asks").all()
            #expect(try kept.allSatisfy { try $0.decodeNil(column: "asker_phone") }, "the phone leaves with the account")
        }
    }

    @Test func theAskFormOffersThePhoneAndKeepsItWhenRefused() async throws {
        try await withMaillage { app in
            let f = try await S.carpool(app)
            let ad = try await S.commute(f)
            let passenger = try await CarpoolPartnerClientTests.signedIn(app, f.users[2])
            let page = "/c/\(S.slug)/carpool/ads/\(ad)"
            #expect(try await passenger.get(page).body.string.contains("Votre téléphone (facultatif)"))
            // A day the ride does not travel: refused, and what was typed is kept.
            let refused = try await passenger.post("\(page)/asks", [("travel", "2020-01-01/outward"), ("seats", "1"), ("phone", "07 12 12 12 12"), ("ask_seat", "1")])
            #expect(refused.status.code >= 400 && refused.body.string.contains("07 12 12 12 12"), "\(refused.status)")
        }
    }
}
