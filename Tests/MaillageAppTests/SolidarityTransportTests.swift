import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

@Suite("Solidarity transport: coordinators, beneficiaries, volunteers, matching, allowance", .serialized)
struct SolidarityTransportTests {
    static let slug = "transport-solidaire-des-tests"
    var home: String { "/c/\(Self.slug)/carpool/solidarity" }

    /// users[0] board, users[1] staff (the coordinator), the others members.
    func structure(_ app: Application, members: Int = 6) async throws -> LendingFixture {
        try await LendingFixture.make(app, members: members, activity: .carpool, slug: Self.slug)
    }

    func signedIn(_ app: Application, _ user: User) async throws -> Visitor {
        let visitor = Visitor(app)
        user.passwordHash = try app.password.hash("un mot de passe solide")
        try await user.save(on: app.db)
        try await visitor.logIn(user.email, password: "un mot de passe solide")
        try await visitor.get("/account")   // the signed-in session's form token
        return visitor
    }

    /// The next Monday, at least tomorrow.
    var monday: LocalDate {
        var day = LocalZone.paris.localDate(at: Date()).adding(days: 1)!
        while day.weekday != 1 { day = day.adding(days: 1)! }
        return day
    }

    func location(_ response: TestingHTTPResponse) -> String { response.headers.first(name: .location) ?? "" }

    /// A volunteer free on Monday mornings, from `commune`.
    func volunteer(_ visitor: Visitor, commune: String, limit: Int = 4, maxKm: Int = 40) async throws {
        let saved = try await visitor.post("\(home)/volunteer", [("slot", "1-morning"), ("slot", "3-afternoon"), ("home_commune", commune),
                                                                ("max_km", "\(maxKm)"), ("vehicle", "Clio"), ("monthly_limit", "\(limit)")])
        #expect(saved.status == .seeOther, "the volunteer's availability is saved: \(saved.body.string)")
    }

    /// The coordinator registers Madeleine (accepted) and records a Monday-morning request from
    /// Rezé to Nantes; returns the request's id.
    func madeleineNeedsALift(_ coordinator: Visitor, day: LocalDate? = nil) async throws -> (beneficiary: String, request: String) {
        let registered = try await coordinator.post("\(home)/beneficiaries", [("name", "Madeleine Guérin"), ("phone", "02 40 56 78 90"), ("commune", "Rezé"),
                                                                             ("address", "12 rue des Tilleuls"), ("no_car", "oui"), ("situation", "Personne âgée")])
        #expect(registered.status == .seeOther, "\(registered.body.string)")
        let beneficiary = String(location(registered).split(separator: "/").last ?? "")
        let accepted = try await coordinator.post("\(home)/beneficiaries/\(beneficiary)/decision", [("decision", "accept"), ("reason", "")])
        #expect(accepted.status == .seeOther)
        let recorded = try await coordinator.post("\(home)/beneficiaries/\(beneficiary)/requests", [
            ("reason", "Rendez-vous médical"), ("destination", "CHU Hôtel-Dieu"), ("destination_commune", "Nantes"),
            ("date", (day ?? monday).iso), ("within", "0"), ("period", "morning"), ("back", "+2h")])
        #expect(recorded.status == .seeOther, "\(recorded.body.string)")
        return (beneficiary, String(location(recorded).split(separator: "/").last ?? ""))
    }

    @Test func aCoordinatorRegistersAPersonAVolunteerAcceptsTheTripIsDoneAndPaidOnTheStatement() async throws {
        try await withMaillage { app in
            let f = try await structure(app)
            let coordinator = try await signedIn(app, f.users[1])
            let (ursule, theo, victor) = (try await signedIn(app, f.users[2]), try await signedIn(app, f.users[3]), try await signedIn(app, f.users[4]))
            try await volunteer(ursule, commune: "Nantes")
            try await volunteer(theo, commune: "Rezé")
            try await volunteer(victor, commune: "Saint-Nazaire", maxKm: 20)

            // The eligibility form refuses a missing required answer and keeps what was typed.
            let incomplete = try await coordinator.post("\(home)/beneficiaries", [("name", "Madeleine Guérin"), ("phone", "02 40 56 78 90"), ("commune", "Rezé")])
            #expect(incomplete.status == .unprocessableEntity && incomplete.body.string.contains("Madeleine Guérin"))
            #expect(incomplete.body.string.contains("Cette case doit être cochée"))

            let (beneficiary, request) = try await madeleineNeedsALift(coordinator)
            // The matcher proposes the two volunteers close enough, not Victor (Saint-Nazaire, 20 km at most).
            let page = try await coordinator.get("\(home)/requests/\(request)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("v-\(f.users[2].id!.uuidString)") && page.body.string.contains("v-\(f.users[3].id!.uuidString)"))
            #expect(!page.body.string.contains("v-\(f.users[4].id!.uuidString)"))

            // Asked, both are told; Théo accepts from the notification.
            let asked = try await coordinator.post("\(home)/requests/\(request)/ask", [("volunteer", f.users[2].id!.uuidString), ("volunteer", f.users[3].id!.uuidString)])
            #expect(asked.status == .seeOther)
            let told = try await Notice.query(on: app.db).filter(\.$user.$id == f.users[3].requireID()).all()
            #expect(told.contains { $0.link == "\(home)/offers/\(request)" })
            let offer = try await theo.get("\(home)/offers/\(request)")
            #expect(offer.status == .ok && !offer.body.string.contains("02 40 56 78 90"), "before accepting, no name or phone")
            #expect(try await theo.post("\(home)/offers/\(request)/accept", []).status == .seeOther)
            let accepted = try await theo.get("\(home)/offers/\(request)")
            #expect(accepted.body.string.contains("02 40 56 78 90") && accepted.body.string.contains("Madeleine Guérin"), "once theirs, whom to call")
            #expect(try await ursule.post("\(home)/offers/\(request)/accept", []).status == .conflict, "the trip is already taken")

            // The diary keeps the call; the trip is done and the allowance paid: 30 km × 0,32 €.
            #expect(try await coordinator.post("\(home)/requests/\(request)/diary", [("kind", "call"), ("with_whom", "Madeleine"), ("note", "")]).status
                    == .unprocessableEntity)
            #expect(try await coordinator.post("\(home)/requests/\(request)/diary", [("kind", "call"), ("with_whom", "Madeleine"),
                                                                                   ("note", "Elle sera prête à 9 h.")]).status == .seeOther)
            let done = try await coordinator.post("\(home)/requests/\(request)/done", [("day", monday.iso), ("km", "30"), ("hours", "2,5")])
            #expect(done.status == .seeOther, "\(done.body.string)")
            #expect(try await coordinator.post("\(home)/requests/\(request)/done", [("day", monday.iso), ("km", "30"), ("hours", "2,5")]).status == .conflict,
                    "paid once")
            let credit = try await LedgerFacade.availableCredit(of: f.users[3].requireID(), in: f.coop.requireID(), on: app.db)
            #expect(credit == 960)
            let statement = try await theo.get("\(home)/statement/\(monday.year)")
            #expect(statement.status == .ok && statement.body.string.contains("9,60") && statement.body.string.contains("Nantes"))
            let diary = try await coordinator.get("\(home)/requests/\(request)")
            #expect(diary.body.string.contains("Elle sera prête à 9 h."))
            // Fairness: Théo has one trip this year.
            let fairness = try await coordinator.get("\(home)/fairness")
            #expect(fairness.status == .ok && fairness.body.string.contains("1 · 30 km · 2,5 h"))
            // Every opening of the record was written down.
            struct Count: Decodable { var n: Int }
            let openings = try await app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Solidarity.openingsTable)
                .where("beneficiary_id", .equal, SQLBind(UUID(uuidString: beneficiary)!)).first(decoding: Count.self)
            #expect((openings?.n ?? 0) >= 2)
        }
    }

    @Test func aPlainMemberOfTheStructureSeesNoBeneficiaryData() async throws {
        try await withMaillage { app in
            let f = try await structure(app)
            let coordinator = try await signedIn(app, f.users[1])
            let (_, request) = try await madeleineNeedsALift(coordinator)
            struct Row: Decodable { var id: UUID }
            let beneficiary = try await app.db.sql.select().column("id").from(Solidarity.beneficiariesTable).first(decoding: Row.self)?.id
            let member = try await signedIn(app, f.users[2])
            let desk = try await member.get(home)
            #expect(desk.status == .seeOther && location(desk).hasSuffix("/volunteer"), "the desk sends a member to their volunteer page")
            for path in ["\(home)/beneficiaries/\(beneficiary!)", "\(home)/requests/\(request)", "\(home)/fairness", "\(home)/beneficiaries/new",
                         "\(home)/offers/\(request)", "\(home)/volunteer", "\(home)/settings"] {
                let page = try await member.get(path)
                #expect(!page.body.string.contains("Madeleine") && !page.body.string.contains("02 40 56 78 90"), "\(path) shows nothing of her")
                if !path.hasSuffix("/volunteer") { #expect(page.status == .forbidden || page.status == .notFound, "\(path): \(page.status)") }
            }
            #expect(try await member.post("\(home)/requests/\(request)/ask", [("volunteer", f.users[2].id!.uuidString)]).status == .forbidden)
            #expect(try await member.post("\(home)/offers/\(request)/accept", []).status == .notFound, "nobody asked them")
        }
    }

    @Test func aVolunteerOverTheirMonthlyLimitIsNeverProposedNorAssigned() async throws {
        try await withMaillage { app in
            let f = try await structure(app)
            let coordinator = try await signedIn(app, f.users[1])
            let busy = try await signedIn(app, f.users[2])
            try await volunteer(busy, commune: "Nantes", limit: 1)
            let (_, first) = try await madeleineNeedsALift(coordinator)
            let (_, second) = try await madeleineNeedsALift(coordinator)
            let id = f.users[2].id!.uuidString
            #expect(try await coordinator.get("\(home)/requests/\(second)").body.string.contains("v-\(id)"), "below the limit, proposed")
            #expect(try await coordinator.post("\(home)/requests/\(first)/answer", [("volunteer", id), ("answer", "yes")]).status == .seeOther)
            // At the limit (one trip this month): never proposed again, and a phone "yes" is refused.
            #expect(!(try await coordinator.get("\(home)/requests/\(second)").body.string.contains("v-\(id)")))
            #expect(try await coordinator.post("\(home)/requests/\(second)/answer", [("volunteer", id), ("answer", "yes")]).status == .conflict)
        }
    }

    @Test func twoVolunteersAcceptingTheSameRequestAtOnceAssignExactlyOne() async throws {
        try await withMaillage { app in
            let f = try await structure(app, members: 7)
            let coordinator = try await signedIn(app, f.users[1])
            var drivers: [Visitor] = []
            for index in 2..<7 {
                let visitor = try await signedIn(app, f.users[index])
                try await volunteer(visitor, commune: "Nantes")
                drivers.append(visitor)
            }
            let (_, request) = try await madeleineNeedsALift(coordinator)
            #expect(try await coordinator.post("\(home)/requests/\(request)/ask", (2..<7).map { ("volunteer", f.users[$0].id!.uuidString) }).status == .seeOther)
            let answers = await withTaskGroup(of: HTTPStatus.self) { group in
                for driver in drivers { group.addTask { (try? await driver.post("\(home)/offers/\(request)/accept", []).status) ?? .internalServerError } }
                return await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(answers.filter { $0 == .seeOther }.count == 1, "\(answers)")
            #expect(answers.filter { $0 == .conflict }.count == drivers.count - 1, "\(answers)")
            struct Held: Decodable { var volunteer_id: UUID?; var status: String }
            let row = try await app.db.sql.select().columns("volunteer_id", "status").from(Solidarity.requestsTable).first(decoding: Held.self)
            #expect(row?.status == "found" && row?.volunteer_id != nil)
        }
    }

    @Test func openingTheRecordOfAPersonWithAnAccountGoesToTheirAccessLog() async throws {
        try await withMaillage { app in
            let f = try await structure(app)
            let coordinator = try await signedIn(app, f.users[1])
            let registered = try await coordinator.post("\(home)/beneficiaries", [("name", "Madeleine Guérin"), ("phone", "02 40 56 78 90"),
                ("commune", "Rezé"), ("account", f.users[5].email), ("no_car", "oui"), ("situation", "Personne âgée")])
            #expect(registered.status == .seeOther, "\(registered.body.string)")
            #expect(try await coordinator.get(location(registered)).status == .ok)
            let log = try await AccessLog.entries(about: f.users[5].requireID(), on: app.db)
            #expect(log.contains { $0.what == "solidarity-beneficiary" && $0.actor == f.users[1].displayName }, "\(log.map(\.what))")
            // An address nobody has is refused on its field, with what was typed kept.
            let unknown = try await coordinator.post("\(home)/beneficiaries", [("name", "Rémi"), ("phone", "02 40 56 78 91"), ("commune", "Rezé"),
                ("account", "personne@example.org"), ("no_car", "oui"), ("situation", "Autre")])
            #expect(unknown.status == .unprocessableEntity && unknown.body.string.contains("personne@example.org"))
        }
    }

    @Test func aVolunteerWhoLeftTheCooperativeIsNoLongerProposed() async throws {
        try await withMaillage { app in
            let f = try await structure(app)
            let coordinator = try await signedIn(app, f.users[1])
            try await volunteer(try await signedIn(app, f.users[2]), commune: "Nantes")
            let (_, request) = try await madeleineNeedsALift(coordinator)
            let id = f.users[2].id!.uuidString
            #expect(try await coordinator.get("\(home)/requests/\(request)").body.string.contains("v-\(id)"))
            try await Membership.query(on: app.db).filter(\.$user.$id == f.users[2].requireID()).delete()
            #expect(!(try await coordinator.get("\(home)/requests/\(request)").body.string.contains("v-\(id)")))
        }
    }

    @Test func closedCasesAreDeletedAfterTheStructuresRetention() async throws {
        try await withMaillage { app in
            let f = try await structure(app)
            let coordinator = try await signedIn(app, f.users[1])
            let (_, old) = try await madeleineNeedsALift(coordinator)
            let (_, recent) = try await madeleineNeedsALift(coordinator)
            for request in [old, recent] {
                #expect(try await coordinator.post("\(home)/requests/\(request)/close", [("status", "cancelled"), ("note", "Rendez-vous annulé")]).status == .seeOther)
            }
            try await app.db.sql.update(Solidarity.requestsTable).set("closed_at", to: SQLBind(Date().addingTimeInterval(-3 * 365 * 86_400)))
                .where("id", .equal, SQLBind(UUID(uuidString: old)!)).run()
            try await SolidarityRegister.purge(on: app.db)
            struct Row: Decodable { var id: UUID }
            let left = try await app.db.sql.select().column("id").from(Solidarity.requestsTable).all(decoding: Row.self).map(\.id.uuidString)
            #expect(left.map { $0.lowercased() } == [recent.lowercased()], "the case closed three years ago is gone, its diary with it")
            let diary = try await app.db.sql.select().column("id").from(Solidarity.diaryTable)
                .where("request_id", .equal, SQLBind(UUID(uuidString: old)!)).all(decoding: Row.self)
            #expect(diary.isEmpty)
        }
    }
}
