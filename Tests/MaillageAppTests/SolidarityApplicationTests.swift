import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// A person without a car applies for solidarity transport themselves: the structure's
/// eligibility form, kept when refused; one application at a time; the coordinators are told and
/// decide; the person reads where their own application stands, and nobody else's.
@Suite("Solidarity transport: applying yourself")
struct SolidarityApplicationTests {
    typealias S = CarpoolStandardTests

    @Test func aPersonAppliesTheCoordinatorsAreToldAndThePersonSeesTheDecision() async throws {
        try await withMaillage { app in
            let f = try await S.carpool(app)
            let page = "/c/\(S.slug)/carpool/solidarity/apply"
            let applicant = try await CarpoolPartnerClientTests.signedIn(app, f.users[3])
            #expect(try await applicant.get(page).body.string.contains("Envoyer ma demande"))
            // A missing phone: refused, what was typed kept.
            let refused = try await applicant.post(page, [("name", "Rose Garnier"), ("phone", ""), ("commune", "Savenay")])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Rose Garnier"), "\(refused.status)")
            // The structure's eligibility form (the standard one: no car, and a situation).
            let form = [("name", "Rose Garnier"), ("phone", "02 40 11 22 33"), ("commune", "Savenay"), ("no_car", "oui"), ("situation", "Personne âgée")]
            let sent = try await applicant.post(page, form)
            #expect(sent.status == .seeOther, "\(sent.body.string)")
            let shown = try await applicant.get(page).body.string
            #expect(shown.contains("En attente de décision") && !shown.contains("Envoyer ma demande"), "one application at a time")
            let again = try await applicant.post(page, form)
            #expect(again.status == .conflict)

            let board = try f.users[0].requireID()
            let told = try await Notice.query(on: app.db).filter(\.$user.$id == board).all()
            #expect(told.contains { $0.textFR.contains("nouvelle demande d’inscription") }, "the coordinators are told")
            // Another member sees only their own (empty) application, never Rose's.
            let other = try await CarpoolPartnerClientTests.signedIn(app, f.users[4])
            #expect(!(try await other.get(page).body.string.contains("02 40 11 22 33")))

            let row = try #require(try await SolidarityApplicationPages.latest(of: try f.users[3].requireID(), in: try f.coop.requireID(), on: app.db))
            try await SolidarityBeneficiaries.decide(row.id, accept: false, reason: "Vous avez une voiture", in: try f.coop.requireID(), on: app.db)
            let decided = try await applicant.get(page).body.string
            #expect(decided.contains("Motif : Vous avez une voiture") && decided.contains("Envoyer ma demande"), "refused: may apply again")
        }
    }
}
