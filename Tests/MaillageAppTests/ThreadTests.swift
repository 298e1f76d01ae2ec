import Fluent
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// The one thread mechanism, on each of its subjects: an offer, a vote, a loan; blocks, reports
/// and the staff's moderation queue.
@Suite struct ThreadTests {
    /// Each fixture person signed in on the pages.
    static func visitors(_ app: Application, _ f: LendingFixture) async throws -> [Visitor] {
        var visitors: [Visitor] = []
        for user in f.users {
            user.passwordHash = try app.password.hash("un mot de passe solide")
            try await user.save(on: app.db)
            let visitor = Visitor(app)
            try await visitor.logIn(user.email, password: "un mot de passe solide")
            // The session is renewed at login: read a page for its form token, as a browser does.
            try await visitor.get("/account")
            visitors.append(visitor)
        }
        return visitors
    }

    static func offer(_ f: LendingFixture, by client: Int, title: String = "Taille de haies") async throws -> String {
        let response = try await f.clients[client].send(.POST, "/api/v1/cooperatives/\(f.coop.slug)/exchange/offers-wants", json: #"""
            {"exchange_type": "offer", "item_type": "service", "transaction_type": ["receive-donate"], "category": "jardinage",
             "title": "\#(title)", "description": "J’apporte mes outils.", "commune": "Orvault", "public_email": "haies@example.org"}
            """#)
        #expect(response.status == .created, "\(response.body.string)")
        let page = try #require(response.json["details_url"] as? String, "\(response.body.string)")
        return try #require(page.split(separator: "/").last.map(String.init))
    }

    static func inbox(_ user: User, _ app: Application) async throws -> [Notice] {
        try await Inbox.latest(for: try user.requireID(), limit: 100, on: app.db)
    }

    @Test func aMemberWritesToAnOffersAuthorWhoIsToldAndAnswers() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4, activity: .exchange, slug: "fil-annonces")
            let people = try await Self.visitors(app, f)
            let offer = try await Self.offer(f, by: 2)
            let page = "/c/\(f.coop.slug)/exchange/\(offer)"
            let thread = "/c/\(f.coop.slug)/threads/offer-want/\(offer)/messages"

            let asked = try await people[3].post(thread, [("body", "Bonjour, libre samedi pour mes haies ?")])
            #expect(asked.status == .seeOther)
            #expect(asked.headers.first(name: .location) == page + "#messages")
            let told = try await Self.inbox(f.users[2], app)
            #expect(told.contains { $0.textFR.contains("libre samedi") && $0.textFR.contains("Voisin·e 3") && $0.link == page + "#messages" })
            #expect(try await Self.inbox(f.users[3], app).isEmpty, "the writer is not told of their own message")

            let shown = try await people[2].get(page)
            #expect(shown.status == .ok)
            #expect(shown.body.string.contains("libre samedi pour mes haies"))
            #expect(!shown.body.string.contains(f.users[3].email), "a writer's address is never shown")

            let answered = try await people[2].post(thread, [("body", "Oui, vers 10 h.")])
            #expect(answered.status == .seeOther)
            #expect(try await Self.inbox(f.users[3], app).contains { $0.textFR.contains("vers 10 h") }, "an earlier writer hears the answer")
            #expect(try await Self.inbox(f.users[1], app).isEmpty, "members who did not write are not told")

            // Refusals keep what was typed and say why.
            let blank = try await people[3].post(thread, [("body", "   ")])
            #expect(blank.status == .unprocessableEntity)
            #expect(blank.body.string.contains("1 à 2000 caractères"))
            let stranger = Visitor(app)
            _ = try await stranger.signUp("passant@example.org", name: "Passant")
            #expect(try await stranger.post(thread, [("body", "Je ne suis pas membre")]).status.code >= 400)
            #expect(try await stranger.get(page).body.string.contains("libre samedi") == false, "non-members do not read the thread")
        }
    }

    @Test func aVotesDiscussionTellsThePersonNamedWithAnAt() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 5, activity: .exchange, slug: "fil-votes")
            let people = try await Self.visitors(app, f)
            let vote = try await Votes.create(ProposalDraft(title: "Nouveau local", body: "", method: .singleChoice, options: ["Oui", "Non"],
                                                            opensAt: Date(), closesAt: Date().addingTimeInterval(3_600), secret: false,
                                                            quorum: "0", majority: .simple),
                                              by: f.users[0], in: f.coop, floors: .notUnderTest, on: app.db).requireID()
            let page = "/c/\(f.coop.slug)/votes/\(vote)"
            let posted = try await people[2].post("/c/\(f.coop.slug)/threads/vote/\(vote)/messages",
                                                  [("body", "Qu’en pense @voisin·e 3 ? Le loyer me semble élevé.")])
            #expect(posted.status == .seeOther, "\(posted.body.string)")
            #expect(try await Self.inbox(f.users[3], app).contains { $0.textFR.contains("vous cite") && $0.link == page + "#messages" })
            #expect(try await Self.inbox(f.users[4], app).contains { $0.textFR.contains("loyer") } == false, "only the person named is told")
            #expect(try await Self.inbox(f.users[0], app).contains { $0.textFR.contains("loyer") }, "who proposed the vote hears of its discussion")
            let shown = try await people[4].get(page)
            #expect(shown.body.string.contains("Discussion") && shown.body.string.contains("Le loyer me semble élevé."))
        }
    }

    @Test func aBlockedPersonIsHiddenAndCannotWriteInPrivate() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4, slug: "fil-blocage")
            let people = try await Self.visitors(app, f)
            // A loan between the owner (0) and a borrower (2): a private thread.
            let item = try await f.item()
            let asked = try await f.clients[2].send(.POST, "\(f.base)/items/\(item)/loans", json: #"{"firstDay": "\#(Self.day(1))", "lastDay": "\#(Self.day(1))"}"#)
            let loan = try #require(asked.json["id"] as? String)
            let thread = "/c/\(f.coop.slug)/threads/loan/\(loan)/messages"
            #expect(try await people[2].post(thread, [("body", "Message insistant")]).status == .seeOther)
            let message = try #require(try await ThreadStore.messages(of: ThreadSubject(kind: "loan", id: UUID(uuidString: loan)!, cooperativeID: f.coop.requireID()),
                                                                      on: app.db).last)
            let blocked = try await people[0].post("/c/\(f.coop.slug)/thread-messages/\(message.id)/block", [])
            #expect(blocked.status == .seeOther)
            let page = try await people[0].get("/c/\(f.coop.slug)/lending/loans/\(loan)")
            #expect(!page.body.string.contains("Message insistant"))
            #expect(page.body.string.contains("bloquée"))
            let before = try await Self.inbox(f.users[0], app).count
            let refused = try await people[2].post(thread, [("body", "Encore moi")])
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("ne souhaite plus recevoir vos messages"))
            #expect(try await Self.inbox(f.users[0], app).count == before)
            // Unblocked, the messages show again.
            #expect(try await people[0].post("/c/\(f.coop.slug)/thread-messages/\(message.id)/unblock", []).status == .seeOther)
            #expect(try await people[0].get("/c/\(f.coop.slug)/lending/loans/\(loan)").body.string.contains("Message insistant"))
        }
    }

    @Test func aThreadIsReadAndWrittenThroughTheAPIWithThePagesAccess() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3, activity: .exchange, slug: "fil-api")
            let offer = try await Self.offer(f, by: 0)
            let thread = "/api/v1/cooperatives/\(f.coop.slug)/threads/offer-want/\(offer)"
            let empty = try await f.clients[1].send(.GET, thread)
            #expect(empty.status == .ok && (empty.json["messages"] as? [Any])?.isEmpty == true && empty.json["canPost"] as? Bool == true, "\(empty.body.string)")
            let before = try await Self.inbox(f.users[0], app).count
            let posted = try await f.clients[1].send(.POST, thread + "/messages", json: #"{"body": "Bonjour, toujours disponible en mai ?"}"#)
            #expect(posted.status == .created, "\(posted.body.string)")
            let messages = try #require(posted.json["messages"] as? [[String: Any]])
            #expect(messages.count == 1 && messages[0]["body"] as? String == "Bonjour, toujours disponible en mai ?")
            #expect((messages[0]["author"] as? [String: Any])?["name"] as? String == f.users[1].displayName)
            #expect(try await Self.inbox(f.users[0], app).count == before + 1, "the author is told, as from the page")
            // What the page refuses, the API refuses the same way.
            let blank = try await f.clients[1].send(.POST, thread + "/messages", json: #"{"body": "   "}"#)
            #expect(blank.status == .unprocessableEntity && blank.json["error"] != nil, "\(blank.body.string)")
            let unknown = try await f.clients[1].send(.GET, "/api/v1/cooperatives/\(f.coop.slug)/threads/offer-want/\(UUID())")
            #expect(unknown.status == .notFound)
            let strange = try await f.clients[1].send(.GET, "/api/v1/cooperatives/\(f.coop.slug)/threads/nothing/\(offer)")
            #expect(strange.status == .notFound)
            // Blocked, the author's messages come without their text for the one who blocked.
            let id = try #require(messages[0]["id"] as? String)
            try await ThreadStore.block(f.users[1].requireID(), by: f.users[0].requireID(), on: app.db)
            let seen = try #require(try await f.clients[0].send(.GET, thread).json["messages"] as? [[String: Any]])
            #expect(seen.first?["id"] as? String == id && seen.first?["body"] == nil && seen.first?["fromBlocked"] as? Bool == true)
        }
    }

    @Test func aPersonSeesWhomTheyBlockedInOneListAndUnblocksFromIt() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3, activity: .exchange, slug: "fil-liste-blocages")
            let people = try await Self.visitors(app, f)
            let offer = try await Self.offer(f, by: 0)
            #expect(try await people[1].post("/c/\(f.coop.slug)/threads/offer-want/\(offer)/messages", [("body", "Message de trop")]).status == .seeOther)
            let message = try #require(try await ThreadStore.messages(of: ThreadSubject(kind: "offer-want", id: UUID(uuidString: offer)!, cooperativeID: f.coop.requireID()),
                                                                      on: app.db).last)
            #expect(try await people[0].get("/account/blocks").body.string.contains("Vous n’avez bloqué personne."))
            #expect(try await people[0].post("/c/\(f.coop.slug)/thread-messages/\(message.id)/block", []).status == .seeOther)
            // The thread leads to the list, which names the person with a way back.
            let thread = try await people[0].get("/c/\(f.coop.slug)/exchange/\(offer)")
            #expect(thread.body.string.contains("Personnes que vous avez bloquées (1)"))
            let list = try await people[0].get("/account/blocks")
            #expect(list.body.string.contains("Débloquer \(f.users[1].displayName)"))
            let unblocked = try await people[0].post("/account/blocks/\(try f.users[1].requireID())/unblock", [])
            #expect(unblocked.status == .seeOther)
            #expect(try await people[0].get("/account/blocks").body.string.contains("Vous n’avez bloqué personne."))
            #expect(try await people[0].get("/c/\(f.coop.slug)/exchange/\(offer)").body.string.contains("Message de trop"))
            // Someone else's list is their own: the anonymous are sent to log in.
            #expect(try await Visitor(app).get("/account/blocks").status == .seeOther)
        }
    }

    @Test func aReportedMessageIsHiddenByTheStaffAndItsAuthorIsTold() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4, activity: .exchange, slug: "fil-moderation")
            let people = try await Self.visitors(app, f)
            let offer = try await Self.offer(f, by: 2)
            let page = "/c/\(f.coop.slug)/exchange/\(offer)"
            #expect(try await people[3].post("/c/\(f.coop.slug)/threads/offer-want/\(offer)/messages", [("body", "Propos injurieux")]).status == .seeOther)
            let message = try #require(try await ThreadStore.messages(of: ThreadSubject(kind: "offer-want", id: UUID(uuidString: offer)!,
                                                                                       cooperativeID: f.coop.requireID()), on: app.db).first)
            #expect(try await people[3].post("/c/\(f.coop.slug)/thread-messages/\(message.id)/report", [("reason", "moi")]).status == .unprocessableEntity,
                    "nobody reports their own message")
            let reported = try await people[2].post("/c/\(f.coop.slug)/thread-messages/\(message.id)/report", [("reason", "Injurieux envers moi")])
            #expect(reported.status == .seeOther)

            // The staff are told; a plain member has no queue.
            #expect(try await Self.inbox(f.users[1], app).contains { $0.textFR.contains("Un message a été signalé : « Injurieux envers moi »") })
            #expect(!(try await Self.inbox(f.users[3], app).contains { $0.textFR.contains("Un message a été signalé") }))
            #expect(try await people[3].get("/c/\(f.coop.slug)/moderation").status == .forbidden)
            #expect(try await people[1].get("/c/\(f.coop.slug)/manage").body.string.contains("Messages signalés (1)"), "the staff's page leads to the queue")
            let queue = try await people[1].get("/c/\(f.coop.slug)/moderation")
            #expect(queue.status == .ok)
            #expect(queue.body.string.contains("Propos injurieux") && queue.body.string.contains("Injurieux envers moi"))
            let report = try #require(try await ThreadStore.openReports(in: f.coop.requireID(), on: app.db).first)
            let hidden = try await people[1].post("/c/\(f.coop.slug)/moderation/\(report.id)/hide", [])
            #expect(hidden.status == .seeOther)
            #expect(try await Self.inbox(f.users[3], app).contains { $0.textFR.contains("a masqué un de vos messages") })
            let shown = try await people[2].get(page)
            #expect(!shown.body.string.contains("Propos injurieux") && shown.body.string.contains("Message masqué par l’équipe"))
            #expect(try await people[1].get("/c/\(f.coop.slug)/moderation").body.string.contains("Aucun signalement en attente"))
            // Deciding twice changes nothing.
            #expect(try await people[1].post("/c/\(f.coop.slug)/moderation/\(report.id)/dismiss", []).status == .seeOther)
            #expect(try await ThreadStore.message(message.id, on: app.db)?.0.hiddenAt != nil)
        }
    }

    @Test func theLoanPageShowsItsThreadAndOnlyToItsParties() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4, slug: "fil-prets")
            let people = try await Self.visitors(app, f)
            let item = try await f.item()
            let asked = try await f.clients[2].send(.POST, "\(f.base)/items/\(item)/loans",
                                                    json: #"{"firstDay": "\#(Self.day(1))", "lastDay": "\#(Self.day(1))", "message": "Je passe ce soir ?"}"#)
            let loan = try #require(asked.json["id"] as? String)
            let page = "/c/\(f.coop.slug)/lending/loans/\(loan)"
            #expect(try await people[0].get(page).body.string.contains("Je passe ce soir ?"), "the request's note opens the thread")
            #expect(try await people[0].post("/c/\(f.coop.slug)/threads/loan/\(loan)/messages", [("body", "Oui, à 19 h")]).status == .seeOther)
            #expect(try await Self.inbox(f.users[2], app).contains { $0.textFR.contains("à 19 h") })
            #expect(try await people[2].get(page).body.string.contains("Oui, à 19 h"))
            // Another member: neither the page nor the thread.
            #expect(try await people[3].get(page).status == .notFound)
            #expect(try await people[3].post("/c/\(f.coop.slug)/threads/loan/\(loan)/messages", [("body", "Et moi ?")]).status == .notFound)
            let message = try #require(try await ThreadStore.messages(of: ThreadSubject(kind: "loan", id: UUID(uuidString: loan)!, cooperativeID: f.coop.requireID()),
                                                                      on: app.db).first)
            #expect(try await people[3].post("/c/\(f.coop.slug)/thread-messages/\(message.id)/report", [("reason", "curieux")]).status == .notFound)
            // The API reads the same thread.
            let detail = try await f.clients[2].send(.GET, "\(f.base)/loans/\(loan)")
            #expect((detail.json["messages"] as? [[String: Any]])?.compactMap { $0["body"] as? String } == ["Je passe ce soir ?", "Oui, à 19 h"])
        }
    }

    @Test func theOldLoanMessagesMoveIntoThreadsWithTheirAuthorsAndTimes() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3, slug: "fil-migration")
            let item = try await f.item()
            let asked = try await f.clients[2].send(.POST, "\(f.base)/items/\(item)/loans", json: #"{"firstDay": "\#(Self.day(1))", "lastDay": "\#(Self.day(1))"}"#)
            let loanText = try #require(asked.json["id"] as? String)
            let loan = try #require(UUID(uuidString: loanText))
            // The table as it was before threads, holding a message written then.
            let migration = MoveLoanMessagesToThreads()
            try await migration.revert(on: app.db)
            let written = Date(timeIntervalSince1970: 1_780_000_000), messageID = UUID()
            let author = try f.users[2].requireID()
            try await app.db.sql.insert(into: "loan_messages").columns("id", "loan_id", "author_id", "body", "at")
                .values(SQLBind(messageID), SQLBind(loan), SQLBind(author), SQLBind("Message d’avant les fils"), SQLBind(written)).run()
            try await migration.prepare(on: app.db)

            let moved = try await ThreadStore.messages(of: ThreadSubject(kind: "loan", id: loan, cooperativeID: f.coop.requireID()), on: app.db)
            #expect(moved.count == 1)
            #expect(moved.first?.id == messageID && moved.first?.authorID == author && moved.first?.body == "Message d’avant les fils")
            #expect(moved.first.map { abs($0.at.timeIntervalSince(written)) < 1 } == true)
            let left = try? await app.db.sql.select().column("id").from("loan_messages").all()
            #expect(left == nil, "the old table is gone")
            let people = try await Self.visitors(app, f)
            #expect(try await people[2].get("/c/\(f.coop.slug)/lending/loans/\(loan)").body.string.contains("Message d’avant les fils"))
        }
    }

    @Test func erasingAnAccountWipesWhatThePersonWroteInThreads() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4, activity: .exchange, slug: "fil-effacement")
            let people = try await Self.visitors(app, f)
            let offer = try await Self.offer(f, by: 2)
            #expect(try await people[3].post("/c/\(f.coop.slug)/threads/offer-want/\(offer)/messages", [("body", "Signé Zéphirine")]).status == .seeOther)
            try await Erasure.erase(f.users[3], on: app.db)
            let messages = try await ThreadStore.messages(of: ThreadSubject(kind: "offer-want", id: UUID(uuidString: offer)!, cooperativeID: f.coop.requireID()), on: app.db)
            #expect(messages.map(\.body) == ["(message effacé)"])
        }
    }

    static func day(_ offset: Int) -> String {
        let today = LocalZone.paris.localDate(at: Date())
        return (today.adding(days: offset) ?? today).iso
    }
}

extension ThreadTests {
    @Test func aBarterOfferHasItsThreadForTheNetworksMembers() async throws {
        try await withMaillage(demo: true) { app in
            let db = app.db
            let slug = DemoSlugs.barter
            let coopID = try await Cooperatives.find(slug: slug, on: db).requireID()
            struct Row: Decodable { var id: UUID; var user_id: UUID; var title: String }
            let offer = try #require(try await db.sql.select().columns("id", "user_id", "title").from("barter_offers")
                .where("cooperative_id", .equal, SQLBind(coopID)).first(decoding: Row.self))
            let writer = try #require(try await Membership.query(on: db).filter(\.$cooperative.$id == coopID)
                .filter(\.$status == MembershipStatus.active.rawValue).filter(\.$user.$id != offer.user_id).with(\.$user).first()).user
            let visitor = Visitor(app)
            try await visitor.logIn(writer.email)
            try await visitor.get("/account")
            let page = "/c/\(slug)/barter/offers/\(offer.id)"
            #expect(try await visitor.get("/c/\(slug)/barter").body.string.contains(page))
            #expect(try await visitor.get(page).status == .ok)
            let sent = try await visitor.post("/c/\(slug)/threads/barter-offer/\(offer.id)/messages", [("body", "Intéressé par votre offre")])
            #expect(sent.status == .seeOther)
            #expect(try await Inbox.latest(for: offer.user_id, limit: 50, on: db).contains { $0.textFR.contains("Intéressé par votre offre") && $0.link == page + "#messages" })
            #expect(try await visitor.get(page).body.string.contains("Intéressé par votre offre"))
        }
    }
}
