import Foundation
import Testing
@testable import MaillageCore

@Suite struct FoodImportTests {
    @Test func csvReadsQuotesLineBreaksAndBothLineEnds() {
        let text = "\u{FEFF}a;b;c\r\n\"x;1\";\"dit \"\"bonjour\"\"\";\"deux\r\nlignes\"\r\n\r\nlast;;\n"
        let records = CSV.parse(text)
        #expect(records.map(\.fields) == [["a", "b", "c"], ["x;1", "dit \"bonjour\"", "deux\nlignes"], ["last", "", ""]])
        #expect(records.map(\.line) == [1, 2, 5])
    }

    @Test func csvGuessesTheSeparatorFromTheHeader() {
        #expect(CSV.parse("a,b\n1,2").map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(CSV.parse("a;b\n1,5;2").map(\.fields) == [["a", "b"], ["1,5", "2"]])
        #expect(CSV.parse("a\tb\n1\t2").map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(CSV.parse("\"a,b\";c\n1;2").map(\.fields) == [["a,b", "c"], ["1", "2"]])
        #expect(CSV.parse("alone\rnext").map(\.fields) == [["alone"], ["next"]])
        #expect(CSV.parse("").isEmpty)
        #expect(CSV.parse("a,\"unclosed\nb").map(\.fields) == [["a", "unclosed\nb"]])
    }

    @Test func whatTheCSVWriterWritesTheReaderReadsBack() {
        var random = SplitMix64(seed: 4)
        let alphabet = Array("ab ,;\"\r\n€é1")
        for _ in 0..<200 {
            let rows = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                (0..<3).map { _ in String((0..<Int.random(in: 1...6, using: &random)).map { _ in alphabet.randomElement(using: &random)! }) }
            }
            let written = CSV.render(rows.map { $0.map(CSV.Field.text) })
            // The reader returns any line break as "\n"; the writer guards text starting with a
            // carriage return against formula injection with a leading quote.
            let expected = rows.map { $0.map { ($0.unicodeScalars.first == "\r" ? "'" : "") + $0.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") } }
            #expect(CSV.parse(written, separator: ",").map(\.fields) == expected)
        }
    }

    static let frenchExport = """
    \u{FEFF}Producteur;Produit;Variante;Quantité;Prix;TVA;Stock;Catégorie;Unité;Description\r
    Ferme des Prés;Pommes Jonagold;1 kg;1;3,50;5,5;40;Fruits;kg;"Croquantes; sucrées"\r
    Ferme des Prés;Pommes Jonagold;3 kg;3;9,00;5,5;;Fruits;kg;\r
    Ferme des Prés;Poires;1 kg;1;trois euros;5,5;10;Fruits;kg;\r
    Ferme des Prés;Œufs;;6;2,90;7;-1;Crèmerie;pièce;\r
    Fournil;Pain;;0,5;3,10;5,5;;Boulangerie;kg;\r
    Ferme des Prés;pommes jonagold;5 kg;5;14;20;;Fruits;kg;\r
    Ferme des Prés;Pommes Jonagold;1 KG;1;3,50;5,5;;Fruits;kg;\r

    """

    @Test func aFrenchSpreadsheetImportsItsGoodLinesAndReportsTheOthers() throws {
        let result = ProductCSVImport(csv: Self.frenchExport)
        #expect(result.rowCount == 7)
        #expect(result.items.map(\.draft.name) == ["Pommes Jonagold", "Pain"])
        let apples = result.items[0]
        #expect(apples.producer == "Ferme des Prés" && apples.lines == [2, 3])
        #expect(apples.draft.description == "Croquantes; sucrées")
        #expect(apples.draft.variants.map(\.label) == ["1 kg", "3 kg"])
        #expect(apples.draft.variants.map(\.stock) == ["40", ""])
        let product = try apples.draft.validated(id: FoodWorld.id(1), producerID: FoodWorld.farm) { UUID() }
        #expect(product.variants.map(\.priceCents) == [350, 900] && product.vatRate == .reduced)
        // Without a variant label, quantity and unit make one.
        #expect(result.items[1].draft.variants.map(\.label) == ["0,5 kg"])
        let issues = result.issues.map { "\($0.line):\($0.column?.rawValue ?? "-")" }
        #expect(issues == ["4:price", "5:vat", "5:stock", "7:vat", "8:variant"])
        #expect(result.issues.allSatisfy { !$0.message.fr.isEmpty && !$0.message.en.isEmpty })
    }

    @Test func englishHeadersInAnyOrderWithCommas() throws {
        let text = "unit,price,product,vat,category,stock,notes\nkg,\"3,50\",Apples,5.5,Fruit,12,ignored\npiece,2.9,Eggs,5.5,Dairy,,\n"
        let result = ProductCSVImport(csv: text)
        #expect(result.issues.isEmpty)
        #expect(result.items.map(\.draft.name) == ["Apples", "Eggs"])
        #expect(result.items.map(\.producer) == ["", ""])
        let eggs = try result.items[1].draft.validated(id: FoodWorld.id(2), producerID: FoodWorld.farm) { FoodWorld.id(3) }
        #expect(eggs.variants == [Variant(id: FoodWorld.id(3), label: "1 pièce", quantity: .whole(1), priceCents: 290, stock: .onDemand)])
    }

    @Test func aFileWithoutTheRequiredColumnsImportsNothing() {
        let result = ProductCSVImport(csv: "produit;prix\nPommes;3,50\n")
        #expect(result.items.isEmpty)
        #expect(result.issues.map(\.column) == [.vat, .category, .unit])
        #expect(result.issues.allSatisfy { $0.line == 1 })
        #expect(ProductCSVImport(csv: "").issues.map(\.line) == [1])
    }
}
