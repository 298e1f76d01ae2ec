import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// What an owner does to an item (edit, withdraw, block days) and the search's word index.
@Suite("Lending: owners edit, withdraw and block; the word index follows", .serialized)
struct LendingOwnerTests {
    func titles(_ app: Application, _ f: LendingFixture, _ query: String) async throws -> [String] {
        let response = try await APIClient(app: app).send(.GET, "\(f.base)/items?\(query)")
        #expect(response.status == .ok, "\(query): \(response.body.string)")
        return (response.json["data"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
    }

    func row(_ app: Application, _ f: LendingFixture, _ id: String) async throws -> LendingItemRow {
        try await LendingStore.item(UUID(uuidString: id), in: try f.coop.requireID(), on: app.db)
    }

    func input(title: String, category: String = "outillage", commune: String = "Rezé") -> LendingStore.ItemInput {
        .init(draft: LendingItemDraft(title: title, category: category, condition: "bon", maximumLoanDays: "7"), commune: commune)
    }

    @Test func theWordIndexFollowsEditsAndWithdrawalsAndAnswersSeveralWords() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3)
            let drill = try await f.item(0, title: "Perceuse à percussion", commune: "Rezé")
            _ = try await f.item(2, title: "Perceuse sans fil", commune: "Nantes")
            let saw = try await f.item(2, title: "Appareil à raclette", category: "cuisine", commune: "Rezé")
            #expect(try await titles(app, f, "q=perceuse+fil&near=Rez%C3%A9&radius=10") == ["Perceuse sans fil"], "every word, through the index")
            let perc = try await titles(app, f, "q=perc&near=Rez%C3%A9&radius=10")
            #expect(perc == ["Perceuse à percussion", "Perceuse sans fil"], "a word's start finds it, once per item, nearest first: \(perc)")
            // act: the owner turns the drill into a mower and moves it to Carquefou (≈ 15 km from Rezé)
            _ = try await LendingStore.updateItem(try await row(app, f, drill), input(title: "Tondeuse thermique", category: "jardinage", commune: "Carquefou"),
                                                  by: try f.users[0].requireID(), on: app.db)
            #expect(try await titles(app, f, "q=perceuse&near=Rez%C3%A9&radius=10") == ["Perceuse sans fil"], "the old words are gone")
            #expect(try await titles(app, f, "q=tondeuse&near=Rez%C3%A9&radius=5").isEmpty, "found where it now is, not where it was")
            #expect(try await titles(app, f, "q=tondeuse&near=Carquefou&radius=5") == ["Tondeuse thermique"])
            // Only the owner edits.
            await #expect(throws: (any Error).self) {
                _ = try await LendingStore.updateItem(try await row(app, f, saw), input(title: "Pas à moi"), by: try f.users[0].requireID(), on: app.db)
            }
            try await LendingStore.withdraw(try await row(app, f, saw), by: try f.users[2].requireID(), coopSlug: f.coop.slug, on: app.db)
            #expect(try await titles(app, f, "q=raclette&near=Rez%C3%A9&radius=10").isEmpty, "a withdrawn item is not found")
            #expect(try await titles(app, f, "q=raclette").isEmpty)
        }
    }

    @Test func withdrawingIsRefusedWhileALoanHoldsDaysAndDeclinesPendingRequests() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 4)
            let item = try await f.item()
            let first = try await f.clients[2].send(.POST, "\(f.base)/items/\(item)/loans", json: #"{"firstDay": "\#(day(3))", "lastDay": "\#(day(4))"}"#)
            let second = try await f.clients[3].send(.POST, "\(f.base)/items/\(item)/loans", json: #"{"firstDay": "\#(day(8))", "lastDay": "\#(day(9))"}"#)
            let accepted = try #require(first.json["id"] as? String), pending = try #require(second.json["id"] as? String)
            #expect(try await f.clients[0].send(.POST, "\(f.base)/loans/\(accepted)/accept").status == .ok)
            let owner = Visitor(app)
            f.users[0].passwordHash = try app.password.hash("un mot de passe solide")
            try await f.users[0].save(on: app.db)
            try await owner.logIn(f.users[0].email, password: "un mot de passe solide")
            let page = "/c/\(f.coop.slug)/lending/items/\(item)"
            #expect(try await owner.get(page).body.string.contains("Retirer l’objet du catalogue"))
            // act: withdraw while a loan is accepted
            let refused = try await owner.post(page + "/withdraw", [])
            #expect(refused.status == .conflict && refused.body.string.contains("annulez-le d’abord"), "a clear reason, in French")
            #expect(try await row(app, f, item).withdrawnAt == nil, "nothing withdrawn")
            #expect(try await f.clients[0].send(.POST, "\(f.base)/loans/\(accepted)/cancel").status == .ok)
            #expect(try await owner.post(page + "/withdraw", []).status == .seeOther)
            #expect(try await row(app, f, item).withdrawnAt != nil)
            let pendingNow = try await f.clients[3].send(.GET, "\(f.base)/loans/\(pending)")
            #expect(pendingNow.json["status"] as? String == "declined", "the pending request is closed")
            #expect(try await Inbox.latest(for: try f.users[3].requireID(), on: app.db).contains { $0.textFR.contains("retiré") }, "and its borrower told")
            let late = try await f.clients[2].send(.POST, "\(f.base)/items/\(item)/loans", json: #"{"firstDay": "\#(day(12))", "lastDay": "\#(day(12))"}"#)
            #expect(late.status == .notFound, "no new request on a withdrawn item")
        }
    }

    @Test func theEditFormKeepsWhatWasTypedAndOnlyTheOwnerSeesIt() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3)
            let item = try await f.item()
            let owner = Visitor(app), other = Visitor(app)
            for (visitor, user) in [(owner, f.users[0]), (other, f.users[2])] {
                user.passwordHash = try app.password.hash("un mot de passe solide")
                try await user.save(on: app.db)
                try await visitor.logIn(user.email, password: "un mot de passe solide")
            }
            let edit = "/c/\(f.coop.slug)/lending/items/\(item)/edit"
            let form = try await owner.get(edit)
            #expect(form.status == .ok && form.body.string.contains("Perceuse à percussion") && form.body.string.contains("30,00"))
            let refused = try await owner.post(edit, [("title", "Perceuse révisée"), ("category", "outillage"), ("condition", "bon"),
                                                      ("maximum_loan_days", "90"), ("commune", "Rezé")])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Perceuse révisée"), "what was typed stays")
            #expect(refused.body.string.contains("Le formulaire n’a pas été enregistré"))
            #expect(try await row(app, f, item).title == "Perceuse à percussion", "nothing saved")
            let saved = try await owner.post(edit, [("title", "Perceuse révisée"), ("category", "outillage"), ("condition", "bon"),
                                                    ("maximum_loan_days", "10"), ("commune", "Rezé")])
            #expect(saved.status == .seeOther)
            #expect(try await row(app, f, item).title == "Perceuse révisée")
            #expect(try await other.get(edit).status == .notFound, "another member cannot edit it")
            try await other.get("/c/\(f.coop.slug)/lending/items/\(item)")
            let stolen = try await other.post(edit, [("title", "Volée"), ("category", "outillage"), ("condition", "bon"),
                                                     ("maximum_loan_days", "10"), ("commune", "Rezé")])
            let kept = try await row(app, f, item).title
            #expect(stolen.status == .notFound && kept == "Perceuse révisée", "\(stolen.status)")
        }
    }

    @Test func blockedDaysShowInTheCalendarAndFeedAndRefuseRequests() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3)
            let item = try await f.item()
            let owner = Visitor(app)
            f.users[0].passwordHash = try app.password.hash("un mot de passe solide")
            try await f.users[0].save(on: app.db)
            try await owner.logIn(f.users[0].email, password: "un mot de passe solide")
            let page = "/c/\(f.coop.slug)/lending/items/\(item)"
            try await owner.get(page) // as a browser does: the form's page first
            let reversed = try await owner.post(page + "/blocks", [("block_first_day", day(5)), ("block_last_day", day(2))])
            #expect(reversed.status == .unprocessableEntity && reversed.body.string.contains(day(5)), "refused, what was typed stays: \(reversed.status) \(reversed.headers.first(name: .location) ?? "")")
            #expect(try await owner.post(page + "/blocks", [("block_first_day", day(2)), ("block_last_day", day(4)), ("reason", "Vacances")]).status == .seeOther)
            let asked = try await f.clients[2].send(.POST, "\(f.base)/items/\(item)/loans", json: #"{"firstDay": "\#(day(3))", "lastDay": "\#(day(6))"}"#)
            #expect(asked.status == .conflict && asked.errorCode == "dates_blocked")
            let feed = try await app.testing().sendRequest(.GET, page + "/availability.ics").body.string
            let unfolded = feed.replacingOccurrences(of: "\r\n ", with: "")
            #expect(unfolded.contains("DTSTART;VALUE=DATE:\(day(2).replacingOccurrences(of: "-", with: ""))"))
            #expect(unfolded.contains("Indisponible") && !unfolded.contains("Vacances"), "the feed shows the block, not its reason")
            let shown = try await owner.get(page).body.string
            #expect(shown.contains("class=\"blocked\"") && shown.contains("Vacances") && shown.contains("Débloquer"))
            let overlap = try await owner.post(page + "/blocks", [("block_first_day", day(4)), ("block_last_day", day(5))])
            #expect(overlap.status == .conflict, "one holder per day, blocks included")
            struct Row: Decodable { var id: UUID }
            let block = try #require(try await app.db.sql.raw("SELECT id FROM item_blocks").first(decoding: Row.self)).id
            #expect(try await owner.post(page + "/blocks/\(block)/remove", []).status == .seeOther)
            let again = try await f.clients[2].send(.POST, "\(f.base)/items/\(item)/loans", json: #"{"firstDay": "\#(day(3))", "lastDay": "\#(day(6))"}"#)
            #expect(again.status == .created, "unblocked days are free again")
        }
    }

    /// An owner blocks days while accepting a request for some of the same days, on twenty items
    /// at once: for each item exactly one of the two holds the days.
    @Test func aBlockAndAnAcceptanceOfTheSameDaysNeverBothSucceed() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3)
            let ownerID = try f.users[0].requireID(), coopID = try f.coop.requireID()
            var pairs: [(LendingItemRow, LoanRow)] = []
            for n in 0..<20 {
                let item = try await f.item(title: "Objet \(n)")
                let asked = try await f.clients[2].send(.POST, "\(f.base)/items/\(item)/loans", json: #"{"firstDay": "\#(day(6))", "lastDay": "\#(day(8))"}"#)
                let loan = try await LendingStore.loan(UUID(uuidString: try #require(asked.json["id"] as? String)), in: coopID, on: app.db)
                pairs.append((try await row(app, f, item), loan))
            }
            let period = try LoanPeriod(firstISO: day(8), lastISO: day(10))
            let db = app.db, slug = f.coop.slug
            let wins = try await withThrowingTaskGroup(of: (Bool, Bool).self, returning: [(Bool, Bool)].self) { group in
                for (item, loan) in pairs {
                    group.addTask {
                        async let blocked: Bool = { do { _ = try await LendingStore.block(item, period: period, reason: "", by: ownerID, on: db); return true } catch { return false } }()
                        async let accepted: Bool = {
                            do { return try await LendingStore.act(.accept, on: loan, by: ownerID, isStaff: false, itemTitle: item.title, coopSlug: slug, db: db).status == "accepted" }
                            catch { return false }
                        }()
                        return (await blocked, await accepted)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(wins.count == 20 && wins.allSatisfy { $0.0 != $0.1 }, "exactly one of block and acceptance per item: \(wins)")
            struct Count: Decodable { var n: Int }
            let doubles = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM (SELECT item_id, day FROM loan_days GROUP BY item_id, day HAVING COUNT(*) > 1) d")
                .first(decoding: Count.self)?.n
            #expect(doubles == 0)
            let held = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM loan_days WHERE day = \(bind: day(8))").first(decoding: Count.self)?.n
            #expect(held == 20, "every item's shared day is held, once")
        }
    }

    @Test(.enabled(if: FoodTests.converterInstalled, "needs ImageMagick (/usr/bin/convert, Debian package imagemagick)"))
    func anItemPhotoIsCheckedShrunkStoredAndServed() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3)
            let item = try await f.item()
            let owner = Visitor(app), other = Visitor(app)
            for (visitor, user) in [(owner, f.users[0]), (other, f.users[2])] {
                user.passwordHash = try app.password.hash("un mot de passe solide")
                try await user.save(on: app.db)
                try await visitor.logIn(user.email, password: "un mot de passe solide")
            }
            let page = "/c/\(f.coop.slug)/lending/items/\(item)"
            try await owner.get(page)
            try await other.get(page)
            func upload(_ visitor: Visitor, _ bytes: Data, type: String) async throws -> TestingHTTPResponse {
                let boundary = "maillage-test-boundary"
                var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(visitor.csrf ?? "")\r\n".utf8)
                body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
                body += bytes + Data("\r\n--\(boundary)--\r\n".utf8)
                return try await app.testing().sendRequest(.POST, page + "/photo", headers: [
                    "Content-Type": "multipart/form-data; boundary=\(boundary)", "Cookie": "maillage_session=\(visitor.cookie ?? "")",
                ], body: ByteBuffer(data: body))
            }
            let fake = try await upload(owner, Data("<?php echo 'not an image'; ?> padding padding".utf8), type: "image/png")
            #expect(fake.status == .unprocessableEntity && fake.body.string.contains("Photo refusée"), "judged by its bytes, not its claimed type")
            let png = try #require(Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="))
            #expect(try await upload(other, png, type: "image/png").status == .notFound, "only the owner adds a photo")
            #expect(try await upload(owner, png, type: "image/png").status == .seeOther)
            let served = try await app.testing().sendRequest(.GET, "/c/\(f.coop.slug)/lending/photos/\(item)")
            #expect(served.status == .ok)
            #expect(served.headers.first(name: .contentType) == "image/jpeg", "re-encoded by ImageMagick")
            #expect(try await Visitor(app).get(page).body.string.contains("/lending/photos/\(item)"), "the item page shows it")
        }
    }

    @Test func staffSetTheShowcaseAndItsItemsMoveWithIt() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3)
            let staff = Visitor(app), member = Visitor(app)
            for (visitor, user) in [(staff, f.users[1]), (member, f.users[2])] {
                user.passwordHash = try app.password.hash("un mot de passe solide")
                try await user.save(on: app.db)
                try await visitor.logIn(user.email, password: "un mot de passe solide")
            }
            let path = "/c/\(f.coop.slug)/lending/showcase"
            #expect(try await member.get(path).status == .forbidden, "members do not set the showcase")
            #expect(try await staff.get(path).status == .ok)
            var fields: [(String, String)] = [("name", "La Vitrine"), ("address", "12 rue Jean-Jaurès"), ("commune", "Rezé"),
                                              ("hours_3", "14:00-18:30"), ("hours_6", "10h-12h30, 14h-16h")]
            let refused = try await staff.post(path, fields + [("hours_1", "9 heures")])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("9 heures") && refused.body.string.contains("14:00-18:30"),
                    "what was typed stays")
            #expect(refused.body.string.contains("Lundi : écrivez les créneaux"))
            #expect(try await staff.post(path, fields).status == .seeOther)
            let saved = try #require(try await LendingStore.showcase(of: try f.coop.requireID(), on: app.db)?.location)
            #expect(saved.hours.text(.en) == "Wednesday 14:00–18:30; Saturday 10:00–12:30, 14:00–16:00")
            // An item kept at the showcase, then the showcase moves to exact coordinates in Nantes.
            let item = try await f.clients[2].send(.POST, "\(f.base)/items", json: #"""
                {"title": "Nettoyeur vapeur", "category": "maison", "condition": "bon", "maximumLoanDays": 7, "commune": "Rezé", "pickup": "vitrine"}
                """#)
            #expect(item.status == .created, "\(item.body.string)")
            fields[2] = ("commune", "Nantes")
            #expect(try await staff.post(path, fields + [("latitude", "47,2150"), ("longitude", "-1.5500")]).status == .seeOther)
            let moved = try #require(try await LendingStore.showcase(of: try f.coop.requireID(), on: app.db))
            #expect(moved.id == saved.id && moved.commune == "Nantes" && moved.lat == 47.215, "changed in place")
            let near = try await APIClient(app: app).send(.GET, "\(f.base)/items?q=nettoyeur&near=Nantes&radius=1")
            #expect((near.json["data"] as? [[String: Any]])?.count == 1, "the item is found where the showcase now is")
            let far = try await staff.post(path, fields + [("latitude", "48.85"), ("longitude", "2.35")])
            #expect(far.status == .unprocessableEntity && far.body.string.contains("30 km"))
        }
    }

    /// The fast path (word index, nearest first in SQL, a page and a margin) answers exactly
    /// what the core's rule answers over every item, for words, prefixes, two words, no word.
    @Test func theIndexedSearchAnswersWhatTheRuleAnswersOverEveryItem() async throws {
        try await withMaillage { app in
            let seeded = try await LendingBenchmarkCommand.seed(items: 1500, on: app.db, console: app.console)
            struct Row: Decodable { var id: UUID; var search_text: String; var category: String; var lat: Double?; var lon: Double? }
            let all = try await app.db.sql.raw("SELECT id, search_text, category, lat, lon FROM lending_items WHERE cooperative_id = \(bind: seeded.coop)")
                .all(decoding: Row.self).map { row in
                    SearchQuery.Candidate(id: row.id, searchText: row.search_text, category: ItemCategory(rawValue: row.category),
                                          position: row.lat.flatMap { lat in row.lon.flatMap { GeoPoint(lat: lat, lon: $0) } })
                }
            #expect(all.count == 1500)
            for (text, commune, radius) in [("perceuse", "Nantes", 5.0), ("perc", "Rezé", 10), ("tente familiale", "Vertou", 20),
                                            ("velo", "Carquefou", 30), ("", "Orvault", 3), ("scie", "Nantes", 60)] {
                let query = try SearchQuery(text: text, centre: GeoPoint(commune: commune), radiusKm: radius)
                let expected = query.rank(all, limit: 20).map(\.id)
                let found = try await LendingStore.search(query, coop: seeded.coop, limit: 20, on: app.db).map(\.0.id)
                #expect(found == expected, "\(text) near \(commune) within \(radius) km")
                #expect(!expected.isEmpty || text == "scie", "the query finds something to compare: \(text)")
            }
        }
    }

    /// The owner withdraws an item while accepting a request for it, on twenty items at once:
    /// never a withdrawn item with an accepted loan, never both refused.
    @Test func aWithdrawalAndAnAcceptanceAtOnceNeverLeaveAnAcceptedLoanOnAWithdrawnItem() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 3)
            let ownerID = try f.users[0].requireID(), coopID = try f.coop.requireID()
            var pairs: [(LendingItemRow, LoanRow)] = []
            for n in 0..<20 {
                let item = try await f.item(title: "Objet \(n)")
                let asked = try await f.clients[2].send(.POST, "\(f.base)/items/\(item)/loans", json: #"{"firstDay": "\#(day(6))", "lastDay": "\#(day(8))"}"#)
                let loan = try await LendingStore.loan(UUID(uuidString: try #require(asked.json["id"] as? String)), in: coopID, on: app.db)
                pairs.append((try await row(app, f, item), loan))
            }
            let db = app.db, slug = f.coop.slug
            let wins = try await withThrowingTaskGroup(of: (Bool, Bool).self, returning: [(Bool, Bool)].self) { group in
                for (item, loan) in pairs {
                    group.addTask {
                        async let withdrawn: Bool = { do { try await LendingStore.withdraw(item, by: ownerID, coopSlug: slug, on: db); return true } catch { return false } }()
                        async let accepted: Bool = {
                            do { return try await LendingStore.act(.accept, on: loan, by: ownerID, isStaff: false, itemTitle: item.title, coopSlug: slug, db: db).status == "accepted" }
                            catch { return false }
                        }()
                        return (await withdrawn, await accepted)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(wins.count == 20 && wins.allSatisfy { $0.0 != $0.1 }, "exactly one of withdrawal and acceptance per item: \(wins)")
            struct Count: Decodable { var n: Int }
            let broken = try await app.db.sql.raw("""
                SELECT COUNT(*) AS n FROM loans l JOIN lending_items i ON i.id = l.item_id
                WHERE i.withdrawn_at IS NOT NULL AND l.status IN ('accepted', 'handed_over')
                """).first(decoding: Count.self)?.n
            #expect(broken == 0, "no accepted loan on a withdrawn item")
        }
    }
}
