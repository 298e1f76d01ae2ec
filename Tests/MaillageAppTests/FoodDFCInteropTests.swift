import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import MaillageApp
@testable import MaillageCore
import MaillageTestFixtures

/// A producer who keeps their catalog on another platform (Open Food Network, LiteFarm) brings it
/// here: priced products go on sale, the others wait as drafts that say why, cases stay packs of
/// their bottles, and the farm's profile follows.
@Suite struct FoodDFCInteropTests {
    static func signedIn(_ app: Application, _ user: User) async throws -> Visitor {
        let visitor = Visitor(app)
        user.passwordHash = try app.password.hash("un mot de passe solide")
        try await user.save(on: app.db)
        try await visitor.logIn(user.email, password: "un mot de passe solide")
        return visitor
    }

    static func importing(_ client: APIClient, _ shop: FoodTests.Shop, _ document: String, query: String = "") async throws -> TestingHTTPResponse {
        try await client.send(.POST, shop.path + "/producers/\(shop.producer.id)/catalog" + query, json: document)
    }

    @Test func aCatalogWithCasesIsImportedAsOneProductWithItsPackAndServedBackTheSameWay() async throws {
        try await withMaillage { app in
            // setup
            let shop = try await FoodTests().shop(app, shoppers: 1)
            let client = APIClient(app: app, token: try await Tokens.create(for: shop.producerUser, name: "dfc", on: app.db))
            let document = try Fixtures.string("food/packs-euro.json")
            // act
            let imported = try await Self.importing(client, shop, document)
            // check
            #expect(imported.status == .ok, "\(imported.body.string.prefix(600))")
            #expect(imported.json["created"] as? Int == 1 && imported.json["drafts"] as? Int == 0)
            let products = try await FoodCatalogStore.products(of: shop.producer.id, on: app.db)
            let cider = try #require(products.first { $0.name == "Cidre brut" })
            #expect(cider.variants.map(\.label) == ["Bouteille 75 cl", "Caisse de 6"] && cider.variants.map(\.priceCents) == [450, 2400])
            #expect(cider.description.hasPrefix("Le cidre\n\nFermenté lentement."), "no tags kept: \(cider.description)")
            struct Photo: Decodable { var photo_type: String? }
            let photo = try await app.db.sql.select().column("photo_type").from("food_products").where("id", .equal, SQLBind(cider.id)).first(decoding: Photo.self)
            #expect(photo?.photo_type == nil, "an image the safe fetcher may not reach leaves the product without a photo")
            // Served back: the case is made of six bottles, as OFN reads it.
            let served = try await app.testing().sendRequest(.GET, shop.path + "/producers/\(shop.producer.id)/catalog")
            let back = try DFCDocument(data: Data(served.body.string.utf8))
            let transformation = try #require(back.transformations.first)
            #expect(back.transformations.count == 1 && transformation.consumedQuantity == 6 && transformation.producedQuantity == 1)
            #expect(transformation.consumes.hasSuffix(cider.variants[0].id.uuidString.lowercased()))
            #expect(transformation.produces.hasSuffix(cider.variants[1].id.uuidString.lowercased()))
            let again = DFCCatalogMapping.drafts(from: back, defaultCategory: "X")
            #expect(again.items.count == products.count && again.items.first { $0.draft.name == "Cidre brut" }?.packs == [.init(variant: 1, base: 0, count: 6)])
            // Renamed here, then imported again: matched by its catalog id, not duplicated.
            var renamed = cider.draft
            renamed.name = "Cidre brut de la Cidrerie"
            _ = try await FoodCatalogStore.save(renamed, id: cider.id, producer: shop.producer, on: app.db)
            let updated = try await Self.importing(client, shop, document.replacingOccurrences(of: #""4.50""#, with: #""4.80""#))
            #expect(updated.json["created"] as? Int == 0 && updated.json["updated"] as? Int == 1, "\(updated.body.string.prefix(400))")
            let after = try await FoodCatalogStore.products(of: shop.producer.id, on: app.db)
            #expect(after.count == products.count)
            #expect(after.first { $0.id == cider.id }?.variants.map(\.priceCents) == [480, 2400])
            #expect(after.first { $0.id == cider.id }?.variants.map(\.id) == cider.variants.map(\.id), "the same variants, their stock counts kept")
        }
    }

    @Test func aLiteFarmFarmBecomesTheProducersProfileAndItsProductsDraftsToPrice() async throws {
        try await withMaillage { app in
            // setup
            let shop = try await FoodTests().shop(app, shoppers: 1)
            let client = APIClient(app: app, token: try await Tokens.create(for: shop.producerUser, name: "dfc", on: app.db))
            // act
            let imported = try await Self.importing(client, shop, try Fixtures.string("food/litefarm-farms.json"))
            // check
            #expect(imported.status == .ok, "\(imported.body.string.prefix(600))")
            #expect(imported.json["created"] as? Int == 0 && imported.json["drafts"] as? Int == 2)
            let messages = (imported.json["issues"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            #expect(messages.count == 2 && messages.allSatisfy { $0.hasSuffix("pas de prix — fixez le prix en euros") }, "\(messages)")
            let producer = try await FoodCatalogStore.producer(shop.producer.id, in: shop.coop.requireID(), on: app.db)
            #expect(producer.name == "Ferme du Bocage" && producer.description.hasPrefix("Maraîchage sur sol vivant"))
            let onSale = try await FoodCatalogStore.products(of: shop.producer.id, on: app.db)
            #expect(onSale.map(\.name) == ["Pommes"], "drafts are not for sale")
            // The producer's page lists the drafts with why, and the farm's labels and address.
            let visitor = try await Self.signedIn(app, shop.producerUser)
            let page = try await visitor.get("/c/\(shop.coop.slug)/food/products?producer=\(shop.producer.id)").body.string
            #expect(page.contains("2 brouillons à chiffrer en euros") && page.contains("Carottes nouvelles"))
            #expect(page.contains("Agriculture biologique") && page.contains("12 chemin des Haies, 44190 Clisson"))
            #expect(!page.contains("javascript:"))
            let drafts = try await FoodDFCImport.drafts(of: shop.producer.id, on: app.db)
            let carrots = try #require(drafts.first { $0.content.draft.name == "Carottes nouvelles" })
            // Pricing it in the product form puts it on sale and removes the draft.
            let form = try await visitor.get("/c/\(shop.coop.slug)/food/products/new?producer=\(shop.producer.id)&draft=\(carrots.id)").body.string
            #expect(form.contains("Carottes nouvelles") && form.contains(carrots.id.uuidString))
            let created = try await visitor.post("/c/\(shop.coop.slug)/food/products?producer=\(shop.producer.id)", [
                ("draft", carrots.id.uuidString), ("name", "Carottes nouvelles"), ("category", "carrot"), ("description", carrots.content.draft.description),
                ("vatRate", "5,5"), ("unit", "kg"), ("variants[0].label", carrots.content.draft.variants[0].label),
                ("variants[0].quantity", "0,5"), ("variants[0].price", "2,40"), ("variants[0].stock", "")])
            #expect(created.status == .seeOther, "\(created.body.string.prefix(600))")
            let priced = try await FoodCatalogStore.products(of: shop.producer.id, on: app.db)
            #expect(priced.map(\.name).sorted() == ["Carottes nouvelles", "Pommes"])
            #expect(try await FoodDFCImport.drafts(of: shop.producer.id, on: app.db).map(\.content.draft.name) == ["Œufs"])
            // Imported again, the priced product is matched by its catalog id and stays a product.
            let again = try await Self.importing(client, shop, try Fixtures.string("food/litefarm-farms.json"))
            #expect(again.json["drafts"] as? Int == 1, "\(again.body.string.prefix(400))")
        }
    }

    @Test func hostileOrEmptyDocumentsAreAnsweredWithoutAServerError() async throws {
        try await withMaillage { app in
            let shop = try await FoodTests().shop(app, shoppers: 1)
            let client = APIClient(app: app, token: try await Tokens.create(for: shop.producerUser, name: "dfc", on: app.db))
            let hostile = try await Self.importing(client, shop, try Fixtures.string("food/hostile.json"))
            #expect(hostile.status == .ok && hostile.json["drafts"] as? Int == 1, "\(hostile.body.string.prefix(600))")
            for body in [#"{"@graph": 3}"#, "not json", #"{"@graph": [1]}"#] {
                let answer = try await Self.importing(client, shop, body)
                #expect(answer.status.code >= 400 && answer.status.code < 500, "\(body) → \(answer.status)")
            }
            // An empty catalog is read as one: nothing to import, said so.
            for body in ["[]", #"{"@context": {"x": 1}, "@graph": []}"#] {
                let answer = try await Self.importing(client, shop, body)
                #expect(answer.status == .ok && answer.json["created"] as? Int == 0 && answer.json["drafts"] as? Int == 0, "\(body) → \(answer.status)")
            }
            let huge = #"{"@type": "dfc-b:SuppliedProduct", "@id": "https://x.example/h", "dfc-b:name": "Long", "dfc-b:description": ""#
                + String(repeating: "<p>très long</p>", count: 150_000) + #""}"#
            let long = try await Self.importing(client, shop, huge)
            #expect(long.status == .ok, "\(long.body.string.prefix(300))")
        }
    }
}

/// The Open Food Network catalog of `../shared/fixtures`, imported over HTTP.
@Suite(.tags(.conformance), .enabled(if: Fixtures.conformanceAvailable, Comment(rawValue: Fixtures.conformanceSkipReason)))
struct FoodDFCImportConformance {
    @Test func theOpenFoodNetworkCatalogInPoundsGivesFourDraftsThatSayWhy() async throws {
        try await withMaillage { app in
            let shop = try await FoodTests().shop(app, shoppers: 1)
            let client = APIClient(app: app, token: try await Tokens.create(for: shop.producerUser, name: "dfc", on: app.db))
            let document = String(decoding: try Fixtures.conformance("dfc/ofn-fdc-catalog.json"), as: UTF8.self)
            let imported = try await FoodDFCInteropTests.importing(client, shop, document, query: "")
            #expect(imported.status == .ok, "\(imported.body.string.prefix(600))")
            #expect(imported.json["drafts"] as? Int == 4 && imported.json["created"] as? Int == 0)
            let messages = (imported.json["issues"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
            #expect(messages.contains("Retail bottle, 40ml : prix en GBP 6,25 — fixez le prix en euros"), "\(messages)")
            let drafts = try await FoodDFCImport.drafts(of: shop.producer.id, on: app.db)
            #expect(drafts.count == 4 && drafts.allSatisfy { $0.content.draft.variants.count == 2 })
            #expect(drafts.filter { !$0.content.packs.isEmpty }.count == 3)
        }
    }
}
