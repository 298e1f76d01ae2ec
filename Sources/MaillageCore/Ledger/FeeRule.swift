import Foundation

/// The fee an activity's cooperative takes on a sale, set by the cooperative and shown to the
/// buyer before they confirm: a percentage of the goods (in basis points, 250 = 2,5 %) and/or a
/// fixed amount per sale. The percentage is rounded half up to the cent (2,5 % of 0,50 € =
/// 1,25 c → 1 c; of 0,70 € = 1,75 c → 2 c); the fee never exceeds the goods' price.
public struct FeeRule: Sendable, Hashable, Codable {
    public let basisPoints: Int64
    public let fixed: Amount?

    public init(basisPoints: Int64 = 0, fixed: Amount? = nil) throws(DomainError) {
        guard (0...10_000).contains(basisPoints) else { throw .invalidRate(field: "basisPoints") }
        if let fixed, fixed.isNegative { throw .amountNegative(field: "fixed") }
        self.basisPoints = basisPoints
        self.fixed = fixed
    }

    /// No fee at all.
    public static let free = FeeRule(unchecked: 0)

    private init(unchecked basisPoints: Int64) {
        self.basisPoints = basisPoints
        self.fixed = nil
    }

    /// The fee on goods worth `goods`.
    public func fee(on goods: Amount) throws(DomainError) -> Amount {
        guard !goods.isNegative else { throw .amountNegative(field: "total") }
        // Clamped again: a rule decoded from storage skipped the initializer's check.
        let share = Apportionment.basisPoints(min(max(basisPoints, 0), 10_000), of: goods.minorUnits, rounding: .halfUp)
        var fee = Amount(share, goods.unit)
        if let fixed { fee = try fee.adding(fixed) }
        return Amount(min(fee.minorUnits, goods.minorUnits), goods.unit)
    }

    /// Where a buyer's payment goes: `total` includes `delivery`; the fee is taken on the
    /// goods (total − delivery) and the producer receives the rest, so the parts sum to the
    /// total exactly.
    public func split(total: Amount, delivery: Amount? = nil) throws(DomainError) -> FeeSplit {
        let delivery = delivery ?? .zero(total.unit)
        guard !total.isNegative else { throw .amountNegative(field: "total") }
        guard !delivery.isNegative else { throw .amountNegative(field: "delivery") }
        let goods = try total.subtracting(delivery)
        guard goods.minorUnits >= 0 else { throw .deliveryAboveTotal }
        let fee = try fee(on: goods)
        return FeeSplit(total: total, producer: try goods.subtracting(fee), fee: fee, delivery: delivery)
    }
}

/// The three destinations of a payment, for the confirmation page and its small chart.
public struct FeeSplit: Sendable, Hashable, Codable {
    public enum Part: String, Sendable, Hashable, Codable, CaseIterable {
        case producer, fee, delivery

        public var label: Localized {
            switch self {
            case .producer: Localized(fr: "Producteur", en: "Producer")
            case .fee: Localized(fr: "Coopérative (frais)", en: "Cooperative (fee)")
            case .delivery: Localized(fr: "Livraison", en: "Delivery")
            }
        }
    }

    public let total: Amount
    public let producer: Amount
    public let fee: Amount
    public let delivery: Amount

    public func amount(of part: Part) -> Amount {
        switch part {
        case .producer: producer
        case .fee: fee
        case .delivery: delivery
        }
    }

    /// Each part's share of the total in basis points, summing to exactly 10 000 (for a chart
    /// whose slices must close the circle); all zero when the total is zero.
    public var basisPoints: [Part: Int64] {
        let weights = Part.allCases.map { amount(of: $0).minorUnits }
        let points = (try? Apportionment.largestRemainder(total.isZero ? 0 : 10_000, weights: weights))
            ?? weights.map { _ in 0 }
        return Dictionary(uniqueKeysWithValues: zip(Part.allCases, points))
    }

    /// The transfers that book the payment, fee and delivery together (post them as one batch):
    /// from the buyer to the producer, the cooperative's revenue and the courier. Zero parts are
    /// left out. With `idempotencyKey`, each part gets the key plus ":producer", ":fee", ":delivery".
    /// `phase` may be `.pending(expiresAt:)` to reserve the parts at checkout.
    public func transfers(from buyer: AccountID, producer: AccountID, cooperative: AccountID,
                          delivery courier: AccountID? = nil, time: Date, memo: String,
                          idempotencyKey: String? = nil, phase: Transfer.Phase = .immediate) throws(DomainError) -> [Transfer] {
        if delivery.isPositive && courier == nil { throw .deliveryAccountMissing }
        let destinations: [(Part, AccountID?)] = [(.producer, producer), (.fee, cooperative), (.delivery, courier)]
        return destinations.compactMap { part, account in
            let amount = amount(of: part)
            guard let account, amount.isPositive else { return nil }
            return Transfer(debit: buyer, credit: account, amount: amount, memo: memo,
                            idempotencyKey: idempotencyKey.map { "\($0):\(part.rawValue)" }, time: time, phase: phase)
        }
    }
}

extension DomainError {
    public static func invalidRate(field: String) -> DomainError {
        DomainError(.invalid, code: "invalid_rate", field: field,
                    fr: "Un taux va de 0 à 10 000 points de base (0 à 100 %).",
                    en: "A rate runs from 0 to 10,000 basis points (0 to 100 %).")
    }

    public static func amountNegative(field: String) -> DomainError {
        DomainError(.invalid, code: "amount_negative", field: field,
                    fr: "Un montant ne peut pas être négatif.", en: "An amount cannot be negative.")
    }

    public static let deliveryAccountMissing = DomainError(
        .invalid, code: "delivery_account_missing", field: "delivery",
        fr: "Une livraison payée doit aller sur le compte de quelqu’un.",
        en: "A paid delivery must go to someone’s account.")

    public static let deliveryAboveTotal = DomainError(
        .invalid, code: "delivery_above_total", field: "delivery",
        fr: "La livraison ne peut coûter plus que le total payé.",
        en: "Delivery cannot cost more than the total paid.")
}
