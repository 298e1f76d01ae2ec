import Foundation
import SQLKit
@testable import MaillageApp
import MaillageCore
import Testing
import VaporTesting

@Suite("Exchange: authors edit and withdraw their offers and wants", .serialized)
struct ExchangeEditTests {
    @Test func theAuthorEditsWithTheFormKeptAndWithdrawsOthersCannot() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4, activity: .exchange, slug: "coup-de-main-des-editions")
            let feed = "/api/v1/cooperatives/\(f.coop.slug)/exchange/offers-wants"
            let published = try await f.clients[2].send(.POST, feed, json: #"""
                {"exchange_type": "offer", "item_type": "service", "transaction_type": ["receive-donate"], "category": "jardinage",
                 "tags": ["haie"], "title": "Taille de haies", "description": "Outils fournis.", "commune": "Orvault"}
                """#)
            #expect(published.status == .created, "\(published.body.string)")
            struct Row: Decodable { var id: UUID }
            let id = try #require(try await app.db.sql.raw("SELECT id FROM offers_wants WHERE title = 'Taille de haies'").first(decoding: Row.self)).id
            let author = Visitor(app), other = Visitor(app)
            for (visitor, user) in [(author, f.users[2]), (other, f.users[3])] {
                user.passwordHash = try app.password.hash("un mot de passe solide")
                try await user.save(on: app.db)
                try await visitor.logIn(user.email, password: "un mot de passe solide")
            }
            let page = "/c/\(f.coop.slug)/exchange/\(id)"
            #expect(try await author.get(page).body.string.contains("Retirer l’annonce"))
            #expect(!(try await other.get(page).body.string.contains("Retirer l’annonce")), "only the author is offered to withdraw")
            let form = try await author.get(page + "/edit")
            #expect(form.status == .ok && form.body.string.contains("Taille de haies") && form.body.string.contains("Outils fournis."))
            let fields: [(String, String)] = [("exchange_type", "offer"), ("item_type", "service"), ("transaction_type", "receive-donate"),
                                              ("category", "jardinage"), ("title", "Taille de haies et d’arbustes"), ("description", "Outils fournis."),
                                              ("scope", "local")]
            let refused = try await author.post(page + "/edit", fields + [("commune", "Atlantis")])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Taille de haies et d’arbustes"), "what was typed stays")
            #expect(try await author.post(page + "/edit", fields + [("commune", "Vertou")]).status == .seeOther)
            func titles(_ query: String) async throws -> [String] {
                let response = try await APIClient(app: app).send(.GET, "\(feed)?\(query)")
                return ((response.json["data"] as? [[String: Any]]) ?? []).compactMap { $0["title"] as? String }
            }
            #expect(try await titles("q=arbuste&near=Vertou&radius=5") == ["Taille de haies et d’arbustes"], "found by its new words, where it now is")
            #expect(try await titles("q=taille&near=Orvault&radius=5").isEmpty)
            #expect(try await other.post(page + "/edit", fields + [("commune", "Nantes")]).status == .notFound, "nobody else edits it")
            #expect(try await other.post(page + "/withdraw", []).status == .notFound)
            #expect(try await author.post(page + "/withdraw", []).status == .seeOther)
            #expect(try await titles("q=taille").isEmpty, "a withdrawn listing is not in the feed")
            #expect(try await author.post(page + "/withdraw", []).status == .notFound, "a second click changes nothing")
        }
    }
}
