import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import Testing
import VaporTesting

@Suite("General assemblies", .serialized)
struct AssemblyTests {
    func demoBoard(_ app: Application) async throws -> (Cooperative, User, [Membership]) {
        let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
        let alice = try #require(try await User.query(on: app.db).filter(\.$email == "alice@demo.maillage.coop").first())
        return (coop, alice, try await Cooperatives.members(of: coop, status: .active, on: app.db))
    }

    @Test func theBoardConvenesRecordsAttendanceAndPrintsTheMinutes() async throws {
        try await withMaillage(demo: true) { app in
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            let (coop, _, members) = try await demoBoard(app)
            let open = try #require(try await Proposal.query(on: app.db).filter(\.$cooperative.$id == coop.requireID()).filter(\.$closedAt == nil).first())
            try await alice.get("/c/paniers-de-la-sevre/assemblies/new")
            let refused = try await alice.post("/c/paniers-de-la-sevre/assemblies", [("title", "AG"), ("starts_at", "2020-05-01T18:00"), ("place", ""), ("proxies_per_holder", "1")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("La date de l’assemblée est déjà passée"))
            let when = DateText.localInput.string(from: Date().addingTimeInterval(10 * 86_400))
            let convened = try await alice.post("/c/paniers-de-la-sevre/assemblies", [
                ("title", "Assemblée générale 2026"), ("kind", "ordinary"), ("starts_at", when), ("place", "Salle des fêtes de Vertou"),
                ("proxies_per_holder", "1"), ("agenda[]", try open.requireID().uuidString)])
            #expect(convened.status == .seeOther)
            let location = try #require(convened.headers.first(name: .location))
            let chloe = try #require(members.first { $0.user.displayName == "Chloé Bernard" })
            let emma = try #require(members.first { $0.user.displayName == "Emma Guérin" })
            let farid = try #require(members.first { $0.user.displayName == "Farid Haddad" })
            #expect(try await alice.post(location + "/attendance", [("member", chloe.$user.id.uuidString), ("status", "present"), ("holder", "")]).status == .seeOther)
            #expect(try await alice.post(location + "/attendance", [("member", emma.$user.id.uuidString), ("status", "represented"), ("holder", chloe.$user.id.uuidString)]).status == .seeOther)
            let second = try await alice.post(location + "/attendance", [("member", farid.$user.id.uuidString), ("status", "represented"), ("holder", chloe.$user.id.uuidString)])
            #expect(second.status == .unprocessableEntity, "one proxy per holder by default")
            #expect(second.body.string.contains("porte déjà 1 pouvoir"))

            let chloeVisitor = Visitor(app)
            try await chloeVisitor.logIn("chloe@demo.maillage.coop")
            #expect(try await chloeVisitor.post(location + "/attendance", [("member", farid.$user.id.uuidString), ("status", "present")]).status == .forbidden,
                    "a member records only their own attendance")
            let inbox = try await chloeVisitor.get("/account")
            #expect(inbox.body.string.contains("vous convoque"), "members are convened through their inbox")

            try await Votes.openAndCloseDue(on: app.db, now: Date().addingTimeInterval(30 * 86_400))
            let minutes = try await alice.get(location + "/minutes")
            #expect(minutes.status == .ok)
            let html = minutes.body.string
            #expect(html.contains("Procès-verbal"))
            #expect(html.contains("Chloé Bernard"))
            #expect(html.contains("Emma Guérin (pouvoir à Chloé Bernard)"))
            #expect(html.contains("1 présent·e + 1 représenté·e sur 9 sociétaires"))
            #expect(html.contains(open.title))
            #expect(html.contains("résolution"), "each resolution states its result")
        }
    }

    @Test func concurrentProxiesToOneHolderRespectTheLimit() async throws {
        try await withMaillage(demo: true) { app in
            let (coop, alice, members) = try await demoBoard(app)
            let assembly = try await Assemblies.convene(.init(title: "AG extraordinaire", kind: .extraordinary, startsAt: Date().addingTimeInterval(86_400),
                                                              place: "En ligne", proxiesPerHolder: 2, agenda: []), by: alice, in: coop, on: app.db)
            let holder = try #require(members.first { $0.user.displayName == "Chloé Bernard" }).$user.id
            let givers = members.map { $0.$user.id }.filter { $0 != holder }
            let results = await withTaskGroup(of: Bool.self) { group in
                for giver in givers {
                    group.addTask { (try? await Assemblies.record(.represented, for: giver, holder: holder, in: assembly, coop: coop, on: app.db)) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 2, "exactly the statutory number of proxies: \(results)")
            let held = try await Attendance.query(on: app.db).filter(\.$proxyHolder.$id == holder).count()
            #expect(held == 2)
        }
    }

    @Test func assembliesThroughTheAPI() async throws {
        try await withMaillage(demo: true) { app in
            let (_, alice, members) = try await demoBoard(app)
            let board = APIClient(app: app, token: try await Tokens.create(for: alice, name: "t", on: app.db))
            let when = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400))
            let created = try await board.send(.POST, "/api/v1/cooperatives/paniers-de-la-sevre/assemblies",
                                               json: #"{"title": "AG de printemps", "startsAt": "\#(when)", "place": "En ligne"}"#)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            let chloe = try #require(members.first { $0.user.displayName == "Chloé Bernard" }).$user.id
            let recorded = try await board.send(.PUT, "/api/v1/cooperatives/paniers-de-la-sevre/assemblies/\(id)/attendance",
                                                json: #"{"member": "\#(chloe)", "status": "present"}"#)
            #expect(recorded.status == .ok)
            #expect(recorded.json["present"] as? Int == 1)
            let chloeUser = try #require(try await User.find(chloe, on: app.db))
            let member = APIClient(app: app, token: try await Tokens.create(for: chloeUser, name: "t", on: app.db))
            let forbidden = try await member.send(.POST, "/api/v1/cooperatives/paniers-de-la-sevre/assemblies",
                                                  json: #"{"title": "AG sauvage", "startsAt": "\#(when)", "place": "Ici"}"#)
            #expect(forbidden.status == .forbidden)
        }
    }
}
