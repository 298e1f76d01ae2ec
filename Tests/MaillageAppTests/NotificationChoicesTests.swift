import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// Notifications people choose: in the site only, by mail at once, or in a daily digest, and a
/// one-click way out in every such mail.
@Suite("Notifications: channels, digest, one-click unsubscribe")
struct NotificationChoicesTests {
    static let chloe = "chloe@\(DemoTerritory.domain)"

    func person(_ app: Application, _ email: String = chloe) async throws -> User {
        try #require(try await User.query(on: app.db).filter(\.$email == email).first())
    }

    func outboxRows(to email: String, on db: any Database) async throws -> [OutboxMessage] {
        struct Row: Decodable { var id: UUID; var payload: String; var created_at: Date; var summary: String }
        return try await db.sql.select().columns("id", "payload", "created_at", "summary").from(OutboxTables.messages)
            .where("destination", .equal, SQLBind(email)).orderBy("created_at").all(decoding: Row.self)
            .map { OutboxMessage(id: $0.id, channel: "mail", destination: email, destinationKey: "", summary: $0.summary,
                                 payload: $0.payload, signer: nil, attempts: 0, createdAt: $0.created_at) }
    }

    /// The mail as it would leave, headers included.
    func sentMessages(_ app: Application, to email: String) async throws -> [MailMessage] {
        var messages: [MailMessage] = []
        for row in try await outboxRows(to: email, on: app.db) {
            messages.append(try MailChannel.held.message(for: row, content: try await MailContent.of(payload: row.payload, app: app)))
        }
        return messages
    }

    func header(_ message: MailMessage, _ name: String) -> String? {
        message.headers.first { $0.name == name }?.value
    }

    @Test func aPersonChoosesOnTheAccountPageAndTheAPISeesTheSameChoices() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = try await person(app)
            let visitor = Visitor(app)
            try await visitor.logIn(Self.chloe)
            let account = try await visitor.get("/account")
            #expect(account.body.string.contains("href=\"/account/notifications\""), "the account page leads to the choices")
            let page = try await visitor.get("/account/notifications")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains(#"name="votes" value="mail" checked"#), "a vote opening is mailed at once by default")
            #expect(html.contains(#"name="loans" value="site" checked"#))
            #expect(!html.contains(#"name="orders" value="digest""#), "an order's receipt is not offered in a digest")
            let saved = try await visitor.post("/account/notifications", [("votes", "digest"), ("loans", "mail")])
            #expect(saved.status == .seeOther)
            let again = try await visitor.get("/account/notifications").body.string
            #expect(again.contains(#"name="votes" value="digest" checked"#))
            #expect(again.contains("Vos choix de notifications sont enregistrés."))

            let api = APIClient(app: app, token: try await Tokens.create(for: chloe, name: "t", on: app.db))
            let read = try await api.send(.GET, "/api/v1/me/notification-preferences")
            #expect(read.status == .ok)
            let rows = try #require(read.json["data"] as? [[String: Any]])
            let channels = Dictionary(uniqueKeysWithValues: rows.map { ($0["kind"] as? String ?? "", $0["channel"] as? String ?? "") })
            #expect(channels["votes"] == "digest" && channels["loans"] == "mail" && channels["money"] == "site")
            let put = try await api.send(.PUT, "/api/v1/me/notification-preferences", json: #"{"money": "digest", "votes": "mail"}"#)
            #expect(put.status == .ok, "\(put.body.string)")
            let now = try await NoticeChoices.preferences(of: chloe.requireID(), on: app.db)
            #expect(now.chosen == [.money: .dailyDigest, .loans: .mailAtOnce], "a kind back to its default keeps no row; loans untouched")
            let orders = try await api.send(.PUT, "/api/v1/me/notification-preferences", json: #"{"orders": "digest"}"#)
            #expect(orders.status == .unprocessableEntity && orders.errorCode == "channel_not_offered")
            let unknown = try await api.send(.PUT, "/api/v1/me/notification-preferences", json: #"{"elections": "mail"}"#)
            #expect(unknown.status == .unprocessableEntity && unknown.errorCode == "unknown_kind")
            let channel = try await api.send(.PUT, "/api/v1/me/notification-preferences", json: #"{"votes": "pigeon"}"#)
            #expect(channel.status == .unprocessableEntity && channel.errorCode == "unknown_channel")
            #expect(try await NoticeChoices.preferences(of: chloe.requireID(), on: app.db) == now, "a refused change changes nothing")
            let anonymous = try await APIClient(app: app).send(.GET, "/api/v1/me/notification-preferences")
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test func aNoticeOfAKindMailedAtOnceIsOneMailInTheOutboxWithItsOneClickUnsubscribe() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = try await person(app)
            let before = try await outboxRows(to: Self.chloe, on: app.db).count
            try await Inbox.notify(chloe.requireID(), Localized(fr: "Vote ouvert : « Le local »", en: "Vote opened: “The premises”"),
                                   link: "/c/paniers-de-la-sevre", kind: .votes, on: app.db)
            try await Inbox.notify(chloe.requireID(), Localized(fr: "Un avis sur votre prêt", en: "A review of your loan"),
                                   link: "/c/paniers-de-la-sevre", kind: .loans, on: app.db)
            let messages = try await sentMessages(app, to: Self.chloe)
            #expect(messages.count == before + 1, "the loan's notice stays in the site (its default)")
            let mail = try #require(messages.last)
            #expect(mail.subject == "Vote ouvert : « Le local »" && mail.language == .fr)
            #expect(mail.text.contains("http://127.0.0.1:8080/notifications/"), "the notice's link, absolute")
            let unsubscribe = try #require(header(mail, "List-Unsubscribe"))
            #expect(unsubscribe.hasPrefix("<http://127.0.0.1:8080/unsubscribe/") && unsubscribe.hasSuffix(">"))
            #expect(header(mail, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
            let rendered = try mail.rendered()
            #expect(rendered.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
            // Both notices are in the site's inbox, whatever their channel.
            #expect(try await Inbox.latest(for: chloe.requireID(), on: app.db).prefix(2).map(\.kind) == ["loans", "votes"])
        }
    }

    @Test func aPersonWhoChoseTheSiteOnlyGetsNoMailAndEnglishReadersGetEnglish() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = try await person(app)
            chloe.language = Language.en.rawValue
            try await chloe.save(on: app.db)
            let before = try await outboxRows(to: Self.chloe, on: app.db).count
            try await Inbox.notify(chloe.requireID(), Localized(fr: "Vote ouvert", en: "Vote opened"), link: "/", kind: .votes, on: app.db)
            let mail = try #require(try await sentMessages(app, to: Self.chloe).last)
            #expect(mail.subject == "Vote opened" && mail.language == .en && mail.text.contains("Hello"))
            var preferences = NoticePreferences()
            try preferences.set(.siteOnly, for: .votes)
            try await NoticeChoices.save(preferences, of: chloe.requireID(), on: app.db)
            try await Inbox.notify(chloe.requireID(), Localized(fr: "Vote clos", en: "Vote closed"), link: "/", kind: .votes, on: app.db)
            #expect(try await outboxRows(to: Self.chloe, on: app.db).count == before + 1)
        }
    }

    /// Chloé gathers votes and loans in the digest; two notices came before the cut.
    func twoNoticesForTheDigest(_ app: Application) async throws -> User {
        let chloe = try await person(app)
        var preferences = NoticePreferences()
        try preferences.set(.dailyDigest, for: .votes)
        try preferences.set(.dailyDigest, for: .loans)
        try await NoticeChoices.save(preferences, of: chloe.requireID(), on: app.db)
        // What the demo told her before is read: the digest then holds exactly what follows.
        try await Inbox.markRead(nil, for: chloe.requireID(), on: app.db)
        try await Inbox.notify(chloe.requireID(), Localized(fr: "Vote ouvert : « Le local »", en: "Vote opened"), link: "/c/paniers-de-la-sevre", kind: .votes, on: app.db)
        try await Inbox.notify(chloe.requireID(), Localized(fr: "Votre prêt est accepté", en: "Loan accepted"), link: "/c/preterie-de-reze", kind: .loans, on: app.db)
        try await Inbox.notify(chloe.requireID(), Localized(fr: "Un versement", en: "A payment"), link: "/", kind: .money, on: app.db)
        return chloe
    }

    @Test func theDigestJobSendsOneMailListingWhatCameAndNotASecondTime() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = try await twoNoticesForTheDigest(app)
            let before = try await outboxRows(to: Self.chloe, on: app.db).count
            let schedule = DigestSchedule(period: 1)
            let later = Date().addingTimeInterval(2)
            #expect(try await DailyDigest.run(schedule, now: later, on: app.db) == 1)
            let messages = try await sentMessages(app, to: Self.chloe)
            #expect(messages.count == before + 1, "no mail at once for a kind in the digest")
            let digest = try #require(messages.last)
            #expect(digest.subject == "Votre résumé Maillage : 2 nouveautés")
            #expect(digest.text.contains("Vote ouvert : « Le local »") && digest.text.contains("Votre prêt est accepté"))
            #expect(!digest.text.contains("Un versement"), "money stays in the site")
            let today = DateText.longDay(LocalZone.paris.localDate(at: Date()), .fr)
            #expect(digest.text.contains(today.prefix(1).uppercased() + today.dropFirst()), "the day is written in French: \(today)")
            let unsubscribe = try #require(header(digest, "List-Unsubscribe"))
            let token = String(unsubscribe.dropFirst("<http://127.0.0.1:8080/unsubscribe/".count).dropLast())
            #expect(NoticeMails.verified(token)?.kinds == [.votes, .loans], "the digest's link turns off the kinds it lists")
            #expect(header(digest, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
            // The same cut again, or a later one with nothing new: no mail.
            #expect(try await DailyDigest.run(schedule, now: later, on: app.db) == 0)
            #expect(try await DailyDigest.run(schedule, now: later.addingTimeInterval(5), on: app.db) == 0)
            #expect(try await outboxRows(to: Self.chloe, on: app.db).count == before + 1)
            let listed = try await Notice.query(on: app.db).filter(\.$user.$id == chloe.requireID()).filter(\.$digestID != nil).count()
            #expect(listed == 2)
        }
    }

    @Test func aNoticeReadInTheSiteOrComingAfterTheCutWaits() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = try await twoNoticesForTheDigest(app)
            try await Inbox.markRead(nil, for: chloe.requireID(), on: app.db)
            let before = try await outboxRows(to: Self.chloe, on: app.db).count
            #expect(try await DailyDigest.run(DigestSchedule(period: 1), now: Date().addingTimeInterval(2), on: app.db) == 0,
                    "everything was read in the site: nothing new to mail")
            try await Inbox.notify(chloe.requireID(), Localized(fr: "Vote clos", en: "Vote closed"), link: "/", kind: .votes, on: app.db)
            #expect(try await DailyDigest.run(DigestSchedule.daily, now: Date(), on: app.db) == 0, "after today's 7:00 cut: tomorrow's digest")
            #expect(try await outboxRows(to: Self.chloe, on: app.db).count == before)
        }
    }

    @Test func twoDigestRunsAtOnceSendOneMail() async throws {
        try await withMaillage(demo: true) { app in
            _ = try await twoNoticesForTheDigest(app)
            let before = try await outboxRows(to: Self.chloe, on: app.db).count
            let schedule = DigestSchedule(period: 1), later = Date().addingTimeInterval(2)
            async let first = DailyDigest.run(schedule, now: later, on: app.db)
            async let second = DailyDigest.run(schedule, now: later, on: app.db)
            async let third = DailyDigest.run(schedule, now: later, on: app.db)
            let sent = try await [first, second, third]
            #expect(sent.reduce(0, +) == 1, "\(sent)")
            #expect(try await outboxRows(to: Self.chloe, on: app.db).count == before + 1)
        }
    }

    @Test func theMailsLinkUnsubscribesWithoutLoginByPageOrOneClick() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = try await person(app)
            var preferences = NoticePreferences()
            try preferences.set(.dailyDigest, for: .money)
            try await NoticeChoices.save(preferences, of: chloe.requireID(), on: app.db)
            try await Inbox.notify(chloe.requireID(), Localized(fr: "Vote ouvert", en: "Vote opened"), link: "/", kind: .votes, on: app.db)
            let mail = try #require(try await sentMessages(app, to: Self.chloe).last)
            let url = try #require(header(mail, "List-Unsubscribe")).dropFirst().dropLast()
            let path = try #require(URLComponents(string: String(url))?.path)

            let stranger = Visitor(app)
            let page = try await stranger.get(path)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Votes") && page.body.string.contains("Ne plus les recevoir par courriel"))
            #expect(try await NoticeChoices.channel(of: chloe.requireID(), for: .votes, on: app.db) == .mailAtOnce, "opening the page changes nothing")

            // A mail program's one-click: no cookie, no CSRF token.
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let oneClick = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(oneClick.status == .ok)
            let after = try await NoticeChoices.preferences(of: chloe.requireID(), on: app.db)
            #expect(after.channel(for: .votes) == .siteOnly)
            #expect(after.channel(for: .money) == .dailyDigest, "only the mail's kind changes")
            let twice = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(twice.status == .ok, "a second click is no error")
            #expect(try await NoticeChoices.preferences(of: chloe.requireID(), on: app.db) == after)
        }
    }

    @Test func aTamperedOrForeignUnsubscribeLinkIsAClear404NeverA500() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = try await person(app)
            let alice = try await person(app, "alice@\(DemoTerritory.domain)")
            let good = try NoticeMails.token(UnsubscribeLink(user: chloe.requireID(), kinds: [.votes]))
            let parts = good.split(separator: ".").map(String.init)
            let aliceID = try alice.requireID().uuidString.lowercased()
            let forged = [
                "\(aliceID).\(parts[1]).\(parts[2])",   // Chloé's signature on Alice's id
                "\(parts[0]).votes-money.\(parts[2])",  // more kinds than signed
                "\(parts[0]).\(parts[1]).\(parts[2].dropLast())\(parts[2].hasSuffix("A") ? "E" : "A")", // a changed signature (never the same last letter)
                "not-a-token", "\(parts[0]).votes", "..",
            ]
            for token in forged {
                for method in [HTTPMethod.GET, .POST] {
                    let response = try await app.testing().sendRequest(method, "/unsubscribe/\(token)")
                    #expect(response.status == .notFound, "\(method) \(token): \(response.status)")
                    if method == .GET { #expect(response.body.string.contains("Ce lien de désabonnement n’est pas valide")) }
                }
            }
            #expect(try await NoticeChoices.preferences(of: alice.requireID(), on: app.db) == NoticePreferences())
        }
    }

    @Test func erasingTheAccountRemovesItsChoicesAndDigests() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = try await twoNoticesForTheDigest(app)
            #expect(try await DailyDigest.run(DigestSchedule(period: 1), now: Date().addingTimeInterval(2), on: app.db) == 1)
            try await Erasure.erase(chloe, on: app.db)
            for table in [NoticeChoices.table, DailyDigest.table] {
                let rows = try await app.db.sql.select().column("id").from(table).where("user_id", .equal, SQLBind(chloe.requireID())).all()
                #expect(rows.isEmpty, "\(table)")
            }
            let token = try NoticeMails.token(UnsubscribeLink(user: chloe.requireID(), kinds: [.votes]))
            #expect(try await app.testing().sendRequest(.POST, "/unsubscribe/\(token)").status == .notFound, "no choice comes back for an erased person")
        }
    }

    @Test func theShopsReceiptFollowsTheOrdersChoice() async throws {
        try await withMaillage(demo: true) { app in
            let email = "farid@\(DemoTerritory.domain)"
            let farid = try await person(app, email)
            let visitor = Visitor(app)
            try await visitor.logIn(email)
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            let cycle = try #require(try await FoodCycles.open(in: coop.requireID(), on: app.db).first)
            let offers = try await FoodCycles.offers(of: cycle.id, on: app.db)
            let point = try #require(try await FoodCycles.points(of: cycle, on: app.db).first)
            let base = "/c/paniers-de-la-sevre/food/cycles/\(cycle.id)"
            func order() async throws {
                try await visitor.get(base)
                #expect(try await visitor.post(base + "/cart", [("variant", offers[0].variantID.uuidString), ("quantity", "1"), ("mode", "add")]).status == .seeOther)
                let placed = try await visitor.post(base + "/checkout", [("fulfilment", "pickup:\(point.id.uuidString):\(point.slots[0].id.uuidString)"), ("payment", "atPickup")])
                let orderPath = try #require(placed.headers.first(name: .location))
                try await visitor.get(orderPath)
                #expect(try await visitor.post(orderPath + "/confirm", []).status == .seeOther)
            }
            // setup: orders in the site only
            try await visitor.get("/account/notifications")
            let saved = try await visitor.post("/account/notifications", [("orders", "site")])
            #expect(saved.status == .seeOther)
            let before = try await visitor.mailsTo(email).count
            // act, check
            try await order()
            #expect(try await visitor.mailsTo(email).count == before, "no receipt for a shopper who chose the site only")
            try await NoticeChoices.save(NoticePreferences(), of: farid.requireID(), on: app.db)
            try await order()
            let mails = try await visitor.mailsTo(email)
            #expect(mails.count == before + 1 && mails.last?.subject.hasPrefix("Commande n° ") == true, "the default: a receipt at once")
        }
    }
}
