import Foundation
import Testing
@testable import MaillageCore
import MaillageTestFixtures

/// Catalogs as other platforms publish them: what can be used is imported, what cannot is said.
@Suite struct FoodDFCImportTests {
    static func read(_ name: String, enterprise: String? = nil) throws -> DFCCatalogMapping.Import {
        DFCCatalogMapping.drafts(from: try DFCDocument(data: try Fixtures.data("food/" + name)), defaultCategory: "Épicerie", enterprise: enterprise)
    }

    @Test func aCaseOfSixIsAPackOfTheBottleNotAnotherProduct() throws {
        let result = try Self.read("packs-euro.json")
        #expect(result.issues.isEmpty, "\(result.issues)")
        let item = try #require(result.items.first)
        #expect(result.items.count == 1)
        #expect(item.isForSale)
        #expect(item.draft.name == "Cidre brut" && item.draft.unit == "litre" && item.draft.vatRate == "20")
        #expect(item.draft.variants.map(\.label) == ["Bouteille 75 cl", "Caisse de 6"])
        // The case has no quantity of its own: six bottles' worth.
        #expect(item.draft.variants.map(\.quantity) == ["0.75", "4.5"])
        #expect(item.draft.variants.map(\.price) == ["4.5", "24"])
        // OFN's -1 is "no limit": made to order here.
        #expect(item.draft.variants.map(\.stock) == ["", "12"])
        #expect(item.packs == [.init(variant: 1, base: 0, count: 6)])
        #expect(item.skus == ["CID-75", "CID-C6"])
        #expect(item.imageURL == "http://127.0.0.1:9/cidre.jpg")
        #expect(item.draft.problems().isEmpty)
        #expect(result.producer?.name == "Cidrerie du Val")
    }

    @Test func anHTMLDescriptionBecomesParagraphsOfText() throws {
        let item = try #require(try Self.read("packs-euro.json").items.first)
        #expect(item.draft.description == "Le cidre\n\nFermenté lentement.\nSans sucre ajouté.\n\nVoir la fiche (https://val.example/cidre).")
        #expect(!item.draft.description.contains("<") && !item.draft.description.contains("note interne"))
        #expect(HTMLText.plain("<table><tr><td>Un</td><td>Deux</td></tr></table><ul><li>a &amp; b</li><li>c&#39;est&nbsp;tout</li></ul>")
                == "Un Deux\n\n• a & b\n• c'est tout")
        #expect(HTMLText.plain("3 < 5 et 7 > 2") == "3 < 5 et 7 > 2", "plain text is kept as written")
        #expect(HTMLText.plain("<script>alert(1)</script><p>Bon</p>") == "Bon")
    }

    @Test func packsAreExportedBackAsTransformationsAndReadAgainAsPacks() throws {
        // setup
        let producer = DFCProducer(id: UUID(), name: "Cidrerie du Val")
        let bottle = UUID(), box = UUID()
        let product = Product(id: UUID(), producerID: producer.id, name: "Cidre brut", category: "Boissons", description: "Brut",
                              vatRate: .standard, unit: .litre, variants: [
                                Variant(id: bottle, label: "Bouteille 75 cl", quantity: Measure.parse("0.75")!, priceCents: 450, stock: .onDemand),
                                Variant(id: box, label: "Caisse de 6", quantity: Measure.parse("4.5")!, priceCents: 2400, stock: .tracked(12))])
        // act
        let document = DFCCatalogMapping.document(producer: producer, products: [product], base: "https://maillage.example/api/v1/dfc",
                                                  packs: [box: VariantPack(base: bottle, count: 6)])
        let read = try DFCDocument(data: document.data())
        let again = DFCCatalogMapping.drafts(from: read, defaultCategory: "Boissons")
        // check
        #expect(try JSONLDGraph(data: document.data(), context: .dfc).isIsomorphic(to: JSONLDGraph(data: read.data(), context: .dfc)))
        #expect(read.transformations.count == 1 && read.transformations[0].consumedQuantity == 6 && read.transformations[0].producedQuantity == 1)
        let item = try #require(again.items.first)
        #expect(again.items.count == 1 && item.packs == [.init(variant: 1, base: 0, count: 6)])
        let back = try item.draft.validated(id: product.id, producerID: producer.id) { UUID() }
        #expect(back.variants.map(\.label) == product.variants.map(\.label))
        #expect(back.variants.map(\.quantity) == product.variants.map(\.quantity))
        #expect(back.variants.map(\.priceCents) == [450, 2400] && back.variants.map(\.stock) == [.onDemand, .tracked(12)])
    }

    @Test func aLiteFarmOrganizationWithoutPricesGivesDraftsAndTheFarmsProfile() throws {
        let result = try Self.read("litefarm-farms.json")
        #expect(result.items.map(\.draft.name) == ["Carottes nouvelles", "Œufs"], "the first farm's products only")
        #expect(result.items.allSatisfy { !$0.isForSale })
        let carrots = result.items[0]
        #expect(carrots.priceProblems[0].en.hasSuffix("no price — set the euro price"))
        #expect(carrots.priceProblems[0].fr.hasSuffix("pas de prix — fixez le prix en euros"))
        #expect(carrots.draft.category == "carrot" && carrots.draft.unit == "kilogram" && carrots.draft.variants[0].quantity == "0.5")
        #expect(carrots.draft.description == "Botte de carottes & fanes")
        #expect(result.items[1].draft.unit == "piece" && result.items[1].draft.variants[0].quantity == "6")
        let farm = try #require(result.producer)
        #expect(farm.name == "Ferme du Bocage")
        #expect(farm.description == "Maraîchage sur sol vivant depuis 2012.\n\nVente à la ferme le vendredi.")
        #expect(farm.address == "12 chemin des Haies, 44190 Clisson")
        #expect(farm.email == "contact@bocage.example" && farm.phone == "+33 2 40 00 00 01")
        #expect(farm.labels.sorted() == ["Agriculture biologique", "Organic AB"])
        #expect(farm.links == ["https://instagram.example/fermedubocage"], "a javascript: link is not a link")
        // The second farm of the container, asked by its id.
        let second = try Self.read("litefarm-farms.json", enterprise: "https://api.litefarm.example/dfc/farms/f2")
        #expect(second.items.map(\.draft.name) == ["Pommes Reinette"] && second.producer?.name == "Les Vergers d’Aval")
    }

    @Test func hostileDocumentsAreReadWithoutCrashingAndSayWhatWasLeftOut() throws {
        let result = try Self.read("hostile.json")
        #expect(Set(result.issues.map(\.sourceID)) == ["https://x.example/sp/noname", "https://x.example/sp/blank-name"])
        #expect(result.issues.allSatisfy { $0.message.en == "Product without a name: not imported." })
        let honey = try #require(result.items.first)
        #expect(result.items.count == 1 && result.producer == nil)
        #expect(!honey.isForSale, "a negative price is no price")
        #expect(honey.packs.isEmpty, "1.5 of a product missing from the document is no pack")
        // A stock of 2.5 is kept as written: the form says it is not a whole number.
        #expect(honey.draft.variants[0].stock == "2.5")
        // A huge description is cut to what the product form takes.
        var document = DFCDocument()
        document.suppliedProducts = [DFCSuppliedProduct(id: "https://x.example/sp/long", name: String(repeating: "Nom ", count: 100),
                                                        description: "<p>" + String(repeating: "blabla ", count: 200_000) + "</p>")]
        let long = try #require(DFCCatalogMapping.drafts(from: document, defaultCategory: "X").items.first)
        #expect(long.draft.description.count == 4000 && long.draft.description.hasSuffix("…"))
        #expect(long.draft.name.count <= 120)
        let fields: [String?] = long.draft.problems().errors.map(\.field)
        #expect(Set(fields.compactMap { $0 }).isSubset(of: ["variants[0].price", "vatRate"]), "only what the producer must set: \(fields)")
    }

    @Test func aPriceInPoundsIsADraftThatSaysWhy() throws {
        var document = DFCDocument()
        document.suppliedProducts = [DFCSuppliedProduct(id: "https://x.example/sp/1", name: "Dulse Flakes - Retail pouch, 30g")]
        document.catalogItems = [DFCCatalogItem(id: "https://x.example/ci/1", sku: "MAR/P3", stockLimitation: 5, references: ["https://x.example/sp/1"],
                                                offeredThrough: ["https://x.example/of/1"])]
        document.offers = [DFCOffer(id: "https://x.example/of/1", price: DFCPrice(value: Decimal(string: "6.25"), vatRate: 0,
                                                                                  unit: JSONLDContext.dfc.expand("dfc-m:PoundSterling")))]
        let item = try #require(DFCCatalogMapping.drafts(from: document, defaultCategory: "X").items.first)
        // Listed under the product's name, each line names its variant.
        #expect(item.draft.name == "Dulse Flakes")
        #expect(item.priceProblems.map(\.en) == ["Retail pouch, 30g: price in GBP 6.25 — set the euro price"])
        #expect(item.priceProblems.map(\.fr) == ["Retail pouch, 30g : prix en GBP 6,25 — fixez le prix en euros"])
        #expect(item.draft.variants[0].price == "" && item.draft.variants[0].stock == "5" && item.skus == ["MAR/P3"])
    }

    @Test func anInlineContextWithItsOwnPrefixesAndAliasesIsRead() throws {
        let json = #"""
        {"@context": [{"b": "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#",
                       "name": "b:name", "Product": "b:SuppliedProduct"}],
         "@id": "https://x.example/sp/9", "@type": "Product", "name": "Poireaux"}
        """#
        let document = try DFCDocument(data: Data(json.utf8))
        #expect(document.suppliedProducts.map(\.name) == ["Poireaux"])
    }
}

/// The Open Food Network catalog of `../shared/fixtures` (an enterprise's products in pounds,
/// bottles and their cases, HTML descriptions): read only where the third-party set is present.
@Suite(.tags(.conformance), .enabled(if: Fixtures.conformanceAvailable, Comment(rawValue: Fixtures.conformanceSkipReason)))
struct FoodDFCCatalogConformance {
    @Test func theOpenFoodNetworkCatalogGivesFourProductsWithTheirCasesAsDrafts() throws {
        let document = try DFCDocument(data: try Fixtures.conformance("dfc/ofn-fdc-catalog.json"))
        let result = DFCCatalogMapping.drafts(from: document, defaultCategory: "Épicerie")
        #expect(result.issues.isEmpty, "\(result.issues)")
        #expect(result.items.map(\.draft.name) == ["Apple Balsamic Vinegar", "Baked British Beans", "Chia Seed, Organic", "Dulse Flakes"])
        #expect(result.items.allSatisfy { !$0.isForSale && $0.draft.variants.count == 2 })
        let vinegar = result.items[0]
        #expect(vinegar.draft.variants.map(\.label) == ["Retail bottle, 40ml", "Case, 6 x 40ml"])
        #expect(vinegar.packs == [.init(variant: 1, base: 0, count: 6)])
        #expect(vinegar.priceProblems.map(\.en) == ["Retail bottle, 40ml: price in GBP 6.25 — set the euro price",
                                                    "Case, 6 x 40ml: price in GBP 30.2 — set the euro price"])
        #expect(vinegar.draft.variants.map(\.stock) == ["", "5"] && vinegar.skus == ["LIB/NABVI/BF", "LIB/NABVI/C6"])
        #expect(!vinegar.draft.description.contains("<") && vinegar.draft.description.contains("\n\nHow to use\n\nUse like Italian balsamic vinegar."))
        #expect(vinegar.imageURL?.hasPrefix("https://cdn.shopify.com/") == true)
        // Chia has no transformation in the catalog: its case is a variant by its shared name, not a pack.
        #expect(result.items[2].packs.isEmpty)
        #expect(result.items.filter { !$0.packs.isEmpty }.count == 3)
    }
}
