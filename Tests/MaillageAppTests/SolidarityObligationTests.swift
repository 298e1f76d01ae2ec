import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// A volunteer's account does not vanish under a trip someone counts on: they give it back first,
/// the coordinator finds another driver. Erasing a volunteer or a helped person with an account
/// removes what the register says, once their export held it.
@Suite("Solidarity transport: trips to come and erasure", .serialized)
struct SolidarityObligationTests {
    let s = SolidarityTransportTests()
    var home: String { s.home }

    struct Count: Decodable { var n: Int }

    func count(_ table: String, _ column: String, _ value: UUID, on db: any Database) async throws -> Int {
        try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            .where(SQLColumn(column), .equal, SQLBind(value)).first(decoding: Count.self)?.n ?? 0
    }

    func exported(_ user: User, on db: any Database) async throws -> [String: [[String: String]]] {
        let tables = try await DataExport.tables(for: try user.requireID(), register: PrivacyPages.register, on: db)
        return Dictionary(tables.map { ($0.name, $0.rows) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func aVolunteerWithATripToComeWithdrawsBeforeDeletingTheirAccount() async throws {
        try await withMaillage { app in
            let f = try await s.structure(app)
            let coordinator = try await s.signedIn(app, f.users[1])
            let (theo, ursule) = (try await s.signedIn(app, f.users[3]), try await s.signedIn(app, f.users[2]))
            try await s.volunteer(theo, commune: "Rezé")
            try await s.volunteer(ursule, commune: "Nantes")
            let (_, request) = try await s.madeleineNeedsALift(coordinator)
            #expect(try await coordinator.post("\(home)/requests/\(request)/ask",
                                               [("volunteer", f.users[2].id!.uuidString), ("volunteer", f.users[3].id!.uuidString)]).status == .seeOther)
            #expect(try await Erasure.openObligations(of: f.users[3], on: app.db).isEmpty, "asked is not yet bound")
            #expect(try await theo.post("\(home)/offers/\(request)/accept", []).status == .seeOther)

            let held = try await Erasure.openObligations(of: f.users[3], on: app.db)
            #expect(held.count == 1, "\(held)")
            #expect(held.first?.fr.contains("le \(s.monday.iso) vers CHU Hôtel-Dieu (Nantes)") == true, "\(held)")
            #expect(held.first?.en.contains("on \(s.monday.iso) to CHU Hôtel-Dieu (Nantes)") == true, "\(held)")
            #expect(held.allSatisfy { !$0.fr.contains("Madeleine") && !$0.en.contains("Madeleine") }, "the person driven is not named")
            await #expect(throws: DomainError.self) { try await Erasure.erase(f.users[3], on: app.db) }
            let refused = try await theo.post("/account/delete", [("password", "un mot de passe solide")])
            #expect(refused.status == .conflict && refused.body.string.contains("désistez-vous"), "\(refused.status)")
            #expect(try await Erasure.openObligations(of: f.users[2], on: app.db).isEmpty, "Ursule, asked but not assigned, is free")

            // Only the assigned volunteer may give the trip back; then the coordinator is told.
            #expect(try await theo.get("\(home)/offers/\(request)").body.string.contains("Je me désiste"), "their trip's page offers to give it back")
            #expect(try await ursule.post("\(home)/offers/\(request)/withdraw", []).status == .notFound)
            let withdrawn = try await theo.post("\(home)/offers/\(request)/withdraw", [])
            #expect(withdrawn.status == .seeOther, "\(withdrawn.body.string)")
            #expect(try await theo.post("\(home)/offers/\(request)/withdraw", []).status == .conflict, "withdrawn once")
            #expect(try await Erasure.openObligations(of: f.users[3], on: app.db).isEmpty)
            let told = try await Notice.query(on: app.db).filter(\.$user.$id == f.users[1].requireID()).all()
            #expect(told.contains { $0.link == "\(home)/requests/\(request)" }, "the coordinator who recorded it is told")
            #expect(try await coordinator.get("\(home)/requests/\(request)").body.string.contains(SolidarityStatus.handling.label.fr))
            #expect(try await ursule.post("\(home)/offers/\(request)/accept", []).status == .seeOther, "someone else can take it")
            try await Erasure.erase(f.users[3], on: app.db)
        }
    }

    @Test func aTripWhoseDayHasPassedDoesNotHoldTheAccount() async throws {
        try await withMaillage { app in
            let f = try await s.structure(app)
            let coordinator = try await s.signedIn(app, f.users[1])
            try await s.volunteer(try await s.signedIn(app, f.users[3]), commune: "Rezé")
            let (_, request) = try await s.madeleineNeedsALift(coordinator)
            #expect(try await coordinator.post("\(home)/requests/\(request)/answer", [("volunteer", f.users[3].id!.uuidString), ("answer", "yes")]).status == .seeOther)
            let today = LocalZone.paris.localDate(at: Date())
            try await app.db.sql.update(Solidarity.requestsTable).set("first_day", to: SQLBind(today.iso)).run()
            #expect(try await Erasure.openObligations(of: f.users[3], on: app.db).count == 1, "today still counts")
            try await app.db.sql.update(Solidarity.requestsTable).set("first_day", to: SQLBind(today.adding(days: -1)!.iso)).run()
            #expect(try await Erasure.openObligations(of: f.users[3], on: app.db).isEmpty, "yesterday's trip is no longer to come")
            // A window of days still open holds it until its last day.
            try await app.db.sql.update(Solidarity.requestsTable).set("within_days", to: SQLBind(7)).run()
            #expect(try await Erasure.openObligations(of: f.users[3], on: app.db).first?.fr.contains("entre le") == true)
        }
    }

    @Test func erasingAVolunteerRemovesTheirProfileAndAnswersAfterTheExportHeldThem() async throws {
        try await withMaillage { app in
            let f = try await s.structure(app)
            let coordinator = try await s.signedIn(app, f.users[1])
            try await s.volunteer(try await s.signedIn(app, f.users[3]), commune: "Rezé")
            let (_, request) = try await s.madeleineNeedsALift(coordinator)
            #expect(try await coordinator.post("\(home)/requests/\(request)/answer", [("volunteer", f.users[3].id!.uuidString), ("answer", "yes")]).status == .seeOther)
            // Its day has passed (a trip done would leave an allowance to settle first: the ledger's obligation, not this one).
            try await app.db.sql.update(Solidarity.requestsTable).set("first_day", to: SQLBind(LocalZone.paris.localDate(at: Date()).adding(days: -3)!.iso)).run()
            let theo = try f.users[3].requireID()
            let (name, email) = (f.users[3].displayName, f.users[3].email)

            let export = try await exported(f.users[3], on: app.db)
            #expect(export[Solidarity.volunteersTable]?.first?["home_commune"] == "Rezé", "\(export.keys.sorted())")
            #expect(export[Solidarity.volunteersTable]?.first?["vehicle"] == "Clio")
            #expect(export[Solidarity.requestsTable]?.first?["destination_commune"] == "Nantes", "the trip they held")
            #expect(export[Solidarity.asksTable]?.first?["answer"] == "accepted")

            try await Erasure.erase(f.users[3], on: app.db)
            #expect(try await count(Solidarity.volunteersTable, "user_id", theo, on: app.db) == 0, "the profile is gone")
            struct Answer: Decodable { var answer: String? }
            let answers = try await app.db.sql.select().column("answer").from(Solidarity.asksTable)
                .where("volunteer_id", .equal, SQLBind(theo)).all(decoding: Answer.self)
            #expect(!answers.isEmpty && answers.allSatisfy { $0.answer == nil }, "what they answered is forgotten")
            #expect(try await count(Solidarity.requestsTable, "volunteer_id", theo, on: app.db) == 1,
                    "the trip stays in the structure's books, under a pseudonym")
            #expect(try await exported(f.users[3], on: app.db)[Solidarity.volunteersTable] == nil)
            let left = try await ErasureScanTests.traces(of: [name, email, "Clio"], on: app.db)
            #expect(left.isEmpty, Comment(rawValue: "left after erasure:\n" + left.joined(separator: "\n")))
        }
    }

    @Test func erasingAHelpedPersonWithAnAccountRemovesTheirNamePhoneAndAddress() async throws {
        try await withMaillage { app in
            let f = try await s.structure(app)
            let coordinator = try await s.signedIn(app, f.users[1])
            let registered = try await coordinator.post("\(home)/beneficiaries", [("name", "Madeleine Guérin"), ("phone", "02 40 56 78 90"),
                ("commune", "Rezé"), ("address", "12 rue des Tilleuls"), ("account", f.users[5].email), ("no_car", "oui"), ("situation", "Personne âgée")])
            #expect(registered.status == .seeOther, "\(registered.body.string)")
            let beneficiary = String(s.location(registered).split(separator: "/").last ?? "")
            #expect(try await coordinator.post("\(home)/beneficiaries/\(beneficiary)/decision", [("decision", "accept"), ("reason", "")]).status == .seeOther)
            #expect(try await coordinator.post("\(home)/beneficiaries/\(beneficiary)/requests", [
                ("reason", "Rendez-vous médical"), ("destination", "CHU Hôtel-Dieu"), ("destination_commune", "Nantes"),
                ("date", s.monday.iso), ("within", "0"), ("period", "morning"), ("back", "+2h")]).status == .seeOther)

            let export = try await exported(f.users[5], on: app.db)
            let record = try #require(export[Solidarity.beneficiariesTable]?.first, "\(export.keys.sorted())")
            #expect(record["name"] == "Madeleine Guérin" && record["phone"] == "02 40 56 78 90" && record["address"] == "12 rue des Tilleuls")

            let needles = ["Madeleine Guérin", "02 40 56 78 90", "12 rue des Tilleuls"]
            #expect(try await ErasureScanTests.traces(of: needles, on: app.db).count >= 3)
            try await Erasure.erase(f.users[5], on: app.db)
            let left = try await ErasureScanTests.traces(of: needles, on: app.db)
            #expect(left.isEmpty, Comment(rawValue: "left after erasure:\n" + left.joined(separator: "\n")))
            #expect(try await exported(f.users[5], on: app.db)[Solidarity.beneficiariesTable] == nil, "the record is no longer linked to the account")
            #expect(try await count(Solidarity.requestsTable, "beneficiary_id", UUID(uuidString: beneficiary)!, on: app.db) == 1,
                    "the trip stays in the structure's books, without a name")
        }
    }
}
