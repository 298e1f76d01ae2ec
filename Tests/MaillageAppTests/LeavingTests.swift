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
        let created = try await Cooperatives.create(draft, creator: try user("fanny@example.org"), review: .approved, on: app.db)
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
            #expect(page.body.string.contains("href=\"/c/\(world.coop.slug)/leave\""))
            // The question says what leaving does, with her figures.
            let question = try await world.ana.get("/c/\(world.coop.slug)/leave").body.string
            #expect(question.contains("Vos 5 parts sociales (100,00"))
            #expect(question.contains("name=\"confirmed\" value=\"yes\""))
            // A post that did not come from the question changes nothing and leads to it.
            let unasked = try await world.ana.post("/c/\(world.coop.slug)/leave", [])
            #expect(unasked.status == .seeOther)
            #expect(unasked.headers.first(name: .location) == "/c/\(world.coop.slug)/leave")
            #expect(try await membership(world.anaMembership, on: app.db).memberStatus == .active)

            // act
            let response = try await world.ana.post("/c/\(world.coop.slug)/leave", [("confirmed", "yes")])
            try await ShareCapitalBooking.reconcile(world.coop, on: app.db)

            // check: left, recorded with her 5 shares, paid back 100 € (320 € → 220 €)
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/c/\(world.coop.slug)")
            #expect(try await membership(world.anaMembership, on: app.db).memberStatus == .left)
            let recorded = try await departures(world.anaMembership, on: app.db)
            #expect(recorded.count == 1 && recorded.first?.shares == 5)
            #expect(try await AccountBook.open(.capital, cooperative: coopID, on: app.db).posted == 22_000)
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
            // The page now offers to come back, not to leave.
            let after = try await world.ana.get("/c/\(world.coop.slug)").body.string
            #expect(after.contains("Vous avez quitté la coopérative."))
            #expect(after.contains("/c/\(world.coop.slug)/join") && !after.contains("/c/\(world.coop.slug)/leave"))
        }
    }

    @Test func leavingWithoutTheFormsTokenChangesNothing() async throws {
        try await withMaillage { app in
            let world = try await world(app)
            let response = try await world.ana.post("/c/\(world.coop.slug)/leave", [("confirmed", "yes")], withToken: false)
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
            let refused = try await world.ben.post("/c/\(world.coop.slug)/members/\(world.anaMembership)/leave",
                                                   [("confirmed", "yes"), ("reason", "Parce que je le dis")])
            #expect(refused.status == .forbidden)
            #expect(try await membership(world.anaMembership, on: app.db).memberStatus == .active)

            // act: the board records it from the members page, through the question
            let desk = try await world.founder.get("/c/\(world.coop.slug)/manage")
            #expect(desk.body.string.contains("/members/\(world.anaMembership)/leave"))
            let question = try await world.founder.get("/c/\(world.coop.slug)/members/\(world.anaMembership)/leave").body.string
            #expect(question.contains("Ses 5 parts sociales (100,00"))
            // Without a reason: the question again, saying what to fix; nothing recorded.
            let noReason = try await world.founder.post("/c/\(world.coop.slug)/members/\(world.anaMembership)/leave",
                                                        [("confirmed", "yes"), ("reason", " ")])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.string.contains("Indiquez la raison du départ"))
            #expect(try await membership(world.anaMembership, on: app.db).memberStatus == .active)
            let recorded = try await world.founder.post("/c/\(world.coop.slug)/members/\(world.anaMembership)/leave",
                                                        [("confirmed", "yes"), ("reason", "Lettre de démission du 3 mars")])

            // check: recorded with its reason, and Ana is told why
            #expect(recorded.status == .seeOther)
            #expect(try await membership(world.anaMembership, on: app.db).memberStatus == .left)
            let fanny = try #require(try await User.query(on: app.db).filter(\.$email == "fanny@example.org").first())
            #expect(try await departures(world.anaMembership, on: app.db).map(\.recorded_by) == [try fanny.requireID()])
            #expect(try await reasons(world.anaMembership, on: app.db) == ["Lettre de démission du 3 mars"])
            let told = try await world.ana.get("/account").body.string
            #expect(told.contains("Lettre de démission du 3 mars"))
            #expect(try await world.founder.get("/c/\(world.coop.slug)/manage").body.string.contains("Départ de Ana enregistré"))
            // Recording it twice is refused, and records nothing more.
            let twice = try await world.founder.post("/c/\(world.coop.slug)/members/\(world.anaMembership)/leave",
                                                     [("confirmed", "yes"), ("reason", "Lettre de démission du 3 mars")])
            #expect(twice.status == .conflict)
            #expect(try await departures(world.anaMembership, on: app.db).count == 1)
        }
    }

    @Test func theLastBoardMemberCannotLeaveMembersWithoutABoard() async throws {
        try await withMaillage { app in
            let world = try await world(app)
            try await world.founder.get("/c/\(world.coop.slug)")
            let response = try await world.founder.post("/c/\(world.coop.slug)/leave", [("confirmed", "yes")])
            #expect(response.status == .conflict)
            #expect(response.body.string.contains("Le dernier membre du conseil"))
            #expect(try await membership(world.founderMembership, on: app.db).memberStatus == .active)
            #expect(try await departures(world.founderMembership, on: app.db).isEmpty)
        }
    }

    /// Staff record a plain member's departure, never a board or staff member's, nor their own:
    /// those belong to the board (and one's own departure is leaving, from the cooperative's page).
    @Test func onlyTheBoardRecordsTheDepartureOfABoardOrStaffMember() async throws {
        try await withMaillage { app in
            let world = try await world(app)
            let fanny = try #require(try await User.query(on: app.db).filter(\.$email == "fanny@example.org").first())
            // setup: Ben joins the staff, Ana the board
            _ = try await Joining.changeRole(world.benMembership, to: .staff, by: fanny, coop: world.coop, on: app.db)
            _ = try await Joining.changeRole(world.anaMembership, to: .board, by: fanny, coop: world.coop, on: app.db)
            try await world.ben.get("/c/\(world.coop.slug)")
            let reason = [("confirmed", "yes"), ("reason", "Décision de l’assemblée")]

            // The staff desk offers neither departure: Ana's is the board's, Ben's own is his to make.
            let desk = try await world.ben.get("/c/\(world.coop.slug)/manage").body.string
            #expect(!desk.contains("/members/\(world.anaMembership)/leave"))
            #expect(!desk.contains("/members/\(world.benMembership)/leave"))
            // Asked anyway, both are refused and change nothing.
            let boardMember = try await world.ben.get("/c/\(world.coop.slug)/members/\(world.anaMembership)/leave")
            #expect(boardMember.status == .forbidden)
            #expect(boardMember.body.string.contains("Seul le conseil peut enregistrer le départ"))
            #expect(try await world.ben.post("/c/\(world.coop.slug)/members/\(world.anaMembership)/leave", reason).status == .forbidden)
            #expect(try await world.ben.get("/c/\(world.coop.slug)/members/\(world.benMembership)/leave").status == .forbidden)
            await #expect(throws: DomainError.self) {
                try await Leaving.leave(world.anaMembership, by: try #require(try await User.query(on: app.db).filter(\.$email == "ben@example.org").first()),
                                        reason: "Décision de l’assemblée", coop: world.coop, on: app.db)
            }
            #expect(try await membership(world.anaMembership, on: app.db).memberStatus == .active)
            #expect(try await departures(world.anaMembership, on: app.db).isEmpty)

            // The board records the staff member's departure, with its reason.
            try await world.founder.get("/c/\(world.coop.slug)/manage")
            let recorded = try await world.founder.post("/c/\(world.coop.slug)/members/\(world.benMembership)/leave", reason)
            #expect(recorded.status == .seeOther)
            #expect(try await membership(world.benMembership, on: app.db).memberStatus == .left)
            #expect(try await reasons(world.benMembership, on: app.db) == ["Décision de l’assemblée"])
        }
    }

    func reasons(_ id: UUID, on db: any Database) async throws -> [String?] {
        struct Reason: Decodable { var reason: String? }
        return try await db.sql.select().column("reason").from(MembershipDepartures.table)
            .where("membership_id", .equal, SQLBind(id)).all(decoding: Reason.self).map(\.reason)
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
