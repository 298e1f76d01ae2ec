import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// Forgotten password, changing one's password or address: what a volunteer who forgot
/// everything, or changed mailbox, relies on.
@Suite("Account recovery and changes", .serialized)
struct AccountRecoveryTests {
    @Test func aForgottenPasswordIsResetOnceByTheMailedLinkAndClosesEveryOtherWayIn() async throws {
        try await withMaillage { app in
            let (elsewhere, api) = try await personWithToken(app, email: "lea@example.org", name: "Léa")
            #expect(try await api.send(.GET, "/api/v1/me").status == .ok)
            let visitor = Visitor(app)
            try await visitor.get("/password/forgot")
            let asked = try await visitor.post("/password/forgot", [("email", "Lea@example.org")])
            #expect(asked.status == .seeOther)
            let unknown = try await visitor.post("/password/forgot", [("email", "personne@example.org")])
            #expect(unknown.headers.first(name: .location) == asked.headers.first(name: .location), "the same answer for an unknown address")
            #expect(try await visitor.mailsTo("personne@example.org").map(\.subject) == ["Mot de passe oublié : aucun compte à cette adresse"])

            let link = try #require(try await visitor.lastMailLink(to: "lea@example.org", subject: "Choisir"))
            #expect(try await visitor.get(link).status == .ok)
            let mismatch = try await visitor.post(link, [("password", "un nouveau mot de passe"), ("password_again", "autre chose encore")])
            #expect(mismatch.status == .unprocessableEntity)
            #expect(mismatch.body.string.contains("ne sont pas identiques"))
            let reset = try await visitor.post(link, [("password", "un nouveau mot de passe"), ("password_again", "un nouveau mot de passe")])
            #expect(reset.status == .seeOther)
            #expect(try await visitor.get("/account").status == .ok, "the person is signed in")

            #expect(try await Visitor(app).post(link, [("password", "encore un autre mot"), ("password_again", "encore un autre mot")]).status == .notFound,
                    "a link works once")
            #expect(try await elsewhere.get("/account").status == .seeOther, "the other session has ended")
            #expect(try await api.send(.GET, "/api/v1/me").status == .unauthorized, "the tokens are revoked")
            let old = Visitor(app)
            try await old.get("/login")
            #expect(try await old.post("/login", [("email", "lea@example.org"), ("password", "un mot de passe solide")]).status == .unauthorized)
            let fresh = Visitor(app)
            try await fresh.logIn("lea@example.org", password: "un nouveau mot de passe")
        }
    }

    @Test func aResetLinkExpiresAfterAnHour() async throws {
        try await withMaillage { app in
            _ = try await Visitor(app).signUp("lea@example.org", name: "Léa")
            let visitor = Visitor(app)
            try await visitor.get("/password/forgot")
            _ = try await visitor.post("/password/forgot", [("email", "lea@example.org")])
            let link = try #require(try await visitor.lastMailLink(to: "lea@example.org", subject: "Choisir"))
            try await app.db.sql.update(AccountLinks.table).set("expires_at", to: SQLBind(Date().addingTimeInterval(-1))).run()
            #expect(try await visitor.get(link).status == .notFound)
        }
    }

    @Test func changingThePasswordAsksTheCurrentOneAndTellsThePerson() async throws {
        try await withMaillage { app in
            let (visitor, api) = try await personWithToken(app, email: "lea@example.org", name: "Léa")
            let wrong = try await visitor.post("/account/password", [("current_password", "pas le bon du tout"),
                ("password", "un nouveau mot de passe"), ("password_again", "un nouveau mot de passe")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("pas votre mot de passe actuel"))
            let changed = try await visitor.post("/account/password", [("current_password", "un mot de passe solide"),
                ("password", "un nouveau mot de passe"), ("password_again", "un nouveau mot de passe")])
            #expect(changed.status == .seeOther)
            #expect(try await visitor.get("/account").status == .ok, "this session goes on")
            #expect(try await api.send(.GET, "/api/v1/me").status == .unauthorized, "tokens are revoked")
            #expect(try await visitor.mailsTo("lea@example.org").last?.subject == "Votre mot de passe a été changé")
        }
    }

    @Test func anAddressChangesOnlyOnceTheNewOneIsConfirmedAndTheOldOneIsTold() async throws {
        try await withMaillage { app in
            let visitor = Visitor(app)
            _ = try await visitor.signUp("lea@example.org", name: "Léa")
            let account = try await visitor.get("/account").body.string
            // Two forms ask for the current password on this page: each label points at its own field.
            let ids = account.matches(of: /id="([^"]+)"/).map { String($0.output.1) }
            #expect(Set(ids).count == ids.count, "no id twice on the account page: \(Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys)")
            let asked = try await visitor.post("/account/email", [("new_email", "lea@nouveau.example.org"), ("email_password", "un mot de passe solide")])
            #expect(asked.status == .seeOther)
            #expect(try await User.query(on: app.db).filter(\.$email == "lea@example.org").count() == 1, "nothing changes before confirmation")
            #expect(try await visitor.mailsTo("lea@example.org").last?.subject == "Changement d’adresse e-mail demandé")
            let link = try #require(try await visitor.lastMailLink(to: "lea@nouveau.example.org", subject: "Confirmez"))
            try await visitor.get(link)
            #expect(try await visitor.post(link, []).status == .seeOther)
            #expect(try await User.query(on: app.db).filter(\.$email == "lea@nouveau.example.org").count() == 1)

            _ = try await Visitor(app).signUp("autre@example.org", name: "Autre")
            let taken = try await visitor.post("/account/email", [("new_email", "autre@example.org"), ("email_password", "un mot de passe solide")])
            #expect(taken.status == .conflict)
            #expect(taken.body.string.contains(#"value="autre@example.org""#), "what was typed is kept")
        }
    }

    @Test func joiningWaitsForAConfirmedAddress() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            _ = try await visitor.signUp("lea@example.org", name: "Léa", confirm: false)
            try await visitor.logIn("lea@example.org", password: "un mot de passe solide")
            let page = try await visitor.get("/c/paniers-de-la-sevre")
            #expect(page.status == .ok, "reading works at once")
            let college = page.body.string.range(of: #"<option value="([0-9A-Fa-f-]{36})""#, options: .regularExpression)
                .map { String(page.body.string[$0].dropFirst(15).dropLast(1)) } ?? ""
            let refused = try await visitor.post("/c/paniers-de-la-sevre/join", [("college", college), ("shares", "1")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Confirmez d’abord votre adresse"))
            #expect(try await Membership.query(on: app.db).join(User.self, on: \Membership.$user.$id == \User.$id)
                .filter(User.self, \.$email == "lea@example.org").count() == 0)
        }
    }
}

/// The operators: granted from the command line only, the only ones to read the mailbox.
@Suite("Instance operators", .serialized)
struct OperatorTests {
    @Test func onlyOperatorsReadTheMailboxAndTheyAreNamedOnTheAboutPage() async throws {
        try await withMaillage { app in
            let lea = Visitor(app)
            _ = try await lea.signUp("lea@example.org", name: "Léa")
            #expect(try await lea.get("/operators/mailbox").status == .notFound, "not an operator: nothing there")
            #expect(try await Operators.grant(email: "lea@example.org", on: app.db) == .done)
            #expect(try await Operators.grant(email: "lea@example.org", on: app.db) == .already)
            #expect(try await Operators.grant(email: "nobody@example.org", on: app.db) == .noSuchAccount)
            let mailbox = try await lea.get("/operators/mailbox")
            #expect(mailbox.status == .ok)
            #expect(mailbox.body.string.contains("Confirmez votre adresse e-mail"))
            let about = try await Visitor(app).get("/about/privacy")
            #expect(about.body.string.contains("Léa"))
            #expect(try await Operators.revoke(email: "lea@example.org", on: app.db) == .done)
            #expect(try await lea.get("/operators").status == .notFound)
            #expect(try await Visitor(app).get("/operators").status == .seeOther, "signed out: asked to log in")
        }
    }
}
