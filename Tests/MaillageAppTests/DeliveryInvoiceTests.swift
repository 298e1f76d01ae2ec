import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// A store's monthly invoice at Coursiers Nantais: what is billed and how it adds up, the CSV,
/// who may read it, and months that cannot be read.
@Suite("Delivery: a store's monthly invoice", .serialized)
struct DeliveryInvoiceTests {
    static let base = DeliveryTests.base
    static let zone = LocalZone.paris

    /// Records a delivery ordered for `store` and moves it to `status` at 15:00 on `day`, at a
    /// hand-picked price (the invoice bills the price stored when the delivery was ordered).
    static func delivery(_ app: Application, store: UUID, reference: String, cents: Int64, status: DeliveryStatus, on day: LocalDate) async throws {
        let db = app.db
        let coop = try await DeliveryTests.coopID(app)
        let row = try await DeliverySettings.store(store, in: coop, on: db)
        let type = try #require(try await DeliverySettings.packageTypes(of: coop, on: db).first).type
        let draft = DeliveryDraft(tasks: [
            DeliveryTaskDraft(kind: .pickup, address: row.address, point: GeoPoint(lat: row.lat, lon: row.lon)!),
            DeliveryTaskDraft(kind: .dropoff, address: "Place Royale, Nantes", point: GeoPoint(lat: 47.2146, lon: -1.5590)!,
                              packages: [PackageLine(type: type, quantity: 1)], reference: reference),
        ])
        let at = zone.instant(on: day, hour: 15)
        let created = try await DeliveryOrders.create(draft, store: row, by: .demo, on: db, now: at.addingTimeInterval(-7_200))
        try await db.sql.update("deliveries").set("price_cents", to: SQLBind(cents)).where("id", .equal, SQLBind(created.id)).run()
        if status == .cancelled {
            _ = try await DeliveryOrders.move(created.id, in: coop, to: .cancelled, by: .demo, on: db, now: at)
            return
        }
        _ = try await DeliveryOrders.move(created.id, in: coop, to: .doing, by: .demo, on: db, now: at.addingTimeInterval(-600))
        _ = try await DeliveryOrders.move(created.id, in: coop, to: status, reason: status == .failed ? "Destinataire absent" : nil,
                                          by: .demo, on: db, now: at)
    }

    /// March 2025 for the Épicerie: 8,00 + 9,50 (failed: the ride took place) + 12,35 € billed,
    /// a cancelled 50 € not; one more delivery in April.
    static func march(_ app: Application) async throws -> UUID {
        let store = try await DeliveryTests.storeID("Épicerie Le Panier Nantais", app)
        try await delivery(app, store: store, reference: "MARS-A", cents: 800, status: .done, on: LocalDate(year: 2025, month: 3, day: 3)!)
        try await delivery(app, store: store, reference: "MARS-B", cents: 950, status: .failed, on: LocalDate(year: 2025, month: 3, day: 12)!)
        try await delivery(app, store: store, reference: "MARS-C", cents: 1_235, status: .done, on: LocalDate(year: 2025, month: 3, day: 31)!)
        try await delivery(app, store: store, reference: "MARS-ANNULEE", cents: 5_000, status: .cancelled, on: LocalDate(year: 2025, month: 3, day: 20)!)
        try await delivery(app, store: store, reference: "AVRIL-A", cents: 800, status: .done, on: LocalDate(year: 2025, month: 4, day: 1)!)
        return store
    }

    static func signedIn(_ name: String, _ app: Application) async throws -> Visitor {
        let visitor = Visitor(app)
        try await visitor.logIn("\(name)@\(DemoTerritory.domain)")
        _ = try await visitor.get("/account")
        return visitor
    }

    @Test func theMonthsInvoiceBillsDeliveredAndFailedDeliveriesWithVATOnTheTotal() async throws {
        try await withMaillage(demo: true) { app in
            let store = try await Self.march(app)
            let chloe = try await Self.signedIn("chloe", app)
            let page = try await chloe.get("\(Self.base)/stores/\(store)/invoices/2025-03")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains(DeliveryInvoice.number(store: store, month: InvoiceMonth(year: 2025, month: 3)!)))
            #expect(html.contains("Coursiers Nantais") && html.contains("Épicerie Le Panier Nantais"))
            #expect(html.contains("MARS-A") && html.contains("MARS-B") && html.contains("MARS-C"))
            #expect(!html.contains("MARS-ANNULEE") && !html.contains("AVRIL-A"))
            #expect(html.contains("12 rue de la Marne, Nantes → Place Royale, Nantes"))
            // 29,85 € TTC; VAT 2985 × 20/120 = 497,5 → 4,98 €; 24,87 € HT.
            #expect(html.contains("29,85\u{00A0}€"))
            #expect(html.contains("4,98\u{00A0}€"))
            #expect(html.contains("24,87\u{00A0}€"))
            #expect(html.contains("TVA 20\u{00A0}%"))
            #expect(html.contains("les livraisons annulées ne le sont pas"))
            // The store's page lists the months with billed deliveries, each linking to its invoice.
            let storePage = try await chloe.get("\(Self.base)/stores/\(store)").body.string
            #expect(storePage.contains("/stores/\(store)/invoices/2025-03\""))
            #expect(storePage.contains("/stores/\(store)/invoices/2025-04\""))
            #expect(storePage.contains("mars 2025"))
            // The staff see it too.
            let nael = try await Self.signedIn("nael", app)
            #expect(try await nael.get("\(Self.base)/stores/\(store)/invoices/2025-03").status == .ok)
        }
    }

    @Test func theCSVHasAFrenchHeaderOneLinePerDeliveryAndTheTotals() async throws {
        try await withMaillage(demo: true) { app in
            let store = try await Self.march(app)
            let chloe = try await Self.signedIn("chloe", app)
            let response = try await chloe.get("\(Self.base)/stores/\(store)/invoices/2025-03.csv")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            #expect(response.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
            let number = DeliveryInvoice.number(store: store, month: InvoiceMonth(year: 2025, month: 3)!)
            let text = response.body.string.replacingOccurrences(of: "\u{FEFF}", with: "")
            let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines == [
                "facture,date,référence,retrait,livraison,état,prix TTC (€)",
                "\(number),2025-03-03,MARS-A,\"12 rue de la Marne, Nantes\",\"Place Royale, Nantes\",livrée,8.00",
                "\(number),2025-03-12,MARS-B,\"12 rue de la Marne, Nantes\",\"Place Royale, Nantes\",échouée,9.50",
                "\(number),2025-03-31,MARS-C,\"12 rue de la Marne, Nantes\",\"Place Royale, Nantes\",livrée,12.35",
                "\(number),,,,,total HT,24.87",
                "\(number),,,,,TVA 20\u{00A0}%,4.98",
                "\(number),,,,,total TTC,29.85",
            ])
            // `?format=csv` answers the same file.
            let query = try await chloe.get("\(Self.base)/stores/\(store)/invoices/2025-03?format=csv")
            #expect(query.headers.first(name: .contentType)?.hasPrefix("text/csv") == true)
            #expect(query.body.string == response.body.string)
        }
    }

    @Test func anotherStoresPeopleAndOutsidersAreToldItDoesNotExist() async throws {
        try await withMaillage(demo: true) { app in
            let store = try await Self.march(app)
            for name in ["oceane", "paul"] {
                let other = try await Self.signedIn(name, app)
                #expect(try await other.get("\(Self.base)/stores/\(store)/invoices/2025-03").status == .notFound)
                #expect(try await other.get("\(Self.base)/stores/\(store)/invoices/2025-03.csv").status == .notFound)
            }
            let anonymous = try await Visitor(app).get("\(Self.base)/stores/\(store)/invoices/2025-03")
            #expect(anonymous.status != .ok)
            #expect(!anonymous.body.string.contains("MARS-A"))
        }
    }

    @Test func aMonthThatCannotBeReadIsNotFoundWithTheReason() async throws {
        try await withMaillage(demo: true) { app in
            let store = try await DeliveryTests.storeID("Épicerie Le Panier Nantais", app)
            let chloe = try await Self.signedIn("chloe", app)
            for month in ["2026-13", "abc", "2026-1", "2026-00.csv"] {
                let response = try await chloe.get("\(Self.base)/stores/\(store)/invoices/\(month)")
                #expect(response.status == .notFound, "\(month)")
                #expect(response.body.string.contains("Ce mois n’est pas lisible"), "\(month)")
            }
            // A month without deliveries is an empty invoice, not an error.
            let empty = try await chloe.get("\(Self.base)/stores/\(store)/invoices/2020-01")
            #expect(empty.status == .ok)
            #expect(empty.body.string.contains("Aucune livraison facturée ce mois-ci."))
        }
    }
}
