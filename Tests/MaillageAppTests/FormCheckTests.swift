import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import Testing
import VaporTesting

/// The form check (CSRF) reads its token from every form the pages send, including the product
/// form, whose variant fields (`variants[0].label`) Vapor's form decoder refuses as a whole.
@Suite("Form check: the token is read from every form the pages send", .serialized)
struct FormCheckTests {
    static let product: [(String, String)] = [
        ("name", "Cidre brut"), ("category", "Fruits"), ("description", "Cidre fermier, bouché."), ("vatRate", "5,5"), ("unit", "pièce"),
        ("variants[0].label", "75 cl"), ("variants[0].quantity", "1"), ("variants[0].price", "4,50"), ("variants[0].stock", ""),
    ]

    @Test func aProducerSavesAProductWithItsVariants() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            try await visitor.logIn("gaelle@\(DemoTerritory.domain)")
            try await visitor.get("/c/paniers-de-la-sevre/food/products/new")
            let forged = try await visitor.post("/c/paniers-de-la-sevre/food/products", Self.product, withToken: false)
            #expect(forged.status == .forbidden, "a form without the session's token is refused")
            let saved = try await visitor.post("/c/paniers-de-la-sevre/food/products", Self.product)
            #expect(saved.status == .seeOther, "the product form passes the form check: \(saved.status)")
            let coopID = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db).requireID()
            let gaelle = try #require(try await User.query(on: app.db).filter(\.$email == "gaelle@\(DemoTerritory.domain)").first()?.requireID())
            let producer = try #require(try await FoodCatalogStore.producer(user: gaelle, in: coopID, on: app.db))
            #expect(try await FoodCatalogStore.products(of: producer.id, on: app.db).contains { $0.name == "Cidre brut" }, "and the product is saved")
        }
    }
}
