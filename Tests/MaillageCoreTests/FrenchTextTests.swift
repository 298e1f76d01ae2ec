import Foundation
import Testing
@testable import MaillageCore

/// Numbers, counted words and name order as French readers expect them.
@Suite struct FrenchTextTests {
    @Test func decimalsAndPercentagesTakeACommaInFrench() {
        #expect(NumberText.decimal(8, digits: 2, .fr) == "8,00")
        #expect(NumberText.decimal(8, digits: 2, .en) == "8.00")
        #expect(NumberText.percent(60.6, .fr) == "60,6\u{00A0}%")
        #expect(NumberText.percent(60.6, .en) == "60.6%")
        #expect(NumberText.percent(2.5, digits: 2, .fr) == "2,50\u{00A0}%")
    }

    @Test func countsTakeTheSingularOrThePlural() {
        #expect(Plural.count(1, "sociétaire actif", "sociétaires actifs", .fr) == "1 sociétaire actif")
        #expect(Plural.count(2, "sociétaire actif", "sociétaires actifs", .fr) == "2 sociétaires actifs")
        #expect(Plural.count(0, "produit", "produits", .fr) == "0 produit", "zero takes the singular in French")
        #expect(Plural.count(0, "product", "products", .en) == "0 products", "and the plural in English")
        #expect(Plural.count(1, fr: ("variante", "variantes"), en: ("variant", "variants"), .en) == "1 variant")
        #expect(Plural.count(3, fr: ("variante", "variantes"), en: ("variant", "variants"), .fr) == "3 variantes")
    }

    @Test func namesSortAsInAFrenchDictionary() {
        let names = ["Cuisses de poulet", "Écoles", "céleri", "Eau", "Abricots", "Céleri-rave", "\u{00AB} Zèbre \u{00BB}", "œufs"]
        let sorted = names.sorted { SearchText.sortKey($0) < SearchText.sortKey($1) }
        #expect(sorted == ["Abricots", "céleri", "Céleri-rave", "Cuisses de poulet", "Eau", "Écoles", "œufs", "\u{00AB} Zèbre \u{00BB}"])
        // Plain byte order (what both engines do without a collation) gets it wrong: the key is needed.
        #expect(names.sorted().firstIndex(of: "Écoles")! > names.sorted().firstIndex(of: "Cuisses de poulet")!)
    }
}

@Suite struct FrenchDateTests {
    @Test func datesAreWrittenInWords() throws {
        let date = try #require(LocalDate(iso: "2026-12-16"))
        #expect(date.words(.fr) == "16 déc. 2026")
        #expect(date.words(.en) == "16 Dec 2026")
        #expect(try #require(LocalDate(iso: "2027-01-01")).words(.fr) == "1er janv. 2027")
    }
}

@Suite struct ExportTimeTests {
    @Test func exportsWriteTimesInTheNamedZoneOrInUTC() {
        let instant = Date(timeIntervalSince1970: 1_797_442_200) // 2026-12-16 17:30 UTC
        #expect(CSVTime(zone: LocalZone.paris).format(instant) == "2026-12-16 18:30:00", "Paris is an hour ahead in winter")
        #expect(CSVTime(zone: nil).format(instant) == "2026-12-16T17:30:00Z", "programs keep UTC")
    }
}
