import Foundation
import Testing
@testable import MaillageCore

@Suite struct FoodOrderTests {
    static let cycle = FoodWorld.cycle()

    static func placed(at hours: Double = 1, hold: TimeInterval = FoodOrder.defaultHold) throws -> FoodOrder {
        try FoodOrder.place(id: FoodWorld.id(500), number: 1, cycle: cycle, catalog: FoodWorld.catalog,
                            cart: [CartLine(variantID: FoodWorld.id(101), quantity: 2)], shopperID: FoodWorld.id(600),
                            shopperName: "Camille", fulfilment: FoodWorld.pickup, payment: .atPickup, at: FoodWorld.at(hours: hours), hold: hold)
    }

    @Test func aCheckoutHoldsStockForFifteenMinutesButNeverPastTheClose() throws {
        #expect(try Self.placed().expiresAt == FoodWorld.at(hours: 1).addingTimeInterval(15 * 60))
        let late = try Self.placed(at: 24 * 7 - 0.1)
        #expect(late.expiresAt == Self.cycle.closesAt)
        #expect(late.status == .pending)
    }

    @Test func aClosedCycleTakesNoOrder() {
        #expect(throws: DomainError.cycleClosed) { try Self.placed(at: 24 * 7) }
    }

    @Test func confirmingSellsTheHeldStock() throws {
        var order = try Self.placed()
        let event = try order.confirm(at: FoodWorld.at(hours: 1.1), cycle: Self.cycle)
        #expect(event.from == .pending && event.to == .confirmed && event.stock == .sell && event.by == .shopper)
        #expect(order.status == .confirmed)
        #expect(throws: DomainError.orderNotPending(.confirmed)) { try order.confirm(at: FoodWorld.at(hours: 1.2), cycle: Self.cycle) }
    }

    @Test func anExpiredHoldCannotBeConfirmed() throws {
        var order = try Self.placed()
        #expect(throws: DomainError.reservationExpired) { try order.confirm(at: order.expiresAt, cycle: Self.cycle) }
        #expect(throws: DomainError.holdNotOver) { try order.expire(at: order.expiresAt.addingTimeInterval(-1)) }
        let event = try order.expire(at: order.expiresAt)
        #expect(event.to == .expired && event.stock == .release && event.by == .system)
        #expect(throws: DomainError.orderNotPending(.expired)) { try order.expire(at: order.expiresAt) }
    }

    @Test func theShopperMayCancelUntilTheCycleCloses() throws {
        var order = try Self.placed()
        _ = try order.confirm(at: FoodWorld.at(hours: 1.1), cycle: Self.cycle)
        #expect(order.mayCancel(by: .shopper, at: FoodWorld.at(hours: 100), cycle: Self.cycle))
        #expect(!order.mayCancel(by: .shopper, at: Self.cycle.closesAt, cycle: Self.cycle))
        #expect(throws: DomainError.cancelAfterClose) { try order.cancel(by: .shopper, at: Self.cycle.closesAt, cycle: Self.cycle) }
        let event = try order.cancel(by: .shopper, at: FoodWorld.at(hours: 100), cycle: Self.cycle)
        #expect(event.to == .cancelled && event.stock == .unsell)
        #expect(throws: DomainError.orderNotCancellable(.cancelled)) { try order.cancel(by: .coordinator, at: FoodWorld.at(hours: 101), cycle: Self.cycle) }
    }

    @Test func cancellingAPendingOrderReleasesItsHold() throws {
        var order = try Self.placed()
        #expect(try order.cancel(by: .shopper, at: FoodWorld.at(hours: 1.1), cycle: Self.cycle).stock == .release)
    }

    @Test func aCoordinatorMayCancelAfterTheCloseUntilCollection() throws {
        var order = try Self.placed()
        _ = try order.confirm(at: FoodWorld.at(hours: 1.1), cycle: Self.cycle)
        var collected = order
        #expect(order.mayCancel(by: .coordinator, at: FoodWorld.at(hours: 24 * 8), cycle: Self.cycle))
        #expect(try order.cancel(by: .coordinator, at: FoodWorld.at(hours: 24 * 8), cycle: Self.cycle).by == .coordinator)
        _ = try collected.collect(at: FoodWorld.at(hours: 24 * 8), cycle: Self.cycle)
        #expect(!collected.mayCancel(by: .coordinator, at: FoodWorld.at(hours: 24 * 8), cycle: Self.cycle))
        #expect(!collected.mayCancel(by: .system, at: FoodWorld.at(hours: 2), cycle: Self.cycle))
    }

    @Test func anOrderIsCollectedOnlyConfirmedAndAfterTheClose() throws {
        var order = try Self.placed()
        #expect(throws: DomainError.orderNotConfirmed(.pending)) { try order.collect(at: FoodWorld.at(hours: 24 * 8), cycle: Self.cycle) }
        _ = try order.confirm(at: FoodWorld.at(hours: 1.1), cycle: Self.cycle)
        #expect(throws: DomainError.collectBeforeClose) { try order.collect(at: FoodWorld.at(hours: 5), cycle: Self.cycle) }
        let event = try order.collect(at: FoodWorld.at(hours: 24 * 8), cycle: Self.cycle)
        #expect(event.to == .collected && event.stock == StockEffect.none)
    }

    @Test func anOrderIsOnlyHandledWithItsOwnCycle() throws {
        var order = try Self.placed()
        var other = Self.cycle
        other = OrderCycle(id: FoodWorld.id(301), name: other.name, opensAt: other.opensAt, closesAt: other.closesAt, offers: other.offers,
                           pickupPoints: other.pickupPoints, fee: other.fee)
        #expect(throws: DomainError.orderOfAnotherCycle) { try order.confirm(at: FoodWorld.at(hours: 1.1), cycle: other) }
    }
}
