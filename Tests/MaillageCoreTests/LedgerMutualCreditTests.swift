import Foundation
import MaillageCore
import Testing

@Suite struct LedgerBarterTests {
    struct Network {
        var world = LedgerWorld()
        let network: BarterNetwork
        let bakery: AccountID, printer: AccountID, feeRevenue: AccountID, bakeryEuros: AccountID

        init(commissionPayer: BarterNetwork.CommissionPayer = .seller) throws {
            network = try BarterNetwork(commissionAccount: AccountID(), commissionPayer: commissionPayer, yearlyFee: eur(24_000))
            try world.ledger.open(network.networkAccount)
            let line = Amount.barter(cents: 100_000)
            let bakeryAccount = try network.memberAccount(business: UUID(), creditLine: line)
            let printerAccount = try network.memberAccount(business: UUID(), creditLine: line)
            try world.ledger.open(bakeryAccount)
            try world.ledger.open(printerAccount)
            (bakery, printer) = (bakeryAccount.id, printerAccount.id)
            feeRevenue = try world.open(owner: .network(network.id))
            bakeryEuros = try world.funded(50_000).member
        }
    }

    @Test func anAcceptedInvoicePostsTheTradeAndTheCommissionTogether() throws {
        var n = try Network()
        var invoice = try BarterInvoice(seller: n.printer, buyer: n.bakery, amount: .barter(cents: 80_000),
                                        description: "Flyers", issuedAt: LedgerWorld.at(0))
        let transfers = try invoice.accept(at: LedgerWorld.at(10), in: n.network)
        try n.world.ledger.post(transfers)
        #expect(n.world.posted(n.bakery) == -80_000)
        #expect(n.world.posted(n.printer) == 76_000)
        #expect(n.world.posted(n.network.commissionAccount) == 4_000)
        #expect(invoice.status == .accepted(at: LedgerWorld.at(10)))
        #expect(n.world.ledger.audit().isEmpty)
        // A retried acceptance pays once.
        try n.world.ledger.post(transfers)
        #expect(n.world.posted(n.bakery) == -80_000)
        #expect(refusal { try invoice.accept(at: LedgerWorld.at(11), in: n.network) } == "invoice_not_open")
    }

    @Test func anInvoiceBeyondTheBuyersCreditLineIsRefusedWhole() throws {
        var n = try Network()
        var invoice = try BarterInvoice(seller: n.printer, buyer: n.bakery, amount: .barter(cents: 100_001),
                                        description: "Trop", issuedAt: LedgerWorld.at(0))
        #expect(refusal { try n.world.ledger.post(invoice.accept(at: LedgerWorld.at(1), in: n.network)) } == "below_floor")
        #expect(n.world.posted(n.printer) == 0 && n.world.posted(n.network.commissionAccount) == 0)
    }

    @Test func theBuyerMayPayTheCommissionAndItIsRoundedHalfUp() throws {
        var n = try Network(commissionPayer: .buyer)
        var invoice = try BarterInvoice(seller: n.printer, buyer: n.bakery, amount: .barter(cents: 1_050),
                                        description: "Cartes", issuedAt: LedgerWorld.at(0))
        try n.world.ledger.post(invoice.accept(at: LedgerWorld.at(1), in: n.network))
        // 5 % of 10,50 = 0,525 → 0,53.
        #expect(n.world.posted(n.bakery) == -1_103 && n.world.posted(n.printer) == 1_050)
    }

    @Test func invoicesAreInBarterUnitsBetweenTwoBusinessesAndCanBeDeclinedOrCancelled() throws {
        let n = try Network()
        #expect(refusal { try BarterInvoice(seller: n.printer, buyer: n.bakery, amount: eur(100), description: "", issuedAt: LedgerWorld.at(0)) } == "unit_mismatch")
        #expect(refusal { try BarterInvoice(seller: n.printer, buyer: n.printer, amount: .barter(cents: 100), description: "", issuedAt: LedgerWorld.at(0)) } == "same_account")
        var invoice = try BarterInvoice(seller: n.printer, buyer: n.bakery, amount: .barter(cents: 100), description: "", issuedAt: LedgerWorld.at(0))
        try invoice.decline(at: LedgerWorld.at(1))
        #expect(refusal { try invoice.cancel(at: LedgerWorld.at(2)) } == "invoice_not_open")
        #expect(refusal { try BarterNetwork(commissionAccount: AccountID(), commissionBasisPoints: 20_000, yearlyFee: eur(0)) } == "invalid_rate")
    }

    @Test func theYearlyFeeIsChargedOncePerYear() throws {
        var n = try Network()
        for _ in 0..<3 {
            try n.world.ledger.post(n.network.membershipFee(year: 2026, from: n.bakeryEuros, to: n.feeRevenue, time: LedgerWorld.at(1)))
        }
        #expect(n.world.posted(n.feeRevenue) == 24_000)
        try n.world.ledger.post(n.network.membershipFee(year: 2027, from: n.bakeryEuros, to: n.feeRevenue, time: LedgerWorld.at(2)))
        #expect(n.world.posted(n.feeRevenue) == 48_000)
    }
}

@Suite struct LedgerTimeBankTests {
    @Test func oneHourGivenIsOneHourReceived() throws {
        var world = LedgerWorld()
        let bank = try TimeBank(floor: .time(minutes: -600))
        let lea = try bank.memberAccount(member: UUID()), sam = try bank.memberAccount(member: UUID())
        try world.ledger.open(lea)
        try world.ledger.open(sam)
        // Léa mends Sam's bike for 1 h 30: Sam pays 90 minutes, Léa earns them.
        try world.ledger.post(bank.service(given: lea.id, to: sam.id, duration: .time(minutes: 90), description: "Réparation vélo", time: LedgerWorld.at(0)))
        #expect(world.posted(lea.id) == 90 && world.posted(sam.id) == -90)
        #expect(refusal { try world.ledger.post(bank.service(given: lea.id, to: sam.id, duration: .time(minutes: 511), description: "", time: LedgerWorld.at(1))) } == "below_floor")
        #expect(refusal { try bank.service(given: lea.id, to: sam.id, duration: eur(100), description: "", time: LedgerWorld.at(1)) } == "unit_mismatch")
        #expect(world.ledger.accounts[sam.id]!.postedBalance.formatted(.fr) == "-1\u{00A0}h\u{00A0}30")
    }

    @Test func withoutAFloorAMemberMayReceiveAsMuchAsOthersGive() throws {
        var world = LedgerWorld()
        let bank = try TimeBank()
        let lea = try bank.memberAccount(member: UUID()), sam = try bank.memberAccount(member: UUID())
        try world.ledger.open(lea)
        try world.ledger.open(sam)
        try world.ledger.post(bank.service(given: lea.id, to: sam.id, duration: .time(minutes: 6_000), description: "Déménagement", time: LedgerWorld.at(0)))
        #expect(world.posted(sam.id) == -6_000)
        #expect(refusal { try TimeBank(floor: .time(minutes: 60)) } == "invalid_limits")
    }
}
