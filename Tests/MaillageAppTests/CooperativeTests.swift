import Fluent
@testable import MaillageApp
import MaillageCore
import Testing
import VaporTesting

@Suite("Cooperatives and memberships", .serialized)
struct CooperativeTests {
    static let scic = #"""
    {"name": "Les Paniers du Marais", "legalForm": "scic", "commune": "Clisson", "postalCode": "44190",
     "description": "Paniers de légumes du marais en circuit court.", "activities": ["food"],
     "colleges": ["Producteurs", "Mangeurs", "Salariés"], "shareNominalCents": 2500,
     "charter": [{"characteristic": "governance", "answer": "yes", "evidence": "Une personne, une voix."}]}
    """#

    @Test func creatingACooperativeMakesItsCreatorTheFirstBoardMember() async throws {
        try await withMaillage { app in
            let (_, api) = try await personWithToken(app, email: "lea@example.org", name: "Léa")
            let created = try await api.send(.POST, "/api/v1/cooperatives", json: Self.scic)
            #expect(created.status == .created)
            #expect(created.json["slug"] as? String == "les-paniers-du-marais", "the slug is made from the name")
            #expect((created.json["colleges"] as? [Any])?.count == 3)
            let mine = try await api.send(.GET, "/api/v1/me/memberships")
            let memberships = mine.json["data"] as? [[String: Any]] ?? []
            #expect(memberships.count == 1)
            #expect(memberships.first?["role"] as? String == "board")
            #expect(memberships.first?["status"] as? String == "active")
            // Private until the instance's operators approve it: not listed, not found by others.
            #expect(try await app.testing().sendRequest(.GET, "/c/les-paniers-du-marais").status == .notFound)
            #expect(!(try await app.testing().sendRequest(.GET, "/").body.string.contains("Les Paniers du Marais")))
            #expect(!(try await app.testing().sendRequest(.GET, "/api/v1/cooperatives").body.string.contains("les-paniers-du-marais")))

            // An operator finds it in the queue and approves it; its board is told.
            let operatorVisitor = Visitor(app)
            _ = try await operatorVisitor.signUp("ops@example.org", name: "Opé")
            _ = try await Operators.grant(email: "ops@example.org", on: app.db)
            let queue = try await operatorVisitor.get("/operators/cooperatives").body.string
            #expect(queue.contains("Les Paniers du Marais"))
            let coop = try #require(try await Cooperative.query(on: app.db).filter(\.$slug == "les-paniers-du-marais").first())
            let refusedWithoutReason = try await operatorVisitor.post("/operators/cooperatives/\(try coop.requireID())/refuse", [("reason", "")])
            #expect(refusedWithoutReason.status == .unprocessableEntity)
            let approved = try await operatorVisitor.post("/operators/cooperatives/\(try coop.requireID())/approve", [])
            #expect(approved.status == .seeOther)
            #expect(try await operatorVisitor.post("/operators/cooperatives/\(try coop.requireID())/approve", []).status == .conflict, "decided once")
            let told = try await api.send(.GET, "/api/v1/me/notifications")
            #expect(told.body.string.contains("est validée"))

            let page = try await app.testing().sendRequest(.GET, "/c/les-paniers-du-marais")
            #expect(page.body.string.contains("Les Paniers du Marais"))
            #expect(page.body.string.contains("25,00"))
            #expect(try await app.testing().sendRequest(.GET, "/").body.string.contains("Les Paniers du Marais"))
        }
    }

    /// A cooperative made to try the instance, archived by its board, is deleted by an operator;
    /// one with records attached (shares booked in its books) stays archived.
    @Test func operatorsDeleteAnArchivedCooperativeOnlyWhenNothingIsAttached() async throws {
        try await withMaillage { app in
            let (lea, api) = try await personWithToken(app, email: "lea@example.org", name: "Léa")
            let trial = #"{"name": "Essai de Léa", "slug": "essai-de-lea", "legalForm": "association-1901", "commune": "Nantes", "description": "Une fiche pour essayer l’instance.", "activities": ["exchange"]}"#
            #expect(try await api.send(.POST, "/api/v1/cooperatives", json: trial).status == .created)
            #expect(try await api.send(.POST, "/api/v1/cooperatives", json: Self.scic).status == .created)
            for slug in ["essai-de-lea", "les-paniers-du-marais"] {
                try await lea.get("/c/\(slug)/manage")
                #expect(try await lea.post("/c/\(slug)/archive", [("confirmed", "yes")]).status == .seeOther)
            }
            let ops = Visitor(app)
            _ = try await ops.signUp("ops@example.org", name: "Opé")
            _ = try await Operators.grant(email: "ops@example.org", on: app.db)
            let trialCoop = try #require(try await Cooperative.query(on: app.db).filter(\.$slug == "essai-de-lea").first())
            let scic = try #require(try await Cooperative.query(on: app.db).filter(\.$slug == "les-paniers-du-marais").first())
            let queue = try await ops.get("/operators/cooperatives").body.string
            #expect(queue.contains("/operators/cooperatives/delete?cooperative=\(try trialCoop.requireID())"))
            #expect(!queue.contains("/operators/cooperatives/delete?cooperative=\(try scic.requireID())"), "its founder's share is booked")
            #expect(try await ops.get("/operators/cooperatives/delete?cooperative=\(try scic.requireID())").status == .conflict)
            #expect(try await ops.post("/operators/cooperatives/\(try scic.requireID())/delete", [("confirmed", "yes")]).status == .conflict)
            #expect(try await ops.get("/operators/cooperatives/delete?cooperative=\(try trialCoop.requireID())").status == .ok)
            let deleted = try await ops.post("/operators/cooperatives/\(try trialCoop.requireID())/delete", [("confirmed", "yes")])
            #expect(deleted.status == .seeOther)
            #expect(try await Cooperative.query(on: app.db).filter(\.$slug == "essai-de-lea").count() == 0)
            #expect(try await Cooperative.query(on: app.db).filter(\.$slug == "les-paniers-du-marais").count() == 1)
        }
    }

    /// A board archives its cooperative: hidden from everyone else, its records kept, its members told.
    @Test func aBoardArchivesItsCooperativeWhichLeavesTheDirectory() async throws {
        try await withMaillage(demo: true) { app in
            let alice = Visitor(app)
            try await alice.logIn("alice@\(DemoTerritory.domain)")
            let slug = "paniers-de-la-sevre"
            #expect(try await alice.get("/c/\(slug)/manage").body.string.contains("/c/\(slug)/archive"))
            let question = try await alice.get("/c/\(slug)/archive").body.string
            #expect(question.contains("disparaît de l’annuaire"))
            let unasked = try await alice.post("/c/\(slug)/archive", [])
            #expect(unasked.headers.first(name: .location) == "/c/\(slug)/archive")
            #expect(try await app.testing().sendRequest(.GET, "/c/\(slug)").status == .ok)
            let done = try await alice.post("/c/\(slug)/archive", [("confirmed", "yes")])
            #expect(done.status == .seeOther)
            #expect(try await app.testing().sendRequest(.GET, "/c/\(slug)").status == .notFound)
            #expect(!(try await app.testing().sendRequest(.GET, "/").body.string.contains("Les Paniers de la Sèvre")))
            #expect(try await alice.get("/c/\(slug)").body.string.contains("Coopérative archivée"))
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@\(DemoTerritory.domain)")
            #expect(try await chloe.get("/account").body.string.contains("est archivée par son conseil"))
            #expect(try await Membership.query(on: app.db).count() > 0, "records kept")
        }
    }

    @Test func aSCICNeedsThreeCollegesAndASlugIsTakenOnce() async throws {
        try await withMaillage { app in
            let (_, api) = try await personWithToken(app, email: "lea@example.org", name: "Léa")
            let twoColleges = Self.scic.replacingOccurrences(of: #", "Salariés""#, with: "")
            let refused = try await api.send(.POST, "/api/v1/cooperatives", json: twoColleges)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.errorCode == "scic_needs_three_colleges")
            #expect(refused.errorField == "colleges")
            #expect(try await api.send(.POST, "/api/v1/cooperatives", json: Self.scic).status == .created)
            let again = try await api.send(.POST, "/api/v1/cooperatives", json: Self.scic)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "slug_taken")
            #expect(again.errorField == "slug")
        }
    }

    @Test func theCreateFormKeepsEverythingTypedWhenRefused() async throws {
        try await withMaillage { app in
            let visitor = Visitor(app)
            _ = try await visitor.signUp("lea@example.org", name: "Léa")
            try await visitor.get("/cooperatives/new")
            let response = try await visitor.post("/cooperatives", [
                ("name", "Vélos du Lac"), ("legal_form", "scic"), ("commune", "Nantes"), ("description", "Trop court"),
                ("activities[]", "delivery"), ("activities[]", "carpool"), ("colleges", "Coursiers\nClients"),
                ("share_nominal", "15"), ("charter_commons", "partly"), ("evidence_commons", "Code sous AGPL"),
            ])
            #expect(response.status == .unprocessableEntity)
            let html = response.body.string
            #expect(html.contains("Une SCIC réunit au moins 3 catégories"))
            #expect(html.contains(#"value="Vélos du Lac""#))
            #expect(html.contains(#"id="activity-delivery" name="activities[]" value="delivery" checked"#))
            #expect(html.contains(#"id="activity-carpool" name="activities[]" value="carpool" checked"#))
            #expect(html.contains("Coursiers\nClients"))
            #expect(html.contains(#"value="Code sous AGPL""#))
            #expect(html.contains(#"id="charter_commons_partly" name="charter_commons" value="partly" checked"#))
            #expect(try await Cooperative.query(on: app.db).count() == 0)
        }
    }

    @Test func aMemberAsksToJoinAndTheBoardApprovesOnePersonOneVote() async throws {
        try await withMaillage { app in
            let (_, founder) = try await personWithToken(app, email: "lea@example.org", name: "Léa")
            let created = try await founder.send(.POST, "/api/v1/cooperatives", json: Self.scic)
            try await approveCooperative(app, slug: "les-paniers-du-marais")
            let college = ((created.json["colleges"] as? [[String: Any]])?[1]["id"] as? String) ?? ""
            let (_, rich) = try await personWithToken(app, email: "rich@example.org", name: "Gros porteur")
            let (visitor, small) = try await personWithToken(app, email: "small@example.org", name: "Petite porteuse")

            let big = try await rich.send(.POST, "/api/v1/cooperatives/les-paniers-du-marais/memberships",
                                          json: #"{"college": "\#(college)", "shares": 50}"#)
            #expect(big.status == .created)
            #expect(big.json["status"] as? String == "pending")
            #expect(big.json["votes"] as? Int == 0, "no vote before approval")
            let tiny = try await visitor.post("/c/les-paniers-du-marais/join", [("college", college), ("shares", "1"), ("message", "Bonjour")])
            #expect(tiny.status == .seeOther)

            let pending = try await founder.send(.GET, "/api/v1/cooperatives/les-paniers-du-marais/memberships?status=pending")
            let requests = pending.json["data"] as? [[String: Any]] ?? []
            #expect(requests.count == 2)
            for request in requests {
                let approved = try await founder.send(.POST, "/api/v1/cooperatives/les-paniers-du-marais/memberships/\(request["id"] as? String ?? "")/approve")
                #expect(approved.status == .ok)
                #expect(approved.json["votes"] as? Int == 1, "one vote whatever the shares")
            }
            let richView = try await rich.send(.GET, "/api/v1/me/memberships")
            let smallView = try await small.send(.GET, "/api/v1/me/memberships")
            #expect((richView.json["data"] as? [[String: Any]])?.first?["shares"] as? Int == 50)
            #expect((richView.json["data"] as? [[String: Any]])?.first?["votes"] as? Int == 1)
            #expect((smallView.json["data"] as? [[String: Any]])?.first?["votes"] as? Int == 1)
            let account = try await visitor.get("/account")
            #expect(account.body.string.contains("Bienvenue ! Votre adhésion à Les Paniers du Marais a été acceptée."))
        }
    }

    @Test func aJoinRequestNeedsACollegeAndSharesWhereTheCooperativeHasThem() async throws {
        try await withMaillage { app in
            let (_, founder) = try await personWithToken(app, email: "lea@example.org", name: "Léa")
            _ = try await founder.send(.POST, "/api/v1/cooperatives", json: Self.scic)
            try await approveCooperative(app, slug: "les-paniers-du-marais")
            let (_, api) = try await personWithToken(app, email: "tom@example.org", name: "Tom")
            let noCollege = try await api.send(.POST, "/api/v1/cooperatives/les-paniers-du-marais/memberships", json: #"{"shares": 1}"#)
            #expect(noCollege.errorField == "college")
            let noShares = try await api.send(.POST, "/api/v1/cooperatives/les-paniers-du-marais/memberships",
                                              json: #"{"shares": 0, "college": "\#(UUID().uuidString)"}"#)
            #expect(noShares.status == .unprocessableEntity)
            let visitor = Visitor(app)
            try await visitor.logIn("tom@example.org", password: "un mot de passe solide")
            try await visitor.get("/c/les-paniers-du-marais")
            let form = try await visitor.post("/c/les-paniers-du-marais/join", [("college", ""), ("shares", "deux"), ("message", "Mon message")])
            #expect(form.status == .unprocessableEntity)
            #expect(form.body.string.contains("Indiquez un nombre entier de parts"))
            #expect(form.body.string.contains("Mon message"), "the message typed is kept")
        }
    }

    @Test func onlyTheBoardDecidesAndAnotherCooperativesBoardCannot() async throws {
        try await withMaillage(demo: true) { app in
            let (_, api) = try await personWithToken(app, email: "tom@example.org", name: "Tom")
            let bruno = Visitor(app)
            try await bruno.logIn("bruno@demo.maillage.coop")
            let joined = try await api.send(.POST, "/api/v1/cooperatives/roulons-ensemble-estuaire/memberships", json: #"{"shares": 0}"#)
            #expect(joined.status == .created)
            let id = joined.json["id"] as? String ?? ""
            // Bruno sits on the board of another cooperative, not this one.
            let foreign = try await bruno.post("/c/roulons-ensemble-estuaire/members/\(id)/approve", [])
            #expect(foreign.status == .forbidden)
            let own = try await api.send(.POST, "/api/v1/cooperatives/roulons-ensemble-estuaire/memberships/\(id)/approve")
            #expect(own.status == .forbidden)
            let list = try await api.send(.GET, "/api/v1/cooperatives/roulons-ensemble-estuaire/memberships")
            #expect(list.status == .forbidden)
            let wrongCoop = try await api.send(.POST, "/api/v1/cooperatives/coursiers-nantais/memberships/\(id)/approve")
            #expect(wrongCoop.status == .forbidden || wrongCoop.status == .notFound)
        }
    }

    @Test func concurrentDecisionsOnOneRequestDecideOnce() async throws {
        try await withMaillage(demo: true) { app in
            let (_, api) = try await personWithToken(app, email: "tom@example.org", name: "Tom")
            let joined = try await api.send(.POST, "/api/v1/cooperatives/roulons-ensemble-estuaire/memberships", json: #"{"shares": 0}"#)
            let id = try #require(joined.json["id"] as? String)
            let samir = try await User.query(on: app.db).filter(\.$email == "samir@demo.maillage.coop").first()
            let (secret) = try await Tokens.create(for: try #require(samir), name: "board", on: app.db)
            let board = APIClient(app: app, token: secret)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<30 {
                    group.addTask {
                        let verb = index % 2 == 0 ? "approve" : "decline"
                        return try await board.send(.POST, "/api/v1/cooperatives/roulons-ensemble-estuaire/memberships/\(id)/\(verb)").status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "exactly one decision wins: \(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 29)
            let notices = try await Notice.query(on: app.db).filter(\.$user.$id == (try #require(try await User.query(on: app.db).filter(\.$email == "tom@example.org").first())).requireID()).count()
            #expect(notices == 1, "the applicant is told once")
        }
    }

    @Test func concurrentJoinRequestsMakeOneMembership() async throws {
        try await withMaillage(demo: true) { app in
            let (_, api) = try await personWithToken(app, email: "tom@example.org", name: "Tom")
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<25 {
                    group.addTask { try await api.send(.POST, "/api/v1/cooperatives/coup-de-main-orvault/memberships", json: #"{"shares": 0}"#).status }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 24)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "tom@example.org").first())
            #expect(try await Membership.query(on: app.db).filter(\.$user.$id == user.requireID()).count() == 1)
        }
    }

    @Test func theBoardManagesRolesButKeepsOneBoardMember() async throws {
        try await withMaillage(demo: true) { app in
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            let page = try await alice.get("/c/paniers-de-la-sevre/manage")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Katia Roussel"), "pending requests are listed")
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            let board = try await Cooperatives.members(of: coop, status: .active, on: app.db).filter { $0.memberRole == .board }
            #expect(board.count == 2)
            let chloe = try await Cooperatives.members(of: coop, status: .active, on: app.db).first { $0.user.displayName == "Chloé Bernard" }
            let promoted = try await alice.post("/c/paniers-de-la-sevre/members/\(try #require(chloe?.id))/role", [("role", "staff")])
            #expect(promoted.status == .seeOther)
            // Demote the other board member, then try to demote oneself: refused.
            let gaelle = try #require(board.first { $0.user.displayName == "Gaëlle Riou" })
            #expect(try await alice.post("/c/paniers-de-la-sevre/members/\(try gaelle.requireID())/role", [("role", "member")]).status == .seeOther)
            let me = try #require(board.first { $0.user.displayName == "Alice Morvan" })
            let refused = try await alice.post("/c/paniers-de-la-sevre/members/\(try me.requireID())/role", [("role", "member")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("au moins un membre au conseil"))
            let david = Visitor(app)
            try await david.logIn("david@demo.maillage.coop")
            #expect(try await david.get("/c/paniers-de-la-sevre/manage").status == .ok, "staff can read the members list")
            #expect(try await david.post("/c/paniers-de-la-sevre/members/\(try me.requireID())/role", [("role", "member")]).status == .forbidden)
        }
    }

    @Test func theBoardIsNotifiedOfRequests() async throws {
        try await withMaillage(demo: true) { app in
            let (_, api) = try await personWithToken(app, email: "tom@example.org", name: "Tom")
            _ = try await api.send(.POST, "/api/v1/cooperatives/coursiers-nantais/memberships",
                                   json: #"{"shares": 2, "college": "\#(try await collegeID(app, "coursiers-nantais"))"}"#)
            let bruno = Visitor(app)
            try await bruno.logIn("bruno@demo.maillage.coop")
            let home = try await bruno.get("/")
            #expect(home.body.string.contains("Tom demande à rejoindre Coursiers Nantais."))
            let account = try await bruno.get("/account")
            #expect(account.body.string.contains("Tom demande à rejoindre Coursiers Nantais."))
        }
    }

    private func collegeID(_ app: Application, _ slug: String) async throws -> String {
        let coop = try await Cooperatives.find(slug: slug, on: app.db)
        return try coop.colleges.sorted { $0.position < $1.position }[0].requireID().uuidString
    }
}
