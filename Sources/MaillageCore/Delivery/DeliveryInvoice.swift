import Foundation

/// A calendar month an invoice covers, read from `YYYY-MM` in a link.
public struct InvoiceMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (2000...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Strictly four digits, a dash, two digits: "2026-11"; nil for "2026-13", "abc", "2026-1".
    public init?(text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]) else { return nil }
        self.init(year: year, month: month)
    }

    public init(_ date: LocalDate) {
        self.year = date.year
        self.month = date.month
    }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
    public var firstDay: LocalDate { LocalDate(unchecked: year, month, 1) }
    public var next: InvoiceMonth { month == 12 ? InvoiceMonth(unchecked: year + 1, 1) : InvoiceMonth(unchecked: year, month + 1) }

    private init(unchecked year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }

    public static func < (a: InvoiceMonth, b: InvoiceMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }
}

/// A store's invoice for one month of deliveries. Delivered and failed deliveries are billed —
/// a failed one still took a courier to the door; cancelled ones are not (nobody rode).
/// Prices are stored VAT included, as the store saw them when ordering; the VAT is worked out
/// from the month's total.
public struct DeliveryInvoice: Sendable, Hashable {
    /// One delivery as the invoice needs it; `day` is when it was delivered or failed.
    public struct Delivery: Sendable, Hashable {
        public var day: LocalDate
        public var reference: String
        public var pickup: String
        public var dropoff: String
        public var status: DeliveryStatus
        public var grossCents: Int64

        public init(day: LocalDate, reference: String, pickup: String, dropoff: String, status: DeliveryStatus, grossCents: Int64) {
            self.day = day
            self.reference = reference
            self.pickup = pickup
            self.dropoff = dropoff
            self.status = status
            self.grossCents = grossCents
        }
    }

    /// 20 %: the standard French rate, which transport of goods falls under (CGI art. 278).
    public static let standardVATBasisPoints: Int64 = 2_000

    public let number: String
    public let month: InvoiceMonth
    public let lines: [Delivery]
    public let vatBasisPoints: Int64
    public let grossCents: Int64
    public let vatCents: Int64
    public var netCents: Int64 { grossCents - vatCents }

    public static func isBilled(_ status: DeliveryStatus) -> Bool { status == .done || status == .failed }

    /// Keeps the billed deliveries of `month`, by day then reference.
    public init(store: UUID, month: InvoiceMonth, deliveries: [Delivery], vatBasisPoints: Int64 = standardVATBasisPoints) {
        precondition((0...10_000).contains(vatBasisPoints), "a VAT rate between 0 and 100 %")
        self.number = Self.number(store: store, month: month)
        self.month = month
        self.vatBasisPoints = vatBasisPoints
        self.lines = deliveries.filter { Self.isBilled($0.status) && InvoiceMonth($0.day) == month }
            .sorted { ($0.day, $0.reference) < ($1.day, $1.reference) }
        let gross = lines.reduce(Int64(0)) { $0 + max($1.grossCents, 0) }
        self.grossCents = gross
        // The VAT is taken from the total, not line by line: a French invoice sums up its VAT
        // per rate (CGI art. 242 nonies A), and rounding each line would let the cents drift
        // so that the printed lines no longer add up to the printed VAT.
        self.vatCents = gross > 0 ? Apportionment.scale(gross, by: vatBasisPoints, over: 10_000 + vatBasisPoints, rounding: .halfUp) : 0
    }

    /// Stable for a store and a month, so a reprint or the CSV carries the same number:
    /// `LIV-2026-11-` and the first eight hex digits of the store's id.
    public static func number(store: UUID, month: InvoiceMonth) -> String {
        let short = store.uuidString.replacingOccurrences(of: "-", with: "").prefix(8)
        return "LIV-\(month)-\(short)"
    }

    /// The rate as written on the invoice: "20 %" / "20%", "5,5 %" / "5.5%".
    public func vatRateText(_ language: Language) -> String {
        let whole = vatBasisPoints / 100, rest = vatBasisPoints % 100
        let separator = language == .fr ? "," : "."
        let number = rest == 0 ? "\(whole)" : "\(whole)\(separator)\(rest % 10 == 0 ? "\(rest / 10)" : (rest < 10 ? "0\(rest)" : "\(rest)"))"
        return language == .fr ? "\(number)\u{00A0}%" : "\(number)%"
    }
}
