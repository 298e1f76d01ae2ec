import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

@Suite("Exchange: offers and wants, services in hours or free, impact", .serialized)
struct ExchangeTests {
    func exchange(_ app: Application, members: Int = 4) async throws -> LendingFixture {
        let f = try await LendingFixture.make(app, members: members, activity: .exchange, slug: "coup-de-main-des-tests")
        try await CreditSettings(defaultLine: 0, yearlyFee: 0, timeFloor: -600).save(try f.coop.requireID(), on: app.db)
        return f
    }

    var feedPath: String { "/api/v1/cooperatives/coup-de-main-des-tests/exchange/offers-wants" }

    @Test func publishingChecksTheFormAndSearchFindsByDistance() async throws {
        try await withMaillage { app in
            let f = try await exchange(app)
            let bad = try await f.clients[2].send(.POST, feedPath, json: #"""
                {"exchange_type": "offer", "item_type": "service", "transaction_type": ["borrow-lend"], "title": "Aide", "description": "x", "commune": "Atlantis"}
                """#)
            #expect(bad.status == .unprocessableEntity, "\(bad.body.string)")
            let published = try await f.clients[2].send(.POST, feedPath, json: #"""
                {"exchange_type": "offer", "item_type": "service", "transaction_type": ["receive-donate"], "category": "jardinage",
                 "tags": ["haie", "taille"], "title": "Taille de haies", "description": "Outils fournis.", "commune": "Orvault", "accepts_time_bank": true}
                """#)
            #expect(published.status == .created, "\(published.body.string)")
            #expect((published.json["tags"] as? [String]) == ["haie", "taille", "jardinage", "banque-de-temps", "time-bank"])
            _ = try await f.clients[3].send(.POST, feedPath, json: #"""
                {"exchange_type": "want", "item_type": "service", "transaction_type": ["receive-donate"], "title": "Taille de rosiers",
                 "description": "Au printemps.", "commune": "Vertou"}
                """#)
            func titles(_ query: String) async throws -> [String] {
                let response = try await APIClient(app: app).send(.GET, "\(feedPath)?\(query)")
                #expect(response.status == .ok, "\(response.body.string)")
                return ((response.json["data"] as? [[String: Any]]) ?? []).compactMap { $0["title"] as? String }
            }
            #expect(try await titles("q=taille").count == 2)
            #expect(try await titles("q=taille&near=Orvault&radius=5") == ["Taille de haies"])
            #expect(try await titles("q=garden") == ["Taille de haies"], "the category's English words are searchable")
            let html = try await Visitor(app).get("/c/coup-de-main-des-tests/exchange?q=taille")
            #expect(html.status == .ok && html.body.string.contains("Taille de haies"))
        }
    }

    @Test func aServiceReceivedIsSettledInHoursOnTheTimeBank() async throws {
        try await withMaillage { app in
            let f = try await exchange(app)
            let giver = try f.users[2].requireID(), receiver = try f.users[3].requireID(), coopID = try f.coop.requireID()
            let path = "/api/v1/cooperatives/\(f.coop.slug)/exchange/services"
            let paid = try await f.clients[3].send(.POST, path, json: #"""
                {"counterpart": "\#(giver)", "role": "received", "settlement": "hours", "minutes": 90, "description": "Taille de la haie", "doneOn": "\#(day(0))"}
                """#)
            #expect(paid.status == .created, "\(paid.body.string)")
            #expect(paid.json["settlement"] as? String == "hours" && paid.json["minutes"] as? Int == 90 && paid.json["transfer"] != nil)
            let giverAccount = try await AccountBook.open(.hours, cooperative: coopID, user: giver, on: app.db)
            let receiverAccount = try await AccountBook.open(.hours, cooperative: coopID, user: receiver, on: app.db)
            #expect(giverAccount.posted == 90 && receiverAccount.posted == -90, "an hour and a half moved from receiver to giver")
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
            // The giver cannot make the receiver pay; they may record free help instead.
            let selfPaid = try await f.clients[2].send(.POST, path, json: #"""
                {"counterpart": "\#(receiver)", "role": "given", "settlement": "hours", "minutes": 60, "description": "Encore la haie", "doneOn": "\#(day(0))"}
                """#)
            #expect(selfPaid.status == .forbidden && selfPaid.errorCode == "receiver_records_hours")
            let free = try await f.clients[2].send(.POST, path, json: #"""
                {"counterpart": "\#(receiver)", "role": "given", "settlement": "free", "description": "Arrosage des plantes", "doneOn": "\#(day(0))"}
                """#)
            #expect(free.status == .created && free.json["minutes"] as? Int == 0)
            #expect(try await AccountBook.open(.hours, cooperative: coopID, user: giver, on: app.db).posted == 90, "free help moves no hours")
            let future = try await f.clients[3].send(.POST, path, json: #"""
                {"counterpart": "\#(giver)", "role": "received", "settlement": "free", "description": "Demain", "doneOn": "\#(day(2))"}
                """#)
            #expect(future.status == .unprocessableEntity && future.errorCode == "service_in_future")
            let tooMuch = try await f.clients[3].send(.POST, path, json: #"""
                {"counterpart": "\#(giver)", "role": "received", "settlement": "hours", "minutes": 700, "description": "Déménagement", "doneOn": "\#(day(0))"}
                """#)
            #expect(tooMuch.status == .conflict && tooMuch.errorCode == "below_floor", "the time bank's floor (-10 h) holds: \(tooMuch.body.string)")
            #expect(try await Inbox.latest(for: giver, on: app.db).contains { $0.textFR.contains("Taille de la haie") })
            // The impact counters count both services and the hours.
            let impact = try await APIClient(app: app).send(.GET, "/api/v1/cooperatives/\(f.coop.slug)/impact")
            #expect(impact.json["servicesExchanged"] as? Int == 2 && impact.json["freeHelp"] as? Int == 1 && impact.json["minutesGiven"] as? Int == 90)
            let page = try await Visitor(app).get("/c/\(f.coop.slug)/impact")
            #expect(page.status == .ok && page.body.string.contains(Amount.time(minutes: 90).formatted(.fr)))
        }
    }

    @Test func theServiceFormSettlesInHoursAndKeepsInputOnError() async throws {
        try await withMaillage { app in
            let f = try await exchange(app)
            let visitor = Visitor(app)
            f.users[3].passwordHash = try app.password.hash("un mot de passe solide")
            try await f.users[3].save(on: app.db)
            try await visitor.logIn(f.users[3].email, password: "un mot de passe solide")
            try await visitor.get("/c/\(f.coop.slug)/exchange")
            let giver = try f.users[2].requireID().uuidString
            let refused = try await visitor.post("/c/\(f.coop.slug)/exchange/services", [("counterpart", giver), ("role", "received"),
                ("settlement", "hours"), ("duration", "beaucoup"), ("service_description", "Réparation du vélo"), ("done_on", day(0))])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Réparation du vélo") && refused.body.string.contains("Durée illisible"))
            let done = try await visitor.post("/c/\(f.coop.slug)/exchange/services", [("counterpart", giver), ("role", "received"),
                ("settlement", "hours"), ("duration", "1 h 30"), ("service_description", "Réparation du vélo"), ("done_on", day(0))])
            #expect(done.status == .seeOther)
            #expect(try await visitor.get(try #require(done.headers.first(name: .location))).body.string.contains("Service noté"))
            #expect(try await AccountBook.open(.hours, cooperative: f.coop.requireID(), user: f.users[2].requireID(), on: app.db).posted == 90)
            try await visitor.get("/c/\(f.coop.slug)/exchange/new")
            let offer = try await visitor.post("/c/\(f.coop.slug)/exchange", [("exchange_type", "offer"), ("item_type", "service"),
                ("transaction_type", "borrow-lend"), ("title", "Cours de cuisine"), ("description", "Le jeudi soir."), ("commune", "Orvault"), ("scope", "local")])
            #expect(offer.status == .unprocessableEntity && offer.body.string.contains("Cours de cuisine") && offer.body.string.contains("ni ne se loue"))
        }
    }
}
