import Foundation
@testable import MaillageCore
import Testing

@Suite("Delivery rules: the monthly invoice adds up")
struct DeliveryInvoiceRulesTests {
    static let store = UUID(uuidString: "3F2A9C10-0000-4000-8000-000000000001")!
    static let november = InvoiceMonth(year: 2026, month: 11)!

    static func delivery(_ day: Int, month: Int = 11, _ reference: String, _ cents: Int64, _ status: DeliveryStatus = .done) -> DeliveryInvoice.Delivery {
        DeliveryInvoice.Delivery(day: LocalDate(year: 2026, month: month, day: day)!, reference: reference, pickup: "12 rue de la Marne",
                                 dropoff: "Place Royale", status: status, grossCents: cents)
    }

    @Test func deliveredAndFailedAreBilledCancelledAndOtherMonthsAreNot() {
        let invoice = DeliveryInvoice(store: Self.store, month: Self.november, deliveries: [
            Self.delivery(12, "B", 950, .failed), Self.delivery(3, "A", 800), Self.delivery(20, "C", 1_235),
            Self.delivery(21, "X", 5_000, .cancelled), Self.delivery(22, "T", 700, .todo), Self.delivery(1, month: 12, "D", 800),
        ])
        #expect(invoice.lines.map(\.reference) == ["A", "B", "C"])
        #expect(invoice.grossCents == 2_985)
    }

    /// 29,85 € TTC at 20 %: VAT 2985 × 20/120 = 497,5 → 4,98 €, net 24,87 €. Line by line it
    /// would be 1,33 + 1,58 + 2,06 = 4,97 €: the total is where the VAT is worked out.
    @Test func theVATIsWorkedOutOnTheTotalRoundedHalfUp() {
        let invoice = DeliveryInvoice(store: Self.store, month: Self.november,
                                      deliveries: [Self.delivery(3, "A", 800), Self.delivery(12, "B", 950), Self.delivery(20, "C", 1_235)])
        #expect(invoice.vatCents == 498)
        #expect(invoice.netCents == 2_487)
        #expect(invoice.netCents + invoice.vatCents == invoice.grossCents)
        #expect(invoice.vatRateText(.fr) == "20\u{00A0}%")
        let reduced = DeliveryInvoice(store: Self.store, month: Self.november, deliveries: [Self.delivery(3, "A", 1_055)], vatBasisPoints: 550)
        #expect(reduced.vatCents == 55)   // 1055 × 5,5 / 105,5 = 55 exactly
        #expect(reduced.vatRateText(.en) == "5.5%")
    }

    @Test func anEmptyMonthOwesNothing() {
        let invoice = DeliveryInvoice(store: Self.store, month: Self.november, deliveries: [])
        #expect(invoice.lines.isEmpty)
        #expect(invoice.grossCents == 0 && invoice.vatCents == 0 && invoice.netCents == 0)
    }

    @Test func theNumberIsTheSameForAStoreAndAMonth() {
        let first = DeliveryInvoice.number(store: Self.store, month: Self.november)
        #expect(first == "LIV-2026-11-3F2A9C10")
        #expect(DeliveryInvoice.number(store: Self.store, month: Self.november) == first)
        #expect(DeliveryInvoice.number(store: Self.store, month: InvoiceMonth(year: 2026, month: 12)!) != first)
    }

    @Test func aMonthIsReadStrictly() {
        #expect(InvoiceMonth(text: "2026-11") == Self.november)
        #expect(InvoiceMonth(text: "2026-11")?.description == "2026-11")
        #expect(InvoiceMonth(text: "2026-12")?.next == InvoiceMonth(year: 2027, month: 1))
        for bad in ["2026-13", "2026-00", "abc", "2026-1", "26-11", "2026-11-01", "", "２０２６-11", "-202-11"] {
            #expect(InvoiceMonth(text: bad) == nil, "\(bad)")
        }
    }
}
