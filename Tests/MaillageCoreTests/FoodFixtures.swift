import Foundation
@testable import MaillageCore

/// A small food cooperative: three producers, products at each VAT rate, one cycle open from
/// t = 0 to t = 7 days, two pickup points and home delivery.
enum FoodWorld {
    static func id(_ n: UInt64) -> UUID {
        let hex = String(n, radix: 16)
        return UUID(uuidString: "F00D0000-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex)!
    }

    static let epoch = Date(timeIntervalSince1970: 1_767_225_600)   // 2026-01-01T00:00:00Z
    static func at(hours: Double) -> Date { epoch.addingTimeInterval(hours * 3600) }

    static let farm = id(1), bakery = id(2), vineyard = id(3)
    static let producerNames = [farm: "Ferme des Prés", bakery: "Fournil du Bourg", vineyard: "Domaine Vert"]

    static let apples = Product(id: id(100), producerID: farm, name: "Pommes Jonagold", category: "Fruits", description: "",
                                vatRate: .reduced, unit: .kilogram, variants: [
                                    Variant(id: id(101), label: "1 kg", quantity: .whole(1), priceCents: 350, stock: .tracked(40)),
                                    Variant(id: id(102), label: "3 kg", quantity: .whole(3), priceCents: 900, stock: .tracked(10)),
                                ])
    static let eggs = Product(id: id(110), producerID: farm, name: "Œufs", category: "Crèmerie", description: "Plein air",
                              vatRate: .reduced, unit: .piece, variants: [
                                  Variant(id: id(111), label: "6 œufs", quantity: .whole(6), priceCents: 290, stock: .onDemand),
                              ])
    static let sandwich = Product(id: id(120), producerID: bakery, name: "Sandwich", category: "Traiteur", description: "",
                                  vatRate: .intermediate, unit: .piece, variants: [
                                      Variant(id: id(121), label: "1 pièce", quantity: .whole(1), priceCents: 550, stock: .tracked(20)),
                                  ])
    static let bread = Product(id: id(130), producerID: bakery, name: "Pain de campagne", category: "Boulangerie", description: "",
                               vatRate: .reduced, unit: .gram, variants: [
                                   Variant(id: id(131), label: "500 g", quantity: .whole(500), priceCents: 310, stock: .onDemand),
                               ])
    static let wine = Product(id: id(140), producerID: vineyard, name: "Vin rouge", category: "Boissons", description: "",
                              vatRate: .standard, unit: .litre, variants: [
                                  Variant(id: id(141), label: "75 cL", quantity: Measure(thousandths: 750), priceCents: 1290, stock: .tracked(30)),
                              ])
    static let products = [apples, eggs, sandwich, bread, wine]
    static let catalog = FoodCatalog(products)

    static let hall = PickupPoint(id: id(200), name: "Salle des fêtes", address: "1 place de la Mairie", slots: [
        PickupSlot(id: id(201), startsAt: at(hours: 24 * 8), endsAt: at(hours: 24 * 8 + 2)),
        PickupSlot(id: id(202), startsAt: at(hours: 24 * 8 + 2), endsAt: at(hours: 24 * 8 + 4)),
    ])
    static let shop = PickupPoint(id: id(210), name: "Épicerie Coop", address: "5 rue Haute", slots: [
        PickupSlot(id: id(211), startsAt: at(hours: 24 * 9), endsAt: at(hours: 24 * 9 + 3)),
    ])

    static func cycle(fee: FeeRule? = nil, delivery: HomeDelivery? = HomeDelivery(feeCents: 500)) -> OrderCycle {
        let offers = products.flatMap { product in
            product.variants.map { CycleOffer(variantID: $0.id, productID: product.id, producerID: product.producerID) }
        }
        return OrderCycle(id: id(300), name: "Semaine 2", opensAt: epoch, closesAt: at(hours: 24 * 7),
                          offers: offers, pickupPoints: [hall, shop], homeDelivery: delivery,
                          fee: fee ?? (try! FeeRule(basisPoints: 1000)))
    }

    static let pickup = Fulfilment.pickup(point: hall.id, slot: hall.slots[0].id)
}
