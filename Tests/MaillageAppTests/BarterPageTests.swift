import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

@Suite("Barter network through its pages: invoice, acceptance, statements", .serialized)
struct BarterPageTests {
    static let slug = "troc-pro-loire-atlantique"
    static let barter = "/c/\(slug)/barter"

    struct Network {
        var coopID: UUID
        var ids: [String: UUID]
        func account(_ handle: String, on db: any Database) async throws -> LedgerAccountRow {
            try await AccountBook.open(.barter, cooperative: coopID, user: ids[handle]!, on: db)
        }
    }

    /// Troc Pro Loire-Atlantique from the demo: 5 % commission paid by the seller, credit lines of 1,000 units.
    func network(_ app: Application) async throws -> Network {
        let coop = try await Cooperatives.find(slug: Self.slug, on: app.db)
        var ids: [String: UUID] = [:]
        for user in try await User.query(on: app.db).all() { ids[String(user.email.prefix { $0 != "@" })] = try user.requireID() }
        return Network(coopID: try coop.requireID(), ids: ids)
    }

    func transferCount(_ coop: UUID, on db: any Database) async throws -> Int {
        struct Count: Decodable { var n: Int }
        return try await db.sql.raw("SELECT COUNT(*) AS n FROM ledger_transfers WHERE cooperative_id = \(bind: coop)").first(decoding: Count.self)?.n ?? -1
    }

    func status(of invoice: String, on db: any Database) async throws -> String? {
        struct Row: Decodable { var status: String }
        return try await db.sql.select().column("status").from("barter_invoices").where("id", .equal, SQLBind(UUID(uuidString: invoice)))
            .first(decoding: Row.self)?.status
    }

    /// The seller fills in the invoice form; returns the invoice page's path.
    func issue(_ seller: Visitor, to buyer: UUID, amount: String, description: String) async throws -> String {
        try await seller.get(Self.barter)
        let sent = try await seller.post(Self.barter + "/invoices", [("buyer", buyer.uuidString), ("amount", amount), ("description", description)])
        #expect(sent.status == .seeOther, "the invoice is issued: \(sent.body.string.prefix(300))")
        return try #require(sent.headers.first(name: .location))
    }

    @Test func aTradeGoesFromTheInvoiceFormToBothStatementsWithTheCommission() async throws {
        try await withMaillage(demo: true) { app in
            // setup
            let net = try await network(app)
            #expect(try await BarterInvoices.network(try await Cooperatives.find(slug: Self.slug, on: app.db), on: app.db).commissionBasisPoints == 500)
            let sellerBefore = try await net.account("bruno", on: app.db).posted
            let buyerBefore = try await net.account("quentin", on: app.db).posted
            let bruno = Visitor(app), quentin = Visitor(app)
            try await bruno.logIn("bruno@demo.maillage.coop")
            try await quentin.logIn("quentin@demo.maillage.coop")

            // act: Bruno invoices Quentin 250 units through the form
            let home = try await bruno.get(Self.barter)
            #expect(home.status == .ok && home.body.string.contains("Émettre une facture"))
            let invoice = try await issue(bruno, to: net.ids["quentin"]!, amount: "250", description: "Livraison de 40 colis")
            let invoiceID = String(invoice.split(separator: "/").last!)
            // Quentin sees it to settle, opens it and accepts.
            let list = try await quentin.get(Self.barter)
            #expect(list.body.string.contains("Factures à régler") && list.body.string.contains("Livraison de 40 colis"))
            let page = try await quentin.get(invoice)
            #expect(page.status == .ok && page.body.string.contains("Accepter et payer"))
            #expect(page.body.string.contains("svg"), "the split between seller and network is drawn")
            let accepted = try await quentin.post(invoice + "/accept", [])
            #expect(accepted.status == .seeOther)
            // A second click does nothing more.
            let twice = try await quentin.post(invoice + "/accept", [])
            #expect(twice.status == .conflict && twice.body.string.contains("Cette facture a déjà été acceptée, refusée ou annulée."))

            // check: buyer −250, seller +250 − 12,50 commission, the network +12,50
            let seller = try await net.account("bruno", on: app.db), buyer = try await net.account("quentin", on: app.db)
            #expect(buyer.posted == buyerBefore - 25_000)
            #expect(seller.posted == sellerBefore + 25_000 - 1_250)
            #expect(try await status(of: invoiceID, on: app.db) == "accepted")
            let statement = try await bruno.get("/c/\(Self.slug)/money/\(seller.id)")
            #expect(statement.status == .ok)
            let html = statement.body.string
            #expect(html.contains("Livraison de 40 colis") && html.contains("Commission · Livraison de 40 colis"), "both legs on the seller's statement")
            #expect(html.contains("+" + Amount.barter(cents: 25_000).formatted(.fr)))
            #expect(html.contains(Amount.barter(cents: -1_250).formatted(.fr)))
            let csv = try await quentin.get("/c/\(Self.slug)/money/\(buyer.id)/statement.csv")
            #expect(csv.status == .ok)
            let row = csv.body.string.split(whereSeparator: \.isNewline).first { $0.contains("Livraison de 40 colis") }
            #expect(row?.contains(Amount.barter(cents: 25_000).plain) == true, "the CSV has the trade: \(String(describing: row))")
            // Each sees only their own statement.
            #expect(try await quentin.get("/c/\(Self.slug)/money/\(seller.id)").status == .notFound)
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
        }
    }

    @Test func declinedAndCancelledInvoicesBookNothing() async throws {
        try await withMaillage(demo: true) { app in
            // setup
            let net = try await network(app)
            let before = try await transferCount(net.coopID, on: app.db)
            let bruno = Visitor(app), alice = Visitor(app), ursule = Visitor(app)
            try await bruno.logIn("bruno@demo.maillage.coop")
            try await alice.logIn("alice@demo.maillage.coop")
            try await ursule.logIn("ursule@demo.maillage.coop")
            let declined = try await issue(bruno, to: net.ids["alice"]!, amount: "80", description: "Course urgente")
            let cancelled = try await issue(bruno, to: net.ids["alice"]!, amount: "120,50", description: "Tournée du samedi")

            // act
            try await alice.get(declined)
            #expect(try await alice.post(declined + "/decline", []).status == .seeOther)
            try await bruno.get(cancelled)
            #expect(try await alice.post(cancelled + "/cancel", []).status == .forbidden, "only the seller withdraws an invoice")
            #expect(try await bruno.post(cancelled + "/accept", []).status == .forbidden, "only the buyer pays it")
            #expect(try await ursule.get(cancelled).status == .notFound, "a member not party to it does not see it")
            #expect(try await bruno.post(cancelled + "/cancel", []).status == .seeOther)
            let late = try await alice.post(declined + "/accept", [])

            // check
            #expect(late.status == .conflict && late.body.string.contains("Cette facture a déjà été acceptée, refusée ou annulée."))
            #expect(try await status(of: String(declined.split(separator: "/").last!), on: app.db) == "declined")
            #expect(try await status(of: String(cancelled.split(separator: "/").last!), on: app.db) == "cancelled")
            #expect(try await transferCount(net.coopID, on: app.db) == before, "nothing booked")
            let mine = try await bruno.get(Self.barter)
            #expect(mine.body.string.contains("Refusée") && mine.body.string.contains("Annulée"))
        }
    }

    @Test func anInvoiceBeyondTheBuyersCreditLineIsRefusedInTheirLanguageAndMovesNothing() async throws {
        try await withMaillage(demo: true) { app in
            // setup: Quentin's line is 1,000 units below zero; 2,000 units is beyond what is left
            let net = try await network(app)
            let buyer = try await net.account("quentin", on: app.db)
            let floor = try #require(buyer.floor)
            #expect(buyer.posted - floor < 200_000)
            let before = try await AccountBook.accounts(of: net.coopID, on: app.db).map(\.posted)
            let bruno = Visitor(app), quentin = Visitor(app)
            try await bruno.logIn("bruno@demo.maillage.coop")
            try await quentin.logIn("quentin@demo.maillage.coop")
            let invoice = try await issue(bruno, to: net.ids["quentin"]!, amount: "2000", description: "Flotte de vélos-cargos")

            // act
            try await quentin.get(invoice)
            let refused = try await quentin.post(invoice + "/accept", [])
            try await quentin.get("/lang/en?back=\(invoice)")
            let refusedInEnglish = try await quentin.post(invoice + "/accept", [])

            // check: a clear message, the invoice still open, nothing moved
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("Solde insuffisant"), "\(refused.body.string.prefix(2000))")
            #expect(refused.body.string.contains(Amount.barter(cents: 200_000).formatted(.fr) + " demandés"))
            #expect(refused.body.string.contains("Accepter et payer"), "the buyer may still accept once their balance allows")
            #expect(refusedInEnglish.status == .conflict && refusedInEnglish.body.string.contains("Insufficient balance"))
            #expect(try await status(of: String(invoice.split(separator: "/").last!), on: app.db) == "issued")
            #expect(try await AccountBook.accounts(of: net.coopID, on: app.db).map(\.posted) == before)
        }
    }

    @Test func aMistakeInTheInvoiceFormIsExplainedAndKeepsWhatWasTyped() async throws {
        try await withMaillage(demo: true) { app in
            let net = try await network(app)
            let before = try await transferCount(net.coopID, on: app.db)
            let bruno = Visitor(app)
            try await bruno.logIn("bruno@demo.maillage.coop")
            try await bruno.get(Self.barter)
            let quentin = net.ids["quentin"]!.uuidString
            let unreadable = try await bruno.post(Self.barter + "/invoices", [("buyer", quentin), ("amount", "beaucoup"), ("description", "Livraison express")])
            #expect(unreadable.status == .unprocessableEntity)
            var html = unreadable.body.string
            #expect(html.contains("Montant illisible"))
            #expect(html.contains(#"value="Livraison express""#) && html.contains(#"value="beaucoup""#), "what was typed is kept")
            #expect(html.contains(#"value="\#(quentin)" selected"#), "the client stays chosen")
            let negative = try await bruno.post(Self.barter + "/invoices", [("buyer", quentin), ("amount", "-50"), ("description", "Remboursement")])
            #expect(negative.status == .unprocessableEntity, "a minus sign is refused, not read as a payment the other way")
            let noBuyer = try await bruno.post(Self.barter + "/invoices", [("buyer", ""), ("amount", "50"), ("description", "Un colis")])
            html = noBuyer.body.string
            #expect(noBuyer.status == .unprocessableEntity && html.contains("Choisissez une entreprise membre du réseau."))
            #expect(html.contains(#"value="50""#) && html.contains(#"value="Un colis""#))
            let toSelf = try await bruno.post(Self.barter + "/invoices", [("buyer", net.ids["bruno"]!.uuidString), ("amount", "50"), ("description", "À moi-même")])
            #expect(toSelf.status == .unprocessableEntity)
            let outsider = try await bruno.post(Self.barter + "/invoices", [("buyer", net.ids["chloe"]!.uuidString), ("amount", "50"), ("description", "Pas membre")])
            #expect(outsider.status == .unprocessableEntity, "Chloé's request is still pending")
            struct Count: Decodable { var n: Int }
            let invoices = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM barter_invoices WHERE description IN ('Livraison express', 'Remboursement', 'Un colis', 'À moi-même', 'Pas membre')")
                .first(decoding: Count.self)?.n
            #expect(invoices == 0)
            #expect(try await transferCount(net.coopID, on: app.db) == before)
        }
    }
}
