import Foundation

/// What a passenger gives the driver. French law allows carpooling only as sharing the costs
/// (*partage des frais*, Code des transports, art. L3132-1): the suggestion is the distance times
/// the cooperative's rate, never more, and the cooperative takes nothing from it.
public enum CarpoolContribution: Sendable, Hashable {
    case free
    /// Cents per kilometre per passenger seat.
    case atCost(centsPerKm: Int)

    /// Mobicoop's suggested rate: 0.06 € per km.
    public static let defaultCentsPerKm = 6
    public static let rates = 1...30

    /// The suggested contribution for `km` road kilometres and `seats` seats, in cents: rounded
    /// down, so it never exceeds rate × km.
    public func suggestedCents(km: Double, seats: Int = 1) -> Int64 {
        guard case let .atCost(rate) = self, km.isFinite, km > 0 else { return 0 }
        return Int64((km * Double(rate)).rounded(.down)) * Int64(max(1, seats))
    }

    /// The ceiling a contribution may not pass: what the law allows as shared costs.
    public func ceilingCents(km: Double, seats: Int = 1) -> Int64 { suggestedCents(km: km, seats: seats) }

    public static func parse(mode: String, rate: String) throws(DomainError) -> CarpoolContribution {
        switch mode {
        case "free": return .free
        case "at-cost":
            let text = rate.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
            guard let euros = Double(text), euros.isFinite else { throw rateError }
            let cents = Int((euros * 100).rounded())
            guard rates.contains(cents) else { throw rateError }
            return .atCost(centsPerKm: cents)
        default: throw CarpoolErrors.unknownChoice("contribution")
        }
    }

    static let rateError = DomainError(.invalid, code: "invalid_rate", field: "rate",
        fr: "Le taux va de 0,01 à 0,30 € par km.", en: "The rate is €0.01 to €0.30 per km.")
}

/// How the passenger pays what they give: hand to hand, or through the cooperative's ledger
/// (a transfer from passenger to driver, with no fee).
public enum ContributionPayment: String, Sendable, Hashable, Codable, CaseIterable {
    case direct, ledger

    public var label: Localized {
        self == .direct ? Localized(fr: "Directement entre vous", en: "Directly between you")
                        : Localized(fr: "Par le compte de la coopérative, sans frais", en: "Through the cooperative's account, with no fee")
    }
}
