import Foundation
import MaillageCore
import Testing

/// Allocations and apportionments on random figures, seeded so any failure replays.
@Suite struct TreasuryPropertyTests {
    static let seeds: [UInt64] = Array(1...200)

    /// Whether a·d ≥ c·b (a/b ≥ c/d), on 128 bits.
    func atLeast(_ a: Int64, over b: Int64, _ c: Int64, over d: Int64) -> Bool {
        let left = a.multipliedFullWidth(by: d), right = c.multipliedFullWidth(by: b)
        return left.high != right.high ? left.high > right.high : left.low >= right.low
    }

    func randomTerms(_ regime: AllocationRegime, _ random: inout SplitMix64) -> AllocationTerms {
        guard regime != .nonProfit else { return .legalMinimum(for: .nonProfit) }
        let legal = Int64.random(in: 1_500...(regime == .cooperative ? 10_000 : 3_000), using: &random)
        let refund: Int64 = switch regime {
        case .scic: 0
        case .scop: Int64.random(in: 2_500...(10_000 - legal), using: &random)
        default: Int64.random(in: 0...(10_000 - legal), using: &random)
        }
        let afterLegal = 10_000 - legal
        let statutoryRoom = (afterLegal - refund) * 10_000 / afterLegal
        let statutory = regime == .scic ? Int64.random(in: 5_000...10_000, using: &random)
            : Int64.random(in: 0...statutoryRoom, using: &random)
        return AllocationTerms(legalReserve: legal, statutoryReserve: statutory, patronageRefund: refund,
                               interestRate: Int64.random(in: 0...1_500, using: &random), interestCap: generousCap)
    }

    @Test(arguments: seeds)
    func allocationLinesAlwaysSumToTheSurplusAndRespectTheLaw(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let regime = AllocationRegime.allCases.randomElement(using: &random)!
        let terms = randomTerms(regime, &random)
        let surplus = [Int64.random(in: -1_000_000...1_000, using: &random), Int64.random(in: 1...100_000_000, using: &random),
                       Int64.random(in: 1...Int64.max, using: &random)].randomElement(using: &random)!
        let members = (0..<Int.random(in: 1...25, using: &random)).map { n in
            MemberFigures(member: fixedUUID(UInt64(n) + 1), paidUpCapital: eur(Int64.random(in: 0...10_000_000, using: &random)),
                          patronage: Int64.random(in: 1...1_000_000, using: &random))
        }
        let year = YearResult(year: 2025, result: eur(surplus), members: members,
                              publicSubsidies: eur(Int64.random(in: 0...max(0, surplus / 2), using: &random)))
        let proposal = try SurplusAllocation.propose(for: year, regime: regime, terms: terms)

        guard surplus > 0 else {
            #expect(proposal.lines.isEmpty)
            return
        }
        // check
        #expect(proposal.allocated == eur(surplus), "seed \(seed)")
        #expect(proposal.lines.allSatisfy { $0.amount.isPositive })
        let line = { (d: AllocationLine.Destination) in proposal.lines.first { $0.destination == d }?.amount.minorUnits ?? 0 }
        if regime == .nonProfit {
            #expect(proposal.distributed == eur(0))
            return
        }
        #expect(atLeast(line(.legalReserve), over: surplus, terms.legalReserve, over: 10_000), "seed \(seed): legal reserve")
        let afterLegal = surplus - line(.legalReserve)
        if regime == .scic {
            #expect(atLeast(proposal.impartible.minorUnits, over: surplus, 5_750, over: 10_000), "seed \(seed): 57,5 % impartible")
            #expect(afterLegal == 0 || atLeast(line(.statutoryReserve), over: afterLegal, 5_000, over: 10_000), "seed \(seed): statutory")
        }
        for figures in members {
            let interest = line(.interestOnShares(member: figures.member))
            #expect(interest == 0 || atLeast(figures.paidUpCapital.minorUnits * terms.interestRate, over: 10_000, interest, over: 1),
                    "seed \(seed): interest above its cap")
        }
        let refunds = members.map { line(.patronageRefund(member: $0.member)) }
        let totalPatronage = members.reduce(0) { $0 + $1.patronage }
        let refundBudget = refunds.reduce(0, +)
        for (figures, refund) in zip(members, refunds) {
            // Within a cent of the exact share budget·w/W: its floor, or one more.
            let (floor, _) = totalPatronage.dividingFullWidth(refundBudget.multipliedFullWidth(by: figures.patronage))
            #expect(refund == floor || refund == floor + 1, "seed \(seed): refund off by a cent or more")
        }
        if regime == .scop {
            // The part travail is a minimum (a cent may give way only when legal + part travail = 100 %).
            #expect(atLeast(refundBudget + 1, over: surplus, terms.patronageRefund, over: 10_000), "seed \(seed): part travail")
            let interest = proposal.distributed.minorUnits - refundBudget
            #expect(interest <= refundBudget && interest <= proposal.impartible.minorUnits, "seed \(seed): SCOP interest caps")
        }
    }

    @Test(arguments: seeds)
    func largestRemainderPartsSumExactlyAndStayWithinACentOfTheirQuota(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let total = [Int64.random(in: 0...1_000, using: &random), Int64.random(in: 0...Int64.max, using: &random)].randomElement(using: &random)!
        let weights = (0..<Int.random(in: 1...30, using: &random)).map { _ in
            [Int64(0), Int64.random(in: 1...100, using: &random), Int64.random(in: 1...Int64.max / 64, using: &random)].randomElement(using: &random)!
        }
        guard weights.contains(where: { $0 > 0 }) else {
            #expect(total == 0 || refusal { try Apportionment.largestRemainder(total, weights: weights) } == "nothing_to_apportion_by")
            return
        }
        let parts = try Apportionment.largestRemainder(total, weights: weights)
        #expect(parts.reduce(0, +) == total)
        let sum = weights.reduce(0, +)
        for (part, weight) in zip(parts, weights) {
            #expect(part >= 0)
            #expect(weight > 0 || part == 0)
            let (floor, _) = sum.dividingFullWidth(total.multipliedFullWidth(by: weight))
            #expect(part == floor || part == floor + 1, "seed \(seed)")
        }
    }

    @Test func apportionmentRefusesNegativesAndOverflow() throws {
        #expect(refusal { try Apportionment.largestRemainder(-1, weights: [1]) } == "negative_apportionment")
        #expect(refusal { try Apportionment.largestRemainder(1, weights: [1, -1]) } == "negative_apportionment")
        #expect(refusal { try Apportionment.largestRemainder(1, weights: [.max, 1]) } == "amount_overflow")
        #expect(try Apportionment.largestRemainder(0, weights: [0, 0]) == [0, 0])
        #expect(try Apportionment.largestRemainder(100, weights: [1, 1, 1]) == [34, 33, 33])
    }
}
