/// Which way a share that falls between two cents goes. The rule a figure follows is chosen by
/// what the law or the member expects of it: a legal minimum is rounded up (the reserve never
/// gets less than the law asks), a cap is rounded down, a fee is rounded half up.
public enum Rounding: String, Sendable, Hashable, Codable {
    case down, halfUp, up
}

/// Exact shares of whole numbers of cents, on 128-bit intermediates so no product overflows.
public enum Apportionment {
    /// `value × numerator / denominator`, rounded; for 0 ≤ value, 0 ≤ numerator ≤ denominator
    /// (callers validate their rates first, so the precondition only catches a bug of ours).
    static func scale(_ value: Int64, by numerator: Int64, over denominator: Int64,
                             rounding: Rounding) -> Int64 {
        precondition(value >= 0 && numerator >= 0 && numerator <= denominator && denominator > 0,
                     "scale takes a share of a non-negative value")
        let product = value.multipliedFullWidth(by: numerator)
        // The quotient is at most `value`, so it fits.
        let (quotient, remainder) = denominator.dividingFullWidth(product)
        switch rounding {
        case .down: return quotient
        case .up: return remainder > 0 ? quotient + 1 : quotient
        case .halfUp: return remainder >= denominator - remainder ? quotient + 1 : quotient
        }
    }

    /// A share in basis points (1 bp = 0,01 %; 10 000 bp = 100 %).
    static func basisPoints(_ points: Int64, of value: Int64, rounding: Rounding) -> Int64 {
        scale(value, by: points, over: 10_000, rounding: rounding)
    }

    /// Splits `total` in proportion to `weights` so the parts sum to `total` exactly
    /// (largest-remainder method, Hamilton's): each part gets the whole part of its quota, then
    /// the cents left over go one each to the largest fractional remainders; equal remainders
    /// go to the earlier entry, so callers order entries (e.g. by member id) to make it fair
    /// and repeatable. No part differs from its exact quota by a cent or more.
    public static func largestRemainder(_ total: Int64, weights: [Int64]) throws(DomainError) -> [Int64] {
        guard total >= 0, weights.allSatisfy({ $0 >= 0 }) else { throw .negativeApportionment }
        var sum: Int64 = 0
        for weight in weights { sum = try Amount.checked(sum.addingReportingOverflow(weight)) }
        guard sum > 0 else {
            if total == 0 { return weights.map { _ in 0 } }
            throw .nothingToApportionBy
        }
        var parts: [Int64] = [], remainders: [Int64] = []
        parts.reserveCapacity(weights.count)
        remainders.reserveCapacity(weights.count)
        for weight in weights {
            let (quotient, remainder) = sum.dividingFullWidth(total.multipliedFullWidth(by: weight))
            parts.append(quotient)
            remainders.append(remainder)
        }
        // Fewer cents are left than there are entries with a remainder, so each gets at most one.
        let left = total - parts.reduce(0, +)
        let order = remainders.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        for index in order.prefix(Int(left)) { parts[index] += 1 }
        return parts
    }
}

extension DomainError {
    static let negativeApportionment = DomainError(
        .invalid, code: "negative_apportionment", field: "weights",
        fr: "On ne répartit qu’un montant positif, selon des poids positifs.",
        en: "Only a positive amount is shared, by positive weights.")

    static let nothingToApportionBy = DomainError(
        .invalid, code: "nothing_to_apportion_by", field: "weights",
        fr: "Aucun poids pour répartir le montant : tous valent zéro.",
        en: "No weight to share the amount by: all are zero.")
}
