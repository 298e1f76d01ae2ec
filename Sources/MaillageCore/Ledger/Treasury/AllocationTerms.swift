/// The rules the law sets on a year's surplus, by kind of organisation. Written from memory of
/// Loi 47-1775 (cooperation) and Loi 78-763 (SCOP) — each figure cites its article so a
/// cooperative's accountant can check it against the current text and the statutes. Loi
/// 2022-217 renumbered the SCIC articles (19 septies became 19 octodecies), so "19 nonies" is
/// probably 19 vicies today: to check on Légifrance.
public enum AllocationRegime: String, Sendable, Hashable, Codable, CaseIterable {
    /// SCIC — Loi 47-1775 art. 16 (legal reserve) and 19 nonies (statutory reserve at least
    /// 50 % of what remains; no patronage refund; subsidies do not pay interest on shares).
    case scic
    /// SCOP — Loi 78-763 art. 33: legal reserve, a "part travail" of at least 25 % to all the
    /// workers (members or not), a development fund; interest on shares no more than the part
    /// travail (and, as we recall the current text, no more than the reserves).
    case scop
    /// Other cooperatives under the general regime — Loi 47-1775 art. 15 (refunds in proportion
    /// to the operations done with each member) and 16 (legal reserve).
    case cooperative
    /// Associations: no distribution of any kind; the surplus stays in the association.
    case nonProfit = "non-profit"

    /// The regime a legal form implies; nil for `other`, whose statutes must be read by a person.
    public init?(legalForm: LegalForm) {
        switch legalForm {
        case .scic: self = .scic
        case .scop: self = .scop
        case .cooperativeAssociation, .association1901: self = .nonProfit
        case .other: return nil
        }
    }

    public var allowsDistribution: Bool { self != .nonProfit }
}

/// What the board proposes within the law, in basis points (1 500 = 15 %).
public struct AllocationTerms: Sendable, Hashable, Codable {
    /// Share of the surplus to the legal reserve: at least 15 % (Loi 47-1775 art. 16). The law
    /// lets it stop once the reserve equals the highest capital reached; we always ask the 15 %,
    /// as statutes usually do (a cooperative past that point would need a new option here).
    public var legalReserve: Int64
    /// Share of what remains after the legal reserve to the statutory reserve: at least 50 % in
    /// a SCIC (art. 19 nonies), so at least 57,5 % of the surplus is impartible.
    public var statutoryReserve: Int64
    /// Share of the surplus refunded to members (or, in a SCOP, to workers: the part travail,
    /// at least 25 %, Loi 78-763 art. 33) in proportion to their transactions or work.
    public var patronageRefund: Int64
    /// Yearly interest rate on paid-up shares, at most the legal cap of Loi 47-1775 art. 14
    /// (as we recall it: the average TMO of the last three years plus two points), which the
    /// caller looks up and passes; interest is paid only out of what is left after the rest.
    public var interestRate: Int64
    /// The legal cap on `interestRate` this year; unknown (nil), no interest may be paid.
    public var interestCap: ShareInterestCap?

    public init(legalReserve: Int64 = 1_500, statutoryReserve: Int64 = 0, patronageRefund: Int64 = 0,
                interestRate: Int64 = 0, interestCap: ShareInterestCap? = nil) {
        self.legalReserve = legalReserve
        self.statutoryReserve = statutoryReserve
        self.patronageRefund = patronageRefund
        self.interestRate = interestRate
        self.interestCap = interestCap
    }

    /// The least the law allows for a regime; anything not distributed goes to the reserves.
    public static func legalMinimum(for regime: AllocationRegime) -> AllocationTerms {
        switch regime {
        case .scic: AllocationTerms(legalReserve: 1_500, statutoryReserve: 5_000)
        case .scop: AllocationTerms(legalReserve: 1_500, patronageRefund: 2_500)
        case .cooperative: AllocationTerms(legalReserve: 1_500)
        case .nonProfit: AllocationTerms(legalReserve: 0)
        }
    }

    func validate(for regime: AllocationRegime) throws(DomainError) {
        let rates = [("legalReserve", legalReserve), ("statutoryReserve", statutoryReserve),
                     ("patronageRefund", patronageRefund), ("interestRate", interestRate)]
        for (field, rate) in rates where !(0...10_000).contains(rate) { throw .invalidRate(field: field) }
        if regime != .nonProfit, interestRate > 0, interestRate > (interestCap?.basisPoints ?? 0) { throw .interestAboveCap(interestCap) }
        switch regime {
        case .nonProfit:
            guard patronageRefund == 0, interestRate == 0 else { throw .distributionNotAllowed }
            return
        case .scic:
            guard patronageRefund == 0 else { throw .patronageRefundNotAllowed }
            guard statutoryReserve >= 5_000 else { throw .belowLegalMinimum(field: "statutoryReserve", percent: "50") }
        case .scop:
            guard patronageRefund >= 2_500 else { throw .belowLegalMinimum(field: "patronageRefund", percent: "25") }
        case .cooperative:
            break
        }
        guard legalReserve >= 1_500 else { throw .belowLegalMinimum(field: "legalReserve", percent: "15") }
        // legal + refund ≤ 100 % of the surplus, and the statutory share of the rest fits beside them.
        let afterLegal = 10_000 - legalReserve
        guard legalReserve + patronageRefund <= 10_000,
              statutoryReserve * afterLegal <= (afterLegal - patronageRefund) * 10_000 else { throw .termsExceedSurplus }
    }
}
