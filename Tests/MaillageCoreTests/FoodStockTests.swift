import Foundation
import Testing
@testable import MaillageCore

@Suite struct FoodStockTests {
    static let apples = StockKey.variant(FoodWorld.id(101)), eggs = StockKey.variant(FoodWorld.id(111))
    static let now = FoodWorld.at(hours: 1), later = FoodWorld.at(hours: 2)

    static func ledger(apples: Int = 10) throws -> StockLedger {
        var ledger = StockLedger()
        try ledger.setStock(.tracked(apples), for: Self.apples)
        try ledger.setStock(.onDemand, for: eggs)
        return ledger
    }

    @Test func aCheckoutHoldsThenSellsItsItems() throws {
        var ledger = try Self.ledger()
        try ledger.reserve(FoodWorld.id(1), [(Self.apples, 4), (Self.eggs, 50)], expiresAt: Self.later, at: Self.now)
        #expect(ledger.level(Self.apples) == StockLevel(stock: 10, reserved: 4, sold: 0))
        #expect(ledger.level(Self.apples)?.available == 6)
        #expect(ledger.level(Self.eggs)?.available == nil)
        try ledger.confirm(FoodWorld.id(1), at: Self.now)
        #expect(ledger.level(Self.apples) == StockLevel(stock: 10, reserved: 0, sold: 4))
        try ledger.unsell(FoodWorld.id(1))
        #expect(ledger.level(Self.apples) == StockLevel(stock: 10, reserved: 0, sold: 0))
        #expect(ledger.reservations[FoodWorld.id(1)]?.state == .released)
    }

    @Test func noCheckoutTakesMoreThanIsLeftAndARefusalChangesNothing() throws {
        var ledger = try Self.ledger(apples: 5)
        try ledger.reserve(FoodWorld.id(1), [(Self.apples, 3)], expiresAt: Self.later, at: Self.now)
        let before = ledger
        #expect(throws: DomainError.outOfStock(available: 2)) {
            try ledger.reserve(FoodWorld.id(2), [(Self.eggs, 1), (Self.apples, 2), (Self.apples, 1)], expiresAt: Self.later, at: Self.now)
        }
        #expect(ledger == before)
        try ledger.reserve(FoodWorld.id(3), [(Self.apples, 2)], expiresAt: Self.later, at: Self.now)
        #expect(throws: DomainError.outOfStock(available: 0)) { try ledger.reserve(FoodWorld.id(4), [(Self.apples, 1)], expiresAt: Self.later, at: Self.now) }
        #expect(throws: DomainError.unknownStock) { try ledger.reserve(FoodWorld.id(5), [(.variant(FoodWorld.id(9)), 1)], expiresAt: Self.later, at: Self.now) }
        #expect(throws: DomainError.reservationExists) { try ledger.reserve(FoodWorld.id(1), [(Self.eggs, 1)], expiresAt: Self.later, at: Self.now) }
        #expect(throws: DomainError.expiryNotAfterNow) { try ledger.reserve(FoodWorld.id(6), [(Self.eggs, 1)], expiresAt: Self.now, at: Self.now) }
        #expect(throws: DomainError.emptyCart) { try ledger.reserve(FoodWorld.id(7), [], expiresAt: Self.later, at: Self.now) }
        #expect(throws: DomainError.invalidQuantity(999)) { try ledger.reserve(FoodWorld.id(8), [(Self.eggs, 0)], expiresAt: Self.later, at: Self.now) }
    }

    @Test func anAbandonedCheckoutGivesItsItemsBack() throws {
        var ledger = try Self.ledger()
        try ledger.reserve(FoodWorld.id(2), [(Self.apples, 4)], expiresAt: Self.later, at: Self.now)
        try ledger.reserve(FoodWorld.id(1), [(Self.apples, 4)], expiresAt: Self.later, at: Self.now)
        try ledger.reserve(FoodWorld.id(3), [(Self.apples, 1)], expiresAt: FoodWorld.at(hours: 3), at: Self.now)
        #expect(ledger.expire(at: Self.later.addingTimeInterval(-1)) == [])
        #expect(ledger.expire(at: Self.later) == [FoodWorld.id(1), FoodWorld.id(2)])
        #expect(ledger.level(Self.apples) == StockLevel(stock: 10, reserved: 1, sold: 0))
        #expect(throws: DomainError.reservationNotHeld) { try ledger.confirm(FoodWorld.id(1), at: Self.now) }
    }

    @Test func anExpiredHoldIsNotConfirmedEvenBeforeTheExpiryJobRuns() throws {
        var ledger = try Self.ledger()
        try ledger.reserve(FoodWorld.id(1), [(Self.apples, 4)], expiresAt: Self.later, at: Self.now)
        #expect(throws: DomainError.reservationExpired) { try ledger.confirm(FoodWorld.id(1), at: Self.later) }
        try ledger.release(FoodWorld.id(1))
        #expect(throws: DomainError.reservationNotHeld) { try ledger.release(FoodWorld.id(1)) }
        #expect(throws: DomainError.reservationNotSold) { try ledger.unsell(FoodWorld.id(1)) }
        #expect(throws: DomainError.unknownReservation) { try ledger.release(FoodWorld.id(9)) }
    }

    @Test func stockNeverDropsBelowWhatIsPromised() throws {
        var ledger = try Self.ledger()
        try ledger.reserve(FoodWorld.id(1), [(Self.apples, 4)], expiresAt: Self.later, at: Self.now)
        try ledger.reserve(FoodWorld.id(2), [(Self.apples, 3)], expiresAt: Self.later, at: Self.now)
        try ledger.confirm(FoodWorld.id(2), at: Self.now)
        #expect(throws: DomainError.stockBelowCommitted(7)) { try ledger.setStock(.tracked(6), for: Self.apples) }
        try ledger.setStock(.tracked(7), for: Self.apples)
        #expect(ledger.level(Self.apples)?.available == 0)
        try ledger.setStock(.onDemand, for: Self.apples)
        try ledger.reserve(FoodWorld.id(3), [(Self.apples, 500)], expiresAt: Self.later, at: Self.now)
    }

    /// The concurrency scenario on the model: 300 checkouts of one apple, 40 in stock.
    @Test func threeHundredCheckoutsForFortyUnitsSellExactlyForty() throws {
        var ledger = try Self.ledger(apples: 40)
        var refused = 0
        for n in 0..<300 {
            let id = FoodWorld.id(UInt64(10_000 + n))
            do {
                try ledger.reserve(id, [(Self.apples, 1)], expiresAt: Self.later, at: Self.now)
                try ledger.confirm(id, at: Self.now)
            } catch {
                #expect(error.code == "out_of_stock")
                refused += 1
            }
        }
        #expect(ledger.level(Self.apples) == StockLevel(stock: 40, reserved: 0, sold: 40))
        #expect(refused == 260)
    }

    /// Random reserve / confirm / release / cancel / expire / restock sequences: never oversold,
    /// nothing lost — each count's reserved and sold equal the sums of its reservations, and a
    /// refused step changes nothing.
    @Test(arguments: Array(UInt64(1)...30))
    func stockIsNeverOversoldNorLost(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var ledger = StockLedger()
        let keys = (0..<4).map { StockKey.variant(FoodWorld.id(UInt64(50 + $0))) }
            + [StockKey.cycleOffer(cycle: FoodWorld.id(300), variant: FoodWorld.id(50))]
        for key in keys { try ledger.setStock(Int.random(in: 0..<5, using: &random) == 0 ? .onDemand : .tracked(Int.random(in: 0...30, using: &random)), for: key) }
        var clock = 0.0
        var ids: [UUID] = []
        for step in 0..<400 {
            clock += Double(Int.random(in: 0...3, using: &random))
            let now = FoodWorld.at(hours: clock)
            let before = ledger
            do {
                switch Int.random(in: 0..<10, using: &random) {
                case 0...3:
                    let id = Int.random(in: 0..<20, using: &random) == 0 && !ids.isEmpty ? ids.randomElement(using: &random)! : FoodWorld.id(UInt64(100_000 + step))
                    let items = (0..<Int.random(in: 1...3, using: &random)).map { _ in (keys.randomElement(using: &random)!, Int.random(in: 1...8, using: &random)) }
                    try ledger.reserve(id, items, expiresAt: now.addingTimeInterval(Double(Int.random(in: 1...4, using: &random)) * 3600), at: now)
                    ids.append(id)
                case 4...5: if let id = ids.randomElement(using: &random) { try ledger.confirm(id, at: now) }
                case 6: if let id = ids.randomElement(using: &random) { try ledger.release(id) }
                case 7: if let id = ids.randomElement(using: &random) { try ledger.unsell(id) }
                case 8: ledger.expire(at: now)
                default:
                    let key = keys.randomElement(using: &random)!
                    try ledger.setStock(Bool.random(using: &random) ? .tracked(Int.random(in: 0...40, using: &random)) : .onDemand, for: key)
                }
            } catch {
                #expect(ledger == before, "a refused step changed the ledger (seed \(seed), step \(step))")
            }
            for key in keys {
                let level = try #require(ledger.level(key))
                let held = ledger.reservations.values.filter { $0.state == .held }.map { $0.items[key] ?? 0 }.reduce(0, +)
                let sold = ledger.reservations.values.filter { $0.state == .sold }.map { $0.items[key] ?? 0 }.reduce(0, +)
                #expect(level.reserved == held && level.sold == sold, "seed \(seed) step \(step)")
                if let stock = level.stock { #expect(level.reserved + level.sold <= stock, "oversold: seed \(seed) step \(step)") }
            }
        }
    }
}
