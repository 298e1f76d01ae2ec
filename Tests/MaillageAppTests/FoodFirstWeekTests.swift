import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// What a new cooperative's members meet in the food shop during its first week: stock said at
/// once and by name, member credit that does not cover a basket, a person not yet a member,
/// figures that agree from page to page, the forms' answers and the questions asked first.
@Suite("Food: a cooperative's first week", .serialized)
struct FoodFirstWeekTests {
    static let password = "un mot de passe solide"
    /// The shop every test sets up, and its helpers (`FoodTests`).
    let food = FoodTests()
    typealias Shop = FoodTests.Shop

    func shop(_ app: Application, shoppers count: Int, stock: Int = 40) async throws -> Shop {
        try await food.shop(app, shoppers: count, stock: stock)
    }

    func variantRow(_ app: Application, _ id: UUID) async throws -> VariantRow { try await food.variantRow(app, id) }

    func count(_ app: Application, _ sql: SQLQueryString) async throws -> Int { try await food.count(app, sql) }

    /// Signs `user` in through the login page.
    func signIn(_ app: Application, _ user: User) async throws -> Visitor {
        user.passwordHash = try app.password.hash(Self.password)
        try await user.save(on: app.db)
        let visitor = Visitor(app)
        try await visitor.logIn(user.email, password: Self.password)
        return visitor
    }

    /// The page a 303 leads to (where a notice is shown once).
    func follow(_ visitor: Visitor, _ response: TestingHTTPResponse) async throws -> String {
        #expect(response.status == .seeOther, "\(response.status) \(response.body.string.prefix(600))")
        return try await visitor.get(try #require(response.headers.first(name: .location))).body.string
    }

    func cartQuantity(_ app: Application, _ user: User, _ shop: Shop) async throws -> Int {
        try await FoodCart.lines(user: user.requireID(), cycle: shop.cycle.id, on: app.db).first { $0.variantID == shop.variant }?.quantity ?? 0
    }

    /// The figures of the offers table's row for `name`: price, stock, left, held, sold.
    func offerRow(_ html: String, _ name: String) throws -> [String] {
        let start = try #require(html.range(of: ">\(name)</td>"), "a row for \(name)")
        let end = try #require(html.range(of: "</tr>", range: start.upperBound..<html.endIndex))
        let row = String(html[start.upperBound..<end.lowerBound])
        // A cell may carry its column's name for phones (data-label) before its class.
        let cells = row.components(separatedBy: #"class="num">"#).dropFirst().map { cell in
            String(cell.prefix { $0 != "<" })
        }
        return cells
    }

    // MARK: 1. Stock, at once and by name

    @Test func addingMoreThanIsLeftIsRefusedAtOnceAndEveryStockMessageNamesTheProduct() async throws {
        try await withMaillage { app in
            let shop = try await shop(app, shoppers: 2, stock: 3)
            let shopper = shop.shoppers[0]
            let visitor = try await signIn(app, shopper)
            let base = "/c/\(shop.coop.slug)/food/cycles/\(shop.cycle.id)"
            try await visitor.get(base)
            let added = try await visitor.post(base + "/cart", [("variant", shop.variant.uuidString), ("quantity", "2"), ("mode", "add")])
            #expect(try await follow(visitor, added).contains("Ajouté au panier : 2 × « Pommes — 1 kg » (2 en tout)."), "the page says what was added")

            let tooMany = try await visitor.post(base + "/cart", [("variant", shop.variant.uuidString), ("quantity", "2"), ("mode", "add")])
            #expect(tooMany.status == .conflict)
            #expect(tooMany.body.string.contains("Plus que 3 « Pommes — 1 kg » en stock et votre panier en a déjà 2 : vous pouvez en ajouter 1 au plus."),
                    "\(tooMany.body.string.prefix(3000))")
            #expect(tooMany.body.string.contains("Voir mon panier"), "the shopfront is shown again, with a way to the basket")
            #expect(try await cartQuantity(app, shopper, shop) == 2, "nothing was added")

            try await visitor.get(base + "/cart")
            let set = try await visitor.post(base + "/cart", [("variant", shop.variant.uuidString), ("quantity", "5"), ("mode", "set")])
            #expect(set.status == .conflict && set.body.string.contains("Plus que 3 « Pommes — 1 kg » en stock : choisissez 3 au plus."))
            #expect(set.body.string.contains("Mon panier"), "said on the basket page")
            let three = try await visitor.post(base + "/cart", [("variant", shop.variant.uuidString), ("quantity", "3"), ("mode", "set")])
            #expect(try await follow(visitor, three).contains("Quantité de « Pommes — 1 kg » : 3."))

            // The API: the usual error shape, the product named.
            let api = try await shop.clients[1].send(.POST, shop.path + "/cycles/\(shop.cycle.id)/orders", json: shop.checkoutBody(quantity: 4))
            #expect(api.status == .conflict && api.errorCode == "out_of_stock")
            let message = try #require((api.json["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("Pommes — 1 kg") && message.contains("3"), "\(message)")

            // Someone else buys two: the basket of three is refused at checkout, by name.
            #expect(try await shop.clients[1].send(.POST, shop.path + "/cycles/\(shop.cycle.id)/orders", json: shop.checkoutBody(quantity: 2)).status == .created)
            try await visitor.get(base + "/cart")
            let checkout = try await visitor.post(base + "/checkout", [("fulfilment", "pickup:\(shop.point.id.uuidString):\(shop.point.slots[0].id.uuidString)"),
                                                                       ("payment", "atPickup")])
            #expect(checkout.status == .conflict)
            #expect(checkout.body.string.contains("Plus que 1 « Pommes — 1 kg » en stock : choisissez 1 au plus."), "\(checkout.body.string.prefix(3000))")
            #expect(try await variantRow(app, shop.variant).reserved == 0, "a refused checkout holds nothing")
        }
    }

    // MARK: 2. Member credit that does not cover the basket

    @Test func memberCreditThatDoesNotCoverTheBasketIsRefusedAtOnceWithAnotherWayToPay() async throws {
        try await withMaillage { app in
            let shop = try await shop(app, shoppers: 1, stock: 10)
            let shopper = shop.shoppers[0]
            let visitor = try await signIn(app, shopper)
            let base = "/c/\(shop.coop.slug)/food/cycles/\(shop.cycle.id)"
            let pickup = "pickup:\(shop.point.id.uuidString):\(shop.point.slots[0].id.uuidString)"
            try await visitor.get(base)
            _ = try await visitor.post(base + "/cart", [("variant", shop.variant.uuidString), ("quantity", "2"), ("mode", "add")])
            let cart = try await visitor.get(base + "/cart").body.string
            #expect(cart.contains("insuffisant pour ce panier"), "0 € of credit is offered greyed out, with the reason")
            #expect(cart.contains(#"id="pay-credit" name="payment" value="memberCredit" disabled="disabled""#), "\(cart)")

            // Sent anyway (an old page, or a hand-made form): refused before anything is held.
            let refused = try await visitor.post(base + "/checkout", [("fulfilment", pickup), ("payment", "memberCredit")])
            #expect(refused.status == .conflict)
            let page = refused.body.string
            #expect(page.contains("Votre avoir ne suffit pas"))
            #expect(page.contains(#"id="pay-pickup" name="payment" value="atPickup" checked"#), "the form is ready with another way to pay")
            #expect(page.contains(#"value="\#(pickup)" checked"#), "the pickup chosen is kept")
            #expect(page.contains("Pommes — 1 kg"), "the basket is still there")
            #expect(try await count(app, "food_orders") == 0, "no order is placed")
            #expect(try await variantRow(app, shop.variant).reserved == 0, "nothing is held")
            // The other way to pay, from the same form.
            let placed = try await visitor.post(base + "/checkout", [("fulfilment", pickup), ("payment", "atPickup")])
            #expect(try await follow(visitor, placed).contains("Vos produits sont réservés jusqu’à"))

            // The API refuses a basket to be paid from credit at once too, with the usual shape.
            let api = try await shop.clients[0].send(.POST, shop.path + "/cycles/\(shop.cycle.id)/orders",
                                                     json: shop.checkoutBody(quantity: 1, payment: "memberCredit", confirm: false))
            #expect(api.status == .conflict && api.errorCode == "insufficient_credit" && api.errorField == "payment")
        }
    }

    /// Credit spent between checkout and confirmation: the order page offers to release the hold
    /// and go back to the basket, intact, to pay another way.
    @Test func creditSpentBeforeConfirmingLeadsBackToTheBasketToPayAnotherWay() async throws {
        try await withMaillage { app in
            let shop = try await shop(app, shoppers: 1, stock: 10)
            let shopper = shop.shoppers[0]
            let coopID = try shop.coop.requireID()
            let clearing = try await AccountBook.open(.clearing, cooperative: coopID, on: app.db)
            let wallet = try await AccountBook.open(.wallet, cooperative: coopID, user: shopper.requireID(), on: app.db)
            try await LedgerStore.post(Posting(transfer: Transfer(debit: AccountID(clearing.id), credit: AccountID(wallet.id), amount: .euros(cents: 1_000),
                                                                  memo: "Virement", time: Date()), cooperative: coopID, category: .topUp), on: app.db)
            let visitor = try await signIn(app, shopper)
            let base = "/c/\(shop.coop.slug)/food/cycles/\(shop.cycle.id)"
            try await visitor.get(base)
            _ = try await visitor.post(base + "/cart", [("variant", shop.variant.uuidString), ("quantity", "2"), ("mode", "add")])
            try await visitor.get(base + "/cart")
            let placed = try await visitor.post(base + "/checkout", [("fulfilment", "pickup:\(shop.point.id.uuidString):\(shop.point.slots[0].id.uuidString)"),
                                                                     ("payment", "memberCredit")])
            let orderPath = try #require(placed.headers.first(name: .location))
            try await visitor.get(orderPath)
            try await LedgerStore.post(Posting(transfer: Transfer(debit: AccountID(wallet.id), credit: AccountID(clearing.id), amount: .euros(cents: 1_000),
                                                                  memo: "Remboursement", time: Date()), cooperative: coopID, category: .topUp), on: app.db)
            let short = try await visitor.post(orderPath + "/confirm", [])
            #expect(short.status == .conflict && short.body.string.contains("Votre avoir ne suffit pas"))
            #expect(short.body.string.contains("Payer autrement : revenir au panier"))
            let back = try await visitor.post(orderPath + "/cancel", [("confirmed", "yes"), ("then", "cart")])
            let cart = try await follow(visitor, back)
            #expect(cart.contains("Réservation levée ; votre panier est intact"))
            #expect(try await cartQuantity(app, shopper, shop) == 2, "the basket is kept")
            #expect(try await variantRow(app, shop.variant).reserved == 0, "the hold is given back")
        }
    }

    // MARK: 3. A person who is not (yet) a member

    @Test func aSignedInPersonWhoIsNotAMemberSeesWhyAndTheWayToJoin() async throws {
        try await withMaillage { app in
            let shop = try await shop(app, shoppers: 1)
            let stranger = User(email: "voisine@example.org", passwordHash: "x", displayName: "Voisine")
            try await stranger.create(on: app.db)
            let visitor = try await signIn(app, stranger)
            let slug = shop.coop.slug
            let join = #"href="/c/\#(slug)#join-title""#
            let home = try await visitor.get("/c/\(slug)/food")
            #expect(home.status == .ok && home.body.string.contains("Seuls les sociétaires de Paniers des Tests peuvent commander") && home.body.string.contains(join))
            let base = "/c/\(slug)/food/cycles/\(shop.cycle.id)"
            let front = try await visitor.get(base)
            #expect(front.status == .ok && front.body.string.contains(join), "the shopfront says it too")
            #expect(!front.body.string.contains(#"name="mode" value="add""#), "and offers no basket form")
            for path in [base + "/cart", "/c/\(slug)/food/orders"] {
                let page = try await visitor.get(path)
                #expect(page.status == .forbidden && page.body.string.contains("Commander est réservé aux sociétaires") && page.body.string.contains(join), "\(path)")
            }
            let add = try await visitor.post(base + "/cart", [("variant", shop.variant.uuidString), ("quantity", "1"), ("mode", "add")])
            #expect(add.status == .forbidden && add.body.string.contains(join))
            #expect(try await count(app, "food_cart_lines") == 0)

            // Once asked, the page says the request waits for the board.
            let membership = Membership()
            membership.$cooperative.id = try shop.coop.requireID()
            membership.$user.id = try stranger.requireID()
            membership.shares = 0
            membership.role = MemberRole.member.rawValue
            membership.status = MembershipStatus.pending.rawValue
            membership.message = ""
            try await membership.create(on: app.db)
            #expect(try await visitor.get(base).body.string.contains("attend la décision du conseil"))
        }
    }

    // MARK: 4. One figure, one function

    /// Orders in every state, in two cycles sharing the producer's stock: the cycle's page, its
    /// reports and the API say the same.
    @Test func soldIsTheSameFigureOnTheCyclePageTheReportsAndTheAPI() async throws {
        try await withMaillage { app in
            let shop = try await shop(app, shoppers: 3, stock: 40)
            let orders = shop.path + "/cycles/\(shop.cycle.id)/orders"
            let kept = try await shop.clients[0].send(.POST, orders, json: shop.checkoutBody(quantity: 2))
            #expect(kept.status == .created)
            let regretted = try await shop.clients[1].send(.POST, orders, json: shop.checkoutBody(quantity: 3))
            #expect(try await shop.clients[1].send(.POST, shop.path + "/orders/\(try #require(regretted.json["id"] as? String))/cancel").status == .ok)
            _ = try await shop.clients[2].send(.POST, orders, json: shop.checkoutBody(quantity: 4, confirm: false))
            #expect(try await FoodCheckout.expireDue(now: Date().addingTimeInterval(16 * 60), on: app.db) == 1, "an abandoned basket")
            let held = try await shop.clients[2].send(.POST, orders, json: shop.checkoutBody(quantity: 1, confirm: false))
            #expect(held.json["status"] as? String == "pending")
            // Another cycle sells from the same shared stock.
            let now = Date(), coopID = try shop.coop.requireID()
            let other = try await FoodCycles.create(FoodCycles.Setup(name: "Autre cycle", opensAt: now.addingTimeInterval(-3600), closesAt: now.addingTimeInterval(86_400),
                                                                     published: true, fee: try FeeRule(basisPoints: 0), deliveryFeeCents: nil,
                                                                     slots: [(shop.point.id, now.addingTimeInterval(90_000), now.addingTimeInterval(97_200))],
                                                                     producers: [shop.producer.id]), in: coopID, by: shop.producerUser.requireID(), on: app.db)
            let otherPoint = try #require(try await FoodCycles.points(of: other, on: app.db).first)
            let elsewhere = try await shop.clients[0].send(.POST, shop.path + "/cycles/\(other.id)/orders", json: #"""
                {"lines": [{"variantId": "\#(shop.variant)", "quantity": 5}], "pickupPointId": "\#(otherPoint.id)", "slotId": "\#(otherPoint.slots[0].id)"}
                """#)
            #expect(elsewhere.status == .created)

            let coordinator = try await signIn(app, shop.producerUser)
            let manage = "/c/\(shop.coop.slug)/food/manage/cycles/\(shop.cycle.id)"
            func figures() async throws -> (page: [String], harvest: String, totals: String, api: Int?) {
                let page = try await coordinator.get(manage).body.string
                let harvest = try await coordinator.get(manage + "/harvest").body.string
                let totals = try await coordinator.get(manage + "/totals").body.string
                let products = try await app.testing().sendRequest(.GET, shop.path + "/cycles/\(shop.cycle.id)/products")
                let variants = (products.json["data"] as? [[String: Any]])?.first?["variants"] as? [[String: Any]]
                return (try offerRow(page, "Pommes — 1 kg"), harvest, totals, variants?.first?["available"] as? Int)
            }
            var seen = try await figures()
            // price, stock, left, held, sold
            #expect(seen.page.count == 5, "\(seen.page)")
            #expect(seen.page[4] == "2", "sold in this cycle: the confirmed order only, not \(seen.page[4])")
            #expect(seen.page[3] == "1", "held: the basket still within its hold")
            #expect(seen.harvest.contains(#"<td>Pommes — 1 kg</td><td class="num">2</td>"#), "the report says 2 as well")
            #expect(seen.page[2] == "32" && seen.api == 32, "left of the shared stock: 40 − 2 − 1 − 5, on the page and in the API (\(seen.page[2]), \(String(describing: seen.api)))")
            let manageText = try await coordinator.get(manage).body.string
            #expect(manageText.contains("1 confirmée ou retirée") && manageText.contains("Abandonnée : 1") && manageText.contains("Annulée : 1"))
            #expect(seen.totals.contains("<dt>Commandes</dt><dd>1</dd>"), "the totals count the same orders")

            // Handed out after the close: still sold, on both.
            try await app.db.sql.update("food_cycles").set("closes_at", to: SQLBind(Date().addingTimeInterval(-1))).where("id", .equal, SQLBind(shop.cycle.id)).run()
            let keptID = try #require(kept.json["id"] as? String)
            try await coordinator.get("/c/\(shop.coop.slug)/food/orders/\(keptID)")
            let handed = try await coordinator.post("/c/\(shop.coop.slug)/food/orders/\(keptID)/collect", [])
            #expect(try await follow(coordinator, handed).contains("Commande n° 1 remise à Mangeur·se 1 ; 6,"), "the pickup list says it was handed out")
            seen = try await figures()
            #expect(seen.page[4] == "2" && seen.harvest.contains(#"<td>Pommes — 1 kg</td><td class="num">2</td>"#))
        }
    }

    // MARK: 5. New-cycle defaults

    @Test func theNewCycleFormSuggestsRoundDaytimeHoursAndASlotWithinADay() async throws {
        try await withMaillage { app in
            let shop = try await shop(app, shoppers: 1)
            let coordinator = try await signIn(app, shop.producerUser)
            let page = try await coordinator.get("/c/\(shop.coop.slug)/food/manage").body.string
            func value(_ name: String) throws -> Date {
                let pattern = #"name="\#(name)" value="([0-9T:-]+)""#
                let range = try #require(page.range(of: pattern, options: .regularExpression), "\(name) has a value")
                let text = String(page[range]).components(separatedBy: "value=\"")[1].dropLast()
                return try #require(DateText.localInput.date(from: String(text)))
            }
            let zone = LocalZone(DateText.zone)
            let (opens, closes, start, end) = (try value("opens_at"), try value("closes_at"), try value("slot_start"), try value("slot_end"))
            for date in [opens, closes, start, end] {
                #expect(zone.minuteOfDay(at: date) % 60 == 0 && (8...20).contains(zone.minuteOfDay(at: date) / 60), "\(date)")
            }
            #expect(opens < closes && closes <= start && start < end && CycleSchedule.staysWithinADay(start, end))
        }
    }

    // MARK: 6. The CSV import

    @Test func aCSVImportAnswersWithARedirectSoReloadingDoesNotImportAgain() async throws {
        try await withMaillage { app in
            let shop = try await shop(app, shoppers: 1)
            let producer = try await signIn(app, shop.producerUser)
            let list = "/c/\(shop.coop.slug)/food/products?producer=\(shop.producer.id)"
            try await producer.get(list)
            let csv = "produit;variante;quantité;unité;prix;tva;stock;catégorie\nPoires;1 kg;1;kg;3,60;5,5;20;Fruits\nCoings;1 kg;1;kg;cher;5,5;;Fruits\n"
            let boundary = "maillage-test-boundary"
            var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(producer.csrf ?? "")\r\n".utf8)
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"produits.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
            body += Data(csv.utf8) + Data("\r\n--\(boundary)--\r\n".utf8)
            let sent = try await app.testing().sendRequest(.POST, "/c/\(shop.coop.slug)/food/products/import?producer=\(shop.producer.id)", headers: [
                "Content-Type": "multipart/form-data; boundary=\(boundary)", "Cookie": "maillage_session=\(producer.cookie ?? "")",
            ], body: ByteBuffer(data: body))
            #expect(sent.status == .seeOther && sent.headers.first(name: .location) == list, "\(sent.status)")
            let report = try await producer.get(list).body.string
            #expect(report.contains("Import : 1 produit créé, 0 mis à jour, 1 ligne refusée sur 2") && report.contains("Ligne 3"))
            #expect(try await FoodCatalogStore.products(of: shop.producer.id, on: app.db).count == 2)
            let again = try await producer.get(list).body.string
            #expect(!again.contains("Import :"), "the report is shown once; reloading imports nothing")
            #expect(try await FoodCatalogStore.products(of: shop.producer.id, on: app.db).count == 2)
        }
    }

    // MARK: 7. Notices and questions

    @Test func cancellingAnOrderAsksFirstWithItsFiguresAndSaysWhatWasDone() async throws {
        try await withMaillage { app in
            let shop = try await shop(app, shoppers: 1, stock: 10)
            let shopper = shop.shoppers[0], coopID = try shop.coop.requireID()
            let clearing = try await AccountBook.open(.clearing, cooperative: coopID, on: app.db)
            let wallet = try await AccountBook.open(.wallet, cooperative: coopID, user: shopper.requireID(), on: app.db)
            try await LedgerStore.post(Posting(transfer: Transfer(debit: AccountID(clearing.id), credit: AccountID(wallet.id), amount: .euros(cents: 2_000),
                                                                  memo: "Virement", time: Date()), cooperative: coopID, category: .topUp), on: app.db)
            let placed = try await shop.clients[0].send(.POST, shop.path + "/cycles/\(shop.cycle.id)/orders", json: shop.checkoutBody(quantity: 3, payment: "memberCredit"))
            let id = try #require(placed.json["id"] as? String)
            let visitor = try await signIn(app, shopper)
            let orderPath = "/c/\(shop.coop.slug)/food/orders/\(id)"
            let order = try await visitor.get(orderPath).body.string
            #expect(order.contains(#"href="\#(orderPath)/cancel""#), "the button opens the question")
            let unasked = try await visitor.post(orderPath + "/cancel", [])
            #expect(unasked.status == .seeOther && unasked.headers.first(name: .location) == orderPath + "/cancel")
            #expect(try await FoodCheckout.order(try #require(UUID(uuidString: id)), on: app.db).orderStatus == .confirmed, "a post without the answer changes nothing")
            let question = try await visitor.get(orderPath + "/cancel").body.string
            #expect(question.contains("Votre commande n° 1 (9,00") && question.contains("sera annulée"), "\(question)")
            #expect(question.contains("Le montant payé avec votre avoir (9,00"))
            let done = try await visitor.post(orderPath + "/cancel", [("confirmed", "yes")])
            let after = try await follow(visitor, done)
            #expect(after.contains("Commande n° 1 annulée.") && after.contains("rendus sur l’avoir de sociétaire"))
            #expect(try await AccountBook.find(wallet.id, on: app.db)?.posted == 2_000, "the credit is given back")
        }
    }

    @Test func cancellingACycleAsksFirstWithItsFiguresAndSaysWhatWasDone() async throws {
        try await withMaillage { app in
            let shop = try await shop(app, shoppers: 2, stock: 10)
            let coopID = try shop.coop.requireID()
            let clearing = try await AccountBook.open(.clearing, cooperative: coopID, on: app.db)
            let wallet = try await AccountBook.open(.wallet, cooperative: coopID, user: shop.shoppers[0].requireID(), on: app.db)
            try await LedgerStore.post(Posting(transfer: Transfer(debit: AccountID(clearing.id), credit: AccountID(wallet.id), amount: .euros(cents: 2_000),
                                                                  memo: "Virement", time: Date()), cooperative: coopID, category: .topUp), on: app.db)
            let orders = shop.path + "/cycles/\(shop.cycle.id)/orders"
            #expect(try await shop.clients[0].send(.POST, orders, json: shop.checkoutBody(quantity: 2, payment: "memberCredit")).status == .created)
            #expect(try await shop.clients[1].send(.POST, orders, json: shop.checkoutBody(quantity: 1)).status == .created)
            #expect(try await shop.clients[1].send(.POST, orders, json: shop.checkoutBody(quantity: 1, confirm: false)).status == .created)
            let coordinator = try await signIn(app, shop.producerUser)
            let manage = "/c/\(shop.coop.slug)/food/manage/cycles/\(shop.cycle.id)"
            #expect(try await coordinator.get(manage).body.string.contains(#"href="\#(manage)/cancel""#))
            let unasked = try await coordinator.post(manage + "/cancel", [])
            #expect(unasked.status == .seeOther && unasked.headers.first(name: .location) == manage + "/cancel")
            #expect(try await FoodCycles.row(shop.cycle.id, on: app.db).cancelledAt == nil, "a post without the answer changes nothing")
            let question = try await coordinator.get(manage + "/cancel").body.string
            #expect(question.contains("Les 2 commandes confirmées (9,00"), "\(question)")
            #expect(question.contains("6,00") && question.contains("seront remboursés à 1 sociétaire."))
            #expect(question.contains("1 panier en cours de validation sera abandonné."))
            let done = try await coordinator.post(manage + "/cancel", [("confirmed", "yes")])
            #expect(try await follow(coordinator, done).contains("Cycle annulé : 2 commandes confirmées annulées, 6,00"))
            #expect(try await FoodCycles.row(shop.cycle.id, on: app.db).cancelledAt != nil)
            #expect(try await AccountBook.find(wallet.id, on: app.db)?.posted == 2_000)
            #expect(try await count(app, "food_orders WHERE status IN ('pending', 'confirmed')") == 0)
        }
    }

    @Test func aProductsFormShowsItsFiguresWithACommaAndSavesThemUnchanged() async throws {
        try await withMaillage { app in
            let shop = try await shop(app, shoppers: 0, stock: 10)
            let producer = try await signIn(app, shop.producerUser)
            let product = try #require(try await FoodCatalogStore.products(of: shop.producer.id, on: app.db).first)
            let page = "/c/\(shop.coop.slug)/food/products/\(product.id)"
            let html = try await producer.get(page).body.string
            let before = try #require(product.variants.first?.priceCents)
            let shown = NumberText.decimal(Double(before) / 100, digits: 2, .fr)
            #expect(html.contains("value=\"\(shown)\""), "the price reads \(shown), as a French producer writes it")
            #expect(!html.contains("value=\"\(NumberText.decimal(Double(before) / 100, digits: 2, .en))\""))
            // The VAT rate is chosen as it was, in both languages: a form sent back unchanged must
            // not turn 5,5 % into the first choice, 0 %.
            #expect(html.contains("<option value=\"5,5\" selected"), "the product's 5,5 % rate is the selected choice")
            let english = try await producer.get(page, headers: ["Accept-Language": "en"]).body.string
            #expect(english.contains("<option value=\"5,5\" selected"))
            #expect(html.contains("<option value=\"kg\" selected"), "the product's unit is the selected choice")
            // Sent back as shown, nothing changes.
            func value(_ name: String) -> String {
                guard let field = html.range(of: "name=\"\(name)\"") else { return "" }
                var tail = html[field.upperBound...]
                // A select sends its selected option.
                if html[..<field.lowerBound].hasSuffix("<select ") || html[html.index(field.lowerBound, offsetBy: -30)..<field.lowerBound].contains("<select") {
                    guard let close = tail.range(of: "</select>") else { return "" }
                    tail = tail[..<close.lowerBound]
                    guard let selected = tail.range(of: "\" selected") else { return "" }
                    let before = tail[..<selected.lowerBound]
                    guard let start = before.range(of: "value=\"", options: .backwards) else { return "" }
                    return String(before[start.upperBound...])
                }
                guard let start = tail.range(of: "value=\""), let end = tail[start.upperBound...].firstIndex(of: "\"") else { return "" }
                return String(tail[start.upperBound..<end])
            }
            let fields = ["name", "category", "vatRate", "unit", "variants[0].id", "variants[0].label", "variants[0].quantity", "variants[0].price", "variants[0].stock"]
            let saved = try await producer.post(page, fields.map { ($0, value($0)) } + [("description", "")])
            #expect(saved.status == .seeOther, "\(saved.body.string)")
            let after = try #require(try await FoodCatalogStore.products(of: shop.producer.id, on: app.db).first { $0.id == product.id })
            #expect(after.variants.first?.priceCents == before)
            #expect(after.vatRate == product.vatRate)
            #expect(after.unit == product.unit)
        }
    }

    @Test func everyFoodFormThatChangesSomethingSaysWhatItDid() async throws {
        try await withMaillage { app in
            let shop = try await shop(app, shoppers: 1, stock: 10)
            let coordinator = try await signIn(app, shop.producerUser)
            let slug = shop.coop.slug
            let product = try #require(try await FoodCatalogStore.products(of: shop.producer.id, on: app.db).first)
            try await coordinator.get("/c/\(slug)/food/products/\(product.id)")
            let saved = try await coordinator.post("/c/\(slug)/food/products/\(product.id)", [
                ("name", "Pommes"), ("category", "Fruits"), ("description", ""), ("vatRate", "5,5"), ("unit", "kg"),
                ("variants[0].id", shop.variant.uuidString), ("variants[0].label", "1 kg"), ("variants[0].quantity", "1"),
                ("variants[0].price", "3,20"), ("variants[0].stock", "10")])
            #expect(try await follow(coordinator, saved).contains("Produit « Pommes » enregistré (1 variante)."))
            try await coordinator.get("/c/\(slug)/food/manage")
            let point = try await coordinator.post("/c/\(slug)/food/manage/points", [("point_name", "Grange"), ("point_address", "3 chemin de la Grange")])
            #expect(try await follow(coordinator, point).contains("Point de retrait « Grange » ajouté"))
            let manage = "/c/\(slug)/food/manage/cycles/\(shop.cycle.id)"
            try await coordinator.get(manage)
            let offer = try await coordinator.post(manage + "/offers/\(shop.variant)", [("price", "2,90"), ("stock", "6")])
            #expect(try await follow(coordinator, offer).contains("« Pommes — 1 kg » : 2,90"))
            let schedule = CycleSchedule.suggested(at: Date(), in: LocalZone(DateText.zone))
            let created = try await coordinator.post("/c/\(slug)/food/manage/cycles", [
                ("name", "Semaine 2"), ("opens_at", DateText.localInput.string(from: schedule.opensAt)),
                ("closes_at", DateText.localInput.string(from: schedule.closesAt)), ("fee_percent", "5"), ("delivery_fee", ""),
                ("producers[]", shop.producer.id.uuidString), ("points[]", shop.point.id.uuidString),
                ("slot_start", DateText.localInput.string(from: schedule.slotStart)), ("slot_end", DateText.localInput.string(from: schedule.slotEnd))])
            #expect(try await follow(coordinator, created).contains("Cycle « Semaine 2 » créé comme brouillon"))

            // The shopper's side: checkout and confirmation.
            let shopper = try await signIn(app, shop.shoppers[0])
            let base = "/c/\(slug)/food/cycles/\(shop.cycle.id)"
            try await shopper.get(base)
            _ = try await shopper.post(base + "/cart", [("variant", shop.variant.uuidString), ("quantity", "1"), ("mode", "add")])
            try await shopper.get(base + "/cart")
            let placed = try await shopper.post(base + "/checkout", [("fulfilment", "pickup:\(shop.point.id.uuidString):\(shop.point.slots[0].id.uuidString)"),
                                                                     ("payment", "atPickup")])
            let orderPage = try await follow(shopper, placed)
            #expect(orderPage.contains("Vos produits sont réservés jusqu’à"))
            let orderPath = try #require(placed.headers.first(name: .location))
            let confirmed = try await shopper.post(orderPath + "/confirm", [])
            #expect(try await follow(shopper, confirmed).contains("Votre commande est confirmée : n° 1, 2,90"))
            // A stock set below what is sold is refused, naming the product.
            try await coordinator.get(manage)
            let below = try await coordinator.post(manage + "/offers/\(shop.variant)", [("price", ""), ("stock", "0")])
            #expect(below.status == .unprocessableEntity || below.status == .conflict)
            #expect(below.body.string.contains("« Pommes — 1 kg » : le stock ne peut descendre sous les 1 article(s) déjà réservés ou vendus."))
        }
    }
}
