import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// "Delete my account" forgets the person everywhere: after erasure, no table of any module
/// holds their name, their email or a text they wrote.
@Suite("Data ethics: erasure leaves no trace of the person", .serialized)
struct ErasureScanTests {
    /// Every (table, column, value) whose text contains one of the needles, on either engine.
    static func traces(of needles: [String], on db: any Database) async throws -> [String] {
        struct Column: Decodable { var table_name: String; var column_name: String }
        let columns: [Column] = db.isPostgres
            ? try await db.sql.raw("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()").all(decoding: Column.self)
            : try await db.sql.raw("SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'").all(decoding: Column.self)
        var found: [String] = []
        struct Hit: Decodable { var v: String? }
        for column in columns where column.table_name != "_fluent_migrations" {
            for needle in needles {
                let cast = "CAST(\(column.column_name) AS TEXT)"
                let hits = try await db.sql.raw("SELECT \(unsafeRaw: cast) AS v FROM \(unsafeRaw: column.table_name) WHERE \(unsafeRaw: cast) LIKE \(bind: "%" + needle + "%") LIMIT 3")
                    .all(decoding: Hit.self)
                for hit in hits { found.append("\(column.table_name).\(column.column_name): \((hit.v ?? "").prefix(100))") }
            }
        }
        return found
    }

    @Test func afterErasureNoTableHoldsThePersonsNameEmailOrWords() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = try #require(try await User.query(on: app.db).filter(\.$email == "chloe@demo.maillage.coop").first())
            let needles = ["Chloé Bernard", "chloe@demo.maillage.coop"]
            let before = try await Self.traces(of: needles, on: app.db)
            #expect(before.count > 2, "the demo gives her a name in several places: \(before)")
            try await Erasure.erase(chloe, on: app.db)
            let after = try await Self.traces(of: needles, on: app.db)
            #expect(after.isEmpty, Comment(rawValue: "left after erasure:\n" + after.joined(separator: "\n")))
        }
    }

    /// What the person wrote goes too: a lending item leaves the catalogue and an offer leaves
    /// the open feed, their words with them.
    @Test func afterErasureTheirItemsAndOffersAreGoneWithTheirWords() async throws {
        try await withMaillage { app in
            let lending = try await LendingFixture.make(app, members: 4)
            let item = try await lending.item(2, title: "Scie sauteuse de Zéphirine")
            let exchange = try await LendingFixture.make(app, members: 4, activity: .exchange, slug: "coup-de-main-effacement")
            let offer = try await exchange.clients[2].send(.POST, "/api/v1/cooperatives/coup-de-main-effacement/exchange/offers-wants", json: #"""
                {"exchange_type": "offer", "item_type": "service", "transaction_type": ["receive-donate"], "category": "jardinage",
                 "title": "Taille de haies par Quintilienne", "description": "Quintilienne apporte ses outils.", "commune": "Orvault"}
                """#)
            #expect(offer.status == .created, "\(offer.body.string)")
            #expect(try await Self.traces(of: ["Zéphirine", "Quintilienne"], on: app.db).count >= 3)
            try await Erasure.erase(lending.users[2], on: app.db)
            try await Erasure.erase(exchange.users[2], on: app.db)
            let left = try await Self.traces(of: ["Zéphirine", "Quintilienne", lending.users[2].email, exchange.users[2].email], on: app.db)
            #expect(left.isEmpty, Comment(rawValue: "left after erasure:\n" + left.joined(separator: "\n")))
            let catalogue = try await APIClient(app: app).send(.GET, "\(lending.base)/items?q=scie")
            #expect(!catalogue.body.string.contains(item), "the item is no longer listed")
            let feed = try await APIClient(app: app).send(.GET, "/api/v1/cooperatives/coup-de-main-effacement/exchange/offers-wants")
            #expect(!feed.body.string.contains("Taille de haies"), "the offer left the open feed")
        }
    }
}
