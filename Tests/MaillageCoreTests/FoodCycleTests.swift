import Foundation
import Testing
@testable import MaillageCore

@Suite struct FoodCycleTests {
    @Test func theCycleOpensAndClosesWithTheClock() {
        var cycle = FoodWorld.cycle()
        #expect(cycle.phase(at: FoodWorld.at(hours: -1)) == .upcoming)
        #expect(cycle.phase(at: FoodWorld.epoch) == .open)
        #expect(cycle.phase(at: cycle.closesAt.addingTimeInterval(-1)) == .open)
        #expect(cycle.phase(at: cycle.closesAt) == .closed)
        cycle.isPublished = false
        #expect(cycle.phase(at: FoodWorld.at(hours: 1)) == .draft)
        cycle.cancelledAt = FoodWorld.epoch
        #expect(cycle.phase(at: FoodWorld.at(hours: 1)) == .cancelled)
    }

    @Test func onlyAnOpenCycleTakesOrders() throws {
        let cycle = FoodWorld.cycle()
        try cycle.requireOpen(at: FoodWorld.at(hours: 1))
        #expect(throws: DomainError.cycleNotOpenYet) { try cycle.requireOpen(at: FoodWorld.at(hours: -1)) }
        #expect(throws: DomainError.cycleClosed) { try cycle.requireOpen(at: cycle.closesAt) }
        var cancelled = cycle
        try cancelled.cancel(at: FoodWorld.at(hours: 2))
        #expect(throws: DomainError.cycleCancelled) { try cancelled.requireOpen(at: FoodWorld.at(hours: 3)) }
    }

    @Test func aClosedOrCancelledCycleCannotBeCancelled() throws {
        var cycle = FoodWorld.cycle()
        #expect(throws: DomainError.cycleClosed) { try cycle.cancel(at: cycle.closesAt) }
        try cycle.cancel(at: FoodWorld.at(hours: 1))
        #expect(cycle.cancelledAt == FoodWorld.at(hours: 1))
        #expect(throws: DomainError.cycleCancelled) { try cycle.cancel(at: FoodWorld.at(hours: 2)) }
    }

    @Test func aWellFormedCycleHasNoProblem() {
        #expect(FoodWorld.cycle().problems(catalog: FoodWorld.catalog).isEmpty)
    }

    @Test func cycleProblemsNameTheirFields() {
        var cycle = FoodWorld.cycle()
        cycle.name = ""
        cycle.closesAt = cycle.opensAt
        cycle.pickupPoints[0].slots[0].endsAt = cycle.pickupPoints[0].slots[0].startsAt
        cycle.pickupPoints[1].slots[0].startsAt = FoodWorld.at(hours: -2)
        cycle.pickupPoints[1].slots[0].endsAt = FoodWorld.at(hours: -1)
        cycle.homeDelivery = HomeDelivery(feeCents: -1)
        cycle.offers.append(cycle.offers[0])
        cycle.offers.append(CycleOffer(variantID: FoodWorld.id(999), productID: FoodWorld.id(998), producerID: FoodWorld.farm))
        cycle.offers.append(CycleOffer(variantID: FoodWorld.id(121), productID: FoodWorld.sandwich.id, producerID: FoodWorld.farm,
                                       priceCents: 0, stock: .tracked(-1)))
        let problems = cycle.problems(catalog: FoodWorld.catalog).errors
        let byField = Dictionary(problems.map { ($0.field ?? "", $0.code) }, uniquingKeysWith: { a, b in a + "," + b })
        #expect(byField["name"] == "missing_field")
        #expect(byField["closesAt"] == "close_not_after_open")
        #expect(byField["pickupPoints[0].slots[0]"] == "slot_ends_before_start")
        #expect(byField["pickupPoints[1].slots[0]"] == "slot_before_close")
        #expect(byField["homeDelivery.fee"] == "invalid_price")
        #expect(byField["offers[6]"] == "duplicate_entry")
        #expect(byField["offers[7]"] == "unknown_variant")
        #expect(byField["offers[8]"] == "duplicate_entry,offer_mismatch")
        #expect(byField["offers[8].price"] == "invalid_price")
        #expect(byField["offers[8].stock"] == "invalid_stock")
    }

    @Test func aCycleOffersAtLeastOneWayToGetOrders() {
        var cycle = FoodWorld.cycle(delivery: nil)
        cycle.pickupPoints = []
        #expect(cycle.problems(catalog: FoodWorld.catalog).errors.map(\.code) == ["no_fulfilment"])
        cycle.pickupPoints = [PickupPoint(id: FoodWorld.id(1), name: "Ferme", address: "", slots: [])]
        #expect(cycle.problems(catalog: FoodWorld.catalog).errors.map(\.code) == ["no_slot"])
    }

    @Test func theSlotMustBelongToTheChosenPickupPoint() throws {
        let cycle = FoodWorld.cycle()
        #expect(try cycle.deliveryFee(for: FoodWorld.pickup) == 0)
        #expect(throws: DomainError.slotNotAtPickupPoint) {
            try cycle.deliveryFee(for: .pickup(point: FoodWorld.hall.id, slot: FoodWorld.shop.slots[0].id))
        }
        #expect(throws: DomainError.unknownPickupPoint) { try cycle.deliveryFee(for: .pickup(point: FoodWorld.id(7), slot: FoodWorld.id(201))) }
    }

    @Test func homeDeliveryNeedsToBeOfferedAndAnAddress() throws {
        #expect(try FoodWorld.cycle().deliveryFee(for: .homeDelivery(address: "3 chemin des Vignes")) == 500)
        #expect(throws: DomainError.deliveryAddressMissing) { try FoodWorld.cycle().deliveryFee(for: .homeDelivery(address: "  ")) }
        #expect(throws: DomainError.noHomeDelivery) {
            try FoodWorld.cycle(delivery: nil).deliveryFee(for: .homeDelivery(address: "3 chemin des Vignes"))
        }
    }

    @Test func aCycleStockOfItsOwnIsCountedOnTheCycle() {
        var cycle = FoodWorld.cycle()
        #expect(cycle.stockKey(for: cycle.offers[0]) == .variant(FoodWorld.id(101)))
        cycle.offers[0].stock = .tracked(5)
        #expect(cycle.stockKey(for: cycle.offers[0]) == .cycleOffer(cycle: cycle.id, variant: FoodWorld.id(101)))
    }
}
