import Foundation

/// What the allocation needs to know of one member (or, in a SCOP, one worker) for the year.
public struct MemberFigures: Sendable, Hashable, Codable {
    public let member: UUID
    /// Shares paid up, in euros: the base of interest on shares.
    public let paidUpCapital: Amount
    /// The member's transactions with the cooperative over the year, in any one measure common
    /// to all (purchases in cents, sales delivered, or — SCOP — salaries or hours worked).
    public let patronage: Int64

    public init(member: UUID, paidUpCapital: Amount = .zero(.eur), patronage: Int64 = 0) {
        self.member = member
        self.paidUpCapital = paidUpCapital
        self.patronage = patronage
    }
}

/// A closed year's figures.
public struct YearResult: Sendable, Hashable, Codable {
    public let year: Int
    /// The year's result in euros; zero or below is a deficit, which allocates nothing.
    public let result: Amount
    public let members: [MemberFigures]
    /// Public subsidies included in the result: in a SCIC they may not pay interest on shares
    /// (Loi 47-1775 art. 19 nonies, as we recall it).
    public let publicSubsidies: Amount

    public init(year: Int, result: Amount, members: [MemberFigures] = [], publicSubsidies: Amount = .zero(.eur)) {
        self.year = year
        self.result = result
        self.members = members
        self.publicSubsidies = publicSubsidies
    }
}

/// The year-end allocation of a surplus. Minimums the law sets are rounded up to the cent (a
/// reserve never gets less than the law asks), distributions down; refunds are shared to the
/// cent by the largest-remainder method; whatever is not distributed — rounding cents included —
/// goes to the statutory reserve, so the lines always add up to the surplus exactly.
public enum SurplusAllocation {
    public static func propose(for year: YearResult, legalForm: LegalForm,
                               terms: AllocationTerms) throws(DomainError) -> AllocationProposal {
        guard let regime = AllocationRegime(legalForm: legalForm) else { throw .noAllocationRegime }
        return try propose(for: year, regime: regime, terms: terms)
    }

    public static func propose(for year: YearResult, regime: AllocationRegime,
                               terms: AllocationTerms) throws(DomainError) -> AllocationProposal {
        guard year.result.unit == .eur else { throw .unitMismatch(.eur, year.result.unit) }
        try terms.validate(for: regime)
        let surplus = year.result.minorUnits
        func proposal(_ lines: [AllocationLine]) -> AllocationProposal {
            AllocationProposal(year: year.year, result: year.result, regime: regime, terms: terms, lines: lines)
        }
        guard surplus > 0 else { return proposal([]) }
        guard regime.allowsDistribution else { return proposal([AllocationLine(.retained, surplus)]) }
        let members = year.members.sorted { $0.member.uuidString < $1.member.uuidString }
        guard Set(members.map(\.member)).count == members.count else { throw .memberListedTwice }
        for figures in members where figures.paidUpCapital.unit != .eur || figures.paidUpCapital.isNegative || figures.patronage < 0 {
            throw .negativeApportionment
        }

        let legal = Apportionment.basisPoints(terms.legalReserve, of: surplus, rounding: .up)
        let afterLegal = surplus - legal
        // SCOP: the part travail is a minimum, so it rounds up; a refund elsewhere is a choice.
        let refundBudget = min(afterLegal, Apportionment.basisPoints(terms.patronageRefund, of: surplus,
                                                                     rounding: regime == .scop ? .up : .down))
        var left = afterLegal - refundBudget
        var statutory = min(left, Apportionment.basisPoints(terms.statutoryReserve, of: afterLegal, rounding: .up))
        left -= statutory

        if refundBudget > 0 && !members.contains(where: { $0.patronage > 0 }) { throw .noPatronageToRefund }
        let refunds = try Apportionment.largestRemainder(refundBudget, weights: members.map(\.patronage))
        let interest = try interestOnShares(members, left: left, regime: regime, terms: terms,
                                            caps: (refund: refundBudget, reserves: legal + statutory,
                                                   subsidies: year.publicSubsidies.minorUnits))
        left -= interest.reduce(0, +)
        statutory += left

        var lines = [AllocationLine(.legalReserve, legal), AllocationLine(.statutoryReserve, statutory)]
        for (figures, refund) in zip(members, refunds) { lines.append(AllocationLine(.patronageRefund(member: figures.member), refund)) }
        for (figures, paid) in zip(members, interest) { lines.append(AllocationLine(.interestOnShares(member: figures.member), paid)) }
        return proposal(lines.filter { $0.amount.isPositive })
    }

    /// Interest per member: the rate on their paid-up shares, scaled down alike for all when
    /// what is left cannot pay it in full, each rounded down so no one exceeds the cap.
    static func interestOnShares(_ members: [MemberFigures], left: Int64, regime: AllocationRegime,
                                 terms: AllocationTerms,
                                 caps: (refund: Int64, reserves: Int64, subsidies: Int64)) throws(DomainError) -> [Int64] {
        var capital: Int64 = 0
        for figures in members { capital = try Amount.checked(capital.addingReportingOverflow(figures.paidUpCapital.minorUnits)) }
        guard capital > 0, terms.interestRate > 0 else { return members.map { _ in 0 } }
        var budget = min(left, Apportionment.basisPoints(terms.interestRate, of: capital, rounding: .down))
        switch regime {
        case .scic: budget = min(budget, max(0, left - caps.subsidies))
        // Loi 78-763 art. 33: no more than the part travail, nor than the reserves.
        case .scop: budget = min(budget, caps.refund, caps.reserves)
        case .cooperative, .nonProfit: break
        }
        return members.map { Apportionment.scale(budget, by: $0.paidUpCapital.minorUnits, over: capital, rounding: .down) }
    }
}
