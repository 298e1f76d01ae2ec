import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// A board invites people by email: the mail and its link, joining through it (at once for the
/// invited address), expiry, withdrawal, who may invite, and a link used once.
@Suite("Invitations to join a cooperative", .serialized)
struct InvitationTests {
    static let slug = "paniers-de-la-sevre"
    static let coopName = "Les Paniers de la Sèvre"

    /// Alice (board of the food cooperative) signed in.
    func alice(_ app: Application) async throws -> Visitor {
        let alice = Visitor(app)
        try await alice.logIn("alice@\(DemoTerritory.domain)")
        return alice
    }

    func college(_ app: Application, named name: String = "Mangeurs") async throws -> UUID {
        let coop = try await Cooperatives.find(slug: Self.slug, on: app.db)
        return try #require(coop.colleges.first { $0.name == name }?.id)
    }

    /// Alice invites `email` on the board page; returns the answer.
    @discardableResult
    func invite(_ alice: Visitor, _ email: String, shares: String = "3", message: String = "") async throws -> TestingHTTPResponse {
        try await alice.get("/c/\(Self.slug)/invitations")
        return try await alice.post("/c/\(Self.slug)/invitations", [("email", email), ("college", try await college(alice.app).uuidString),
                                                                   ("shares", shares), ("message", message), ("language", "fr")])
    }

    /// The invitation mail to `email`, and its link as a path.
    func invitation(_ app: Application, to email: String) async throws -> (MailContent, String) {
        let mail = try #require(try await Visitor(app).mailsTo(email).last { $0.subject.hasPrefix("Invitation") }, "an invitation mail to \(email)")
        let url = try #require(mail.action?.url)
        #expect(url.hasPrefix("http://") || url.hasPrefix("https://"), "the link is absolute: \(url)")
        return (mail, try #require(URLComponents(string: url)?.path))
    }

    func subscription(_ app: Application, membership: UUID) async throws -> [Int64] {
        struct Row: Decodable { var amount: Int64 }
        return try await app.db.sql.raw("""
            SELECT amount FROM ledger_transfers WHERE tag = \(bind: membership.uuidString.lowercased()) AND category = 'subscription'
            """).all(decoding: Row.self).map(\.amount)
    }

    @Test func aBoardMemberInvitesAndTheMailCarriesTheLink() async throws {
        try await withMaillage(demo: true) { app in
            let alice = try await alice(app)
            #expect(try await alice.get("/c/\(Self.slug)/manage").body.string.contains("/c/\(Self.slug)/invitations"), "linked from the board's page")
            let sent = try await invite(alice, "  Zoe.Nouvelle@Example.org ", message: "Au plaisir !")
            #expect(sent.status == .seeOther)
            let page = try await alice.get(try #require(sent.headers.first(name: .location)))
            #expect(page.body.string.contains("Invitation envoyée à zoe.nouvelle@example.org"), "the address is normalised")
            #expect(page.body.string.contains("expire dans 14 jours"))
            #expect(page.body.string.contains("Alice Morvan"))
            #expect(page.body.string.contains(#"class="stack"#), "the lists stack on a phone")

            let (mail, link) = try await invitation(app, to: "zoe.nouvelle@example.org")
            #expect(mail.subject == "Invitation à rejoindre \(Self.coopName)")
            #expect(link.hasPrefix("/invitations/"))
            let expires = try #require(try await Invitation.query(on: app.db).filter(\.$email == "zoe.nouvelle@example.org").first()).expiresAt
            for words in ["Alice Morvan", Self.coopName, "« Mangeurs »", "3 parts sociales", "60,00", "« Au plaisir ! »", DateText.day(expires, .fr)] {
                #expect(mail.text.contains(words), "the mail says \(words)")
            }
            // The secret is in the mail only.
            let token = String(link.dropFirst("/invitations/".count))
            #expect(try await Invitation.query(on: app.db).filter(\.$tokenHash == token).count() == 0)
        }
    }

    @Test func anAnonymousVisitorReadsTheInvitationAndIsOfferedAnAccount() async throws {
        try await withMaillage(demo: true) { app in
            try await invite(try await alice(app), "zoe@example.org")
            let (_, link) = try await invitation(app, to: "zoe@example.org")
            let page = try await Visitor(app).get(link)
            #expect(page.status == .ok)
            let html = page.body.string
            for words in [Self.coopName, "Mangeurs", "Parts sociales suggérées : 3", "Valable jusqu’au", "Créer mon compte",
                          #"value="zoe@example.org""#, "J’ai déjà un compte", "/login?next=%2Finvitations%2F"] {
                #expect(html.contains(words), "the page shows \(words)")
            }
            #expect(try await Visitor(app).get("/invitations/not-a-real-token").status == .notFound)
            #expect(try await Visitor(app).get("/invitations/" + String(repeating: "x", count: 500)).status == .notFound)
        }
    }

    @Test func aNewAccountSignsUpThroughTheInvitationAndJoinsAtOnce() async throws {
        try await withMaillage(demo: true) { app in
            try await invite(try await alice(app), "zoe@example.org")
            let (_, link) = try await invitation(app, to: "zoe@example.org")
            let zoe = Visitor(app)
            try await zoe.get(link)
            let signedUp = try await zoe.post("/signup", [("email", "zoe@example.org"), ("display_name", "Zoé Nouvelle"),
                                                          ("password", "un mot de passe solide"), ("next", link)])
            #expect(signedUp.status == .seeOther)
            // The confirmation mail leads back to the invitation.
            let confirm = try #require(try await zoe.mailsTo("zoe@example.org").last { $0.subject.hasPrefix("Confirmez") }?.action?.url)
            let confirmPath = try #require(URLComponents(string: confirm)).path + "?" + (URLComponents(string: confirm)?.percentEncodedQuery ?? "")
            try await zoe.get(confirmPath)
            let confirmed = try await zoe.post(confirmPath, [])
            #expect(confirmed.headers.first(name: .location) == link, "back on the invitation")
            let answer = try await zoe.get(link)
            #expect(answer.body.string.contains("votre adhésion est acceptée dès l’envoi"))
            #expect(answer.body.string.contains(#"value="3""#), "the suggested shares pre-filled")

            let joined = try await zoe.post(link, [("college", try await college(app).uuidString), ("shares", "3"), ("message", "")])
            #expect(joined.status == .seeOther)
            #expect(joined.headers.first(name: .location) == "/c/\(Self.slug)")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "zoe@example.org").first())
            let coop = try await Cooperatives.find(slug: Self.slug, on: app.db)
            let membership = try #require(try await Cooperatives.membership(of: user.requireID(), in: coop.requireID(), on: app.db))
            #expect(membership.memberStatus == .active, "approved at once: the board invited this address")
            #expect(membership.shares == 3)
            #expect(try await subscription(app, membership: membership.requireID()) == [6_000], "3 shares of 20 € booked at once")
            #expect(try await zoe.get("/account").body.string.contains(Self.coopName), "among her memberships")

            let invitation = try #require(try await Invitation.query(on: app.db).filter(\.$email == "zoe@example.org").first())
            #expect(invitation.status == "accepted")
            #expect(invitation.$membership.id == membership.id)
            let aliceID = try #require(try await User.query(on: app.db).filter(\.$email == "alice@\(DemoTerritory.domain)").first()?.requireID())
            #expect(try await Notice.query(on: app.db).filter(\.$user.$id == aliceID).all().contains { $0.textFR.contains("Zoé Nouvelle a accepté l’invitation") })
            let board = try await alice(app).get("/c/\(Self.slug)/invitations").body.string
            #expect(board.contains("Acceptée") && board.contains("Zoé Nouvelle"))
            // Used once.
            let again = try await zoe.get(link)
            #expect(again.status == .gone)
            #expect(again.body.string.contains("déjà servi"))
        }
    }

    @Test func anExistingAccountJoinsAndAnotherAccountMakesAnOrdinaryRequest() async throws {
        try await withMaillage(demo: true) { app in
            let alice = try await alice(app)
            try await invite(alice, "bruno@\(DemoTerritory.domain)", shares: "2")
            let (_, brunoLink) = try await invitation(app, to: "bruno@\(DemoTerritory.domain)")
            // Bruno is not signed in: the login carries him back.
            let bruno = Visitor(app)
            try await bruno.get("/login?next=\(brunoLink)")
            let login = try await bruno.post("/login", [("email", "bruno@\(DemoTerritory.domain)"), ("password", DemoTerritory.password), ("next", brunoLink)])
            #expect(login.headers.first(name: .location) == brunoLink)
            try await bruno.get(brunoLink)
            #expect(try await bruno.post(brunoLink, [("college", try await college(app).uuidString), ("shares", "2")]).status == .seeOther)
            let coop = try await Cooperatives.find(slug: Self.slug, on: app.db)
            let brunoUser = try #require(try await User.query(on: app.db).filter(\.$email == "bruno@\(DemoTerritory.domain)").first())
            #expect(try await Cooperatives.membership(of: brunoUser.requireID(), in: coop.requireID(), on: app.db)?.memberStatus == .active)

            // The link sent to someone else, opened by Manon: an ordinary request for the board.
            try await invite(alice, "voisin@example.org")
            let (_, link) = try await invitation(app, to: "voisin@example.org")
            let manon = Visitor(app)
            try await manon.logIn("manon@\(DemoTerritory.domain)")
            #expect(try await manon.get(link).body.string.contains("envoyée à une autre adresse"))
            #expect(try await manon.post(link, [("college", try await college(app).uuidString), ("shares", "1")]).status == .seeOther)
            let manonUser = try #require(try await User.query(on: app.db).filter(\.$email == "manon@\(DemoTerritory.domain)").first())
            #expect(try await Cooperatives.membership(of: manonUser.requireID(), in: coop.requireID(), on: app.db)?.memberStatus == .pending)
            #expect(try await Invitation.query(on: app.db).filter(\.$email == "voisin@example.org").first()?.status == "pending",
                    "the invitation stays open for the address it was sent to")
        }
    }

    @Test func membersAndPeopleWhoAlreadyAskedAreNotInvited() async throws {
        try await withMaillage(demo: true) { app in
            let alice = try await alice(app)
            let member = try await invite(alice, "chloe@\(DemoTerritory.domain)")
            #expect(member.status == .conflict)
            #expect(member.body.string.contains("sociétaire de la coopérative : pas besoin de l’inviter"))
            #expect(member.body.string.contains(#"value="chloe@demo.maillage.coop""#), "what was typed comes back")
            let asked = try await invite(alice, "katia@\(DemoTerritory.domain)")
            #expect(asked.status == .conflict)
            #expect(asked.body.string.contains("a déjà demandé à rejoindre"))
            let invalid = try await invite(alice, "pas une adresse", shares: "0")
            #expect(invalid.status == .unprocessableEntity)
            #expect(invalid.body.string.contains("adresse e-mail n’est pas valide") && invalid.body.string.contains("au moins une part sociale"))
        }
    }

    @Test func aSecondPendingInvitationToTheSameAddressIsRefused() async throws {
        try await withMaillage(demo: true) { app in
            let aliceUser = try #require(try await User.query(on: app.db).filter(\.$email == "alice@\(DemoTerritory.domain)").first())
            let api = APIClient(app: app, token: try await Tokens.create(for: aliceUser, name: "board", on: app.db))
            let college = try await college(app)
            let body = #"{"email": "Double@Example.org", "college": "\#(college)", "shares": 1, "language": "en"}"#
            let first = try await api.send(.POST, "/api/v1/cooperatives/\(Self.slug)/invitations", json: body)
            #expect(first.status == .created)
            #expect(first.json["email"] as? String == "double@example.org")
            #expect(first.json["state"] as? String == "pending")
            let second = try await api.send(.POST, "/api/v1/cooperatives/\(Self.slug)/invitations", json: body.replacingOccurrences(of: "Double", with: "double"))
            #expect(second.status == .conflict)
            #expect(second.errorCode == "invitation_pending")
            #expect(second.errorField == "email")
            let mail = try #require(try await Visitor(app).mailsTo("double@example.org").last)
            #expect(mail.subject == "Invitation to join \(Self.coopName)", "in the language chosen for the mail")
            #expect(try await Visitor(app).mailsTo("double@example.org").count == 1, "one mail")
            let bad = try await api.send(.POST, "/api/v1/cooperatives/\(Self.slug)/invitations", json: #"{"email": "nope", "college": "\#(college)", "shares": 1}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.errorCode == "invalid_email" && bad.errorField == "email")
            let list = try await api.send(.GET, "/api/v1/cooperatives/\(Self.slug)/invitations")
            #expect((list.json["data"] as? [[String: Any]])?.contains { $0["email"] as? String == "double@example.org" } == true)
        }
    }

    @Test func anInvitationExpiresAfterFourteenDays() async throws {
        try await withMaillage(demo: true) { app in
            let alice = try await alice(app)
            try await invite(alice, "tardif@example.org")
            let (_, link) = try await invitation(app, to: "tardif@example.org")
            let invitation = try #require(try await Invitation.query(on: app.db).filter(\.$email == "tardif@example.org").first())
            #expect(invitation.expiresAt.timeIntervalSince(invitation.createdAt) == 14 * 86_400)
            try await app.db.sql.update(Invitation.schema).set("expires_at", to: SQLBind(Date().addingTimeInterval(-60)))
                .where("id", .equal, SQLBind(try invitation.requireID())).run()
            let late = Visitor(app)
            _ = try await late.signUp("tardif@example.org", name: "Tardif")
            let page = try await late.get(link)
            #expect(page.status == .gone)
            #expect(page.body.string.contains("Cette invitation a expiré"))
            #expect(try await late.post(link, [("college", try await college(app).uuidString), ("shares", "1")]).status == .gone)
            #expect(try await alice.get("/c/\(Self.slug)/invitations").body.string.contains("Expirée"))
            // The board may invite the address again: the expired one gives its place.
            #expect(try await invite(alice, "tardif@example.org").status == .seeOther)
        }
    }

    @Test func theBoardWithdrawsAnInvitationAndItsLinkSaysSo() async throws {
        try await withMaillage(demo: true) { app in
            let alice = try await alice(app)
            try await invite(alice, "retiree@example.org")
            let (_, link) = try await invitation(app, to: "retiree@example.org")
            let id = try #require(try await Invitation.query(on: app.db).filter(\.$email == "retiree@example.org").first()?.requireID())
            let question = try await alice.get("/c/\(Self.slug)/invitations/\(id)/withdraw")
            #expect(question.status == .ok)
            #expect(question.body.string.contains("Avant de confirmer"))
            let unasked = try await alice.post("/c/\(Self.slug)/invitations/\(id)/withdraw", [])
            #expect(unasked.headers.first(name: .location) == "/c/\(Self.slug)/invitations/\(id)/withdraw", "asks first")
            #expect(try await Invitation.find(id, on: app.db)?.status == "pending")
            let done = try await alice.post("/c/\(Self.slug)/invitations/\(id)/withdraw", [("confirmed", "yes")])
            #expect(done.status == .seeOther)
            let page = try await Visitor(app).get(link)
            #expect(page.status == .gone)
            #expect(page.body.string.contains("Le conseil a retiré cette invitation"))
            let aliceUser = try #require(try await User.query(on: app.db).filter(\.$email == "alice@\(DemoTerritory.domain)").first())
            let api = APIClient(app: app, token: try await Tokens.create(for: aliceUser, name: "board", on: app.db))
            let twice = try await api.send(.DELETE, "/api/v1/cooperatives/\(Self.slug)/invitations/\(id)")
            #expect(twice.status == .conflict)
            #expect(twice.errorCode == "invitation_withdrawn")
            #expect(try await api.send(.DELETE, "/api/v1/cooperatives/\(Self.slug)/invitations/\(UUID())").status == .notFound)
        }
    }

    @Test func onlyTheBoardInvites() async throws {
        try await withMaillage(demo: true) { app in
            let before = try await Invitation.query(on: app.db).count()
            let college = try await college(app).uuidString
            for handle in ["chloe", "david", "bruno"] { // a member, the staff, someone of another cooperative
                let person = Visitor(app)
                try await person.logIn("\(handle)@\(DemoTerritory.domain)")
                #expect(try await person.get("/c/\(Self.slug)/invitations").status == .forbidden, "\(handle) reads no invitation")
                let posted = try await person.post("/c/\(Self.slug)/invitations", [("email", "x@example.org"), ("college", college), ("shares", "1")])
                #expect(posted.status == .forbidden, "\(handle) invites no one")
                let user = try #require(try await User.query(on: app.db).filter(\.$email == "\(handle)@\(DemoTerritory.domain)").first())
                let api = APIClient(app: app, token: try await Tokens.create(for: user, name: "t", on: app.db))
                #expect(try await api.send(.POST, "/api/v1/cooperatives/\(Self.slug)/invitations",
                                           json: #"{"email": "x@example.org", "college": "\#(college)", "shares": 1}"#).status == .forbidden)
                #expect(try await api.send(.GET, "/api/v1/cooperatives/\(Self.slug)/invitations").status == .forbidden)
            }
            #expect(try await APIClient(app: app).send(.GET, "/api/v1/cooperatives/\(Self.slug)/invitations").status == .unauthorized)
            #expect(try await Invitation.query(on: app.db).count() == before)
            #expect(try await Visitor(app).mailsTo("x@example.org").isEmpty, "no mail left")
        }
    }

    @Test func concurrentAcceptancesOfOneInvitationMakeOneMembership() async throws {
        try await withMaillage(demo: true) { app in
            try await invite(try await alice(app), "presse@example.org")
            let (_, link) = try await invitation(app, to: "presse@example.org")
            let person = Visitor(app)
            _ = try await person.signUp("presse@example.org", name: "Pressé")
            try await person.get(link)
            let college = try await college(app).uuidString
            let statuses = try await withThrowingTaskGroup(of: UInt.self, returning: [UInt].self) { group in
                for _ in 0..<8 { group.addTask { try await person.post(link, [("college", college), ("shares", "3")]).status.code } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 303 }.count == 1, "one acceptance wins: \(statuses)")
            #expect(statuses.allSatisfy { $0 == 303 || $0 == 410 || $0 == 409 }, "the others are told, never a 500: \(statuses)")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "presse@example.org").first())
            let memberships = try await Membership.query(on: app.db).filter(\.$user.$id == user.requireID()).all()
            #expect(memberships.count == 1)
            #expect(try await subscription(app, membership: try #require(memberships.first).requireID()).count == 1, "the shares booked once")
        }
    }

    @Test func deletingAnAccountWithdrawsInvitationsToItsAddressAndForgetsIt() async throws {
        try await withMaillage(demo: true) { app in
            try await invite(try await alice(app), "efface@example.org", message: "Un mot pour Efface")
            let person = Visitor(app)
            _ = try await person.signUp("efface@example.org", name: "Efface")
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "efface@example.org").first())
            try await Erasure.erase(user, on: app.db)
            let rows = try await Invitation.query(on: app.db).filter(\.$invitedBy.$id != user.requireID()).all()
            #expect(!rows.contains { $0.email == "efface@example.org" })
            #expect(try await ErasureScanTests.traces(of: ["efface@example.org", "Un mot pour Efface"], on: app.db)
                .filter { $0.hasPrefix(Invitation.schema) }.isEmpty)
            #expect(rows.contains { $0.status == "withdrawn" && $0.email.isEmpty }, "the pending invitation is withdrawn")
        }
    }
}
