import Foundation
import MaillageCore
import Testing

@Suite struct LedgerFeeTests {
    @Test func aPercentageFeeIsRoundedHalfUpToTheCent() throws {
        let rule = try FeeRule(basisPoints: 250)
        #expect(try rule.fee(on: eur(50)) == eur(1))     // 1,25 c
        #expect(try rule.fee(on: eur(60)) == eur(2))     // 1,50 c: a half goes up
        #expect(try rule.fee(on: eur(70)) == eur(2))     // 1,75 c
        #expect(try rule.fee(on: eur(10_000)) == eur(250))
        #expect(try rule.fee(on: eur(0)) == eur(0))
    }

    @Test func aFixedFeeAddsToThePercentageButNeverExceedsTheGoods() throws {
        let rule = try FeeRule(basisPoints: 500, fixed: eur(30))
        #expect(try rule.fee(on: eur(2_000)) == eur(130))
        #expect(try rule.fee(on: eur(20)) == eur(20))
        #expect(refusal { try FeeRule(basisPoints: 10_001) } == "invalid_rate")
        #expect(refusal { try FeeRule(basisPoints: -1) } == "invalid_rate")
        #expect(refusal { try FeeRule(fixed: eur(-1)) } == "amount_negative")
        #expect(refusal { try rule.split(total: eur(-100)) } == "amount_negative")
        #expect(refusal { try FeeRule(fixed: .barter(cents: 10)).fee(on: eur(100)) } == "unit_mismatch")
    }

    @Test func theSplitShowsWhereTheMoneyGoesAndSumsToTheTotal() throws {
        let split = try FeeRule(basisPoints: 800).split(total: eur(3_450), delivery: eur(450))
        #expect(split.delivery == eur(450) && split.fee == eur(240) && split.producer == eur(2_760))
        #expect(try Amount.sum([split.producer, split.fee, split.delivery]) == split.total)
        let chart = split.basisPoints
        #expect(chart.values.reduce(0, +) == 10_000)
        #expect(chart[.fee] == 696 && chart[.delivery] == 1_304)
        #expect(FeeSplit.Part.fee.label(.fr) == "Coopérative (frais)")
        #expect(refusal { try FeeRule().split(total: eur(100), delivery: eur(101)) } == "delivery_above_total")
    }

    @Test func aSaleBooksTheFeeAtTheSameMomentAsThePayment() throws {
        var world = LedgerWorld()
        let (_, buyer) = try world.funded(10_000)
        let producer = try world.open(), coop = try world.open(), courier = try world.open()
        let split = try FeeRule(basisPoints: 1_000).split(total: eur(5_500), delivery: eur(500))
        let batch = try split.transfers(from: buyer, producer: producer, cooperative: coop, delivery: courier,
                                        time: LedgerWorld.at(1), memo: "Commande 17", idempotencyKey: "order-17")
        try world.ledger.post(batch)
        try world.ledger.post(batch)
        #expect(world.posted(producer) == 4_500 && world.posted(coop) == 500 && world.posted(courier) == 500)
        #expect(world.posted(buyer) == 4_500)
        #expect(batch.map { $0.idempotencyKey ?? "" } == ["order-17:producer", "order-17:fee", "order-17:delivery"])
        #expect(refusal { try split.transfers(from: buyer, producer: producer, cooperative: coop, time: LedgerWorld.at(1), memo: "") } == "delivery_account_missing")
    }

    @Test func aFreeActivityTakesNoFeeAndBooksNoFeeTransfer() throws {
        let split = try FeeRule().split(total: eur(1_200))
        #expect(split.fee == eur(0) && split.producer == eur(1_200))
        let batch = try split.transfers(from: AccountID(), producer: AccountID(), cooperative: AccountID(),
                                        time: LedgerWorld.at(0), memo: "Covoiturage")
        #expect(batch.count == 1)
    }
}

@Suite struct LedgerShareCapitalTests {
    @Test func subscribingSharesMovesTheirValueToTheCapitalAccount() throws {
        var world = LedgerWorld()
        let (_, member) = try world.funded(10_000)
        let capitalAccount = try world.open(owner: .cooperative(UUID()))
        let capital = try ShareCapital(nominalValue: eur(2_000), account: capitalAccount)
        let subscription = try capital.subscription(shares: 3, from: member, time: LedgerWorld.at(1))
        try world.ledger.post(subscription)
        #expect(world.posted(capitalAccount) == 6_000 && world.posted(member) == 4_000)
        #expect(subscription.memo == "Souscription de 3 parts sociales (3 × 20,00\u{00A0}€)")
        #expect(refusal { try capital.subscription(shares: 0, from: member, time: LedgerWorld.at(1)) } == "shares_not_positive")
        #expect(refusal { try ShareCapital(nominalValue: .time(minutes: 60), account: capitalAccount) } == "unit_mismatch")
    }

    @Test func redeemingSharesPaysThemBackWithinTheLaw() throws {
        var world = LedgerWorld()
        let (_, member) = try world.funded(10_000)
        let capitalAccount = try world.open(owner: .cooperative(UUID()))
        let capital = try ShareCapital(nominalValue: eur(1_000), account: capitalAccount)
        try world.ledger.post(try capital.subscription(shares: 8, from: member, time: LedgerWorld.at(1)))
        let held = eur(8_000)
        #expect(refusal { try capital.redemption(shares: 9, held: 8, to: member, capital: held, highestCapital: held, time: LedgerWorld.at(2)) } == "redeeming_more_than_held")
        // A quarter of the highest capital (80 €) must stay: 20 €, so at most 6 shares go back.
        #expect(refusal { try capital.redemption(shares: 7, held: 8, to: member, capital: held, highestCapital: held, time: LedgerWorld.at(2)) } == "capital_below_minimum")
        let redemption = try capital.redemption(shares: 6, held: 8, to: member, capital: held, highestCapital: held,
                                                time: LedgerWorld.at(2), language: .en)
        try world.ledger.post(redemption)
        #expect(world.posted(capitalAccount) == 2_000 && redemption.memo.hasPrefix("Redemption of 6 shares"))
        #expect(ShareCapital.minimumCapital(highestCapital: eur(1_001)) == eur(251))
    }
}
