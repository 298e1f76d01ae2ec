import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// What a new cooperative meets in its first week: one figure shown the same on every page that
/// shows it, photos that are uploaded rather than linked, and people told why they cannot act.
@Suite("First week: figures that agree, no linked photos, the way in for non-members", .serialized)
struct FirstWeekTests {
    /// The page's text, tags taken out and spaces (including the narrow no-break ones of French
    /// numbers) made plain.
    static func text(_ response: TestingHTTPResponse) -> String {
        response.body.string.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
            .replacingOccurrences(of: "[\\s\u{00A0}\u{202F}]+", with: " ", options: .regularExpression)
    }

    static func first(_ pattern: String, in text: String) -> String? {
        guard let range = text.range(of: pattern, options: .regularExpression) else { return nil }
        let found = String(text[range])
        guard let amount = found.range(of: "-?[0-9][0-9 ]*,[0-9]{2}", options: .regularExpression) else { return nil }
        return String(found[amount])
    }

    /// The capital subscribed on the members page and the capital account of the books are one
    /// figure, from the moment the board approves a member (not when a job next runs).
    @Test func anApprovedMembersSharesCountInTheCapitalOnEveryPageAtOnce() async throws {
        try await withMaillage { app in
            let fanny = Visitor(app), ana = Visitor(app)
            _ = try await fanny.signUp("fanny@example.org", name: "Fanny")
            _ = try await ana.signUp("ana@example.org", name: "Ana")
            let founder = try #require(try await User.query(on: app.db).filter(\.$email == "fanny@example.org").first())
            let draft = CooperativeDraft(name: "Épicerie des Comptes", slug: "epicerie-des-comptes", legalForm: .scic, commune: "Nantes",
                                         description: "Une épicerie coopérative dont les comptes tombent juste.", activities: [.food],
                                         colleges: ["Mangeurs", "Producteurs", "Salariés"], shareNominalCents: 2_000, charter: [])
            let created = try await Cooperatives.create(draft, creator: founder, review: .approved, on: app.db)
            let coop = try await Cooperatives.find(slug: created.slug, on: app.db)
            let college = try #require(try await coop.$colleges.get(on: app.db).first?.id)
            let anaUser = try #require(try await User.query(on: app.db).filter(\.$email == "ana@example.org").first())
            let asked = try await Joining.ask(Joining.Request(college: college, shares: 7, message: nil), user: anaUser, coop: coop, on: app.db)

            // act: the board approves Ana from the members page
            try await fanny.get("/c/\(coop.slug)/manage")
            let approved = try await fanny.post("/c/\(coop.slug)/members/\(try asked.requireID())/approve", [])
            #expect(approved.status == .seeOther)

            // check: both pages say the same capital, Ana's 7 shares (140 €) included
            let members = Self.text(try await fanny.get("/c/\(coop.slug)/manage"))
            let books = Self.text(try await fanny.get("/c/\(coop.slug)/money"))
            let onMembersPage = try #require(Self.first("capital souscrit : [0-9 ,]+", in: members))
            let inTheBooks = try #require(Self.first("Capital social [0-9 ,]+", in: books))
            #expect(onMembersPage == inTheBooks)
            #expect(members.contains("Demandes en attente (0)"))
            let capital = try await AccountBook.open(.capital, cooperative: coop.requireID(), on: app.db)
            #expect(capital.posted == MembershipRules.capital(shares: 7 + 1, nominalCents: 2_000), "Ana's 7 shares and the founder's one")
        }
    }

    /// "Encore disponible" on the barter page and on the account's statement is one figure: what
    /// may still be spent down to the credit line — also for a business whose balance is negative.
    @Test func whatABusinessMayStillSpendIsTheSameOnTheBarterPageAndItsStatement() async throws {
        try await withMaillage(demo: true) { app in
            for handle in ["ursule", "alice", "victor"] {
                let visitor = Visitor(app)
                try await visitor.logIn("\(handle)@\(DemoTerritory.domain)")
                let page = try await visitor.get("/c/troc-pro-loire-atlantique/barter")
                let barter = Self.text(page)
                let link = try #require(page.body.string.range(of: #"/c/troc-pro-loire-atlantique/money/[0-9a-fA-F-]{36}"#, options: .regularExpression))
                let statement = Self.text(try await visitor.get(String(page.body.string[link])))
                let onBarterPage = try #require(Self.first("Encore disponible -?[0-9 ,]+", in: barter))
                let onStatement = try #require(Self.first("encore disponible : -?[0-9 ,]+", in: statement))
                #expect(onBarterPage == onStatement, "\(handle): \(onBarterPage) on the barter page, \(onStatement) on the statement")
                let balance = try #require(Self.first("Solde -?[0-9 ,]+", in: barter))
                if handle == "ursule" { #expect(balance.hasPrefix("-"), "the demo's Ursule owes units: the case that disagreed") }
            }
        }
    }

    /// Photos are uploaded, never linked from another server: the forms and the API no longer take
    /// an address, and the migration drops the links a table held.
    @Test func photoAddressesAreNeitherAskedNorKept() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            try await visitor.logIn("chloe@\(DemoTerritory.domain)")
            let itemForm = try await visitor.get("/c/preterie-de-reze/lending/items/new").body.string
            #expect(itemForm.contains("name=\"title\"") && !itemForm.contains("photo_url"))
            let offerForm = try await visitor.get("/c/coup-de-main-orvault/exchange/new").body.string
            #expect(offerForm.contains("name=\"title\"") && !offerForm.contains("name=\"image\""))
            let document = try await visitor.get("/api/openapi.json").body.string
            #expect(!document.contains("photoUrl") && !document.contains("\"image\""))
            for table in ["lending_items": "photo_url", "offers_wants": "image_url"] {
                let columns = try await app.db.sql.raw("SELECT * FROM \(ident: table.key) LIMIT 1").first()?.allColumns ?? []
                #expect(!columns.contains(table.value), "\(table.key).\(table.value) is gone")
            }

            // The migration itself: the links go with their column.
            try await app.db.sql.raw("CREATE TABLE old_things (id INTEGER PRIMARY KEY, name TEXT, photo TEXT)").run()
            try await app.db.sql.raw("INSERT INTO old_things (id, name, photo) VALUES (1, 'Perceuse', 'https://tracker.example/p.jpg'), (2, 'Scie', NULL)").run()
            try await DropPhotoLinks(table: "old_things", column: "photo").prepare(on: app.db)
            struct Column: Decodable { var name: String }
            let columns = try await app.db.sql.raw(app.db.sql.dialect.name == "sqlite"
                ? "SELECT name FROM pragma_table_info('old_things') ORDER BY cid"
                : "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'old_things' ORDER BY ordinal_position")
                .all(decoding: Column.self)
            #expect(columns.map(\.name) == ["id", "name"])
            try await app.db.sql.raw("DROP TABLE old_things").run()
        }
    }

    /// A signed-in person who is not a member is told why they cannot act, with the way to join;
    /// someone not signed in, the way to log in.
    @Test func aNonMemberSeesWhyAndTheWayToJoin() async throws {
        try await withMaillage(demo: true) { app in
            let zoe = Visitor(app)
            _ = try await zoe.signUp("zoe@example.org", name: "Zoé")
            for (slug, page) in [("coup-de-main-orvault", "exchange"), ("preterie-de-reze", "lending")] {
                let seen = try await zoe.get("/c/\(slug)/\(page)").body.string
                #expect(seen.contains("Seuls les sociétaires de"), "\(page): why")
                #expect(seen.contains("href=\"/c/\(slug)#join-title\""), "\(page): the way to join")
                let anonymous = try await Visitor(app).get("/c/\(slug)/\(page)").body.string
                #expect(anonymous.contains("Connectez-vous"), "\(page): the way to log in")
            }
            // A member sees no such line.
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@\(DemoTerritory.domain)")
            #expect(!(try await chloe.get("/c/preterie-de-reze/lending").body.string.contains("Seuls les sociétaires de")))
        }
    }

    /// Redirects that need no notice, by file, and why. Every other page handler that changes
    /// something answers with `req.done`, which says what happened on the page it leads to.
    static let redirectsWithoutNotice: [String: String] = [
        "Accounts/Facade/RequireLogin.swift": "to the login page, nothing changed",
        "Accounts/AccountPages.swift": "sign-up leads to a page that says the mail is sent; log in and out go where the person was going",
        "Accounts/PasswordPages.swift": "the forgotten-password and account pages read the flag they are given and say it",
        "Accounts/EmailPages.swift": "the account page reads the flag it is given and says it",
        "Accounts/TwoFactor/TwoFactorLogin.swift": "the password leads to the code page, the code to where the person was going (as logging in does)",
        "Accounts/TwoFactor/TwoFactorEnrolmentGate.swift": "to the enrolment page, which says why; nothing changed",
        "Accounts/TwoFactor/TwoFactorPages.swift": "pages with nothing to show (no key being set up, recovery codes already shown) lead back to the two-factor page; its forms answer with req.done",
        "Privacy/PrivacyPages.swift": "the session is gone: the page it leads to says the account is deleted",
        "Food/ProducerPages.swift": "the import's report is kept and shown on the page it leads to",
        "Delivery/DeliveryAPIPages.swift": "the deliveries import's report is kept and shown on the store's page it leads to",
        "Notifications/NotificationsPages.swift": "opening a notification leads to what it is about: a link followed, not a form",
    ]

    @Test func everyPageFormThatChangesSomethingSaysWhatItDid() throws {
        let app = RepositoryHygieneTests.root.appendingPathComponent("Sources/MaillageApp")
        let files = FileManager.default.enumerator(at: app, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        #expect(files.count > 50, "the sources are read")
        var silent: [String] = []
        for file in files {
            let path = String(file.path.dropFirst(app.path.count + 1))
            guard !path.hasPrefix("Kernel/"), Self.redirectsWithoutNotice[path] == nil else { continue }
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() where line.contains("redirect(to:") && line.contains("redirectType: .normal") {
                silent.append("\(path):\(number + 1)")
            }
        }
        #expect(silent.isEmpty, "form answers that say nothing of what they did: \(silent.sorted())")
    }
}
