import Foundation
import MaillageCore
import Testing

@Suite struct LedgerEngineTests {
    @Test func aTransferMovesMoneyFromTheDebitAccountToTheCreditAccount() throws {
        // setup
        var world = LedgerWorld()
        let (bank, alice) = try world.funded(5_000)
        let bob = try world.open()
        // act
        try world.ledger.post(Transfer(debit: alice, credit: bob, amount: eur(1_250), memo: "Panier", time: LedgerWorld.at(1)))
        // check
        #expect(world.posted(alice) == 3_750)
        #expect(world.posted(bob) == 1_250)
        #expect(world.posted(bank) == -5_000)
        #expect(world.ledger.audit().isEmpty)
    }

    @Test func aTransferThatWouldCrossTheFloorIsRefusedAndChangesNothing() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(1_000)
        let bob = try world.open()
        let before = world.ledger.journal.count
        #expect(refusal { try world.ledger.post(Transfer(debit: alice, credit: bob, amount: eur(1_001), time: LedgerWorld.at(1))) } == "below_floor")
        #expect(world.posted(alice) == 1_000 && world.posted(bob) == 0 && world.ledger.journal.count == before)
        try world.ledger.post(Transfer(debit: alice, credit: bob, amount: eur(1_000), time: LedgerWorld.at(2)))
        #expect(world.posted(alice) == 0)
    }

    @Test func aCreditLineLetsABalanceGoBelowZeroDownToIt() throws {
        var world = LedgerWorld()
        let buyer = try world.open(.barter, floor: -50_000)
        let seller = try world.open(.barter)
        try world.ledger.post(Transfer(debit: buyer, credit: seller, amount: .barter(cents: 50_000), time: LedgerWorld.at(1)))
        #expect(world.posted(buyer) == -50_000)
        #expect(world.ledger.accounts[buyer]!.headroom == .barter(cents: 0))
        #expect(refusal { try world.ledger.post(Transfer(debit: buyer, credit: seller, amount: .barter(cents: 1), time: LedgerWorld.at(2))) } == "below_floor")
    }

    @Test func aTransferThatWouldCrossTheCeilingIsRefused() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(10_000)
        let capped = try world.open(ceiling: 2_000)
        try world.ledger.post(Transfer(debit: alice, credit: capped, amount: eur(2_000), time: LedgerWorld.at(1)))
        #expect(refusal { try world.ledger.post(Transfer(debit: alice, credit: capped, amount: eur(1), time: LedgerWorld.at(2))) } == "above_ceiling")
    }

    @Test func unitsUnknownClosedOrIdenticalAccountsAndNonPositiveAmountsAreRefused() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(1_000)
        let hours = try world.open(.hour)
        let closed = try world.open()
        try world.ledger.close(closed, at: LedgerWorld.at(0))
        let t = { (credit: AccountID, amount: Amount) in Transfer(debit: alice, credit: credit, amount: amount, time: LedgerWorld.at(1)) }
        #expect(refusal { try world.ledger.post(t(hours, eur(100))) } == "unit_mismatch")
        #expect(refusal { try world.ledger.post(t(hours, .time(minutes: 60))) } == "unit_mismatch")
        #expect(refusal { try world.ledger.post(t(AccountID(), eur(100))) } == "unknown_account")
        #expect(refusal { try world.ledger.post(t(closed, eur(100))) } == "account_closed")
        #expect(refusal { try world.ledger.post(t(alice, eur(100))) } == "same_account")
        #expect(refusal { try world.ledger.post(t(closed, eur(0))) } == "amount_not_positive")
        #expect(refusal { try world.ledger.post(t(closed, eur(-5))) } == "amount_not_positive")
        #expect(world.ledger.journal.count == 1)
    }

    @Test func theSameIdempotencyKeyPostsOnceAndReturnsTheFirstResult() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let bob = try world.open()
        let first = try world.ledger.post(Transfer(debit: alice, credit: bob, amount: eur(1_000), idempotencyKey: "checkout-42", time: LedgerWorld.at(1)))
        let retry = try world.ledger.post(Transfer(debit: alice, credit: bob, amount: eur(1_000), idempotencyKey: "checkout-42", time: LedgerWorld.at(2)))
        #expect(retry == first)
        #expect(world.posted(alice) == 4_000)
        #expect(world.ledger.transfer(idempotencyKey: "checkout-42") == first)
        #expect(refusal { try world.ledger.post(Transfer(debit: alice, credit: bob, amount: eur(999), idempotencyKey: "checkout-42", time: LedgerWorld.at(3))) } == "idempotency_key_reused")
    }

    @Test func aRetryReturnsTheFirstResultEvenIfItCouldNoLongerPost() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(1_000)
        let bob = try world.open()
        let transfer = Transfer(debit: alice, credit: bob, amount: eur(1_000), idempotencyKey: "k", time: LedgerWorld.at(1))
        try world.ledger.post(transfer)
        #expect(try world.ledger.post(transfer) == transfer)
        #expect(refusal { try world.ledger.post(Transfer(id: transfer.id, debit: alice, credit: bob, amount: eur(5), time: LedgerWorld.at(1))) } == "duplicate_transfer")
    }

    @Test func aMistakeIsCorrectedByAReversingTransferOnce() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let bob = try world.open()
        let wrong = try world.ledger.post(Transfer(debit: alice, credit: bob, amount: eur(2_000), time: LedgerWorld.at(1)))
        let fix = try world.ledger.post(.reversing(wrong, time: LedgerWorld.at(2), memo: "Erreur de saisie"))
        #expect(world.posted(alice) == 5_000 && world.posted(bob) == 0)
        #expect(world.ledger.reversal(of: wrong.id) == fix.id)
        #expect(world.ledger.journal.count == 3)
        #expect(refusal { try world.ledger.post(.reversing(wrong, time: LedgerWorld.at(3), memo: "encore")) } == "already_reversed")
        let half = Transfer(debit: bob, credit: alice, amount: eur(1_000), time: LedgerWorld.at(3), reverses: fix.id)
        #expect(refusal { try world.ledger.post(half) } == "reversal_mismatch")
    }

    @Test func aReversalStillRespectsTheFloor() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(2_000)
        let (_, carol) = try world.funded(0)
        let bob = try world.open()
        let payment = try world.ledger.post(Transfer(debit: alice, credit: bob, amount: eur(2_000), time: LedgerWorld.at(1)))
        try world.ledger.post(Transfer(debit: bob, credit: carol, amount: eur(1_500), time: LedgerWorld.at(2)))
        #expect(refusal { try world.ledger.post(.reversing(payment, time: LedgerWorld.at(3), memo: "remboursement")) } == "below_floor")
    }

    @Test func aBatchPostsAllOrNothingAndNamesTheRefusedTransfer() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(1_000)
        let producer = try world.open(), coop = try world.open()
        let ok = Transfer(debit: alice, credit: producer, amount: eur(900), idempotencyKey: "a", time: LedgerWorld.at(1))
        let tooMuch = Transfer(debit: alice, credit: coop, amount: eur(200), idempotencyKey: "b", time: LedgerWorld.at(1))
        do {
            try world.ledger.post([ok, tooMuch])
            Issue.record("the batch should be refused")
        } catch {
            #expect(error.code == "below_floor" && error.field == "transfers[1]")
            #expect(error.message.fr.hasPrefix("Opération n° 2"))
        }
        #expect(world.posted(alice) == 1_000 && world.posted(producer) == 0)
        #expect(world.ledger.transfer(idempotencyKey: "a") == nil && world.ledger.transfer(ok.id) == nil)
        #expect(world.ledger.audit().isEmpty)
        let posted = try world.ledger.post([ok, Transfer(debit: alice, credit: coop, amount: eur(100), time: LedgerWorld.at(1))])
        #expect(posted.count == 2 && world.posted(alice) == 0)
    }

    @Test func balancesThatWouldOverflowAreRefused() throws {
        var world = LedgerWorld()
        let bank = try world.open(owner: .system, floor: nil)
        let rich = try world.open()
        try world.ledger.post(Transfer(debit: bank, credit: rich, amount: eur(.max), time: LedgerWorld.at(1)))
        #expect(refusal { try world.ledger.post(Transfer(debit: bank, credit: rich, amount: eur(1), time: LedgerWorld.at(2))) } == "amount_overflow")
        let other = try world.open(owner: .system, floor: nil)
        try world.ledger.post(Transfer(debit: bank, credit: other, amount: eur(1), time: LedgerWorld.at(3)))
        #expect(world.posted(bank) == .min)
        #expect(refusal { try world.ledger.post(Transfer(debit: bank, credit: other, amount: eur(1), time: LedgerWorld.at(4))) } == "amount_overflow")
        #expect(world.ledger.audit().isEmpty)
    }

    @Test func aCreditLineIsLoweredOnlyOnceItIsNoLongerUsed() throws {
        var world = LedgerWorld()
        let buyer = try world.open(.barter, floor: -10_000)
        let seller = try world.open(.barter)
        try world.ledger.post(Transfer(debit: buyer, credit: seller, amount: .barter(cents: 6_000), time: LedgerWorld.at(1)))
        #expect(refusal { try world.ledger.setLimits(BalanceLimits(floor: -5_000), for: buyer) } == "limits_exclude_balance")
        try world.ledger.setLimits(BalanceLimits(floor: -6_000), for: buyer)
        #expect(world.ledger.accounts[buyer]!.limits.floor == -6_000)
    }

    @Test func onlyAnEmptyAccountCanBeClosed() throws {
        var world = LedgerWorld()
        let (bank, alice) = try world.funded(100)
        #expect(refusal { try world.ledger.close(alice, at: LedgerWorld.at(1)) } == "account_not_empty")
        try world.ledger.post(Transfer(debit: alice, credit: bank, amount: eur(100), time: LedgerWorld.at(1)))
        try world.ledger.close(alice, at: LedgerWorld.at(2))
        #expect(world.ledger.accounts[alice]!.isOpen == false)
        #expect(refusal { try world.ledger.open(world.ledger.accounts[alice]!) } == "duplicate_account")
    }

    @Test func theBalanceAsOfADateComesFromTheJournal() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(1_000)
        let bob = try world.open()
        try world.ledger.post(Transfer(debit: alice, credit: bob, amount: eur(300), time: LedgerWorld.at(60)))
        try world.ledger.post(Transfer(debit: bob, credit: alice, amount: eur(100), time: LedgerWorld.at(120)))
        #expect(try world.ledger.balance(of: bob, asOf: LedgerWorld.at(59)) == eur(0))
        #expect(try world.ledger.balance(of: bob, asOf: LedgerWorld.at(60)) == eur(300))
        #expect(try world.ledger.balance(of: bob, asOf: LedgerWorld.at(500)) == eur(200))
        #expect(try world.ledger.balance(of: alice, asOf: LedgerWorld.at(90)) == eur(700))
    }

    @Test func storedBalancesAreCheckedToSumToZero() throws {
        #expect(Ledger.sumsToZero([Int64.max, Int64.max, Int64.min, Int64.min, -2]) == false)
        #expect(Ledger.sumsToZero([Int64.max, Int64.max, Int64.min, Int64.min, 2]))
        #expect(Ledger.sumsToZero([]))
    }
}
