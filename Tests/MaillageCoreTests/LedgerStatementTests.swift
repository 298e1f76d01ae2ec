import Foundation
import MaillageCore
import Testing

@Suite struct LedgerStatementTests {
    /// Alice receives 50 € at minute 0, pays 12,50 € at 60, reserves 5 € at 90 (not shown),
    /// receives 2 € at 120, and pays 1 € at 200 (after the period).
    func history() throws -> (LedgerWorld, alice: AccountID, shop: AccountID) {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let shop = try world.open()
        try world.ledger.post(Transfer(debit: alice, credit: shop, amount: eur(1_250), memo: "Panier, légumes", time: LedgerWorld.at(60)))
        try world.ledger.post(Transfer(debit: alice, credit: shop, amount: eur(500), time: LedgerWorld.at(90), phase: .pending(expiresAt: nil)))
        try world.ledger.post(Transfer(debit: shop, credit: alice, amount: eur(200), memo: "=cmd|' /C calc'!A0", time: LedgerWorld.at(120)))
        try world.ledger.post(Transfer(debit: alice, credit: shop, amount: eur(100), time: LedgerWorld.at(200)))
        return (world, alice, shop)
    }

    @Test func aStatementListsPostedMovementsWithTheRunningBalance() throws {
        let (world, alice, shop) = try history()
        let statement = try world.ledger.statement(for: alice, period: LedgerWorld.at(30)..<LedgerWorld.at(180))
        #expect(statement.opening == eur(5_000))
        #expect(statement.lines.map(\.change) == [eur(-1_250), eur(200)])
        #expect(statement.lines.map(\.balance) == [eur(3_750), eur(3_950)])
        #expect(statement.lines.allSatisfy { $0.counterparty == shop })
        #expect(statement.closing == eur(3_950))
        #expect(try world.ledger.balance(of: alice, asOf: LedgerWorld.at(179)) == statement.closing)
    }

    @Test func linesAreInTimeOrderWhateverTheJournalOrder() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let shop = try world.open()
        try world.ledger.post(Transfer(debit: alice, credit: shop, amount: eur(300), memo: "late", time: LedgerWorld.at(50)))
        try world.ledger.post(Transfer(debit: alice, credit: shop, amount: eur(100), memo: "early", time: LedgerWorld.at(10)))
        let statement = try world.ledger.statement(for: shop, period: LedgerWorld.at(0)..<LedgerWorld.at(100))
        #expect(statement.lines.map(\.memo) == ["early", "late"])
        #expect(statement.lines.map(\.balance.minorUnits) == [100, 400])
    }

    @Test func theCSVIsRFC4180WithFormulasNeutralised() throws {
        let (world, alice, _) = try history()
        let csv = try world.ledger.statement(for: alice, period: LedgerWorld.at(30)..<LedgerWorld.at(180)).csv(.fr) { _ in "Épicerie" }
        let rows = csv.components(separatedBy: "\r\n")
        #expect(rows.count == 6 && rows.last == "")
        #expect(rows[0] == "Date,Référence,Libellé,Contrepartie,Débit,Crédit,Solde (EUR)")
        #expect(rows[1] == "2026-01-01T00:30:00Z,,Solde d’ouverture,,,,50.00")
        #expect(rows[2].hasSuffix(",\"Panier, légumes\",Épicerie,12.50,,37.50"))
        #expect(rows[3].contains(",'=cmd|' /C calc'!A0,Épicerie,,2.00,39.50"))
        #expect(rows[4] == "2026-01-01T03:00:00Z,,Solde de clôture,,,,39.50")
        #expect(try world.ledger.statement(for: alice, period: LedgerWorld.at(30)..<LedgerWorld.at(180)).csv(.en).hasPrefix("Date,Reference,Memo"))
    }

    @Test func aStatementOfAnEmptyPeriodCarriesTheBalanceThrough() throws {
        let (world, alice, _) = try history()
        let statement = try world.ledger.statement(for: alice, period: LedgerWorld.at(300)..<LedgerWorld.at(400))
        #expect(statement.lines.isEmpty && statement.opening == eur(3_850) && statement.closing == eur(3_850))
        #expect(refusal { try world.ledger.statement(for: AccountID(), period: LedgerWorld.at(0)..<LedgerWorld.at(1)) } == "unknown_account")
    }
}
