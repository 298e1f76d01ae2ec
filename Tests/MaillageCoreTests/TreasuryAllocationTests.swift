import Foundation
import MaillageCore
import Testing

/// These cases check the arithmetic of an allocation, not the legal cap on interest: a cap
/// high enough for every rate they use (`interestIsCappedByTheAverageBondYieldPlusTwoPoints`
/// checks the cap itself).
let generousCap = ShareInterestCap(averageYieldBasisPoints: 1_300)

@Suite struct TreasuryAllocationTests {
    let a = fixedUUID(1), b = fixedUUID(2), c = fixedUUID(3)

    func amounts(_ proposal: AllocationProposal) -> [AllocationLine.Destination: Int64] {
        Dictionary(uniqueKeysWithValues: proposal.lines.map { ($0.destination, $0.amount.minorUnits) })
    }

    @Test func aSCICPutsFifteenPercentToTheLegalReserveThenHalfTheRestToTheStatutoryOne() throws {
        // 10 000 € of surplus; 1 500 € of shares; interest at 3 %.
        let year = YearResult(year: 2025, result: eur(1_000_000), members: [
            MemberFigures(member: a, paidUpCapital: eur(100_000)),
            MemberFigures(member: b, paidUpCapital: eur(50_000)),
            MemberFigures(member: c),
        ])
        var terms = AllocationTerms.legalMinimum(for: .scic)
        terms.interestRate = 300
        terms.interestCap = generousCap
        let proposal = try SurplusAllocation.propose(for: year, legalForm: .scic, terms: terms)
        #expect(amounts(proposal) == [.legalReserve: 150_000, .statutoryReserve: 845_500,
                                      .interestOnShares(member: a): 3_000, .interestOnShares(member: b): 1_500])
        #expect(proposal.allocated == eur(1_000_000))
        #expect(proposal.impartibleBasisPoints == 9_955)
        #expect(proposal.electorateRules.majority == .twoThirds)
    }

    @Test func aSCICKeepsAtLeastFiftySevenAndAHalfPercentWhenInterestTakesAllItMay() throws {
        let year = YearResult(year: 2025, result: eur(100_000), members: [
            MemberFigures(member: a, paidUpCapital: eur(6_000_000)),
            MemberFigures(member: b, paidUpCapital: eur(4_000_000)),
        ])
        let proposal = try SurplusAllocation.propose(for: year, regime: .scic,
                                                     terms: AllocationTerms(legalReserve: 1_500, statutoryReserve: 5_000, interestRate: 500, interestCap: generousCap))
        #expect(amounts(proposal) == [.legalReserve: 15_000, .statutoryReserve: 42_500,
                                      .interestOnShares(member: a): 25_500, .interestOnShares(member: b): 17_000])
        #expect(proposal.impartibleBasisPoints == 5_750)
    }

    @Test func inASCICPublicSubsidiesPayNoInterestOnShares() throws {
        let year = YearResult(year: 2025, result: eur(100_000), members: [
            MemberFigures(member: a, paidUpCapital: eur(6_000_000)),
            MemberFigures(member: b, paidUpCapital: eur(4_000_000)),
        ], publicSubsidies: eur(40_000))
        let proposal = try SurplusAllocation.propose(for: year, regime: .scic,
                                                     terms: AllocationTerms(legalReserve: 1_500, statutoryReserve: 5_000, interestRate: 500, interestCap: generousCap))
        #expect(amounts(proposal)[.interestOnShares(member: a)] == 1_500)
        #expect(amounts(proposal)[.statutoryReserve] == 82_500)
    }

    @Test func legalMinimumsRoundUpSoTheReserveNeverGetsLessThanTheLawAsks() throws {
        let three = try SurplusAllocation.propose(for: YearResult(year: 2025, result: eur(3)), regime: .scic,
                                                  terms: .legalMinimum(for: .scic))
        #expect(amounts(three) == [.legalReserve: 1, .statutoryReserve: 2])
        let one = try SurplusAllocation.propose(for: YearResult(year: 2025, result: eur(1)), regime: .scic,
                                                terms: .legalMinimum(for: .scic))
        #expect(amounts(one) == [.legalReserve: 1])
    }

    @Test func aSCICCannotGoBelowTheLawOrPayARefund() throws {
        let year = YearResult(year: 2025, result: eur(100_000), members: [MemberFigures(member: a, patronage: 10)])
        #expect(refusal { try SurplusAllocation.propose(for: year, regime: .scic, terms: AllocationTerms(legalReserve: 1_500, statutoryReserve: 5_000, patronageRefund: 100, interestCap: generousCap)) } == "patronage_refund_not_allowed")
        #expect(refusal { try SurplusAllocation.propose(for: year, regime: .scic, terms: AllocationTerms(legalReserve: 1_500, statutoryReserve: 4_999, interestCap: generousCap)) } == "below_legal_minimum")
        #expect(refusal { try SurplusAllocation.propose(for: year, regime: .scic, terms: AllocationTerms(legalReserve: 1_499, statutoryReserve: 5_000, interestCap: generousCap)) } == "below_legal_minimum")
        #expect(refusal { try SurplusAllocation.propose(for: year, regime: .scic, terms: AllocationTerms(legalReserve: 1_500, statutoryReserve: 5_000, interestRate: 10_001, interestCap: generousCap)) } == "invalid_rate")
    }

    @Test func aSCOPSharesThePartTravailByWorkToTheCent() throws {
        let investor = fixedUUID(9)
        let year = YearResult(year: 2025, result: eur(1_000_000), members: [
            MemberFigures(member: a, patronage: 1_600), MemberFigures(member: b, patronage: 800),
            MemberFigures(member: investor, paidUpCapital: eur(200_000)),
        ])
        let terms = AllocationTerms(legalReserve: 1_500, statutoryReserve: 3_000, patronageRefund: 4_000, interestRate: 1_000, interestCap: generousCap)
        let proposal = try SurplusAllocation.propose(for: year, legalForm: .scop, terms: terms)
        #expect(amounts(proposal) == [.legalReserve: 150_000, .statutoryReserve: 430_000,
                                      .patronageRefund(member: a): 266_667, .patronageRefund(member: b): 133_333,
                                      .interestOnShares(member: investor): 20_000])
        #expect(proposal.distributed == eur(420_000))
        #expect(AllocationLine.Destination.patronageRefund(member: a).label(.scop)(.fr) == "Part travail")
    }

    @Test func aSCOPPaysNoMoreInterestThanThePartTravailNorTheReserves() throws {
        let year = YearResult(year: 2025, result: eur(100_000), members: [
            MemberFigures(member: a, paidUpCapital: eur(10_000_000), patronage: 1),
        ])
        // Part travail 250 €, reserves 150 € + 255 €: interest stops at the part travail.
        let byWork = try SurplusAllocation.propose(for: year, regime: .scop,
                                                   terms: AllocationTerms(legalReserve: 1_500, statutoryReserve: 3_000, patronageRefund: 2_500, interestRate: 1_000, interestCap: generousCap))
        #expect(amounts(byWork)[.interestOnShares(member: a)] == 25_000)
        #expect(byWork.allocated == eur(100_000))
        // Part travail 250 €, reserves 150 € only: interest stops at the reserves.
        let byReserves = try SurplusAllocation.propose(for: year, regime: .scop,
                                                       terms: AllocationTerms(legalReserve: 1_500, patronageRefund: 2_500, interestRate: 1_000, interestCap: generousCap))
        #expect(amounts(byReserves)[.interestOnShares(member: a)] == 15_000)
        #expect(byReserves.allocated == eur(100_000))
    }

    @Test func aSCOPNeedsAQuarterForWorkersAndSomeoneToShareItWith() throws {
        let year = YearResult(year: 2025, result: eur(100_000), members: [MemberFigures(member: a)])
        #expect(refusal { try SurplusAllocation.propose(for: year, regime: .scop, terms: AllocationTerms(patronageRefund: 2_499, interestCap: generousCap)) } == "below_legal_minimum")
        #expect(refusal { try SurplusAllocation.propose(for: year, regime: .scop, terms: .legalMinimum(for: .scop)) } == "no_patronage_to_refund")
        #expect(refusal { try SurplusAllocation.propose(for: year, regime: .scop, terms: AllocationTerms(legalReserve: 1_500, patronageRefund: 9_000, interestCap: generousCap)) } == "terms_exceed_surplus")
    }

    @Test func aConsumerCooperativeRefundsInProportionToPurchases() throws {
        let year = YearResult(year: 2025, result: eur(10_000), members: [
            MemberFigures(member: a, patronage: 1), MemberFigures(member: b, patronage: 1), MemberFigures(member: c, patronage: 1),
        ])
        let proposal = try SurplusAllocation.propose(for: year, regime: .cooperative,
                                                     terms: AllocationTerms(legalReserve: 1_500, patronageRefund: 1_000, interestCap: generousCap))
        // 10 % of 100 € = 10 € for three: 3,34 € to the first in id order, 3,33 € to the others.
        #expect(amounts(proposal) == [.legalReserve: 1_500, .statutoryReserve: 7_500,
                                      .patronageRefund(member: a): 334, .patronageRefund(member: b): 333, .patronageRefund(member: c): 333])
    }

    @Test func anAssociationDistributesNothing() throws {
        let year = YearResult(year: 2025, result: eur(500_000), members: [MemberFigures(member: a, paidUpCapital: eur(1_000), patronage: 5)])
        let proposal = try SurplusAllocation.propose(for: year, legalForm: .association1901, terms: .legalMinimum(for: .nonProfit))
        #expect(amounts(proposal) == [.retained: 500_000])
        #expect(proposal.distributed == eur(0))
        #expect(refusal { try SurplusAllocation.propose(for: year, legalForm: .cooperativeAssociation, terms: AllocationTerms(interestRate: 100, interestCap: generousCap)) } == "distribution_not_allowed")
    }

    @Test func aDeficitAllocatesNothing() throws {
        let year = YearResult(year: 2025, result: eur(-120_000), members: [MemberFigures(member: a, paidUpCapital: eur(1_000))])
        let proposal = try SurplusAllocation.propose(for: year, regime: .scic, terms: .legalMinimum(for: .scic))
        #expect(proposal.lines.isEmpty && proposal.isDeficit && proposal.impartibleBasisPoints == nil)
        #expect(proposal.motion(.fr).contains("déficit de 1\u{202F}200,00\u{00A0}€"))
        #expect(try SurplusAllocation.propose(for: YearResult(year: 2025, result: eur(0)), regime: .scop, terms: .legalMinimum(for: .scop)).lines.isEmpty)
    }

    @Test func formsWithoutARuleAndBadFiguresAreRefused() throws {
        let year = YearResult(year: 2025, result: eur(1_000))
        #expect(refusal { try SurplusAllocation.propose(for: year, legalForm: .other, terms: AllocationTerms(interestCap: generousCap)) } == "no_allocation_regime")
        #expect(refusal { try SurplusAllocation.propose(for: YearResult(year: 2025, result: .barter(cents: 5)), regime: .scic, terms: .legalMinimum(for: .scic)) } == "unit_mismatch")
        let twice = YearResult(year: 2025, result: eur(1_000), members: [MemberFigures(member: a), MemberFigures(member: a)])
        #expect(refusal { try SurplusAllocation.propose(for: twice, regime: .scic, terms: .legalMinimum(for: .scic)) } == "member_listed_twice")
    }

    @Test func theMotionSaysWhereTheSurplusGoes() throws {
        let year = YearResult(year: 2025, result: eur(1_000_000), members: [
            MemberFigures(member: a, paidUpCapital: eur(100_000)), MemberFigures(member: b, paidUpCapital: eur(50_000)),
        ])
        let proposal = try SurplusAllocation.propose(for: year, regime: .scic,
                                                     terms: AllocationTerms(legalReserve: 1_500, statutoryReserve: 5_000, interestRate: 300, interestCap: generousCap))
        let fr = proposal.motion(.fr)
        #expect(fr.hasPrefix("Affectation de l’excédent 2025 (10\u{202F}000,00\u{00A0}€) : réserve légale 1\u{202F}500,00\u{00A0}€"))
        #expect(fr.contains("intérêts aux parts sociales 45,00\u{00A0}€ (2 bénéficiaires)"))
        #expect(fr.hasSuffix("Part impartageable : 99,55 %."))
        #expect(proposal.motion(.en).contains("Impartible share: 99.55 %"))
    }

    @Test func anAdoptedAllocationIsBookedOnce() throws {
        var world = LedgerWorld()
        let (_, result) = try world.funded(1_000_000)
        let legal = try world.open(), statutory = try world.open()
        let members = [a: try world.open(), b: try world.open()]
        let year = YearResult(year: 2025, result: eur(1_000_000), members: [
            MemberFigures(member: a, paidUpCapital: eur(100_000)), MemberFigures(member: b, paidUpCapital: eur(50_000)),
        ])
        let proposal = try SurplusAllocation.propose(for: year, regime: .scic,
                                                     terms: AllocationTerms(legalReserve: 1_500, statutoryReserve: 5_000, interestRate: 300, interestCap: generousCap))
        let accountFor = { (destination: AllocationLine.Destination) -> AccountID? in
            switch destination {
            case .legalReserve: legal
            case .statutoryReserve: statutory
            default: destination.member.flatMap { members[$0] }
            }
        }
        let transfers = try proposal.transfers(from: result, accountFor: accountFor, time: LedgerWorld.at(1), idempotencyPrefix: "alloc-2025")
        try world.ledger.post(transfers)
        try world.ledger.post(transfers)
        #expect(world.posted(result) == 0 && world.posted(legal) == 150_000 && world.posted(members[a]!) == 3_000)
        #expect(transfers.first?.idempotencyKey == "alloc-2025:legal-reserve")
        #expect(refusal { try proposal.transfers(from: result, accountFor: { _ in nil }, time: LedgerWorld.at(1), idempotencyPrefix: "x") } == "allocation_account_missing")
    }

    @Test func interestIsCappedByTheAverageBondYieldPlusTwoPoints() throws {
        let cap = ShareInterestCap(averageYieldBasisPoints: 341)
        #expect(cap.basisPoints == 541)
        let year = YearResult(year: 2025, result: eur(1_000_000), members: [MemberFigures(member: a, paidUpCapital: eur(100_000))])
        func code(_ rate: Int64, _ cap: ShareInterestCap?) -> String? {
            refusal { try SurplusAllocation.propose(for: year, regime: .cooperative,
                                                    terms: AllocationTerms(legalReserve: 1_500, interestRate: rate, interestCap: cap)) }
        }
        #expect(code(541, cap) == nil)
        #expect(code(542, cap) == "interest_above_cap")
        #expect(code(10_000, cap) == "interest_above_cap")
        #expect(code(1, nil) == "interest_cap_unknown", "no interest while the cap is unknown")
        #expect(code(0, nil) == nil)
    }
}
