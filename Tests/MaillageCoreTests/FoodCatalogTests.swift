import Foundation
import Testing
@testable import MaillageCore

@Suite struct FoodCatalogTests {
    static func appleDraft() -> ProductDraft {
        ProductDraft(name: "  Pommes Jonagold ", category: "Fruits", description: "Verger bio", vatRate: "5,5", unit: "kg",
                     variants: [VariantDraft(label: "1 kg", quantity: "1", price: "3,50", stock: "40"),
                                VariantDraft(id: FoodWorld.id(9), label: "Cagette", quantity: "4,5", price: "13.5", stock: "")])
    }

    @Test func aValidDraftBecomesAProductKeepingVariantIDs() throws {
        var next: UInt64 = 1000
        let product = try Self.appleDraft().validated(id: FoodWorld.id(1), producerID: FoodWorld.farm) {
            next += 1
            return FoodWorld.id(next)
        }
        #expect(product.name == "Pommes Jonagold")
        #expect(product.vatRate == .reduced)
        #expect(product.unit == .kilogram)
        #expect(product.variants.map(\.id) == [FoodWorld.id(1001), FoodWorld.id(9)])
        #expect(product.variants[0].priceCents == 350 && product.variants[0].stock == .tracked(40))
        #expect(product.variants[1].priceCents == 1350 && product.variants[1].stock == .onDemand)
        #expect(product.variants[1].quantity == Measure(thousandths: 4500))
    }

    @Test func aDraftReportsEveryMistakeAtOnceWithItsField() {
        let draft = ProductDraft(name: " ", category: "", vatRate: "7", unit: "boisseau", variants: [
            VariantDraft(label: "1 kg", quantity: "0", price: "gratuit", stock: "-3"),
            VariantDraft(label: "1 KG", quantity: "1,2345", price: "0", stock: "2.5"),
        ])
        let fields = Set(draft.problems().errors.compactMap(\.field))
        #expect(fields == ["name", "category", "vatRate", "unit",
                           "variants[0].quantity", "variants[0].price", "variants[0].stock",
                           "variants[1].label", "variants[1].quantity", "variants[1].price", "variants[1].stock"])
        #expect(throws: ValidationErrors.self) { try draft.validated(id: FoodWorld.id(1), producerID: FoodWorld.farm) { UUID() } }
        for error in draft.problems().errors { #expect(!error.message.fr.isEmpty && !error.message.en.isEmpty && error.message.fr != error.message.en) }
    }

    @Test func aProductNeedsAVariantAndAtMostThirty() {
        var draft = Self.appleDraft()
        draft.variants = []
        #expect(draft.problems().errors.map(\.code) == ["no_variant"])
        draft.variants = (0..<31).map { VariantDraft(label: "v\($0)", price: "1") }
        #expect(draft.problems().errors.map(\.code) == ["too_many_variants"])
    }

    @Test func aProductReadsBackAsTheDraftThatMakesIt() throws {
        for product in FoodWorld.products {
            let again = try product.draft.validated(id: product.id, producerID: product.producerID) { UUID() }
            #expect(again == product)
        }
    }

    @Test(arguments: [("5,5", VATRate.reduced), ("5.50 %", .reduced), ("20", .standard), ("10,0", .intermediate),
                      ("0", .zero), (" 20 % ", .standard)])
    func frenchVATRatesAreRead(_ text: String, _ rate: VATRate) {
        #expect(VATRate.parse(text) == rate)
    }

    @Test(arguments: ["7", "2,1", "19.6", "", "abc", "5,5,5", "-5,5", "0.055"])
    func otherVATRatesAreRefused(_ text: String) {
        #expect(VATRate.parse(text) == nil)
    }

    @Test func vatRatesAreFormattedForPeopleAndMachines() {
        #expect(VATRate.reduced.formatted(.fr) == "5,5\u{00A0}%")
        #expect(VATRate.reduced.formatted(.en) == "5.5%")
        #expect(VATRate.standard.percent == "20")
        #expect(VATRate.reduced.percent == "5.5")
    }

    @Test func theVATPartOfAGrossPriceIsRoundedHalfUp() {
        // 10,55 € TTC at 5,5 % holds 0,55 € of VAT exactly; 3,50 € holds 18,24… c → 18 c.
        #expect(VATRate.reduced.vatPart(ofGross: 1055) == 55)
        #expect(VATRate.reduced.vatPart(ofGross: 350) == 18)
        #expect(VATRate.standard.vatPart(ofGross: 1200) == 200)
        #expect(VATRate.intermediate.vatPart(ofGross: 550) == 50)
        #expect(VATRate.zero.vatPart(ofGross: 999) == 0)
        #expect(VATRate.standard.vatPart(ofGross: 0) == 0)
        // 3 c at 20 %: 0,5 c → rounds up to 1 c.
        #expect(VATRate.standard.vatPart(ofGross: 3) == 1)
        #expect(VATRate.standard.vatPart(ofGross: Int64.max) <= Int64.max / 6 + 1)
    }

    @Test func measuresReadAndWriteWithoutFloatingPoint() {
        #expect(Measure.parse("1,5") == Measure(thousandths: 1500))
        #expect(Measure.parse("0.250") == Measure(thousandths: 250))
        #expect(Measure.parse(".5") == Measure(thousandths: 500))
        #expect(Measure.parse("1.2345") == nil)
        #expect(Measure.parse("1,2,3") == nil)
        #expect(Measure.parse("") == nil)
        #expect(Measure.parse("abc") == nil)
        #expect(Measure.parse("99999999") == nil)
        #expect(Measure(thousandths: 1500).formatted(.fr) == "1,5")
        #expect(Measure(thousandths: 750).plain == "0.75")
        #expect(Measure.whole(3).plain == "3")
    }

    @Test func unitsAreReadInFrenchAndEnglish() {
        #expect(ProductUnit.parse("Kg") == .kilogram)
        #expect(ProductUnit.parse("kilos") == .kilogram)
        #expect(ProductUnit.parse("Pièces") == .piece)
        #expect(ProductUnit.parse("unité") == .piece)
        #expect(ProductUnit.parse("Litre") == .litre)
        #expect(ProductUnit.parse("ml") == .millilitre)
        #expect(ProductUnit.parse("grammes") == .gram)
        #expect(ProductUnit.parse("boisseau") == nil)
        #expect(ProductUnit.parse("") == nil)
    }

    @Test func theCatalogFindsEachVariantWithItsProduct() {
        let entry = FoodWorld.catalog.entry(variant: FoodWorld.id(102))
        #expect(entry?.product.id == FoodWorld.apples.id && entry?.variant.label == "3 kg")
        #expect(FoodWorld.catalog.entry(variant: FoodWorld.id(999)) == nil)
    }
}
