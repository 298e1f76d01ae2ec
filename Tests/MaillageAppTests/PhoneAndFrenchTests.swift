import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import Plot
import SQLKit
import Testing
import VaporTesting

/// Pages as French readers and screen-reader users meet them: every shop field named after its
/// product, numbers with a decimal comma, counted words without "(s)".
@Suite("Phones, French text and plain words")
struct PhoneAndFrenchTests {
    /// The values of `attribute="…"` in a page, in order.
    static func values(of attribute: String, in html: String) -> [String] {
        html.components(separatedBy: "\(attribute)=\"").dropFirst().compactMap { $0.split(separator: "\"", maxSplits: 1).first.map(String.init) }
    }

    /// The texts of the visually hidden labels of a page.
    static func hiddenLabels(in html: String) -> [String] {
        html.components(separatedBy: "class=\"visually-hidden\">").dropFirst().compactMap { $0.split(separator: "<", maxSplits: 1).first.map(String.init) }
    }

    @Test func everyShopQuantityAndAddButtonNamesItsProduct() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            let cycle = try #require(try await FoodCycles.open(in: try coop.requireID(), on: app.db).first)
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            let page = try await alice.get("/c/paniers-de-la-sevre/food/cycles/\(cycle.id)")
            #expect(page.status == .ok)
            let html = page.body.string
            let quantities = Self.hiddenLabels(in: html).filter { $0.hasPrefix("Quantité de ") }
            let buttons = Self.values(of: "aria-label", in: html).filter { $0.hasPrefix("Ajouter ") }
            #expect(quantities.count > 1 && buttons.count == quantities.count, "\(quantities.count) fields, \(buttons.count) buttons")
            #expect(Set(quantities).count == quantities.count, "no two quantity fields share a label: \(quantities)")
            #expect(Set(buttons).count == buttons.count, "no two add buttons share a name")
            #expect(buttons.allSatisfy { $0.hasSuffix(" au panier") })
            #expect(!html.contains("produit(s)") && !html.contains("disponible(s)"))
        }
    }

    @Test func membersAreCountedInWords() async throws {
        try await withMaillage(demo: true) { app in
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            let page = try await alice.get("/c/paniers-de-la-sevre/manage")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("sociétaires actifs ·") || html.contains("1 sociétaire actif ·"))
            #expect(!html.contains("1 sociétaires"))
        }
    }

    @Test func feesArePrintedWithADecimalComma() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            let cycle = try #require(try await FoodCycles.open(in: try coop.requireID(), on: app.db).first)
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            let page = try await alice.get("/c/paniers-de-la-sevre/food/manage/cycles/\(cycle.id)")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.range(of: #"<dd>\d+,\d\d&nbsp;%</dd>|<dd>\d+,\d\d\x{00A0}%</dd>"#, options: .regularExpression) != nil, "the fee reads 8,00 %")
            #expect(html.range(of: #"\d+\.\d\d ?%"#, options: .regularExpression) == nil, "no decimal point before a percent sign")
        }
    }

    @Test func openingANotificationMarksItReadAndLeadsToItsPage() async throws {
        try await withMaillage(demo: true) { app in
            let alice = try #require(try await User.query(on: app.db).filter(\.$email == "alice@demo.maillage.coop").first())
            try await Inbox.notify(try alice.requireID(), Localized(fr: "Un mot pour vous", en: "A word for you"), link: "/c/paniers-de-la-sevre", kind: .messages, on: app.db)
            let notice = try #require(try await Inbox.latest(for: try alice.requireID(), on: app.db).first)
            let id = try notice.requireID()

            let chloe = Visitor(app)
            try await chloe.logIn("chloe@demo.maillage.coop")
            #expect(try await chloe.get("/notifications/\(id)/open").status == .notFound, "another's notice is not found")
            #expect(try await Notice.find(id, on: app.db)?.readAt == nil, "and someone else's visit changes nothing")

            let visitor = Visitor(app)
            try await visitor.logIn("alice@demo.maillage.coop")
            let home = try await visitor.get("/account").body.string
            #expect(home.contains("href=\"/notifications/\(id.uuidString)/open\""), "the notice's link goes through its opening")
            #expect(home.contains("Aujourd’hui"), "the list is grouped by day")
            let opened = try await visitor.get("/notifications/\(id)/open")
            #expect(opened.status == .seeOther && opened.headers.first(name: .location) == "/c/paniers-de-la-sevre")
            #expect(try await Notice.find(id, on: app.db)?.readAt != nil)
            let again = try await visitor.get("/notifications/\(id)/open")
            #expect(again.status == .seeOther, "opening it twice is harmless")
        }
    }

    @Test func apiTokensAreFoldedUnderAdvanced() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            try await visitor.logIn("alice@demo.maillage.coop")
            let home = try await visitor.get("/account").body.string
            #expect(home.contains("<details class=\"advanced\" id=\"tokens\">"), "closed until asked for")
            #expect(home.contains("Avancé"))
        }
    }

    @Test func signingUpFromACooperativeLandsBackOnIt() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            let page = try await visitor.get("/c/paniers-de-la-sevre").body.string
            #expect(page.contains("href=\"/signup?next=/c/paniers-de-la-sevre\""), "the cooperative's page offers to sign up")
            let form = try await visitor.get("/signup?next=/c/paniers-de-la-sevre").body.string
            #expect(form.contains("name=\"next\" value=\"/c/paniers-de-la-sevre\""))
            let sent = try await visitor.post("/signup", [("email", "nina@example.org"), ("display_name", "Nina"),
                                                          ("password", "un mot de passe solide"), ("next", "/c/paniers-de-la-sevre")])
            #expect(sent.status == .seeOther && sent.headers.first(name: .location) == "/signup/sent?next=%2Fc%2Fpaniers%2Dde%2Dla%2Dsevre")
            let mail = try #require(try await visitor.mailsTo("nina@example.org").last { $0.subject.hasPrefix("Confirmez") })
            let url = try #require(mail.action.flatMap { URLComponents(string: $0.url) })
            let link = url.path + "?" + (url.percentEncodedQuery ?? "")
            #expect(url.queryItems?.first { $0.name == "next" }?.value == "/c/paniers-de-la-sevre", "the mailed link carries the way back")
            let confirmPage = try await visitor.get(link).body.string
            #expect(confirmPage.contains("action=\"\(url.path)?next="))
            let confirmed = try await visitor.post(link, [])
            #expect(confirmed.status == .seeOther && confirmed.headers.first(name: .location) == "/c/paniers-de-la-sevre")

            // A way back that leads off the site is dropped.
            let other = Visitor(app)
            let elsewhere = try await other.post("/signup", [("email", "omar@example.org"), ("display_name", "Omar"),
                                                             ("password", "un mot de passe solide"), ("next", "//evil.example/")])
            #expect(elsewhere.headers.first(name: .location) == "/signup/sent")
        }
    }

    @Test func theDirectorySearchFoldsAccents() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            let found = try await visitor.get("/?q=preterie").body.string
            #expect(found.contains("La Prêterie de Rezé") && !found.contains("Coursiers Nantais"))
            #expect(found.contains("1 plateforme<"), "one platform, in the singular")
            let byTown = try await visitor.get("/?q=REZE").body.string
            #expect(byTown.contains("La Prêterie de Rezé"), "the commune is searched too")
            let none = try await visitor.get("/?q=zorglub").body.string
            #expect(none.contains("Aucune plateforme ne correspond"))
        }
    }

    @Test func productsAreListedInFrenchOrderOnBothEngines() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            let coopID = try coop.requireID()
            let cycle = try #require(try await FoodCycles.open(in: coopID, on: app.db).first)
            let gaelle = try #require(try await User.query(on: app.db).filter(\.$email == "gaelle@\(DemoTerritory.domain)").first()?.id)
            let producer = try #require(try await FoodCatalogStore.producer(user: gaelle, in: coopID, on: app.db))
            let names = ["Zorglub cuisses", "Zorglub Écoles", "Zorglub céleri", "Zorglub eau", "Zorglub Abricots"]
            let rows = names.map { name in
                FoodBulkProducts.Row(producerID: producer.id, producerName: producer.name, name: name, category: "Légumes",
                                     label: "1 kg", quantityThousandths: 1000, priceCents: 300)
            }
            try await FoodBulkProducts.insert(rows, cooperative: coopID, on: app.db)
            try await FoodCycles.insertOffers(rows.map { CycleOffer(variantID: $0.variant, productID: $0.product, producerID: $0.producerID) },
                                              cycle: cycle.id, on: app.db)
            let french = ["Zorglub Abricots", "Zorglub céleri", "Zorglub cuisses", "Zorglub eau", "Zorglub Écoles"]
            let shop = try await FoodShopfront.page(cycle: cycle.id, .init(text: "zorglub"), on: app.db)
            #expect(shop.items.map(\.name) == french, "the shopfront: Céleri before Cuisses, Écoles after Eau")
            let catalogue = try await FoodCatalogStore.products(of: producer.id, on: app.db).map(\.name).filter { $0.hasPrefix("Zorglub") }
            #expect(catalogue == french, "the producer's catalogue")
            // The key is written with the row, and copied into the cycle's listing.
            struct Key: Decodable { var sort_name: String }
            let key = try await app.db.sql.raw("SELECT sort_name FROM food_cycle_products WHERE product_id = \(bind: rows[1].product)").first(decoding: Key.self)
            #expect(key?.sort_name == "zorglub ecoles")
            // The coordinator's cycle page, in the same order; each "OK" names its product.
            let alice = Visitor(app)
            try await alice.logIn("alice@\(DemoTerritory.domain)", password: DemoTerritory.password)
            let page = try await alice.get("/c/paniers-de-la-sevre/food/manage/cycles/\(cycle.id)").body.string
            let positions = french.compactMap { name in page.range(of: "<td data-label=\"Produit\">\(name) — 1 kg")?.lowerBound }
            #expect(positions.count == french.count && positions == positions.sorted(), "the cycle page: Céleri before Cuisses")
            #expect(page.contains("OK<span class=\"visually-hidden\"> — Zorglub céleri — 1 kg</span>"))
        }
    }

    @Test func aWideTableIsLabelledForPhones() {
        let table: Node<HTML.BodyContext> = .table(.caption(.text("Comptes")),
            .thead(.tr(.th(.text("Nom")), .th(.class("num"), .text("Solde « réel »")), .th(.text("Action")))),
            .tbody(.tr(.td(.text("Alice")), .td(.class("num"), .text("3,00")), .td(.form(.button(.text("Voir"))))),
                   .tr(.td(.text("Bruno")), .td(.class("num"), .text("4,00")), .td(.text("—")))))
        let html = StackedTable.labelled(table.render())
        #expect(html.hasPrefix("<table class=\"stack\">"))
        #expect(html.contains("<td data-label=\"Nom\">Alice</td><td data-label=\"Solde « réel »\" class=\"num\">3,00</td><td data-label=\"Action\"><form>"))
        #expect(html.components(separatedBy: "data-label=\"Nom\"").count == 3, "every row")
        #expect(html.contains("<thead><tr><th>Nom</th>"), "the headers stay as they are")
    }

    @Test func exportsNameTheInstanceZone() async throws {
        try await withMaillage(demo: true) { app in
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            let money = try await alice.get("/c/paniers-de-la-sevre/money").body.string
            let link = try #require(Self.values(of: "href", in: money).first { $0.contains("/money/") && !$0.hasSuffix("/money/") }, "an account's statement")
            let csv = try await alice.get(link + "/statement.csv").body.string
            #expect(csv.hasPrefix("\u{FEFF}Date (Europe/Paris),Référence,Libellé"), "\(csv.prefix(80))")
            #expect(csv.range(of: #"\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,"#, options: .regularExpression) != nil, "civil times a spreadsheet reads")
        }
    }

    @Test func activeMembersAreListedInFrenchOrder() async throws {
        try await withMaillage(demo: true) { app in
            let alice = Visitor(app)
            try await alice.logIn("alice@demo.maillage.coop")
            let html = try await alice.get("/c/paniers-de-la-sevre/manage").body.string
            let section = try #require(html.components(separatedBy: "id=\"members-title\"").last)
            let names = section.components(separatedBy: "<tr><td data-label=\"").dropFirst().compactMap { row in
                row.split(separator: ">", maxSplits: 1).last.flatMap { $0.split(separator: "<", maxSplits: 1).first }.map(String.init)
            }
            #expect(names.count > 3, "\(names)")
            #expect(names == names.sorted { SearchText.sortKey($0) < SearchText.sortKey($1) }, "\(names)")
        }
    }
}
