import Foundation
import Testing
@testable import MaillageCore

@Suite struct FoodPricingTests {
    @Test func aBasketShowsLinesVATAndWhereTheMoneyGoes() throws {
        // setup: 10 % fee; 2 × apples 1 kg (5,5 %), 1 sandwich (10 %), 1 wine (20 %)
        let cycle = FoodWorld.cycle()
        // act
        let cart = try cycle.price([CartLine(variantID: FoodWorld.id(101), quantity: 2), CartLine(variantID: FoodWorld.id(121), quantity: 1),
                                    CartLine(variantID: FoodWorld.id(141), quantity: 1)], catalog: FoodWorld.catalog, fulfilment: FoodWorld.pickup)
        // check
        #expect(cart.lines.map(\.totalCents) == [700, 550, 1290])
        #expect(cart.goodsCents == 2540 && cart.deliveryCents == 0 && cart.totalCents == 2540)
        #expect(cart.vat.map(\.rate) == [.reduced, .intermediate, .standard])
        #expect(cart.vat.map(\.vatCents) == [36, 50, 215])      // 700 × 5,5/105,5 = 36,49; 550/11; 1290/6
        #expect(cart.vat.map(\.netCents) == [664, 500, 1075])
        #expect(cart.split.fee.minorUnits == 254 && cart.split.producer.minorUnits == 2286)
        let byProducer = Dictionary(uniqueKeysWithValues: cart.producers.map { ($0.producerID, $0) })
        #expect(byProducer[FoodWorld.farm]?.goodsCents == 700 && byProducer[FoodWorld.farm]?.feeCents == 70)
        #expect(byProducer[FoodWorld.bakery]?.goodsCents == 550 && byProducer[FoodWorld.bakery]?.feeCents == 55)
        #expect(byProducer[FoodWorld.vineyard]?.goodsCents == 1290 && byProducer[FoodWorld.vineyard]?.payoutCents == 1161)
    }

    @Test func homeDeliveryAddsItsFeeToTheTotalNotToTheGoods() throws {
        let cart = try FoodWorld.cycle().price([CartLine(variantID: FoodWorld.id(131), quantity: 3)], catalog: FoodWorld.catalog,
                                               fulfilment: .homeDelivery(address: "2 rue Basse"))
        #expect(cart.goodsCents == 930 && cart.deliveryCents == 500 && cart.totalCents == 1430)
        #expect(cart.split.delivery.minorUnits == 500 && cart.split.fee.minorUnits == 93)
        #expect(cart.producers.map(\.split.delivery.minorUnits) == [0])
    }

    @Test func aCyclePriceReplacesTheProducersPrice() throws {
        var cycle = FoodWorld.cycle()
        cycle.offers[0].priceCents = 300
        let cart = try cycle.price([CartLine(variantID: FoodWorld.id(101), quantity: 1)], catalog: FoodWorld.catalog, fulfilment: FoodWorld.pickup)
        #expect(cart.lines[0].unitPriceCents == 300)
    }

    @Test func linesOfTheSameVariantAreMerged() throws {
        let cart = try FoodWorld.cycle().price([CartLine(variantID: FoodWorld.id(101), quantity: 2), CartLine(variantID: FoodWorld.id(111), quantity: 1),
                                                CartLine(variantID: FoodWorld.id(101), quantity: 3)], catalog: FoodWorld.catalog, fulfilment: FoodWorld.pickup)
        #expect(cart.lines.map(\.variantID) == [FoodWorld.id(101), FoodWorld.id(111)])
        #expect(cart.lines[0].quantity == 5)
        #expect(cart.reservations.map(\.quantity) == [5, 1])
    }

    @Test func aFixedFeeIsTakenOncePerBasketAndSharedByProducers() throws {
        let cycle = FoodWorld.cycle(fee: try FeeRule(basisPoints: 0, fixed: .euros(cents: 100)))
        let cart = try cycle.price([CartLine(variantID: FoodWorld.id(101), quantity: 1), CartLine(variantID: FoodWorld.id(121), quantity: 1),
                                    CartLine(variantID: FoodWorld.id(141), quantity: 1)], catalog: FoodWorld.catalog, fulfilment: FoodWorld.pickup)
        #expect(cart.split.fee.minorUnits == 100)
        #expect(cart.producers.map(\.feeCents).reduce(0, +) == 100)
        // 350 / 550 / 1290 of 2190: 15,98 / 25,11 / 58,90 c → 16 / 25 / 59.
        let fees = Dictionary(uniqueKeysWithValues: cart.producers.map { ($0.producerID, $0.feeCents) })
        #expect(fees[FoodWorld.farm] == 16 && fees[FoodWorld.bakery] == 25 && fees[FoodWorld.vineyard] == 59)
    }

    @Test func aBasketRefusesWhatTheCycleDoesNotSell() {
        var cycle = FoodWorld.cycle()
        cycle.offers.removeAll { $0.variantID == FoodWorld.id(141) }
        let pickup = FoodWorld.pickup, catalog = FoodWorld.catalog
        #expect(throws: DomainError.variantNotInCycle) { try cycle.price([CartLine(variantID: FoodWorld.id(141), quantity: 1)], catalog: catalog, fulfilment: pickup) }
        #expect(throws: DomainError.variantNotInCycle) { try cycle.price([CartLine(variantID: FoodWorld.id(999), quantity: 1)], catalog: catalog, fulfilment: pickup) }
        #expect(throws: DomainError.emptyCart) { try cycle.price([], catalog: catalog, fulfilment: pickup) }
        for quantity in [0, -1, 1000] {
            #expect(throws: DomainError.invalidQuantity(999)) { try cycle.price([CartLine(variantID: FoodWorld.id(101), quantity: quantity)], catalog: catalog, fulfilment: pickup) }
        }
        // Two lines of 600 merge into 1 200: still over the limit.
        #expect(throws: DomainError.invalidQuantity(999)) {
            try cycle.price(Array(repeating: CartLine(variantID: FoodWorld.id(101), quantity: 600), count: 2), catalog: catalog, fulfilment: pickup)
        }
        #expect(throws: DomainError.slotNotAtPickupPoint) {
            try cycle.price([CartLine(variantID: FoodWorld.id(101), quantity: 1)], catalog: catalog, fulfilment: .pickup(point: FoodWorld.shop.id, slot: FoodWorld.id(201)))
        }
    }

    @Test func checkoutNeedsAnOpenCycle() throws {
        let cycle = FoodWorld.cycle(), lines = [CartLine(variantID: FoodWorld.id(101), quantity: 1)]
        _ = try cycle.checkout(lines, catalog: FoodWorld.catalog, fulfilment: FoodWorld.pickup, at: FoodWorld.at(hours: 1))
        #expect(throws: DomainError.cycleClosed) { try cycle.checkout(lines, catalog: FoodWorld.catalog, fulfilment: FoodWorld.pickup, at: cycle.closesAt) }
        #expect(throws: DomainError.cycleNotOpenYet) { try cycle.checkout(lines, catalog: FoodWorld.catalog, fulfilment: FoodWorld.pickup, at: FoodWorld.at(hours: -5)) }
    }

    /// Random catalogs, fee rules and baskets: every figure adds up to the cent.
    @Test(arguments: Array(UInt64(1)...40))
    func everyFigureOfABasketAddsUp(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let producers = (0..<Int.random(in: 1...6, using: &random)).map { FoodWorld.id(10_000 + UInt64($0)) }
        var products: [Product] = [], offers: [CycleOffer] = []
        for p in 0..<Int.random(in: 1...20, using: &random) {
            let producer = producers.randomElement(using: &random)!
            let variants = (0..<Int.random(in: 1...3, using: &random)).map { v in
                Variant(id: FoodWorld.id(UInt64(20_000 + p * 10 + v)), label: "v\(v)", quantity: .whole(1),
                        priceCents: Int64.random(in: 1...(Bool.random(using: &random) ? 500 : 10_000_000), using: &random), stock: .onDemand)
            }
            let product = Product(id: FoodWorld.id(UInt64(30_000 + p)), producerID: producer, name: "p\(p)", category: "c", description: "",
                                  vatRate: VATRate.allCases.randomElement(using: &random)!, unit: .piece, variants: variants)
            products.append(product)
            offers += variants.map { CycleOffer(variantID: $0.id, productID: product.id, producerID: producer,
                                                priceCents: Int.random(in: 0..<5, using: &random) == 0 ? Int64.random(in: 1...2_000, using: &random) : nil) }
        }
        let fee = try FeeRule(basisPoints: Int64.random(in: 0...10_000, using: &random),
                              fixed: Bool.random(using: &random) ? .euros(cents: Int64.random(in: 0...1_000, using: &random)) : nil)
        var cycle = FoodWorld.cycle(fee: fee, delivery: HomeDelivery(feeCents: Int64.random(in: 0...2_000, using: &random)))
        cycle.offers = offers
        let catalog = FoodCatalog(products)
        for _ in 0..<25 {
            let lines = (0..<Int.random(in: 1...12, using: &random)).map { _ in
                CartLine(variantID: offers.randomElement(using: &random)!.variantID, quantity: Int.random(in: 1...80, using: &random))
            }
            let fulfilment = Bool.random(using: &random) ? FoodWorld.pickup : .homeDelivery(address: "ici")
            let cart = try cycle.price(lines, catalog: catalog, fulfilment: fulfilment)
            #expect(cart.lines.map(\.totalCents).reduce(0, +) == cart.goodsCents)
            #expect(cart.lines.allSatisfy { $0.totalCents == $0.unitPriceCents * Int64($0.quantity) })
            #expect(cart.vat.map(\.grossCents).reduce(0, +) == cart.goodsCents)
            #expect(cart.vat.allSatisfy { $0.vatCents >= 0 && $0.netCents >= 0 && $0.netCents + $0.vatCents == $0.grossCents })
            #expect(cart.producers.map(\.goodsCents).reduce(0, +) == cart.goodsCents)
            #expect(cart.producers.map(\.feeCents).reduce(0, +) == cart.split.fee.minorUnits)
            #expect(cart.producers.allSatisfy { $0.feeCents >= 0 && $0.payoutCents >= 0 && $0.payoutCents + $0.feeCents == $0.goodsCents })
            #expect(cart.totalCents == cart.goodsCents + cart.deliveryCents)
            #expect(cart.split.total.minorUnits == cart.totalCents)
            #expect(cart.split.producer.minorUnits + cart.split.fee.minorUnits + cart.split.delivery.minorUnits == cart.totalCents)
            #expect(cart.split.fee == (try fee.fee(on: .euros(cents: cart.goodsCents))))
            #expect(cart.split.basisPoints.values.reduce(0, +) == (cart.totalCents == 0 ? 0 : 10_000))
            #expect(cart.reservations.map(\.quantity).reduce(0, +) == lines.map(\.quantity).reduce(0, +))
        }
    }
}
