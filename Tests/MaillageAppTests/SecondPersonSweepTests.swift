import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// Inside one cooperative: every route that names an object (a loan, an order, an invoice, a
/// transfer, a membership, a token…), tried by a plain member on another member's object, with
/// each method the route has, in the browser and through the API. Refused (403 or 404), nothing
/// read, nothing changed — unless the route is listed below as open to fellow members, with why.
@Suite("Second-person sweep: a fellow member gets nothing of another member's objects", .serialized)
struct SecondPersonSweepTests {
    /// Routes naming an object that a fellow member may use on someone else's, and why.
    static let openToFellowMembers: [String: String] = [
        // Governance: the questions, the assemblies and their minutes are the whole membership's.
        "GET /c/:slug/votes/:id": "a question put to the vote is read by every member",
        "GET /api/v1/cooperatives/:slug/proposals/:id": "a question put to the vote is read by every member",
        "POST /c/:slug/votes/:id/ballot": "the member casts their own ballot on the question",
        "PUT /api/v1/cooperatives/:slug/proposals/:id/ballot": "the member casts their own ballot on the question",
        "GET /c/:slug/votes/:id/ballots.json": "the anonymised ballot file of a closed vote, published for recounting",
        "GET /c/:slug/assemblies/:id": "the assembly's agenda and attendance are the members'",
        "GET /api/v1/cooperatives/:slug/assemblies/:id": "the assembly's agenda and attendance are the members'",
        "GET /c/:slug/assemblies/:id/minutes": "the minutes are the members'",
        // Published money figures.
        "GET /api/v1/cooperatives/:slug/fees/:activity/split": "the published fee split, shown before buying",
        // Food: the shopfront and the producers' catalogs are public; the basket and order are the member's own.
        "GET /c/:slug/food/cycles/:cycle": "the public shopfront of a cycle",
        "GET /api/v1/cooperatives/:slug/food/cycles/:cycle/products": "the public shopfront of a cycle",
        "GET /c/:slug/food/photos/:product": "a product's photo, shown on the public shopfront",
        "GET /c/:slug/food/producers/:producer/catalog.jsonld": "a producer's public DFC catalog",
        "GET /api/v1/cooperatives/:slug/food/producers/:producer/catalog": "a producer's public DFC catalog",
        "GET /c/:slug/food/cycles/:cycle/cart": "the member's own basket in that cycle",
        "POST /c/:slug/food/cycles/:cycle/cart": "the member's own basket in that cycle",
        "POST /c/:slug/food/cycles/:cycle/checkout": "the member's own order in that cycle",
        "POST /api/v1/cooperatives/:slug/food/cycles/:cycle/orders": "the member's own order in that cycle",
        // Lending: the catalogue is open data; asking to borrow someone's item is what it is for.
        "GET /c/:slug/lending/items/:id": "an item of the public lending catalogue",
        "GET /api/v1/cooperatives/:slug/lending/items/:id": "an item of the public lending catalogue",
        "GET /c/:slug/lending/items/:id/availability.ics": "an item's public availability feed, naming no borrower",
        "GET /c/:slug/lending/photos/:id": "an item's photo, shown in the public catalogue",
        "POST /c/:slug/lending/items/:id/request": "asking the owner to borrow the item",
        "POST /api/v1/cooperatives/:slug/lending/items/:id/loans": "asking the owner to borrow the item",
        // Exchange: the offers and wants are published.
        "GET /c/:slug/exchange/:id": "a published offer or want",
        "GET /c/:slug/barter/offers/:id": "an offer published to the barter network's members, who write to its author there",
        // Carpool: rides are published; asking a seat on one is what it is for.
        "GET /c/:slug/carpool/ads/:id": "a published ride",
        "GET /api/v1/cooperatives/:slug/carpool/ads/:id": "a published ride",
        "POST /c/:slug/carpool/ads/:id/asks": "asking the driver for a seat",
        "POST /api/v1/cooperatives/:slug/carpool/ads/:id/asks": "asking the driver for a seat",
        "GET /c/:slug/carpool/communities/:id": "a community's public page",
        "POST /c/:slug/carpool/communities/:id/join": "joining a community by its rule",
        "POST /api/v1/cooperatives/:slug/carpool/communities/:id/members": "joining a community by its rule",
        "GET /c/:slug/carpool/communities/:id/leave": "one's own place in a community",
        "POST /c/:slug/carpool/communities/:id/leave": "one's own place in a community",
    ]

    /// Routes whose parameter names no one's object.
    static let notAnObject: [String: String] = [
        "GET /lang/:code": "a language code: the language switch",
        "POST /account/blocks/:person/unblock": "a person: only the asker's own block of them is removed",
        // A partner booking is named by the partner operator's own id and read only with that partner's key;
        // a member's login or token gets 401 before any lookup (CarpoolStandardTests).
        "GET /c/:slug/carpool/standard/bookings/:bookingId": "a partner operator's booking, behind its key",
        "PATCH /c/:slug/carpool/standard/bookings/:bookingId": "a partner operator's booking, behind its key",
        "GET /api/v1/cooperatives/:slug/carpool/standard/bookings/:bookingId": "a partner operator's booking, behind its key",
        "PATCH /api/v1/cooperatives/:slug/carpool/standard/bookings/:bookingId": "a partner operator's booking, behind its key",
        // A store's delivery through the API is read only with that store's token (DeliveryAPITests).
        "GET /api/v1/cooperatives/:slug/delivery/deliveries/:id": "a store's delivery, behind the store's token",
        "POST /api/v1/cooperatives/:slug/delivery/deliveries/:id/cancel": "a store's delivery, behind the store's token",
        // A token mailed to its owner is itself the permission: whoever holds it may use it.
        "GET /c/:slug/carpool/solidarity/statement/:year": "a year: the member's own statement, never another's",
        "GET /account/confirm/:token": "the address confirmation token mailed to its owner",
        "POST /account/confirm/:token": "the address confirmation token mailed to its owner",
        "GET /account/email/confirm/:token": "the new address confirmation token mailed to its owner",
        "POST /account/email/confirm/:token": "the new address confirmation token mailed to its owner",
        "GET /delivery/track/:token": "a recipient's tracking link: its unguessable token is the permission, and it names no one",
        "GET /password/reset/:token": "the password reset token mailed to its owner",
        "POST /password/reset/:token": "the password reset token mailed to its owner",
        "GET /unsubscribe/:token": "the unsubscribe link mailed to its person, signed by the instance",
        "POST /unsubscribe/:token": "the unsubscribe link mailed to its person, signed by the instance",
        "GET /invitations/:token": "the invitation token mailed to the address the board invited",
        "POST /invitations/:token": "the invitation token mailed to the address the board invited",
    ]

    /// Written into every private thing the owners seed (messages, memos, reasons, an address):
    /// no response to the other member may contain it.
    static let secret = "QX7-confidentiel"

    /// A request of the sweep, and who may see the same object (to prove the path is a real one).
    struct Try {
        var attempt: SweepAttempt
        var witness: SweepPerson?
        /// A form whose refusal is shown on the form itself (422) rather than as a 403 page.
        var refusedStatuses: Set<UInt> = [403, 404]
        /// The witness reads the owner's private text there: the leak check has something to find.
        var secretShown = false
        /// The owner is sent on to another page (303), as opening a notice leads to its page.
        var ownerIsSentOn = false
    }

    @Test func aFellowMemberGetsNothingOfAnotherMembersObjects() async throws {
        try await withMaillage(demo: true) { app in
            let db = app.db
            let secret = Self.secret
            let (food, lending, exchange, barter) = (DemoSlugs.food, DemoSlugs.lending, DemoSlugs.exchange, DemoSlugs.barter)
            func id(_ handle: String) async throws -> UUID {
                try #require(try await User.query(on: db).filter(\.$email == "\(handle)@\(DemoTerritory.domain)").first()?.requireID())
            }
            func row(_ query: SQLSelectBuilder) async throws -> String {
                try #require(try await query.first(decoding: IDRow.self)?.id.uuidString)
            }
            let today = LocalZone.paris.localDate(at: Date())
            func day(_ offset: Int) -> String { (today.adding(days: offset) ?? today).iso }

            // B: Chloé, a plain member of the food, lending and exchange cooperatives, and of the
            // barter network once its board approves her pending request. The others own things.
            let chloe = try await SweepPerson.signIn("chloe", app)
            let emma = try await SweepPerson.signIn("emma", app), alice = try await SweepPerson.signIn("alice", app)
            let leo = try await SweepPerson.signIn("leo", app), manon = try await SweepPerson.signIn("manon", app)
            let gaelle = try await SweepPerson.signIn("gaelle", app), jules = try await SweepPerson.signIn("jules", app)
            let ursule = try await SweepPerson.signIn("ursule", app), victor = try await SweepPerson.signIn("victor", app)
            let emmaID = emma.id, julesID = jules.id

            // Food: Emma's orders (one waiting for her confirmation, to be delivered to her address),
            // Hugo's products, the open cycle.
            let foodID = try await Cooperatives.find(slug: food, on: db).requireID()
            let cycle = try #require(try await FoodCycles.open(in: foodID, on: db).first)
            let offer = try #require(try await FoodCycles.offers(of: cycle.id, on: db).first)
            let placed = try await emma.api.send(.POST, "/api/v1/cooperatives/\(food)/food/cycles/\(cycle.id)/orders", json: #"""
                {"lines": [{"variantId": "\#(offer.variantID)", "quantity": 1}], "deliveryAddress": "3 rue des Vignes, \#(secret)", "confirm": false}
                """#)
            #expect(placed.status == .created, "Emma's order: \(placed.body.string)")
            let pendingOrder = try #require(placed.json["id"] as? String)
            let confirmedOrder = try await row(db.sql.select().column("id").from("food_orders").where("cycle_id", .equal, SQLBind(cycle.id))
                .where("shopper_id", .equal, SQLBind(emmaID)).where("status", .equal, SQLBind("confirmed")))
            let hugoID = try await id("hugo")
            let hugoProducer = try #require(try await FoodCatalogStore.producers(of: foodID, on: db).first { $0.userID == hugoID })
            let product = try await row(db.sql.select().column("id").from("food_products").where("producer_id", .equal, SQLBind(hugoProducer.id)))

            // Money: Emma's wallet, a payment to Farid and one she holds for him, with private memos.
            let emmaWallet = try await AccountBook.open(.wallet, cooperative: foodID, user: emmaID, on: db).id
            let faridWallet = try await AccountBook.open(.wallet, cooperative: foodID, user: try await id("farid"), on: db).id
            let held = try await emma.api.send(.POST, "/api/v1/cooperatives/\(food)/transfers", json: #"""
                {"debit": "\#(emmaWallet)", "credit": "\#(faridWallet)", "amount": 250, "memo": "Avance \#(secret)", "pending": true}
                """#)
            #expect(held.status == .created, "Emma's held payment: \(held.body.string)")
            let paid = try await emma.api.send(.POST, "/api/v1/cooperatives/\(food)/transfers", json: #"""
                {"debit": "\#(emmaWallet)", "credit": "\#(faridWallet)", "amount": 120, "memo": "Remboursement \#(secret)"}
                """#)
            #expect(paid.status == .created, "Emma's payment: \(paid.body.string)")
            let transfer = try #require(held.json["id"] as? String)

            // Governance: Emma proposes a vote, and changes her ballot on the open one with a reason.
            let proposed = try await emma.api.send(.POST, "/api/v1/cooperatives/\(food)/proposals", json: #"""
                {"title": "Un composteur au point de retrait", "method": "consent", "closesAt": "\#(ISO8601DateFormatter().string(from: Date().addingTimeInterval(8 * 86_400)))"}
                """#)
            #expect(proposed.status == .created, "Emma's proposal: \(proposed.body.string)")
            let proposal = try #require(proposed.json["id"] as? String)
            let openVote = try #require(try await Proposal.query(on: db).filter(\.$cooperative.$id == foodID)
                .filter(\.$title == "Adhésion au réseau des épiceries coopératives").first()?.requireID().uuidString)
            let ballot = try await emma.api.send(.PUT, "/api/v1/cooperatives/\(food)/proposals/\(openVote)/ballot",
                                                 json: #"{"ballot": {"position": "agree", "reason": "Raison \#(secret)"}}"#)
            #expect(ballot.status == .noContent, "Emma's ballot: \(ballot.body.string)")
            let decided = try #require(try await Proposal.query(on: db).filter(\.$cooperative.$id == foodID).filter(\.$closedAt != nil).first()?.requireID().uuidString)
            let assembly = try #require(try await Assembly.query(on: db).filter(\.$cooperative.$id == foodID).first()?.requireID().uuidString)
            let emmaMembership = try #require(try await Membership.query(on: db).filter(\.$cooperative.$id == foodID).filter(\.$user.$id == emmaID).first()?.requireID().uuidString)
            let katiaRequest = try #require(try await Membership.query(on: db).filter(\.$cooperative.$id == foodID)
                .filter(\.$user.$id == (try await id("katia"))).first()?.requireID().uuidString)
            let emmaToken = try #require(try await AccessToken.query(on: db).filter(\.$user.$id == emmaID).first()?.requireID().uuidString)
            _ = try await TwoFactor.trust(emmaID, label: "Firefox · Linux", on: db)
            let emmaDevice = try #require(try await TwoFactor.trustedDevices(of: emmaID, on: db).first?.id.uuidString)

            // Barter: the board approves Chloé; Ursule invoices Alice, with a private description.
            let barterID = try await Cooperatives.find(slug: barter, on: db).requireID()
            let chloeRequest = try #require(try await Membership.query(on: db).filter(\.$cooperative.$id == barterID).filter(\.$user.$id == chloe.id).first()?.requireID())
            let barterOffer = try await row(db.sql.select().column("id").from("barter_offers").where("cooperative_id", .equal, SQLBind(barterID))
                .where("user_id", .notEqual, SQLBind(chloe.id)))
            #expect(try await victor.api.send(.POST, "/api/v1/cooperatives/\(barter)/memberships/\(chloeRequest)/approve").status == .ok)
            let issued = try await ursule.api.send(.POST, "/api/v1/cooperatives/\(barter)/barter/invoices",
                                                  json: #"{"buyer": "\#(alice.id)", "amount": 4200, "description": "Maquette \#(secret)"}"#)
            #expect(issued.status == .created, "Ursule's invoice: \(issued.body.string)")
            let invoice = try #require(issued.json["id"] as? String)

            // Lending: Léo's items and loans — a message on one, a private reason for keeping an
            // item some days, and a deposit he claims on a loan handed over today.
            let lendingID = try await Cooperatives.find(slug: lending, on: db).requireID()
            func item(_ title: String) async throws -> String {
                try await row(db.sql.select().column("id").from("lending_items").where("cooperative_id", .equal, SQLBind(lendingID)).where("title", .equal, SQLBind(title)))
            }
            func loan(of item: String) async throws -> String {
                try await row(db.sql.select().column("id").from("loans").where("item_id", .equal, SQLBind(UUID(uuidString: item))))
            }
            let robot = try await item("Robot pâtissier"), paddle = try await item("Paddle gonflable"), chloeItem = try await item("Escabeau 5 marches")
            let accepted = try await loan(of: try await item("Vidéoprojecteur")), requested = try await loan(of: try await item("Scie sauteuse"))
            let returned = try await loan(of: try await item("Perceuse à percussion"))
            let lendingAPI = "/api/v1/cooperatives/\(lending)/lending"
            #expect(try await leo.api.send(.POST, "\(lendingAPI)/loans/\(accepted)/messages", json: #"{"body": "Code de la boîte à clés : \#(secret)"}"#).status == .created)
            let blocked = try await leo.visitor.post("/c/\(lending)/lending/items/\(robot)/blocks",
                                                     [("block_first_day", day(20)), ("block_last_day", day(21)), ("reason", "Chez ma sœur \(secret)")])
            #expect(blocked.status == .seeOther, "Léo's block: \(blocked.status)")
            let block = try await row(db.sql.select().column("id").from("item_blocks").where("item_id", .equal, SQLBind(UUID(uuidString: robot))))
            let credited = try await gaelle.visitor.post("/c/\(lending)/money/top-up", [("member", manon.id.uuidString), ("amount", "100"), ("memo", "Avoir")])
            #expect(credited.status == .seeOther, "Manon's credit: \(credited.status)")
            let asked = try await manon.api.send(.POST, "\(lendingAPI)/items/\(paddle)/loans", json: #"{"firstDay": "\#(day(0))", "lastDay": "\#(day(1))"}"#)
            let out = try #require(asked.json["id"] as? String, "Manon's request: \(asked.body.string)")
            #expect(try await leo.api.send(.POST, "\(lendingAPI)/loans/\(out)/accept").status == .ok)
            #expect(try await leo.api.send(.POST, "\(lendingAPI)/loans/\(out)/handover").status == .ok)
            #expect(try await manon.api.send(.POST, "\(lendingAPI)/loans/\(out)/handover").json["status"] as? String == "handed_over")
            let claimed = try await leo.visitor.post("/c/\(lending)/lending/loans/\(out)/deposit-claim", [("reason", "damaged"), ("note", "Valve arrachée \(secret)")])
            #expect(claimed.status == .seeOther, "Léo's claim: \(claimed.status)")
            let claim = try await row(db.sql.select().column("id").from("loan_deposit_claims").where("loan_id", .equal, SQLBind(UUID(uuidString: out))))
            // Léo's message in the accepted loan's thread; Manon's in the one handed over, which Léo reports to the staff.
            let keyMessage = try await row(db.sql.select().column("id").from(ThreadTables.messages).where("body", .equal, SQLBind("Code de la boîte à clés : \(secret)")))
            #expect(try await manon.api.send(.POST, "\(lendingAPI)/loans/\(out)/messages", json: #"{"body": "Pneu crevé \#(secret)"}"#).status == .created)
            let manonMessage = try await row(db.sql.select().column("id").from(ThreadTables.messages).where("body", .equal, SQLBind("Pneu crevé \(secret)")))
            #expect(try await leo.visitor.post("/c/\(lending)/thread-messages/\(manonMessage)/report", [("reason", "Hors sujet")]).status == .seeOther)
            let report = try await row(db.sql.select().column("id").from(ThreadTables.reports).where("message_id", .equal, SQLBind(UUID(uuidString: manonMessage))))

            // Exchange: one of Jules's listings.
            let exchangeID = try await Cooperatives.find(slug: exchange, on: db).requireID()
            let listing = try await row(db.sql.select().column("id").from("offers_wants").where("cooperative_id", .equal, SQLBind(exchangeID))
                .where("author_id", .equal, SQLBind(julesID)))
            // Chloé opens her money page there, as members do, which opens her time account.
            #expect(try await chloe.visitor.get("/c/\(exchange)/money").status == .ok)

            // The instance's outbox: the mail Emma asks for when she forgets her password.
            #expect(try await Visitor(app).post("/password/forgot", [("email", emma.user.email)]).status.code < 400)
            let mail = try await row(db.sql.select().column("id").from(OutboxTables.messages).where("destination", .equal, SQLBind(emma.user.email)))

            // The demo's invitation, sent by Alice for the food cooperative's board.
            let invitation = try await row(db.sql.select().column("id").from(Invitation.schema).where("cooperative_id", .equal, SQLBind(foodID)))
            // Carpool: Chloé joins Roulons Ensemble Estuaire; Alice's accepted seat in Samir's commute,
            // with a word between them that nobody else may read.
            let carpoolID = try await Cooperatives.find(slug: DemoSlugs.carpool, on: db).requireID()
            let joined = Membership()
            joined.$cooperative.id = carpoolID
            joined.$user.id = chloe.id
            joined.shares = 0
            joined.role = MemberRole.member.rawValue
            joined.status = MembershipStatus.active.rawValue
            joined.message = ""
            try await joined.create(on: db)
            let samir = try await SweepPerson.signIn("samir", app)
            let commute = try await row(db.sql.select().column("id").from("carpool_ads").where("author_id", .equal, SQLBind(samir.id)))
            let seat = try await row(db.sql.select().column("id").from("carpool_asks").where("driver_id", .equal, SQLBind(samir.id)))
            let seatThread = try await ThreadStore.openThread(of: ThreadSubject(kind: CarpoolThread.kindName, id: UUID(uuidString: seat)!, cooperativeID: carpoolID), on: db)
            _ = try await ThreadStore.insert(body: "Mon code d’immeuble : \(secret)", by: alice.id, in: seatThread, on: db)
            var nextMonday = today.adding(days: 1)!
            while nextMonday.weekday != 1 { nextMonday = nextMonday.adding(days: 1)! }

            // Everything Chloé tries on the others' objects.
            let f = ["slug": food], l = ["slug": lending], x = ["slug": exchange], t = ["slug": barter]
            func with(_ base: [String: String], _ more: [String: String]) -> [String: String] { base.merging(more) { $1 } }
            var tries: [Try] = [
                Try(attempt: SweepAttempt("GET /account/tokens/:id/revoke", ["id": emmaToken]), witness: emma),
                Try(attempt: SweepAttempt("POST /account/tokens/:id/revoke", ["id": emmaToken], form: [("confirmed", "yes")])),
                Try(attempt: SweepAttempt("GET /account/two-factor/devices/:id/revoke", ["id": emmaDevice]), witness: emma),
                Try(attempt: SweepAttempt("POST /account/two-factor/devices/:id/revoke", ["id": emmaDevice], form: [("confirmed", "yes")])),
                Try(attempt: SweepAttempt("DELETE /api/v1/me/tokens/:id", ["id": emmaToken])),
                Try(attempt: SweepAttempt("GET /operators/outbox/:id", ["id": mail]), witness: alice),
                Try(attempt: SweepAttempt("POST /operators/outbox/:id/retry", ["id": mail])),
                Try(attempt: SweepAttempt("POST /operators/cooperatives/:id/approve", ["id": foodID.uuidString])),
                Try(attempt: SweepAttempt("POST /operators/cooperatives/:id/delete", ["id": foodID.uuidString], form: [("confirmed", "yes")])),
                Try(attempt: SweepAttempt("POST /operators/cooperatives/:id/refuse", ["id": foodID.uuidString], form: [("reason", "Non")])),

                Try(attempt: SweepAttempt("POST /c/:slug/members/:id/:decision", with(f, ["id": katiaRequest, "decision": "approve"]))),
                Try(attempt: SweepAttempt("POST /c/:slug/members/:id/:decision", with(f, ["id": katiaRequest, "decision": "decline"]))),
                Try(attempt: SweepAttempt("POST /c/:slug/members/:id/:decision", with(f, ["id": emmaMembership, "decision": "decline"]))),
                Try(attempt: SweepAttempt("POST /c/:slug/members/:id/role", with(f, ["id": emmaMembership]), form: [("role", "board")])),
                Try(attempt: SweepAttempt("GET /c/:slug/members/:id/leave", with(f, ["id": emmaMembership])), witness: alice),
                Try(attempt: SweepAttempt("POST /c/:slug/members/:id/leave", with(f, ["id": emmaMembership]), form: [("confirmed", "yes"), ("reason", "Départ décidé")])),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/memberships/:id/approve", with(f, ["id": katiaRequest]))),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/memberships/:id/decline", with(f, ["id": katiaRequest]))),
                Try(attempt: SweepAttempt("PUT /api/v1/cooperatives/:slug/memberships/:id/role", with(f, ["id": emmaMembership]), json: #"{"role": "board"}"#)),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/memberships/:id/leave", with(f, ["id": emmaMembership]))),
                Try(attempt: SweepAttempt("GET /c/:slug/invitations/:id/withdraw", with(f, ["id": invitation])), witness: alice),
                Try(attempt: SweepAttempt("POST /c/:slug/invitations/:id/withdraw", with(f, ["id": invitation]), form: [("confirmed", "yes")])),
                Try(attempt: SweepAttempt("DELETE /api/v1/cooperatives/:slug/invitations/:id", with(f, ["id": invitation]))),

                Try(attempt: SweepAttempt("POST /c/:slug/votes/:id/statement", with(f, ["id": decided]), form: [("statement", "Réécrit \(secret)")])),
                Try(attempt: SweepAttempt("POST /c/:slug/votes/:id/open", with(f, ["id": proposal]), form: [("closes_at", "")])),
                Try(attempt: SweepAttempt("GET /c/:slug/votes/:id/edit", with(f, ["id": proposal])), witness: alice),
                Try(attempt: SweepAttempt("POST /c/:slug/votes/:id/edit", with(f, ["id": proposal]), form: [("title", "Réécrit \(secret)")])),
                Try(attempt: SweepAttempt("PATCH /api/v1/cooperatives/:slug/proposals/:id", with(f, ["id": proposal]), json: #"{"title": "Réécrite"}"#)),
                Try(attempt: SweepAttempt("GET /c/:slug/votes/:id/cancel", with(f, ["id": proposal])), witness: alice),
                Try(attempt: SweepAttempt("POST /c/:slug/votes/:id/cancel", with(f, ["id": proposal]), form: [("confirmed", "yes"), ("reason", "Annulée")])),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/proposals/:id/cancel", with(f, ["id": proposal]), json: #"{"reason": "Annulée"}"#)),
                Try(attempt: SweepAttempt("POST /c/:slug/assemblies/:id/attendance", with(f, ["id": assembly]),
                                          form: [("member", emmaID.uuidString), ("status", "absent"), ("holder", "")])),
                Try(attempt: SweepAttempt("PUT /api/v1/cooperatives/:slug/assemblies/:id/attendance", with(f, ["id": assembly]),
                                          json: #"{"member": "\#(emmaID)", "status": "absent"}"#)),

                Try(attempt: SweepAttempt("GET /c/:slug/money/:account", with(f, ["account": emmaWallet.uuidString])), witness: emma, secretShown: true),
                Try(attempt: SweepAttempt("GET /c/:slug/money/:account/statement.csv", with(f, ["account": emmaWallet.uuidString])), witness: emma, secretShown: true),
                Try(attempt: SweepAttempt("GET /c/:slug/money/:account/statement.json", with(f, ["account": emmaWallet.uuidString])), witness: emma, secretShown: true),
                Try(attempt: SweepAttempt("GET /api/v1/cooperatives/:slug/accounts/:account/statement", with(f, ["account": emmaWallet.uuidString])), witness: emma, secretShown: true),
                Try(attempt: SweepAttempt("GET /api/v1/cooperatives/:slug/transfers/:id", with(f, ["id": transfer])), witness: emma, secretShown: true),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/transfers/:id/post", with(f, ["id": transfer]))),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/transfers/:id/void", with(f, ["id": transfer]))),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/transfers/:id/reverse", with(f, ["id": transfer]), json: #"{"memo": "annulation"}"#)),
                Try(attempt: SweepAttempt("PUT /api/v1/cooperatives/:slug/fees/:activity", with(f, ["activity": "food"]), json: #"{"basisPoints": 0}"#)),
                // Ids in the body: paying from Emma's wallet.
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/transfers", f,
                                          json: #"{"debit": "\#(emmaWallet)", "credit": "\#(faridWallet)", "amount": 100}"#)),
                Try(attempt: SweepAttempt("POST /c/:slug/money/pay", f, form: [("from", emmaWallet.uuidString), ("to", try await id("farid").uuidString),
                                                                              ("amount", "1"), ("memo", "")]), refusedStatuses: [403, 404, 422]),

                Try(attempt: SweepAttempt("GET /c/:slug/barter/invoices/:id", with(t, ["id": invoice])), witness: ursule, secretShown: true),
                Try(attempt: SweepAttempt("POST /c/:slug/barter/invoices/:id/accept", with(t, ["id": invoice]))),
                Try(attempt: SweepAttempt("POST /c/:slug/barter/invoices/:id/decline", with(t, ["id": invoice]))),
                Try(attempt: SweepAttempt("POST /c/:slug/barter/invoices/:id/cancel", with(t, ["id": invoice]))),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/barter/invoices/:id/accept", with(t, ["id": invoice]))),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/barter/invoices/:id/decline", with(t, ["id": invoice]))),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/barter/invoices/:id/cancel", with(t, ["id": invoice]))),
            ]
            for order in [pendingOrder, confirmedOrder] {
                tries += [
                    Try(attempt: SweepAttempt("GET /c/:slug/food/orders/:order", with(f, ["order": order])), witness: emma, secretShown: order == pendingOrder),
                    Try(attempt: SweepAttempt("GET /api/v1/cooperatives/:slug/food/orders/:order", with(f, ["order": order])), witness: emma),
                    Try(attempt: SweepAttempt("POST /c/:slug/food/orders/:order/confirm", with(f, ["order": order]))),
                    Try(attempt: SweepAttempt("GET /c/:slug/food/orders/:order/cancel", with(f, ["order": order])), witness: emma),
                    Try(attempt: SweepAttempt("POST /c/:slug/food/orders/:order/cancel", with(f, ["order": order]), form: [("confirmed", "yes")])),
                    Try(attempt: SweepAttempt("POST /c/:slug/food/orders/:order/collect", with(f, ["order": order]))),
                    Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/food/orders/:order/confirm", with(f, ["order": order]))),
                    Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/food/orders/:order/cancel", with(f, ["order": order]))),
                ]
            }
            // The same order as DFC: its producers' and the coordinators' (FoodDFCOrderTests), no fellow member's.
            let dfcOrder = with(f, ["order": confirmedOrder])
            tries += [
                Try(attempt: SweepAttempt("GET /api/v1/cooperatives/:slug/food/dfc/orders/:order", dfcOrder), witness: alice),
                Try(attempt: SweepAttempt("PUT /api/v1/cooperatives/:slug/food/dfc/orders/:order", dfcOrder, json: "{}")),
                Try(attempt: SweepAttempt("PATCH /api/v1/cooperatives/:slug/food/dfc/orders/:order", dfcOrder, json: "{}")),
                Try(attempt: SweepAttempt("DELETE /api/v1/cooperatives/:slug/food/dfc/orders/:order", dfcOrder)),
            ]
            let fp = with(f, ["product": product]), fc = with(f, ["cycle": cycle.id.uuidString])
            tries += [
                Try(attempt: SweepAttempt("GET /c/:slug/food/products/:product", fp), witness: alice),
                Try(attempt: SweepAttempt("POST /c/:slug/food/products/:product", fp, form: [("name", "Produit détourné"), ("category", "Fruits")])),
                Try(attempt: SweepAttempt("POST /c/:slug/food/products/:product/archive", fp)),
                Try(attempt: SweepAttempt("POST /c/:slug/food/products/:product/photo", fp)),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/food/producers/:producer/catalog", with(f, ["producer": hugoProducer.id.uuidString]), json: "{}")),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/food/producers/:producer/products/import", with(f, ["producer": hugoProducer.id.uuidString]),
                                          json: "{}")),
                Try(attempt: SweepAttempt("GET /c/:slug/food/manage/cycles/:cycle", fc), witness: alice),
                Try(attempt: SweepAttempt("POST /c/:slug/food/manage/cycles/:cycle/publish", fc)),
                Try(attempt: SweepAttempt("GET /c/:slug/food/manage/cycles/:cycle/cancel", fc), witness: alice),
                Try(attempt: SweepAttempt("POST /c/:slug/food/manage/cycles/:cycle/cancel", fc, form: [("confirmed", "yes")])),
                Try(attempt: SweepAttempt("POST /c/:slug/food/manage/cycles/:cycle/offers/:variant", with(fc, ["variant": offer.variantID.uuidString]),
                                          form: [("price", "0,01"), ("stock", "0")])),
            ]
            for report in ["harvest", "harvest.csv", "pickup", "pickup.csv", "totals", "totals.csv"] {
                tries.append(Try(attempt: SweepAttempt("GET /c/:slug/food/manage/cycles/:cycle/\(report)", fc), witness: alice))
            }

            let li = with(l, ["id": robot])
            tries += [
                Try(attempt: SweepAttempt("GET /c/:slug/lending/items/:id/edit", li), witness: leo),
                Try(attempt: SweepAttempt("POST /c/:slug/lending/items/:id/edit", li, form: [
                    ("title", "Robot détourné"), ("category", "kitchen"), ("description", ""), ("condition", "good"), ("deposit", ""),
                    ("maximum_loan_days", "5"), ("pickup", "home"), ("commune", "Rezé")])),
                Try(attempt: SweepAttempt("POST /c/:slug/lending/items/:id/withdraw", li)),
                Try(attempt: SweepAttempt("POST /c/:slug/lending/items/:id/photo", li)),
                Try(attempt: SweepAttempt("POST /c/:slug/lending/items/:id/blocks", li, form: [("block_first_day", day(40)), ("block_last_day", day(41)), ("reason", "")])),
                Try(attempt: SweepAttempt("POST /c/:slug/lending/items/:id/blocks/:block/remove", with(li, ["block": block]))),
                // Her own item in the path, Léo's block after it.
                Try(attempt: SweepAttempt("POST /c/:slug/lending/items/:id/blocks/:block/remove", with(l, ["id": chloeItem, "block": block]))),
                Try(attempt: SweepAttempt("POST /c/:slug/lending/loans/:id/review", with(l, ["id": returned]), form: [("rating", "1"), ("text", "Mauvais")])),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/lending/loans/:id/review", with(l, ["id": returned]), json: #"{"rating": 1, "text": "Mauvais"}"#)),
                Try(attempt: SweepAttempt("POST /c/:slug/lending/loans/:id/deposit-claim", with(l, ["id": out]), form: [("reason", "not_returned"), ("note", "")])),
                Try(attempt: SweepAttempt("POST /c/:slug/lending/deposit-claims/:claim/:decision", with(l, ["claim": claim, "decision": "uphold"]))),
                Try(attempt: SweepAttempt("POST /c/:slug/lending/deposit-claims/:claim/:decision", with(l, ["claim": claim, "decision": "reject"]))),
                // A loan's thread is its parties' only: no report, block or moderation by a fellow member.
                Try(attempt: SweepAttempt("POST /c/:slug/thread-messages/:message/report", with(l, ["message": keyMessage]), form: [("reason", "Curieuse")])),
                Try(attempt: SweepAttempt("POST /c/:slug/thread-messages/:message/block", with(l, ["message": keyMessage]))),
                Try(attempt: SweepAttempt("POST /c/:slug/thread-messages/:message/unblock", with(l, ["message": keyMessage]))),
                Try(attempt: SweepAttempt("POST /c/:slug/moderation/:report/hide", with(l, ["report": report]))),
                Try(attempt: SweepAttempt("POST /c/:slug/moderation/:report/dismiss", with(l, ["report": report]))),
            ]
            // Each step on a requested loan, an accepted one and one handed over.
            for (loan, witness) in [(requested, leo), (accepted, leo), (out, manon)] {
                let ll = with(l, ["id": loan])
                tries += [
                    Try(attempt: SweepAttempt("GET /c/:slug/lending/loans/:id", ll), witness: witness, secretShown: loan == accepted),
                    Try(attempt: SweepAttempt("GET /api/v1/cooperatives/:slug/lending/loans/:id", ll), witness: witness, secretShown: loan == accepted),
                    Try(attempt: SweepAttempt("POST /c/:slug/lending/loans/:id/messages", ll, form: [("body", "Je passe le prendre")])),
                    Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/lending/loans/:id/messages", ll, json: #"{"body": "Je passe le prendre"}"#)),
                    Try(attempt: SweepAttempt("POST /c/:slug/threads/:kind/:subject/messages", with(l, ["kind": "loan", "subject": loan]), form: [("body", "Je passe le prendre")])),
                    Try(attempt: SweepAttempt("GET /api/v1/cooperatives/:slug/threads/:kind/:subject", with(l, ["kind": "loan", "subject": loan])),
                        witness: witness, secretShown: loan == accepted),
                    Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/threads/:kind/:subject/messages", with(l, ["kind": "loan", "subject": loan]),
                                              json: #"{"body": "Je passe le prendre"}"#)),
                ]
                for action in LendingStore.Action.allCases {
                    tries.append(Try(attempt: SweepAttempt("POST /c/:slug/lending/loans/:id/:action", with(ll, ["action": action.rawValue]))))
                    tries.append(Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/lending/loans/:id/\(action.rawValue)", ll)))
                }
            }

            let xi = with(x, ["id": listing])
            tries += [
                Try(attempt: SweepAttempt("GET /c/:slug/exchange/:id/edit", xi), witness: jules),
                Try(attempt: SweepAttempt("POST /c/:slug/exchange/:id/edit", xi, form: [
                    ("exchange_type", "offer"), ("item_type", "service"), ("transaction_type[]", "receive-donate"), ("title", "Annonce détournée"),
                    ("description", "Réécrite par une autre personne."), ("scope", "local"), ("commune", "Orvault")])),
                Try(attempt: SweepAttempt("POST /c/:slug/exchange/:id/withdraw", xi)),
                // Ids in the body: Chloé records hours she "gave" Jules, to be paid from his time account.
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/exchange/services", x, json: #"""
                    {"counterpart": "\#(julesID)", "role": "given", "settlement": "hours", "minutes": 300, "description": "Heures inventées", "doneOn": "\#(day(-1))"}
                    """#), refusedStatuses: [403, 404, 422]),
            ]

            let alert = try await row(db.sql.select().column("id").from("carpool_alerts").where("user_id", .equal, SQLBind(ursule.id)))
            let shipyard = try await row(db.sql.select().column("id").from("carpool_communities").where("name", .equal, SQLBind("Chantiers de l’estuaire")))
            let school = try await row(db.sql.select().column("id").from("carpool_communities").where("name", .equal, SQLBind("Parents du lycée de Savenay")))
            let partnerKeyID = try await StandardPartners.create(name: "Covoiturage voisin", in: carpoolID, by: samir.id, on: db).id
            let partnerKey = partnerKeyID.uuidString
            let queried = try await PartnerOperators.add(.init(name: "Covoiturage voisin", baseURL: "https://covoit.example.org/standard", key: "k"),
                                                         in: carpoolID, by: samir.id, on: db).uuidString
            // A partner operator's passenger books a seat in Samir's commute, on its next day.
            var journey: StandardJourneys.Journey?
            for offset in 1...14 where journey == nil {
                let day = LocalZone.paris.localDate(at: Date().addingTimeInterval(Double(offset) * 86_400))
                journey = try await StandardJourneys.find(StandardJourneyID(ad: try #require(UUID(uuidString: commute)), date: day, leg: .outward),
                                                          coop: carpoolID, on: db)
            }
            let commuteJourney = try #require(journey, "Samir's commute travels in the next two weeks")
            let booking = try await StandardBookings.create(id: UUID(), journey: commuteJourney, status: .waitingConfirmation,
                                                            passenger: .init(alias: "Camille", ref: "camille-1", operatorName: "covoit.example.org"),
                                                            pickup: commuteJourney.pickup, drop: commuteJourney.drop, partner: partnerKeyID,
                                                            coop: carpoolID, on: db).id.uuidString
            let cb = ["slug": DemoSlugs.carpool, "id": commute, "booking": booking]
            let madeleine = try await row(db.sql.select().column("id").from(Solidarity.beneficiariesTable).where("cooperative_id", .equal, SQLBind(carpoolID)))
            let market = try await row(db.sql.select().column("id").from(Solidarity.requestsTable).where("status", .equal, SQLBind("handling")))
            let theo = try await SweepPerson.signIn("theo", app)
            let ua = ["slug": DemoSlugs.carpool, "id": alert], cs = ["slug": DemoSlugs.carpool, "id": shipyard]
            let cp = ["slug": DemoSlugs.carpool], ca = ["slug": DemoSlugs.carpool, "id": seat], cd = ["slug": DemoSlugs.carpool, "id": commute]
            tries += [
                Try(attempt: SweepAttempt("GET /c/:slug/carpool/asks/:id", ca), witness: alice, secretShown: true),
                Try(attempt: SweepAttempt("GET /api/v1/cooperatives/:slug/carpool/asks/:id", ca), witness: alice),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/asks/:id/:action", with(ca, ["action": "cancel"]),
                                          form: [("confirmed", "yes"), ("reason", "Annulée par une autre")])),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/carpool/asks/:id/:action", with(ca, ["action": "cancel"]),
                                          json: #"{"reason": "Annulée par une autre"}"#)),
                Try(attempt: SweepAttempt("GET /c/:slug/carpool/ads/:id/withdraw", cd), witness: samir),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/ads/:id/withdraw", cd, form: [("confirmed", "yes")])),
                Try(attempt: SweepAttempt("DELETE /api/v1/cooperatives/:slug/carpool/ads/:id", cd)),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/asks/:id/pay", ca)),
                Try(attempt: SweepAttempt("POST /api/v1/cooperatives/:slug/carpool/asks/:id/pay", ca)),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/asks/:id/review", ca, form: [("body", "Un avis sur un trajet qui n’est pas le mien")])),
                // Ursule's alert: hers alone to pause, resume or delete.
                Try(attempt: SweepAttempt("GET /c/:slug/carpool/alerts/:id/delete", ua), witness: ursule),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/alerts/:id/delete", ua, form: [("confirmed", "yes")])),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/alerts/:id/pause", ua)),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/alerts/:id/resume", ua)),
                Try(attempt: SweepAttempt("DELETE /api/v1/cooperatives/:slug/carpool/alerts/:id", ua)),
                // A community's requests and closing are its managers' and the staff's.
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/communities/:id/people/:person/:answer",
                                          with(cs, ["person": try await id("yasmine").uuidString, "answer": "approve"]))),
                Try(attempt: SweepAttempt("GET /c/:slug/carpool/communities/:id/close", cs), witness: samir),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/communities/:id/close", cs, form: [("confirmed", "yes")])),
                Try(attempt: SweepAttempt("DELETE /api/v1/cooperatives/:slug/carpool/communities/:id", cs)),
                // A partner's key is the staff's to revoke.
                Try(attempt: SweepAttempt("GET /c/:slug/carpool/partners/:id/revoke", with(cp, ["id": partnerKey])), witness: samir),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/partners/:id/revoke", with(cp, ["id": partnerKey]), form: [("confirmed", "yes")])),
                // So are the partner operators the cooperative queries.
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/partners/operators/:id/disable", with(cp, ["id": queried]))),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/partners/operators/:id/enable", with(cp, ["id": queried]))),
                Try(attempt: SweepAttempt("GET /c/:slug/carpool/partners/operators/:id/remove", with(cp, ["id": queried])), witness: samir),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/partners/operators/:id/remove", with(cp, ["id": queried]), form: [("confirmed", "yes")])),
                // A partner's booking in Samir's car is his alone to answer.
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/ads/:id/partner-bookings/:booking/confirm", cb)),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/ads/:id/partner-bookings/:booking/decline", cb)),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/ads/:id/partner-bookings/:booking/completed", cb)),
                Try(attempt: SweepAttempt("GET /c/:slug/carpool/ads/:id/partner-bookings/:booking/cancel", cb), witness: samir),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/ads/:id/partner-bookings/:booking/cancel", cb, form: [("confirmed", "yes")])),
                // Solidarity transport: Madeleine's record and her market trip (Théo is asked) are the coordinators' and Théo's.
                Try(attempt: SweepAttempt("GET /c/:slug/carpool/solidarity/beneficiaries/:id", with(cp, ["id": madeleine])), witness: samir),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/solidarity/beneficiaries/:id/decision", with(cp, ["id": madeleine]),
                                          form: [("decision", "refuse"), ("reason", "Détourné")])),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/solidarity/beneficiaries/:id/requests", with(cp, ["id": madeleine]), form: [("reason", "Santé")])),
                Try(attempt: SweepAttempt("GET /c/:slug/carpool/solidarity/requests/:id", with(cp, ["id": market])), witness: samir),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/solidarity/requests/:id/diary", with(cp, ["id": market]), form: [("kind", "note"), ("note", "Détourné")])),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/solidarity/requests/:id/ask", with(cp, ["id": market]), form: [("volunteer", chloe.id.uuidString)])),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/solidarity/requests/:id/answer", with(cp, ["id": market]),
                                          form: [("volunteer", theo.id.uuidString), ("answer", "yes")])),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/solidarity/requests/:id/done", with(cp, ["id": market]), form: [("km", "10")])),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/solidarity/requests/:id/close", with(cp, ["id": market]), form: [("status", "cancelled")])),
                Try(attempt: SweepAttempt("GET /c/:slug/carpool/solidarity/offers/:id", with(cp, ["id": market])), witness: theo),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/solidarity/offers/:id/accept", with(cp, ["id": market]))),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/solidarity/offers/:id/decline", with(cp, ["id": market]))),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/solidarity/offers/:id/withdraw", with(cp, ["id": market]))),
                Try(attempt: SweepAttempt("GET /c/:slug/carpool/solidarity/volunteers/:person/statement/:year",
                                          with(cp, ["person": ursule.id.uuidString, "year": "\(today.year)"])), witness: samir),
                Try(attempt: SweepAttempt("POST /c/:slug/carpool/relay-points/:id/withdraw",
                                          with(cp, ["id": try await row(db.sql.select().column("id").from("carpool_relay_points"))]))),
            ]

            // Delivery: Océane's bookshop at Coursiers Nantais, its people and deliveries are hers and the staff's
            // (Chloé orders for two other stores there, and is no staff).
            let oceane = try await SweepPerson.signIn("oceane", app)
            let bookshop = try await row(db.sql.select().column("id").from("delivery_stores").where("name", .equal, SQLBind("Librairie Les Bien-Aimés")))
            let bookshopDelivery = try await row(db.sql.select().column("id").from("deliveries")
                .where("store_id", .equal, SQLBind(try #require(UUID(uuidString: bookshop)))).where("status", .equal, SQLBind("todo")))
            let cn = ["slug": "coursiers-nantais"], shop = ["slug": "coursiers-nantais", "store": bookshop]
            let bookshopToken = try await DeliveryAPITokens.create(name: "Caisse", store: try #require(UUID(uuidString: bookshop)), by: nil, on: db).id.uuidString
            tries += [
                Try(attempt: SweepAttempt("GET /c/:slug/delivery/stores/:store", shop), witness: oceane),
                Try(attempt: SweepAttempt("POST /c/:slug/delivery/stores/:store/deliveries", shop,
                                          form: [("pickup_address", "1 rue du Port"), ("pickup_commune", "Nantes"), ("dropoff1_address", "2 rue du Port"),
                                                 ("dropoff1_commune", "Nantes"), ("vehicle", "bike")])),
                Try(attempt: SweepAttempt("POST /c/:slug/delivery/stores/:store/members", shop, form: [("email", chloe.user.email)])),
                Try(attempt: SweepAttempt("GET /c/:slug/delivery/stores/:store/invoices/:month",
                                          with(shop, ["month": InvoiceMonth(LocalZone.paris.localDate(at: Date())).description])), witness: oceane),
                Try(attempt: SweepAttempt("GET /c/:slug/delivery/deliveries/:id", with(cn, ["id": bookshopDelivery])), witness: oceane),
                Try(attempt: SweepAttempt("POST /c/:slug/delivery/deliveries/:id/status", with(cn, ["id": bookshopDelivery]), form: [("to", "cancelled")])),
                Try(attempt: SweepAttempt("POST /c/:slug/delivery/manage/rules/:index/remove", with(cn, ["index": "0"]))),
                Try(attempt: SweepAttempt("GET /c/:slug/delivery/stores/:store/connect", shop), witness: oceane),
                Try(attempt: SweepAttempt("POST /c/:slug/delivery/stores/:store/tokens", shop, form: [("token_name", "Détourné")])),
                Try(attempt: SweepAttempt("POST /c/:slug/delivery/stores/:store/tokens/:token/revoke", with(shop, ["token": bookshopToken]))),
                Try(attempt: SweepAttempt("POST /c/:slug/delivery/stores/:store/webhook", shop, form: [("webhook_url", "https://detourne.example.org/")])),
                Try(attempt: SweepAttempt("POST /c/:slug/delivery/stores/:store/webhook/remove", shop)),
                Try(attempt: SweepAttempt("POST /c/:slug/delivery/stores/:store/import", shop, form: [("file", "pickup_address,dropoff1_address")])),
                Try(attempt: SweepAttempt("GET /c/:slug/delivery/stores/:store/import/template.csv", shop), witness: oceane),
                Try(attempt: SweepAttempt("GET /c/:slug/delivery/stores/:store/proofs", shop, query: "from=2025-01-01&to=2025-12-31"), witness: oceane),
                Try(attempt: SweepAttempt("POST /c/:slug/delivery/stores/:store/invoices/:month/issue", with(shop, ["month": "2025-03"]))),
                Try(attempt: SweepAttempt("POST /c/:slug/delivery/partners/:coop/settle",
                                          with(cn, ["coop": try await Cooperatives.find(slug: "paniers-de-la-sevre", on: db).requireID().uuidString]))),
            ]

            // Emma's notice: opening it (which marks it read) is hers alone.
            try await Inbox.notify(emmaID, Localized(fr: "Un mot pour Emma", en: "A word for Emma"), link: "/c/\(food)", kind: .messages, on: db)
            let emmaNotice = try #require(try await Inbox.latest(for: emmaID, limit: 1, on: db).first?.requireID()).uuidString
            tries.append(Try(attempt: SweepAttempt("GET /notifications/:id/open", ["id": emmaNotice]), witness: emma, ownerIsSentOn: true))

            // Every route naming an object is tried, or open to fellow members with a reason.
            let routes = app.routeKeys
            let named = routes.filter { $0.split(separator: "/").contains { $0.hasPrefix(":") && $0 != ":slug" } }
            let tried = Set(tries.map(\.attempt.route))
            let open = Set(Self.openToFellowMembers.keys)
            let missing = named.subtracting(tried).subtracting(open).subtracting(Self.notAnObject.keys)
            #expect(missing.isEmpty, "routes naming an object that the sweep does not try: \(missing.sorted()) — add an attempt, or list it in openToFellowMembers with why")
            let listed = tried.union(open).union(Self.notAnObject.keys)
            #expect(listed.subtracting(routes).isEmpty, "the sweep names routes the app no longer has: \(listed.subtracting(routes).sorted())")
            #expect(tried.intersection(open).isEmpty, "tried and listed open at once: \(tried.intersection(open).sorted())")

            func leaks(_ body: String) -> Bool {
                body.contains(secret) || body.replacingOccurrences(of: chloe.user.email, with: "").contains("@\(DemoTerritory.domain)")
            }

            // Chloé tries them all: refused, nothing read, nothing changed.
            let before = try await DatabaseSnapshot.take(db)
            for one in tries {
                let response = try await chloe.send(one.attempt)
                #expect(one.refusedStatuses.contains(response.status.code), "\(one.attempt.label) by a fellow member: \(response.status) \(response.gist)")
                #expect(!response.refusedAsForgery, "\(one.attempt.label): refused by the form check, which tries nothing")
                #expect(!leaks(response.body.string), "\(one.attempt.label) shows a fellow member another's private data")
            }
            let changes = try await DatabaseSnapshot.take(db).changes(since: before)
            #expect(changes.isEmpty, "a fellow member's refused requests changed: \(changes.joined(separator: "\n"))")

            // The same paths lead somewhere for those entitled: a refusal is not a wrong address.
            for one in tries where one.attempt.method == .GET {
                guard let witness = one.witness else { continue }
                let response = try await witness.send(one.attempt)
                #expect(response.status == (one.ownerIsSentOn ? .seeOther : .ok), "\(one.attempt.label) for its owner or the staff: \(response.status) \(response.gist)")
                #expect(!one.secretShown || response.body.string.contains(secret), "\(one.attempt.label) shows its owner the private text the sweep looks for")
            }
            #expect(tries.filter { $0.attempt.method == .GET }.allSatisfy { $0.witness != nil }, "every refused read has a witness")

            // The open routes: Chloé may use them on the others' objects, and reads nothing private there.
            let fo = with(f, ["id": openVote])
            let opened: [SweepAttempt] = [
                SweepAttempt("GET /c/:slug/votes/:id", fo), SweepAttempt("GET /c/:slug/votes/:id", with(f, ["id": proposal])),
                SweepAttempt("GET /api/v1/cooperatives/:slug/proposals/:id", fo),
                SweepAttempt("GET /api/v1/cooperatives/:slug/proposals/:id", with(f, ["id": proposal])),
                SweepAttempt("POST /c/:slug/votes/:id/ballot", fo, form: [("position", "agree"), ("reason", "")]),
                SweepAttempt("PUT /api/v1/cooperatives/:slug/proposals/:id/ballot", fo, json: #"{"ballot": {"position": "abstain", "reason": ""}}"#),
                SweepAttempt("GET /c/:slug/votes/:id/ballots.json", with(f, ["id": decided])),
                SweepAttempt("GET /c/:slug/assemblies/:id", with(f, ["id": assembly])),
                SweepAttempt("GET /api/v1/cooperatives/:slug/assemblies/:id", with(f, ["id": assembly])),
                SweepAttempt("GET /c/:slug/assemblies/:id/minutes", with(f, ["id": assembly])),
                SweepAttempt("GET /api/v1/cooperatives/:slug/fees/:activity/split", with(f, ["activity": "food"]), query: "total=1000"),
                SweepAttempt("GET /c/:slug/food/cycles/:cycle", fc),
                SweepAttempt("GET /api/v1/cooperatives/:slug/food/cycles/:cycle/products", fc),
                SweepAttempt("GET /c/:slug/food/photos/:product", fp),
                SweepAttempt("GET /c/:slug/food/producers/:producer/catalog.jsonld", with(f, ["producer": hugoProducer.id.uuidString])),
                SweepAttempt("GET /api/v1/cooperatives/:slug/food/producers/:producer/catalog", with(f, ["producer": hugoProducer.id.uuidString])),
                SweepAttempt("POST /c/:slug/food/cycles/:cycle/cart", fc, form: [("variant", offer.variantID.uuidString), ("quantity", "1"), ("mode", "add")]),
                SweepAttempt("GET /c/:slug/food/cycles/:cycle/cart", fc),
                SweepAttempt("POST /c/:slug/food/cycles/:cycle/checkout", fc, form: [("fulfilment", "delivery"), ("address", "8 allée des Tilleuls"), ("payment", "atPickup")]),
                SweepAttempt("POST /api/v1/cooperatives/:slug/food/cycles/:cycle/orders", fc,
                             json: #"{"lines": [{"variantId": "\#(offer.variantID)", "quantity": 1}], "deliveryAddress": "8 allée des Tilleuls"}"#),
                SweepAttempt("GET /c/:slug/lending/items/:id", li), SweepAttempt("GET /api/v1/cooperatives/:slug/lending/items/:id", li),
                SweepAttempt("GET /c/:slug/lending/items/:id/availability.ics", li), SweepAttempt("GET /c/:slug/lending/photos/:id", li),
                SweepAttempt("POST /c/:slug/lending/items/:id/request", li, form: [("first_day", day(30)), ("last_day", day(31)), ("message", "")]),
                SweepAttempt("POST /api/v1/cooperatives/:slug/lending/items/:id/loans", with(l, ["id": paddle]), json: #"{"firstDay": "\#(day(40))", "lastDay": "\#(day(41))"}"#),
                SweepAttempt("GET /c/:slug/exchange/:id", xi),
                SweepAttempt("GET /c/:slug/barter/offers/:id", with(t, ["id": barterOffer])),
                SweepAttempt("GET /c/:slug/carpool/ads/:id", cd), SweepAttempt("GET /api/v1/cooperatives/:slug/carpool/ads/:id", cd),
                SweepAttempt("POST /c/:slug/carpool/ads/:id/asks", cd, form: [("travel", "\(nextMonday.iso)/outward"), ("seats", "1"), ("ask_seat", "1")]),
                SweepAttempt("POST /api/v1/cooperatives/:slug/carpool/ads/:id/asks", cd, json: #"{"date": "\#(nextMonday.iso)", "leg": "return"}"#),
                SweepAttempt("GET /c/:slug/carpool/communities/:id", cs),
                SweepAttempt("POST /c/:slug/carpool/communities/:id/join", with(cp, ["id": school])),
                SweepAttempt("GET /c/:slug/carpool/communities/:id/leave", with(cp, ["id": school])),
                SweepAttempt("POST /c/:slug/carpool/communities/:id/leave", with(cp, ["id": school]), form: [("confirmed", "yes")]),
                SweepAttempt("POST /api/v1/cooperatives/:slug/carpool/communities/:id/members", with(cp, ["id": school])),
            ]
            #expect(Set(opened.map(\.route)) == open, "each open route is used once: \(open.symmetricDifference(opened.map(\.route)).sorted())")
            for attempt in opened {
                let response = try await chloe.send(attempt)
                #expect(response.status.code < 500 && ![401, 403].contains(response.status.code), "\(attempt.label), open to fellow members: \(response.status) \(response.gist)")
                #expect(!leaks(response.body.string), "\(attempt.label) shows a fellow member another's private data")
            }
            // Where the owners read their private text on those same pages, so the check above had
            // something to find: Léo's reason for keeping his item, Emma's reason for her ballot.
            for (attempt, owner) in [(SweepAttempt("GET /c/:slug/lending/items/:id", li), leo), (SweepAttempt("GET /c/:slug/votes/:id", fo), emma)] {
                #expect(try await owner.send(attempt).body.string.contains(secret), "\(attempt.label) shows its owner their private text")
            }
        }
    }
}
