import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

@Suite("Data ethics: register, export, erasure, access log, retention, open data", .serialized)
struct PrivacyTests {
    /// Every column of every table, read from the database itself.
    func schema(_ app: Application) async throws -> [String: [String]] {
        struct Column: Decodable { var table_name: String; var column_name: String }
        let rows: [Column]
        if app.db.isPostgres {
            rows = try await app.db.sql.raw("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()")
                .all(decoding: Column.self)
        } else {
            rows = try await app.db.sql.raw("SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'")
                .all(decoding: Column.self)
        }
        return Dictionary(grouping: rows.filter { $0.table_name != "_fluent_migrations" }, by: \.table_name).mapValues { $0.map(\.column_name) }
    }

    @Test func theRegisterDeclaresEveryColumnOfEveryTable() async throws {
        try await withMaillage { app in
            let register = PrivacyPages.register
            let tables = try await schema(app)
            #expect(tables.count >= 15)
            for (table, columns) in tables.sorted(by: { $0.key < $1.key }) {
                let missing = DataRegister.undeclared(table: table, columns: columns, in: register)
                #expect(missing.isEmpty, "table \(table): columns not in the data register: \(missing) — declare them personal or not")
            }
            for entry in register {
                let columns = Set(tables[entry.table] ?? [])
                #expect(entry.declaredColumns.isSubset(of: columns), "register names columns that do not exist in \(entry.table): \(entry.declaredColumns.subtracting(columns))")
            }
        }
    }

    @Test func theRegisterIsPublishedForTheInstanceAndEachCooperative() async throws {
        try await withMaillage(demo: true) { app in
            for path in ["/about/privacy", "/c/paniers-de-la-sevre/privacy"] {
                let page = try await app.testing().sendRequest(.GET, path)
                #expect(page.status == .ok)
                #expect(page.body.string.contains("Durée de conservation"))
                #expect(page.body.string.contains("Le seul cookie posé d’office est celui de session"))
                #expect(page.body.string.contains("maillage_trusted"), "the trusted-device cookie, when one chooses it")
            }
        }
    }

    @Test func downloadMyDataHoldsEveryDeclaredCategoryPresentForAMember() async throws {
        try await withMaillage(demo: true) { app in
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            try await alice.get("/account")
            _ = try await alice.post("/account/tokens", [("name", "export test")])
            let archive = try await alice.get("/account/export")
            #expect(archive.status == .ok)
            let bytes = Data(buffer: archive.body)
            let json = try #require(Self.file(named: "maillage-export/data.json", in: bytes))
            let document = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            let tables = try #require(document["tables"] as? [String: [[String: String]]])
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "alice@demo.maillage.coop").first())
            for entry in PrivacyPages.register {
                guard let subject = entry.subject else { continue }
                struct Row: Decodable { var n: Int }
                let count = try await app.db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(entry.table)
                    .where(SQLColumn(subject), .equal, SQLBind(try user.requireID())).first(decoding: Row.self)?.n ?? 0
                guard count > 0 else { continue }
                let exported = tables[entry.table] ?? []
                #expect(exported.count == count, "\(entry.table): \(count) rows about alice, \(exported.count) exported")
                for field in entry.personal { #expect(exported.first?[field.column] != nil, "\(entry.table).\(field.column) (\(field.category)) is in the export") }
                #expect(Self.file(named: "maillage-export/\(entry.table).csv", in: bytes) != nil, "a CSV for \(entry.table)")
            }
            #expect(tables[User.schema]?.first?["email"] == "alice@demo.maillage.coop")
            #expect(tables[Membership.schema]?.isEmpty == false)
            #expect(tables[Ballot.schema]?.isEmpty == false, "her ballots in the demo votes")
        }
    }

    @Test func deletingMyAccountKeepsTheBooksButForgetsThePerson() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@demo.maillage.coop")
            // The page says what deleting does to each of her memberships, in figures.
            let question = try await chloe.get("/account/delete").body.string
            #expect(question.contains("Avant de confirmer") && question.contains("Vous quittez"))
            let wrong = try await chloe.post("/account/delete", [("password", "not my password")])
            #expect(wrong.status == .unprocessableEntity)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "chloe@demo.maillage.coop").first())
            let ballotsBefore = try await Ballot.query(on: app.db).filter(\.$voter.$id == user.requireID()).count()
            #expect(ballotsBefore > 0)
            let done = try await chloe.post("/account/delete", [("password", DemoTerritory.password)])
            #expect(done.status == .seeOther)
            #expect(done.headers.first(name: .location) == "/account/deleted")
            #expect(try await chloe.get("/account/deleted").body.string.contains("Votre compte est supprimé"))
            let erased = try #require(try await User.find(user.requireID(), on: app.db))
            #expect(erased.email.hasSuffix("@invalid"))
            #expect(erased.displayName.hasPrefix("Ancien·ne sociétaire"))
            #expect(try await Ballot.query(on: app.db).filter(\.$voter.$id == user.requireID()).count() == ballotsBefore, "ballots stay, under a pseudonym")
            #expect(try await Membership.query(on: app.db).filter(\.$user.$id == user.requireID()).filter(\.$status == "active").count() == 0)
            #expect(try await Notice.query(on: app.db).filter(\.$user.$id == user.requireID()).count() == 0)
            #expect(try await chloe.get("/account").status == .seeOther, "her session is gone")
            let again = Visitor(app)
            #expect(try await again.signUp("chloe@demo.maillage.coop", name: "Chloé").status == .seeOther, "the address is free again")
        }
    }

    @Test func theOnlyBoardMemberCannotLeaveMembersWithoutABoard() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: "coursiers-nantais", on: app.db)
            let manon = try #require(try await Cooperatives.members(of: coop, status: .active, on: app.db).first { $0.user.displayName == "Manon Chevalier" })
            manon.role = MemberRole.member.rawValue
            try await manon.save(on: app.db)
            let bruno = Visitor(app)
            try await bruno.logIn("bruno@demo.maillage.coop")
            let page = try await bruno.get("/account/delete")
            #expect(page.body.string.contains("seul membre du conseil de Coursiers Nantais"))
            let refused = try await bruno.post("/account/delete", [("password", DemoTerritory.password)])
            #expect(refused.status == .conflict)
            #expect(try await User.query(on: app.db).filter(\.$email == "bruno@demo.maillage.coop").count() == 1)
        }
    }

    @Test func membersSeeWhoOfTheBoardLookedAtTheirData() async throws {
        try await withMaillage(demo: true) { app in
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            try await alice.get("/c/paniers-de-la-sevre/manage")
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@demo.maillage.coop")
            let account = try await chloe.get("/account")
            #expect(account.body.string.contains("Qui a consulté mes données"))
            #expect(account.body.string.contains("Alice Morvan"))
            #expect(account.body.string.contains("Liste des sociétaires"))
        }
    }

    @Test func retentionPurgesWhatTheRegisterSaysToPurge() async throws {
        try await withMaillage(demo: true) { app in
            let before = try await Notice.query(on: app.db).count()
            #expect(before > 0)
            try await RetentionPurge.run(register: PrivacyPages.register, on: app.db, now: Date().addingTimeInterval(366 * 86_400))
            #expect(try await Notice.query(on: app.db).count() == 0, "notifications are kept 365 days")
            #expect(try await Membership.query(on: app.db).count() > 0, "cooperative records stay")
        }
    }

    @Test func openDataIsAggregatedLicensedAndDescribed() async throws {
        try await withMaillage(demo: true) { app in
            let csv = try await app.testing().sendRequest(.GET, "/open-data/cooperatives.csv")
            #expect(csv.body.string.hasPrefix("slug,name,legal_form,commune,activities,members,colleges,votes_closed,assemblies,charter_score"))
            #expect(csv.body.string.contains("paniers-de-la-sevre,Les Paniers de la Sèvre,scic,Vertou,food,9,4,1,1,9"))
            #expect(!csv.body.string.contains("@"), "no email, nothing personal")
            let json = try await app.testing().sendRequest(.GET, "/open-data/cooperatives.json")
            #expect(json.json["licence"] as? String == "ODbL-1.0")
            let card = try await app.testing().sendRequest(.GET, "/open-data")
            for column in OpenData.columns { #expect(card.body.string.contains(column.0)) }
        }
    }

    /// Reads one file out of a tar archive.
    static func file(named name: String, in tar: Data) -> Data? {
        var offset = 0
        let bytes = [UInt8](tar)
        while offset + 512 <= bytes.count {
            let header = bytes[offset..<offset + 512]
            let path = String(decoding: header.prefix(100).prefix { $0 != 0 }, as: UTF8.self)
            if path.isEmpty { return nil }
            let sizeText = String(decoding: header.dropFirst(124).prefix(11), as: UTF8.self)
            let size = Int(sizeText, radix: 8) ?? 0
            if path == name { return Data(bytes[(offset + 512)..<(offset + 512 + size)]) }
            offset += 512 + (size + 511) / 512 * 512
        }
        return nil
    }
}
