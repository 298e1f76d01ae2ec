import Foundation
import Testing
@testable import MaillageCore
import MaillageTestFixtures

/// The DFC context and documents as the standard's own repositories publish them.
@Suite(.tags(.conformance), .enabled(if: Fixtures.conformanceAvailable, Comment(rawValue: Fixtures.conformanceSkipReason)))
struct DFCConformance {
    @Test func theVendoredContextIsTheFixtureContext() throws {
        let context = try JSONLDContext(contextDocument: try Fixtures.conformance("dfc/context_1.16.0.json"))
        #expect(context == .dfc)
        #expect(context.idProperties.count == 159)
        #expect(context.expand("dfc-b:Offer") == "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#Offer")
        #expect(context.compact(context.expand("dfc-m:Kilogram")) == "dfc-m:Kilogram")
        #expect(context.expand("http://myplatform.com/offer1") == "http://myplatform.com/offer1")
        #expect(context.expand("_:b1") == "_:b1")
    }

    /// The copies bundled with the tests are the standard's documents, unchanged.
    @Test(arguments: ["Address.jsonld", "Catalog.jsonld", "CatalogItem.jsonld", "CustomerCategory.jsonld", "Enterprise.jsonld",
                      "Offer.jsonld", "SuppliedProduct.jsonld", "ofn-product.GET.json", "ofn-send-backorder.json"])
    func theBundledCopyIsTheStandardsDocument(_ name: String) throws {
        #expect(try Fixtures.data("dfc/" + name) == (try Fixtures.conformance("dfc/" + name)))
    }
}

@Suite struct FoodDFCTests {
    static func fixture(_ name: String) throws -> Data { try Fixtures.data("dfc/" + name) }

    static func graph(_ json: String) throws -> JSONLDGraph { try JSONLDGraph(data: Data(json.utf8), context: .dfc) }

    /// Each catalog fixture, read into the typed model and written back, says the same as the
    /// original, compared as RDF graphs.
    @Test(arguments: ["Address.jsonld", "Catalog.jsonld", "CatalogItem.jsonld", "CustomerCategory.jsonld", "Enterprise.jsonld",
                      "Offer.jsonld", "SuppliedProduct.jsonld", "ofn-product.GET.json"])
    func catalogFixturesRoundTripAsGraphs(_ name: String) throws {
        // setup
        let original = try JSONLDGraph(data: try Self.fixture(name), context: .dfc)
        // act
        let document = DFCDocument(graph: original)
        let exported = document.data()
        // check
        let again = try JSONLDGraph(data: exported, context: .dfc)
        #expect(!original.triples.isEmpty)
        #expect(again.canonicalStatements() == original.canonicalStatements())
        #expect(again.isIsomorphic(to: original))
        let root = try #require(try JSONSerialization.jsonObject(with: exported) as? [String: Any])
        #expect(root["@context"] as? String == "https://www.datafoodconsortium.org")
    }

    @Test func theSuppliedProductFixtureIsReadInFull() throws {
        let document = try DFCDocument(data: try Self.fixture("SuppliedProduct.jsonld"))
        let tomato = try #require(document.suppliedProducts.first)
        #expect(tomato.id == "http://myplatform.com/tomato")
        #expect(tomato.quantity == DFCQuantity(unit: JSONLDContext.dfc.expand("dfc-m:Kilogram"), value: Decimal(string: "1.2")))
        #expect(tomato.certifications.map(JSONLDContext.dfc.compact) == ["dfc-f:Organic-AB", "dfc-f:Organic-EU"])
        #expect(tomato.characteristics.count == 3)
        #expect(tomato.totalTheoreticalStock == Decimal(string: "2.23"))
        #expect(tomato.images.count == 2)
    }

    @Test func orderFixturesParseButAreNotPartOfTheCatalog() throws {
        for name in ["Order.jsonld", "OrderLine.jsonld", "SaleSession.jsonld", "Person.jsonld", "Price.jsonld", "QuantitativeValue.jsonld",
                     "AllergenCharacteristic.jsonld", "NutrientCharacteristic.jsonld", "PhysicalCharacteristic.jsonld"] {
            let document = try DFCDocument(data: try Self.fixture(name))
            #expect(document.enterprises.isEmpty && document.suppliedProducts.isEmpty && document.catalogItems.isEmpty, "\(name)")
        }
        // The backorder's offer is still read, with its price written as a JSON number.
        let backorder = try DFCDocument(data: try Self.fixture("ofn-send-backorder.json"))
        #expect(backorder.offers.first?.price?.value == Decimal(string: "19.99"))
    }

    @Test func graphsCompareWhateverTheOrderBlankLabelsAndNumberForms() throws {
        let a = try Self.graph("""
        {"@context":"https://www.datafoodconsortium.org","@graph":[
         {"@id":"_:b1","@type":"dfc-b:Price","dfc-b:value":"2.54","dfc-b:hasUnit":"dfc-m:Euro"},
         {"@id":"http://x/offer","@type":"dfc-b:Offer","dfc-b:hasPrice":"_:b1"}]}
        """)
        let b = try Self.graph("""
        {"@context":"https://www.datafoodconsortium.org","@type":"dfc-b:Offer","@id":"http://x/offer",
         "dfc-b:hasPrice":{"dfc-b:hasUnit":{"@id":"dfc-m:Euro"},"@type":"dfc-b:Price","dfc-b:value":2.540}}
        """)
        #expect(a.isIsomorphic(to: b))
        let c = try Self.graph("""
        {"@context":"https://www.datafoodconsortium.org","@id":"http://x/offer","@type":"dfc-b:Offer",
         "dfc-b:hasPrice":{"@id":"_:zz","@type":"dfc-b:Price","dfc-b:value":"2.55","dfc-b:hasUnit":"dfc-m:Euro"}}
        """)
        #expect(!a.isIsomorphic(to: c))
        // A code is not a number: "00001" and "1" differ.
        #expect(!(try Self.graph(#"{"@id":"http://a","dfc-b:hasPostalCode":"00001"}"#)).isIsomorphic(to: try Self.graph(#"{"@id":"http://a","dfc-b:hasPostalCode":"1"}"#)))
        // A plain string is a reference only where the context says so.
        let literal = try Self.graph(#"{"@id":"http://a","dfc-b:name":"http://b"}"#)
        #expect(literal.triples.first?.object == .literal("http://b"))
        let reference = try Self.graph(#"{"@id":"http://a","dfc-b:references":"http://b"}"#)
        #expect(reference.triples.first?.object == .iri("http://b"))
        #expect(throws: DomainError.notJSONLD) { try Self.graph("[1, 2]") }
        #expect(throws: DomainError.notJSONLD) { try Self.graph("not json") }
    }

    @Test func anOpenFoodNetworkCatalogBecomesADraftToReview() throws {
        let document = try DFCDocument(data: try Self.fixture("ofn-product.GET.json"))
        let result = DFCCatalogMapping.drafts(from: document, defaultCategory: "Viande")
        #expect(result.issues.isEmpty)
        let item = try #require(result.items.first)
        #expect(result.items.count == 1)
        #expect(item.sourceIDs == ["https://example-producer.jcloud-ver-jpe.ik-server.com/api/dfc/Enterprises/5c21b9-95/SuppliedProducts/49055026544964"])
        #expect(item.draft.name == "Fillet Steak" && item.draft.variants.map(\.label) == ["201g x 1 Steak"])
        #expect(item.draft.category == "Viande" && item.draft.unit == "kilogram")
        // A zero quantity means "not given": one item.
        #expect(item.draft.variants[0].quantity == "1")
        #expect(item.draft.variants[0].price == "12.06" && item.draft.variants[0].stock == "11")
        // OFN's test shop uses a 1 % VAT rate, which France does not have: the review form says so.
        #expect(item.draft.vatRate == "1")
        #expect(item.draft.problems().errors.map(\.field) == ["vatRate"])
    }

    @Test func aCatalogExportedToDFCImportsBackAsTheSameProducts() throws {
        // setup
        let producer = DFCProducer(id: FoodWorld.farm, name: "Ferme des Prés", description: "Maraîchage bio", vatNumber: "FR00123456789")
        let farmProducts = FoodWorld.products.filter { $0.producerID == FoodWorld.farm }
        // act
        let document = DFCCatalogMapping.document(producer: producer, products: FoodWorld.products, base: "https://maillage.example/api/v1/dfc")
        let read = try DFCDocument(data: document.data())
        let result = DFCCatalogMapping.drafts(from: read, defaultCategory: "Fruits")
        // check
        #expect(read == document)
        #expect(document.suppliedProducts.count == 3 && document.offers.count == 3 && document.catalogItems.count == 3)
        #expect(document.enterprises.first?.supplies.count == 3)
        #expect(result.issues.isEmpty)
        #expect(result.items.count == farmProducts.count)
        let byName = Dictionary(uniqueKeysWithValues: result.items.map { ($0.draft.name, $0) })
        for product in farmProducts {
            let item = try #require(byName[product.name])
            let again = try item.draft.validated(id: product.id, producerID: product.producerID) { UUID() }
            #expect(again.name == product.name && again.vatRate == product.vatRate && again.unit == product.unit)
            #expect(again.variants.map(\.label) == product.variants.map(\.label))
            #expect(again.variants.map(\.priceCents) == product.variants.map(\.priceCents))
            #expect(again.variants.map(\.stock) == product.variants.map(\.stock))
            #expect(again.variants.map(\.quantity) == product.variants.map(\.quantity))
        }
        let offer = try #require(read.offers.first { $0.id.hasSuffix("\(FoodWorld.id(101).uuidString.lowercased())/offer") })
        #expect(offer.price == DFCPrice(value: Decimal(string: "3.5"), vatRate: Decimal(string: "5.5"), unit: JSONLDContext.dfc.expand("dfc-m:Euro")))
    }

    @Test func productsInAnotherCurrencyOrWithoutPriceAreReported() throws {
        // OFN's backorder fixture prices its apple in Australian dollars.
        let backorder = try DFCDocument(data: try Self.fixture("ofn-send-backorder.json"))
        // Both are kept as drafts, not for sale until the producer sets a euro price, each saying why.
        let result = DFCCatalogMapping.drafts(from: backorder, defaultCategory: "Fruits")
        let apple = try #require(result.items.first)
        #expect(result.items.count == 1 && !apple.isForSale && apple.draft.name == "Apple" && apple.draft.variants[0].price == "")
        #expect(apple.priceProblems.count == 1 && apple.priceProblems[0].en.hasSuffix(": price in AUD 19.99 — set the euro price"), "\(apple.priceProblems)")
        var priceless = DFCDocument()
        priceless.suppliedProducts = [DFCSuppliedProduct(id: "http://x/p", name: "Pear")]
        let pear = try #require(DFCCatalogMapping.drafts(from: priceless, defaultCategory: "Fruits").items.first)
        #expect(pear.sourceIDs == ["http://x/p"] && !pear.isForSale && pear.priceProblems[0].en.hasSuffix(": no price — set the euro price"))
    }
}
