import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// A form sent twice — a reload of the page it led to, the back button, a double click — is
/// applied once, and the person is told; a refused form can be corrected and sent again.
@Suite("Forms applied once", .serialized)
struct FormOnceTests {
    /// The time-bank form of a demo cooperative, as a member sees it: its once-key and its fields.
    struct ServiceForm {
        var path: String
        var key: String
        func fields(duration: String = "0 h 30") -> [(String, String)] {
            [("counterpart", counterpart), ("role", "received"), ("settlement", "hours"), ("duration", duration),
             ("service_description", "Aide au jardin"), ("done_on", LocalZone.paris.localDate(at: Date()).iso), (FormSubmissions.field, key)]
        }
        var counterpart: String
    }

    static func serviceForm(_ app: Application, _ visitor: Visitor) async throws -> ServiceForm {
        let coop = try await Cooperatives.find(slug: "coup-de-main-orvault", on: app.db)
        let page = try await visitor.get("/c/\(coop.slug)/exchange")
        let html = page.body.string
        let form = try #require(html.range(of: "/c/\(coop.slug)/exchange/services").map { String(html[$0.lowerBound...]) })
        let key = try #require(Self.value(of: FormSubmissions.field, in: form), "the form carries a once-key")
        let counterpart = try #require(Self.firstOption(named: "counterpart", in: form))
        return ServiceForm(path: "/c/\(coop.slug)/exchange/services", key: key, counterpart: counterpart)
    }

    static func value(of name: String, in html: String) -> String? {
        guard let range = html.range(of: #"name="\#(name)" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return String(html[range]).components(separatedBy: "value=\"").last.map { String($0.dropLast()) }
    }

    static func firstOption(named name: String, in html: String) -> String? {
        guard let select = html.range(of: #"name="\#(name)""#) else { return nil }
        let rest = html[select.upperBound...]
        guard let option = rest.range(of: #"<option value="[0-9A-Fa-f-]{36}""#, options: .regularExpression) else { return nil }
        return String(rest[option]).components(separatedBy: "\"")[1]
    }

    static func services(_ app: Application) async throws -> Int {
        struct Count: Decodable { var n: Int }
        return try await app.db.sql.raw("SELECT COUNT(*) AS n FROM ledger_transfers").first(decoding: Count.self)?.n ?? -1
    }

    @Test func aFormSentAgainIsAppliedOnceAndSaysSo() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            try await visitor.logIn("chloe@\(DemoTerritory.domain)")
            let form = try await Self.serviceForm(app, visitor)
            let before = try await Self.services(app)
            let first = try await visitor.post(form.path, form.fields())
            #expect(first.status == .seeOther, "applied, it leads to a page (POST → 303 → GET)")
            let landing = try #require(first.headers.first(name: .location))
            let page = try await visitor.get(landing)
            #expect(page.body.string.contains("Service noté"), "the page it leads to says what was done")
            #expect(!(try await visitor.get(landing)).body.string.contains("Service noté"), "said once")
            let again = try await visitor.post(form.path, form.fields())
            #expect(again.status == .seeOther && again.headers.first(name: .location) == landing, "sent again: to the same page")
            #expect((try await visitor.get(landing)).body.string.contains("déjà été envoyé"))
            #expect(try await Self.services(app) == before + 1, "one service recorded, not two")
        }
    }

    @Test func aDoubleClickIsAppliedOnce() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            try await visitor.logIn("chloe@\(DemoTerritory.domain)")
            let form = try await Self.serviceForm(app, visitor)
            let before = try await Self.services(app)
            let statuses = try await withThrowingTaskGroup(of: UInt.self, returning: [UInt].self) { group in
                for _ in 0..<4 { group.addTask { try await visitor.post(form.path, form.fields()).status.code } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == 303 }, "\(statuses)")
            #expect(try await Self.services(app) == before + 1, "four posts at once, one service")
        }
    }

    @Test func aRefusedFormCanBeCorrectedAndSentWithTheSameKey() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            try await visitor.logIn("chloe@\(DemoTerritory.domain)")
            let form = try await Self.serviceForm(app, visitor)
            let before = try await Self.services(app)
            let refused = try await visitor.post(form.path, form.fields(duration: "beaucoup"))
            #expect(refused.status == .unprocessableEntity)
            let corrected = try await visitor.post(form.path, form.fields())
            #expect(corrected.status == .seeOther)
            #expect(try await Self.services(app) == before + 1)
        }
    }

    /// A stale token (the session ended, the page was old): nothing applied, what was typed comes
    /// back in a form with a fresh token, and sending it again works.
    @Test func anExpiredFormGivesBackWhatWasTypedWithAFreshToken() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            try await visitor.logIn("chloe@\(DemoTerritory.domain)")
            let form = try await Self.serviceForm(app, visitor)
            let before = try await Self.services(app)
            var fields = form.fields()
            fields[4] = ("service_description", "Taille de la haie\net ramassage des branches")
            let stale = try await visitor.post(form.path, fields, withToken: false, headers: [:]) // no token: as from a page of an ended session
            #expect(stale.status == .forbidden)
            let page = stale.body.string
            #expect(page.contains("Formulaire expiré") && page.contains("rien n’a été enregistré"))
            #expect(page.contains("Taille de la haie\net ramassage des branches"), "the text typed comes back, line breaks kept")
            // Each field under the label the form gave it, not its name.
            #expect(page.contains(">Service rendu</label>") && !page.contains(">service description</label>"))
            #expect(page.contains(#"action="\#(form.path)""#) && page.contains(#"name="_csrf""#))
            #expect(try await Self.services(app) == before, "nothing applied")
            // The same from a browser whose session has ended (no cookie any more).
            let ended = try await Visitor(app).post(form.path, fields, withToken: false)
            #expect(ended.status == .forbidden && ended.body.string.contains("Taille de la haie\net ramassage des branches"))
            // Sent again from that page (with its fresh token and a new once-key), it is applied.
            let resent = try await visitor.post(form.path, [(FormSubmissions.field, FormSubmissions.newKey())] + fields.filter { $0.0 != FormSubmissions.field })
            #expect(resent.status == .seeOther)
            #expect(try await Self.services(app) == before + 1)
        }
    }
}
