import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// A store's monthly invoice issued and booked in the delivery cooperative's books, once; the
/// proofs of delivery of a period as an archive.
@Suite("Delivery: invoices in the books, proofs of delivery", .serialized)
struct DeliveryBooksTests {
    static let base = DeliveryTests.base
    static let march = InvoiceMonth(year: 2025, month: 3)!

    @Test func issuingTheMonthsInvoiceBooksWhatTheStoreOwesIncludingVAT() async throws {
        try await withMaillage(demo: true) { app in
            // setup: March 2025 bills 29,85 € TTC (24,87 € + 4,98 € VAT) to the Épicerie.
            let store = try await DeliveryInvoiceTests.march(app)
            let coop = try await DeliveryTests.coopID(app)
            let link = "\(Self.base)/stores/\(store)/invoices/2025-03"
            let nael = try await DeliveryInvoiceTests.signedIn("nael", app)
            let before = try await nael.get(link).body.string
            #expect(before.contains("Émettre la facture et la comptabiliser"))
            // act
            let issued = try await nael.post("\(link)/issue", [])
            // check
            #expect(issued.status == .seeOther)
            let page = try await nael.get(link).body.string
            #expect(page.contains("Facture émise le"))
            #expect(page.contains("créance de 29,85\u{00A0}€ sur le compte client de Épicerie Le Panier Nantais"))
            #expect(page.contains("24,87\u{00A0}€ de recettes, 4,98\u{00A0}€ de TVA collectée"))
            #expect(!page.contains("Émettre la facture et la comptabiliser"))
            #expect(try await LedgerFacade.owed(by: .store(store), to: coop, on: app.db) == 2_985)
            let number = DeliveryInvoice.number(store: store, month: Self.march)
            #expect(try await LedgerFacade.isBooked(invoice: number, cooperative: coop, on: app.db))
            // The store's people read that it is issued, but have no button to issue.
            let chloe = try await DeliveryInvoiceTests.signedIn("chloe", app)
            let theirs = try await chloe.get(link).body.string
            #expect(theirs.contains("Facture émise le") && theirs.contains("Reste dû par le magasin"))
            // Issuing again says so and books nothing more.
            _ = try await nael.post("\(link)/issue", [])
            #expect(try await nael.get(link).body.string.contains("était déjà émise"))
            #expect(try await LedgerFacade.owed(by: .store(store), to: coop, on: app.db) == 2_985)
        }
    }

    @Test func issuingConcurrentlyBooksTheInvoiceOnce() async throws {
        try await withMaillage(demo: true) { app in
            let store = try await DeliveryInvoiceTests.march(app)
            let coop = try await DeliveryTests.coopID(app)
            let row = try await DeliverySettings.store(store, in: coop, on: app.db)
            let db = app.db
            // act: eight staff clicks at once.
            let firsts = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 { group.addTask { try await DeliveryBooks.issue(store: row, month: Self.march, by: nil, on: db).issuedNow } }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            // check
            #expect(firsts == 1)
            #expect(try await LedgerFacade.owed(by: .store(store), to: coop, on: db) == 2_985)
            struct Count: Decodable { var n: Int }
            let rows = try await db.sql.raw("SELECT COUNT(*) AS n FROM delivery_issued_invoices WHERE store_id = \(bind: store)").first(decoding: Count.self)
            #expect(rows?.n == 1)
            let number = DeliveryInvoice.number(store: store, month: Self.march)
            let transfers = try await db.sql.raw("SELECT COUNT(*) AS n FROM ledger_transfers WHERE idempotency_key LIKE \(bind: "invoice:%:\(number):%")")
                .first(decoding: Count.self)
            #expect(transfers?.n == 2)
        }
    }

    @Test func onlyStaffIssueAndOnlyOnceTheMonthIsOverWithSomethingBilled() async throws {
        try await withMaillage(demo: true) { app in
            let store = try await DeliveryInvoiceTests.march(app)
            let coop = try await DeliveryTests.coopID(app)
            let chloe = try await DeliveryInvoiceTests.signedIn("chloe", app)
            #expect(try await chloe.post("\(Self.base)/stores/\(store)/invoices/2025-03/issue", []).status == .forbidden)
            #expect(try await LedgerFacade.owed(by: .store(store), to: coop, on: app.db) == 0)
            let nael = try await DeliveryInvoiceTests.signedIn("nael", app)
            let empty = try await nael.post("\(Self.base)/stores/\(store)/invoices/2020-01/issue", [])
            #expect(empty.status == .conflict)
            #expect(empty.body.string.contains("Aucune livraison n’est facturée ce mois-ci"))
            let current = InvoiceMonth(LocalZone.paris.localDate(at: Date()))
            let early = try await nael.post("\(Self.base)/stores/\(store)/invoices/\(current)/issue", [])
            #expect(early.status == .conflict)
            #expect(early.body.string.contains("Ce mois n’est pas terminé"))
        }
    }

    @Test func theProofBundleHoldsEachDeliverysHistoryRecipientAndAnIndex() async throws {
        try await withMaillage(demo: true) { app in
            let store = try await DeliveryInvoiceTests.march(app)
            let chloe = try await DeliveryInvoiceTests.signedIn("chloe", app)
            let response = try await chloe.get("\(Self.base)/stores/\(store)/proofs?from=2025-03-01&to=2025-03-31")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType) == "application/x-tar")
            let files = Self.untar(Data(buffer: response.body))
            let index = try #require(files.first { $0.key.hasSuffix("/index.csv") }?.value)
            let lines = index.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            // Three finished deliveries in March (the cancelled one and April's are not there).
            #expect(lines.count == 4)
            #expect(lines[0].contains("destinataire") && lines[0].contains("remise à"))
            #expect(index.contains("MARS-A") && index.contains("MARS-B") && index.contains("Destinataire absent"))
            #expect(!index.contains("MARS-ANNULEE") && !index.contains("AVRIL-A"))
            let proof = try #require(files.first { $0.key.contains("MARS-A") && $0.key.hasSuffix(".json") }?.value)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(proof.utf8)) as? [String: Any])
            #expect(json["etat"] as? String == "done")
            #expect(json["remise_a"] as? String == "2025-03-03T14:00:00Z")
            let history = try #require(json["historique"] as? [[String: Any]])
            #expect(history.map { $0["vers"] as? String } == ["todo", "doing", "done"])
            // The store's copy leaves out the network addresses changes came from; the staff's has them.
            #expect(history.allSatisfy { $0["adresse_reseau"] == nil })
            let nael = try await DeliveryInvoiceTests.signedIn("nael", app)
            let staffFiles = Self.untar(Data(buffer: try await nael.get("\(Self.base)/stores/\(store)/proofs?from=2025-03-01&to=2025-03-31").body))
            let staffProof = try #require(staffFiles.first { $0.key.contains("MARS-A") && $0.key.hasSuffix(".json") }?.value)
            #expect(staffProof.contains("adresse_reseau"))
            // The invoice page links the month's bundle.
            #expect(try await chloe.get("\(Self.base)/stores/\(store)/invoices/2025-03").body.string
                .contains("/stores/\(store)/proofs?from=2025-03-01&"))
        }
    }

    @Test func aPeriodThatCannotBeReadIsRefusedWithTheReasonAndOutsidersSeeNothing() async throws {
        try await withMaillage(demo: true) { app in
            let store = try await DeliveryInvoiceTests.march(app)
            let chloe = try await DeliveryInvoiceTests.signedIn("chloe", app)
            for (query, words) in [("from=2025-13-01&to=2025-03-31", "n’est pas lisible"), ("from=2025-03-31&to=2025-03-01", "après son début"),
                                   ("from=2023-01-01&to=2025-03-31", "au plus un an"), ("", "n’est pas lisible")] {
                let response = try await chloe.get("\(Self.base)/stores/\(store)/proofs?\(query)")
                #expect(response.status == .unprocessableEntity, "\(query)")
                #expect(response.body.string.contains(words), "\(query)")
            }
            let oceane = try await DeliveryInvoiceTests.signedIn("oceane", app)
            #expect(try await oceane.get("\(Self.base)/stores/\(store)/proofs?from=2025-03-01&to=2025-03-31").status == .notFound)
        }
    }

    /// The files of a ustar archive, by path, read as UTF-8 (a byte order mark taken off).
    static func untar(_ data: Data) -> [String: String] {
        var files: [String: String] = [:], offset = 0
        let bytes = [UInt8](data)
        while offset + 512 <= bytes.count {
            let header = bytes[offset..<offset + 512]
            guard header.contains(where: { $0 != 0 }) else { break }
            let name = String(decoding: header.prefix(100).prefix { $0 != 0 }, as: UTF8.self)
            let sizeText = String(decoding: bytes[offset + 124..<offset + 136].prefix { $0 != 0 }, as: UTF8.self)
            let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 8) ?? 0
            let content = bytes[offset + 512..<offset + 512 + size]
            files[name] = String(decoding: content, as: UTF8.self).replacingOccurrences(of: "\u{FEFF}", with: "")
            offset += 512 + (size + 511) / 512 * 512
        }
        return files
    }
}
