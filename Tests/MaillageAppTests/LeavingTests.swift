import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

@Suite("Leaving a cooperative: the member from their page, or the staff recording it", .serialized)
struct LeavingTests {
    /// A SCIC (shares at 20 €) founded by Fanny, with Ana (5 shares) and Ben (10), all signed in
    /// through the site, and every subscription booked: 320 €.
    struct World {
        let coop: Cooperative
        let founder: Visitor, ana: Visitor, ben: Visitor
        let anaMembership: UUID, benMembership: UUID, founderMembership: UUID
    }

    func world(_ app: Application) async throws -> World {
        let fanny = Visitor(app), ana = Visitor(app), ben = Visitor(app)
        _ = try await fanny.signUp("fanny@example.org", name: "Fanny")
        _ = try await ana.signUp("ana@example.org", name: "Ana")
        _ = try await ben.signUp("ben@example.org", name: "Ben")
        let users = try await User.query(on: app.db).all()
        func user(_ email: String) throws -> User { try #require(users.first { $0.email == email }) }
        let draft = CooperativeDraft(name: "Épicerie du Départ", slug: "epicerie-du-depart", legalForm: .scic, commune: "Nantes",
                                     description: "Une épicerie coopérative pour les tests de départ.", activities: [.food],
                                     colleges: ["Mangeurs", "Producteurs", "Salariés"], shareNominalCents: 2_000, charter: [])
        let created = try await Cooperatives.create(draft, creator: try user("fanny@example.org"), on: app.db)
        let coop = try await Cooperatives.find(slug: created.slug, on: app.db)
        let college = try #require(try await coop.$colleges.get(on: app.db).first?.id)
        var ids: [UUID] = []
        for (email, shares) in [("ana@example.org", 5), ("ben@example.org", 10)] {
            let asked = try await Joining.ask(Joining.Request(college: college, shares: shares, message: nil), user: try user(email), coop: coop, on: app.db)
            _ = try await Joining.decide(asked.requireID(), approve: true, by: try user("fanny@example.org"), coop: coop, on: app.db)
            ids.append(try asked.requireID())
        }
        let founderMembership = try #require(try await Cooperatives.membership(of: try user("fanny@example.org").requireID(),
                                                                               in: coop.requireID(), on: app.db)?.requireID())
        try await ShareCapitalBooking.reconcile(coop, on: app.db)
        return World(coop: coop, founder: fanny, ana: ana, ben: ben, anaMembership: ids[0], benMembership: ids[1],
                     founderMembership: founderMembership)
    }

    func membership(_ id: UUID, on db: any Database) async throws -> Membership {
        try #require(try await Membership.find(id, on: db))
    }

    struct Departure: Decodable { var shares: Int; var recorded_by: UUID? }

    func departures(_ id: UUID, on db: any Database) async throws -> [Departure] {
        try await db.sql.select().columns("shares", "recorded_by").from(MembershipDepartures.table)
            .where("membership_id", .equal, SQLBind(id)).all(decoding: Departure.self)
    }

    @Test func aMemberLeavesFromTheirPageAndTheirSharesArePaidBack() async throws {
        try await withMaillage { app in
            // setup
            let world = try await world(app)
            let coopID = try world.coop.requireID()
            let page = try await world.ana.get("/c/\(world.coop.slug)")
            #expect(page.body.string.contains("Quitter la coopérative"))

            // act
            let response = try await world.ana.post("/c/\(world.coop.slug)/leave", [])
            try await ShareCapitalBooking.reconcile(world.coop, on: app.db)

            // check: left, recorded with her 5 shares, paid back 100 € (320 € → 220 €)
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/c/\(world.coop.slug)?left=1")
            #expect(try await membership(world.anaMembership, on: app.db).memberStatus == .left)
            let recorded = try await departures(world.anaMembership, on: app.db)
            #expect(recorded.count == 1 && recorded.first?.shares == 5)
            #expect(try await AccountBook.open(.capital, cooperative: coopID, on: app.db).posted == 22_000)
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
            // The page now offers to come back, not to leave.
            let after = try await world.ana.get("/c/\(world.coop.slug)?left=1").body.string
            #expect(after.contains("/c/\(world.coop.slug)/join") && !after.contains("/c/\(world.coop.slug)/leave"))
        }
    }

    @Test func leavingWithoutTheFormsTokenChangesNothing() async throws {
        try await withMaillage { app in
            let world = try await world(app)
            let response = try await world.ana.post("/c/\(world.coop.slug)/leave", [], withToken: false)
            #expect(response.status == .forbidden)
            #expect(try await membership(world.anaMembership, on: app.db).memberStatus == .active)
            #expect(try await departures(world.anaMembership, on: app.db).isEmpty)
        }
    }

    @Test func staffRecordAMembersDepartureButAMemberCannotRecordAnothers() async throws {
        try await withMaillage { app in
            let world = try await world(app)
            // act: Ben, a plain member, tries to record Ana's departure
            try await world.ben.get("/c/\(world.coop.slug)")
            let refused = try await world.ben.post("/c/\(world.coop.slug)/members/\(world.anaMembership)/leave", [])
            #expect(refused.status == .forbidden)
            #expect(try await membership(world.anaMembership, on: app.db).memberStatus == .active)

            // act: the board records it from the members page
            let desk = try await world.founder.get("/c/\(world.coop.slug)/manage")
            #expect(desk.body.string.contains("/members/\(world.anaMembership)/leave"))
            let recorded = try await world.founder.post("/c/\(world.coop.slug)/members/\(world.anaMembership)/leave", [])

            // check
            #expect(recorded.status == .seeOther)
            #expect(try await membership(world.anaMembership, on: app.db).memberStatus == .left)
            let fanny = try #require(try await User.query(on: app.db).filter(\.$email == "fanny@example.org").first())
            #expect(try await departures(world.anaMembership, on: app.db).map(\.recorded_by) == [try fanny.requireID()])
            // Recording it twice is refused, and records nothing more.
            let twice = try await world.founder.post("/c/\(world.coop.slug)/members/\(world.anaMembership)/leave", [])
            #expect(twice.status == .conflict)
            #expect(try await departures(world.anaMembership, on: app.db).count == 1)
        }
    }

    @Test func theLastBoardMemberCannotLeaveMembersWithoutABoard() async throws {
        try await withMaillage { app in
            let world = try await world(app)
            try await world.founder.get("/c/\(world.coop.slug)")
            let response = try await world.founder.post("/c/\(world.coop.slug)/leave", [])
            #expect(response.status == .conflict)
            #expect(response.body.string.contains("Le dernier membre du conseil"))
            #expect(try await membership(world.founderMembership, on: app.db).memberStatus == .active)
            #expect(try await departures(world.founderMembership, on: app.db).isEmpty)
        }
    }

    @Test func aMemberLeavesOnlyOnce() async throws {
        try await withMaillage { app in
            let world = try await world(app)
            let ana = try #require(try await User.query(on: app.db).filter(\.$email == "ana@example.org").first())
            let left = try await Leaving.leave(world.anaMembership, by: ana, coop: world.coop, on: app.db)
            #expect(left.memberStatus == .left && left.memberRole == .member)
            await #expect(throws: DomainError.self) {
                try await Leaving.leave(world.anaMembership, by: ana, coop: world.coop, on: app.db)
            }
        }
    }
}
