import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// A volunteer's monthly limit holds when they take several different trips at the same instant
/// (from several notifications, or a coordinator recording phone answers while they click): the
/// trips are counted one after the other, on both engines.
@Suite("Solidarity transport: the monthly limit under simultaneous acceptances")
struct SolidarityLimitRaceTests {
    let s = SolidarityTransportTests()

    @Test func aVolunteerTakingSeveralTripsAtOnceNeverGoesBeyondTheirLimit() async throws {
        try await withMaillage { app in
            let f = try await s.structure(app)
            let coordinator = try await s.signedIn(app, f.users[1])
            try await s.volunteer(try await s.signedIn(app, f.users[2]), commune: "Nantes", limit: 2)
            var ids: [String] = []
            for _ in 0..<5 { ids.append(try await s.madeleineNeedsALift(coordinator).request) }
            let coop = try f.coop.requireID(), volunteer = try f.users[2].requireID(), by = try f.users[1].requireID()
            var requests: [SolidarityRequests.Row] = []
            for id in ids { requests.append(try await SolidarityRequests.find(UUID(uuidString: id), in: coop, on: app.db)) }
            let taken = await withTaskGroup(of: Bool.self) { group in
                for request in requests {
                    group.addTask { (try? await SolidarityRequests.assign(request, to: volunteer, by: by, on: app.db)) != nil }
                }
                return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(taken == 2, "two trips taken, the limit")
            let held = try await app.db.sql.select().column("id").from(Solidarity.requestsTable)
                .where("volunteer_id", .equal, SQLBind(volunteer)).all()
            #expect(held.count == 2, "the database holds two, never more")
        }
    }
}
