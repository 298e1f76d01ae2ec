import Foundation
@testable import MaillageCore
import Testing

@Suite("Delivery rules: proof periods and home-delivery invoices")
struct DeliveryBooksRulesTests {
    @Test func aProofPeriodIsTwoReadableDaysInOrderAtMostAYearApart() throws {
        let march = try DeliveryProofPeriod(from: "2025-03-01", to: " 2025-03-31 ")
        #expect(march.from == LocalDate(year: 2025, month: 3, day: 1))
        #expect(march.end == LocalDate(year: 2025, month: 4, day: 1))
        #expect(throws: DomainError.proofPeriodUnreadable(field: "from")) { try DeliveryProofPeriod(from: "2025-3-1", to: "2025-03-31") }
        #expect(throws: DomainError.proofPeriodUnreadable(field: "to")) { try DeliveryProofPeriod(from: "2025-03-01", to: "") }
        #expect(throws: DomainError.proofPeriodReversed) { try DeliveryProofPeriod(from: "2025-03-31", to: "2025-03-01") }
        #expect(throws: DomainError.proofPeriodTooLong) { try DeliveryProofPeriod(from: "2024-01-01", to: "2025-01-01") }
        _ = try DeliveryProofPeriod(from: "2024-01-01", to: "2024-12-31")
    }

    @Test func pathNamesKeepLettersDigitsAndDashesOnly() {
        #expect(DeliveryProofPeriod.pathName("Épicerie Le Panier/../x") == "-picerie-Le-Panier----x")
        #expect(DeliveryProofPeriod.pathName(String(repeating: "a", count: 60)).count == 40)
    }

    @Test func aCyclesInvoiceSumsItsPricesWithVATOnTheTotal() {
        let cycle = UUID(uuidString: "ABCDEF01-2345-4000-8000-000000000001")!
        let invoice = HomeDeliveryInvoice(cycle: cycle, prices: [800, 800, -5])
        #expect(invoice.number == "DOM-ABCDEF01")
        #expect(invoice.grossCents == 1_600)
        // 1600 × 20/120 = 266.67 → 267.
        #expect(invoice.vatCents == 267)
        #expect(invoice.netCents == 1_333)
        #expect(HomeDeliveryInvoice(cycle: cycle, prices: []).vatCents == 0)
    }

    @Test func theCommuneOfAnAddressIsAfterItsLastComma() {
        #expect(HomeDeliveryInvoice.commune(in: "3 rue de Strasbourg, 44000 Nantes") == "Nantes")
        #expect(HomeDeliveryInvoice.commune(in: "Place du Marché, 44120 Vertou") == "Vertou")
        #expect(HomeDeliveryInvoice.commune(in: "3 rue de Strasbourg") == nil)
        #expect(HomeDeliveryInvoice.commune(in: "3 rue, 44000") == nil)
    }
}
