import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// A store orders its deliveries from a CSV file: good lines are ordered as the form orders
/// them, each refused line is reported with its number and what to fix, in the person's language.
@Suite("Delivery CSV import: line by line", .serialized)
struct DeliveryCSVTests {
    static let csv = """
        pickup_address;pickup_commune;dropoff1_address;dropoff1_lat;dropoff1_lon;dropoff1_contact;dropoff1_package_type;dropoff1_quantity;dropoff1_doorstep;dropoff1_reference
        12 rue de la Marne, Nantes;Nantes;8 rue Fouré, Nantes;47.2110;-1.5450;Mme Girard;Caisse de légumes;1;oui;CMD-1
        12 rue de la Marne, Nantes;Nantes;;47.2110;-1.5450;M. Tessier;;;;CMD-2
        12 rue de la Marne, Nantes;Nantes;Carquefou;47.2975;-1.4920;Mme Baron;Piano;1;;CMD-3
        12 rue de la Marne, Nantes;Nantes;22 rue Noire, Nantes;47.2240;-1.5530;M. Diallo;Sac isotherme;2;;CMD-4

        """

    static func upload(_ visitor: Visitor, _ path: String, _ text: String) async throws -> TestingHTTPResponse {
        let boundary = "maillage-test-boundary"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(visitor.csrf ?? "")\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"livraisons.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
        body += Data(text.utf8) + Data("\r\n--\(boundary)--\r\n".utf8)
        return try await visitor.app.testing().sendRequest(.POST, path, headers: [
            "Content-Type": "multipart/form-data; boundary=\(boundary)", "Cookie": "maillage_session=\(visitor.cookie ?? "")",
        ], body: ByteBuffer(data: body))
    }

    @Test func goodLinesAreOrderedAndEachRefusedLineSaysWhy() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@\(DemoTerritory.domain)")
            let store = try await DeliveryTests.storeID("Épicerie Le Panier Nantais", app)
            let base = "/c/coursiers-nantais/delivery/stores/\(store)"
            _ = try await chloe.get("\(base)/connect")
            let template = try await chloe.get("\(base)/import/template.csv")
            #expect(template.status == .ok && template.body.string.hasPrefix("pickup_address,pickup_commune"))

            let before = try await DeliveryOrders.deliveries(ofStore: store, on: app.db).count
            let answer = try await Self.upload(chloe, "\(base)/import", Self.csv)
            #expect(answer.status == .seeOther)
            let report = try await chloe.get("\(base)/connect").body.string
            #expect(report.contains("2 livraisons commandées, 2 lignes refusées sur 4"), "\(report)")
            #expect(report.contains("Ligne 3 : dropoff1_address — Indiquez l’adresse."))
            #expect(report.contains("Ligne 4 : dropoff1_package_type — Choisissez un des types de colis de la coopérative."))
            let after = try await DeliveryOrders.deliveries(ofStore: store, on: app.db)
            #expect(after.count == before + 2)
            var dropoffs: [DeliveryTaskRow] = []
            for delivery in after.prefix(2) { dropoffs += try await DeliveryOrders.tasks(of: delivery.id, on: app.db).filter { $0.kind == "dropoff" } }
            #expect(Set(dropoffs.map(\.reference)) == ["CMD-1", "CMD-4"])
            #expect(dropoffs.first { $0.reference == "CMD-1" }?.doorstep == true, "“oui” in the doorstep column")
            #expect(try await DeliveryOrders.events(of: after[0].id, on: app.db).first?.channel == "import")

            // A file without the columns says what it needs; an empty upload asks for a file.
            let headless = try await Self.upload(chloe, "\(base)/import", "a;b\n1;2\n")
            #expect(headless.status == .unprocessableEntity && headless.body.string.contains("pickup_address"))
        }
    }

    @Test func theLineCapHoldsOverHTTPAndTheReportReadsInEnglish() async throws {
        try await withMaillage(demo: true) { app in
            let store = try await DeliveryTests.storeID("Épicerie Le Panier Nantais", app)
            let row = try await DeliverySettings.store(store, in: try await DeliveryTests.coopID(app), on: app.db)
            let many = "pickup_address,dropoff1_address\n" + String(repeating: "a,b\n", count: DeliveryCSVImport.maximumRowsOverHTTP + 1)
            await #expect(throws: DomainError.self) {
                _ = try await DeliveryCSVImport.run(csv: many, store: row, by: .demo, maximumRows: DeliveryCSVImport.maximumRowsOverHTTP, on: app.db)
            }
            let outcome = try await DeliveryCSVImport.run(csv: Self.csv, store: row, by: .demo, on: app.db)
            #expect(outcome.created == 2 && outcome.issues.map(\.line) == [3, 4])
            #expect(outcome.issues[0].message.en == "dropoff1_address — Give the address.")
        }
    }
}
