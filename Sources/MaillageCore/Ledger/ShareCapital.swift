import Foundation

/// A cooperative's share capital as the ledger books it: subscribing shares moves their nominal
/// value from the member (or the clearing account their payment came through) to the
/// cooperative's capital account; redeeming them moves it back. The capital account's posted
/// balance is the paid-up capital; who holds how many shares is the kernel's register of members.
/// Cooperatives have variable capital (Loi 47-1775 art. 7 and 11; Code de commerce art. L231-1).
public struct ShareCapital: Sendable, Hashable, Codable {
    /// The value of one share, in euros.
    public let nominalValue: Amount
    /// The cooperative's capital account (`EUR`, floor 0).
    public let account: AccountID

    public init(nominalValue: Amount, account: AccountID) throws(DomainError) {
        guard nominalValue.unit == .eur else { throw .unitMismatch(.eur, nominalValue.unit) }
        guard nominalValue.isPositive else { throw .amountNotPositive(nominalValue) }
        self.nominalValue = nominalValue
        self.account = account
    }

    /// `shares` new shares paid from `payer`.
    public func subscription(shares: Int64, from payer: AccountID, time: Date, language: Language = .fr,
                             idempotencyKey: String? = nil) throws(DomainError) -> Transfer {
        let value = try value(of: shares)
        return Transfer(debit: payer, credit: account, amount: value,
                        memo: memo(subscribing: true, shares: shares, language),
                        idempotencyKey: idempotencyKey, time: time)
    }

    /// `shares` of the `held` ones paid back to `member`. Variable capital may not be reduced by
    /// redemptions below a share of the highest capital ever reached — a quarter under Code de
    /// commerce art. L231-5 (statutes may ask more; pass `minimumShare`).
    public func redemption(shares: Int64, held: Int64, to member: AccountID, capital: Amount,
                           highestCapital: Amount, minimumShare: Fraction = .oneQuarter, time: Date,
                           language: Language = .fr, idempotencyKey: String? = nil) throws(DomainError) -> Transfer {
        guard shares <= held else { throw .redeemingMoreThanHeld(held) }
        let value = try value(of: shares)
        let remaining = try capital.subtracting(value)
        let minimum = Self.minimumCapital(highestCapital: highestCapital, share: minimumShare)
        guard remaining.minorUnits >= minimum.minorUnits else { throw .capitalBelowMinimum(minimum) }
        return Transfer(debit: account, credit: member, amount: value,
                        memo: memo(subscribing: false, shares: shares, language),
                        idempotencyKey: idempotencyKey, time: time)
    }

    /// The least the capital may fall to, rounded up to the cent so the rule always holds.
    public static func minimumCapital(highestCapital: Amount, share: Fraction = .oneQuarter) -> Amount {
        Amount(Apportionment.scale(max(0, highestCapital.minorUnits), by: share.numerator,
                                   over: share.denominator, rounding: .up), highestCapital.unit)
    }

    func value(of shares: Int64) throws(DomainError) -> Amount {
        guard shares > 0 else { throw .sharesNotPositive }
        return try nominalValue.multiplied(by: shares)
    }

    private func memo(subscribing: Bool, shares: Int64, _ language: Language) -> String {
        let each = nominalValue.formatted(language)
        switch (language, subscribing) {
        case (.fr, true): return "Souscription de \(shares) part\(shares > 1 ? "s" : "") sociale\(shares > 1 ? "s" : "") (\(shares) × \(each))"
        case (.fr, false): return "Remboursement de \(shares) part\(shares > 1 ? "s" : "") sociale\(shares > 1 ? "s" : "") (\(shares) × \(each))"
        case (.en, true): return "Subscription of \(shares) share\(shares > 1 ? "s" : "") (\(shares) × \(each))"
        case (.en, false): return "Redemption of \(shares) share\(shares > 1 ? "s" : "") (\(shares) × \(each))"
        }
    }
}

extension DomainError {
    public static let sharesNotPositive = DomainError(
        .invalid, code: "shares_not_positive", field: "shares",
        fr: "Le nombre de parts est au moins 1.", en: "The number of shares is at least 1.")

    public static func redeemingMoreThanHeld(_ held: Int64) -> DomainError {
        DomainError(.invalid, code: "redeeming_more_than_held", field: "shares",
                    fr: "Le ou la sociétaire ne détient que \(held) part(s).", en: "The member holds only \(held) share(s).")
    }

    public static func capitalBelowMinimum(_ minimum: Amount) -> DomainError {
        DomainError(.conflict, code: "capital_below_minimum", field: "shares",
                    fr: "Ce remboursement ferait passer le capital sous \(minimum.formatted(.fr)), le minimum fixé par rapport au capital le plus élevé atteint ; il attendra de nouvelles souscriptions.",
                    en: "This redemption would bring the capital below \(minimum.formatted(.en)), the minimum set against the highest capital reached; it must wait for new subscriptions.")
    }
}
