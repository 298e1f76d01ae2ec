import Foundation

/// What a delivery cooperative invoices a food cooperative for one closed cycle's home
/// deliveries: the sum of their prices (VAT included, as the grid shows them), its VAT, and a
/// number both cooperatives' books carry, so the receivable on one side and the payable on the
/// other name the same invoice.
public struct HomeDeliveryInvoice: Sendable, Hashable {
    public let number: String
    public let grossCents: Int64
    public let vatCents: Int64
    public var netCents: Int64 { grossCents - vatCents }

    public init(cycle: UUID, prices: [Int64], vatBasisPoints: Int64 = DeliveryInvoice.standardVATBasisPoints) {
        precondition((0...10_000).contains(vatBasisPoints), "a VAT rate between 0 and 100 %")
        self.number = Self.number(cycle: cycle)
        let gross = prices.reduce(Int64(0)) { $0 + max($1, 0) }
        self.grossCents = gross
        // On the total, as a store's monthly invoice (CGI art. 242 nonies A).
        self.vatCents = gross > 0 ? Apportionment.scale(gross, by: vatBasisPoints, over: 10_000 + vatBasisPoints, rounding: .halfUp) : 0
    }

    /// `DOM-` and the first eight hex digits of the cycle's id.
    public static func number(cycle: UUID) -> String {
        "DOM-" + cycle.uuidString.replacingOccurrences(of: "-", with: "").prefix(8)
    }

    /// The commune an address names after its last comma ("3 rue X, 44000 Nantes" → "Nantes"),
    /// postal code left out; nil when the address has no comma.
    public static func commune(in address: String) -> String? {
        guard let last = address.split(separator: ",").last, address.contains(",") else { return nil }
        let words = last.split(separator: " ").filter { !$0.allSatisfy(\.isNumber) }
        let name = words.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }
}
