import Foundation
import MaillageCore
import Testing

@Suite struct LedgerTwoPhaseTests {
    func reserve(_ world: inout LedgerWorld, _ debit: AccountID, _ credit: AccountID, _ cents: Int64,
                 expiresAt: Date? = LedgerWorld.at(30)) throws(DomainError) -> Transfer {
        try world.ledger.post(Transfer(debit: debit, credit: credit, amount: eur(cents), time: LedgerWorld.at(1),
                                       phase: .pending(expiresAt: expiresAt)))
    }

    @Test func aReservationLowersTheAvailableBalanceButNotThePostedOne() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let shop = try world.open()
        let hold = try reserve(&world, alice, shop, 3_000)
        #expect(world.posted(alice) == 5_000 && world.available(alice) == 2_000)
        #expect(world.ledger.accounts[shop]!.balance.creditsPending == 3_000 && world.posted(shop) == 0)
        #expect(world.ledger.status(ofPending: hold.id) == .open)
        #expect(refusal { try world.ledger.post(Transfer(debit: alice, credit: shop, amount: eur(2_001), time: LedgerWorld.at(2))) } == "below_floor")
        #expect(world.ledger.audit().isEmpty)
    }

    @Test func postingAReservationMovesTheMoneyAndMayTakeLess() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let shop = try world.open()
        let hold = try reserve(&world, alice, shop, 3_000)
        // The basket is weighed: 28,40 € instead of the 30 € reserved.
        let post = try world.ledger.post(.posting(hold, amount: eur(2_840), time: LedgerWorld.at(10)))
        #expect(world.posted(alice) == 2_160 && world.available(alice) == 2_160)
        #expect(world.posted(shop) == 2_840 && world.ledger.accounts[shop]!.balance.creditsPending == 0)
        #expect(world.ledger.status(ofPending: hold.id) == .posted(by: post.id))
        #expect(refusal { try world.ledger.post(.voiding(hold, time: LedgerWorld.at(11))) } == "pending_settled")
        #expect(world.ledger.audit().isEmpty)
    }

    @Test func postingMoreThanReservedIsRefused() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let shop = try world.open()
        let hold = try reserve(&world, alice, shop, 3_000)
        #expect(refusal { try world.ledger.post(.posting(hold, amount: eur(3_001), time: LedgerWorld.at(10))) } == "post_exceeds_reserved")
    }

    @Test func voidingAReservationReleasesIt() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let shop = try world.open()
        let hold = try reserve(&world, alice, shop, 3_000)
        let void = try world.ledger.post(.voiding(hold, time: LedgerWorld.at(5)))
        #expect(world.available(alice) == 5_000 && world.posted(shop) == 0)
        #expect(world.ledger.status(ofPending: hold.id) == .voided(by: void.id))
        #expect(refusal { try world.ledger.post(.posting(hold, time: LedgerWorld.at(6))) } == "pending_settled")
    }

    @Test func reservationsExpireAtTheirTimeAndCanNoLongerBePosted() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let shop = try world.open()
        let soon = try reserve(&world, alice, shop, 1_000, expiresAt: LedgerWorld.at(30))
        let later = try reserve(&world, alice, shop, 1_000, expiresAt: LedgerWorld.at(60))
        let never = try reserve(&world, alice, shop, 1_000, expiresAt: nil)
        #expect(refusal { try world.ledger.post(.posting(soon, time: LedgerWorld.at(30))) } == "pending_expired")
        #expect(world.ledger.expire(now: LedgerWorld.at(29)).isEmpty)
        #expect(world.ledger.expire(now: LedgerWorld.at(30)) == [soon])
        #expect(world.ledger.status(ofPending: soon.id) == .expired(at: LedgerWorld.at(30)))
        #expect(world.available(alice) == 3_000)
        #expect(world.ledger.expire(now: LedgerWorld.at(10_000)) == [later])
        #expect(world.ledger.status(ofPending: never.id) == .open)
        #expect(world.available(alice) == 4_000 && world.ledger.audit().isEmpty)
    }

    @Test func aReservationMustExpireAfterItIsMade() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let shop = try world.open()
        #expect(refusal { try reserve(&world, alice, shop, 1_000, expiresAt: LedgerWorld.at(1)) } == "expiry_not_after_time")
    }

    @Test func pendingCreditsCountAgainstTheCeiling() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let capped = try world.open(ceiling: 2_000)
        _ = try reserve(&world, alice, capped, 1_500)
        #expect(refusal { try world.ledger.post(Transfer(debit: alice, credit: capped, amount: eur(501), time: LedgerWorld.at(2))) } == "above_ceiling")
        try world.ledger.post(Transfer(debit: alice, credit: capped, amount: eur(500), time: LedgerWorld.at(2)))
    }

    @Test func settlingMustNameTheReservationsAccountsAndAKnownReservation() throws {
        var world = LedgerWorld()
        let (bank, alice) = try world.funded(5_000)
        let shop = try world.open()
        let hold = try reserve(&world, alice, shop, 1_000)
        let stranger = Transfer(debit: bank, credit: shop, amount: eur(1_000), time: LedgerWorld.at(2), phase: .posting(hold.id))
        #expect(refusal { try world.ledger.post(stranger) } == "settlement_mismatch")
        let unknown = Transfer(debit: alice, credit: shop, amount: eur(1_000), time: LedgerWorld.at(2), phase: .posting(TransferID()))
        #expect(refusal { try world.ledger.post(unknown) } == "unknown_pending")
        let immediate = try world.ledger.post(Transfer(debit: alice, credit: shop, amount: eur(1), time: LedgerWorld.at(3)))
        #expect(refusal { try world.ledger.post(.voiding(immediate, time: LedgerWorld.at(4))) } == "unknown_pending")
        #expect(refusal { try world.ledger.post(.reversing(hold, time: LedgerWorld.at(4), memo: "non")) } == "cannot_reverse")
        #expect(refusal { try world.ledger.close(shop, at: LedgerWorld.at(5)) } == "account_not_empty")
    }

    @Test func aRetriedCaptureIsIdempotent() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let shop = try world.open()
        let hold = try reserve(&world, alice, shop, 3_000)
        let first = try world.ledger.post(.posting(hold, time: LedgerWorld.at(5), idempotencyKey: "capture-1"))
        let retry = try world.ledger.post(.posting(hold, time: LedgerWorld.at(6), idempotencyKey: "capture-1"))
        #expect(first == retry && world.posted(shop) == 3_000)
    }

    @Test func aRefusedBatchRestoresTheReservationsItSettled() throws {
        var world = LedgerWorld()
        let (_, alice) = try world.funded(5_000)
        let shop = try world.open()
        let hold = try reserve(&world, alice, shop, 3_000)
        let capture = Transfer.posting(hold, time: LedgerWorld.at(5))
        let impossible = Transfer(debit: alice, credit: shop, amount: eur(9_999), time: LedgerWorld.at(5))
        #expect(refusal { try world.ledger.post([capture, impossible]) } == "below_floor")
        #expect(world.ledger.status(ofPending: hold.id) == .open)
        #expect(world.available(alice) == 2_000 && world.ledger.audit().isEmpty)
        #expect(world.ledger.expire(now: LedgerWorld.at(30)) == [hold])
    }
}
