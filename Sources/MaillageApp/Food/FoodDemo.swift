import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The demo food cooperative: five producers, their products, two pickup points, a closed
/// cycle with orders handed out, and an open cycle with orders coming in.
enum FoodDemo {
    struct Farm {
        var handle: String
        var name: String
        var commune: String
        var about: String
        var category: String
        var vat: String
        var unit: String
        /// Product name, then variants as (label, quantity, price, stock).
        var products: [(String, [(String, String, String, String)])]
    }

    static let farms: [Farm] = [
        Farm(handle: "gaelle", name: "Le Verger de la Sèvre", commune: "Vertou", about: "Pommes, poires et jus, en agriculture biologique.",
             category: "Fruits", vat: "5,5", unit: "kg", products: [
                ("Pommes Jonagold", [("1 kg", "1", "3,20", "40"), ("3 kg", "3", "8,90", "15")]),
                ("Pommes Reinette grise", [("1 kg", "1", "3,40", "30")]), ("Pommes Gala", [("1 kg", "1", "3,00", "40")]),
                ("Poires Conférence", [("1 kg", "1", "3,80", "25")]), ("Poires Williams", [("1 kg", "1", "3,90", "20")]),
                ("Coings", [("1 kg", "1", "4,20", "10")]), ("Kiwis", [("500 g", "0,5", "2,60", "30")]),
                ("Noix", [("500 g", "0,5", "6,50", "20")]), ("Châtaignes", [("1 kg", "1", "7,00", "15")]),
                ("Jus de pomme", [("1 L", "1", "3,50", "")]), ("Compote pomme-poire", [("500 g", "0,5", "4,20", "")]),
                ("Confiture de coings", [("350 g", "0,35", "5,10", "")]), ("Raisin chasselas", [("1 kg", "1", "5,20", "12")]),
             ]),
        Farm(handle: "david", name: "Les Jardins du Chêne", commune: "Rezé", about: "Légumes de saison en maraîchage sur sol vivant.",
             category: "Légumes", vat: "5,5", unit: "kg", products: [
                ("Carottes", [("1 kg", "1", "2,20", "50")]), ("Poireaux", [("1 kg", "1", "3,10", "30")]),
                ("Pommes de terre", [("2 kg", "2", "3,60", "40"), ("5 kg", "5", "8,50", "20")]), ("Courge butternut", [("1 kg", "1", "2,80", "25")]),
                ("Potimarron", [("1 kg", "1", "2,90", "25")]), ("Betteraves", [("1 kg", "1", "2,50", "20")]),
                ("Navets", [("1 kg", "1", "2,40", "20")]), ("Choux kale", [("500 g", "0,5", "3,20", "15")]),
                ("Mâche", [("250 g", "0,25", "3,00", "20")]), ("Oignons", [("1 kg", "1", "2,30", "40")]),
                ("Ail", [("250 g", "0,25", "3,50", "20")]), ("Panais", [("1 kg", "1", "3,40", "15")]), ("Céleri-rave", [("1 kg", "1", "2,90", "12")]),
             ]),
        Farm(handle: "hugo", name: "Fromagerie de la Maine", commune: "Clisson", about: "Fromages de vache au lait cru, troupeau à l’herbe.",
             category: "Fromages", vat: "5,5", unit: "pièce", products: [
                ("Tomme de la Maine", [("la pièce de 300 g", "1", "7,50", "20")]), ("Crottin frais", [("la pièce", "1", "2,40", "30")]),
                ("Fromage blanc", [("500 g", "1", "3,20", "25")]), ("Yaourts nature", [("les 4", "4", "3,00", "30")]),
                ("Yaourts vanille", [("les 4", "4", "3,40", "30")]), ("Beurre demi-sel", [("250 g", "1", "3,90", "20")]),
                ("Crème fraîche", [("25 cl", "1", "2,90", "20")]), ("Lait cru", [("1 L", "1", "1,40", "")]),
                ("Tomme aux orties", [("la pièce de 300 g", "1", "8,20", "10")]), ("Faisselle", [("la pièce", "1", "2,10", "20")]),
                ("Riz au lait", [("le pot", "1", "2,50", "15")]), ("Camembert fermier", [("la pièce", "1", "6,40", "15")]),
             ]),
        Farm(handle: "ines", name: "Fournil des Coteaux", commune: "Le Pallet", about: "Pains au levain, farines de blés anciens du pays.",
             category: "Pain", vat: "5,5", unit: "pièce", products: [
                ("Pain de campagne", [("500 g", "1", "3,20", ""), ("1 kg", "1", "6,00", "")]), ("Pain complet", [("500 g", "1", "3,40", "")]),
                ("Pain aux graines", [("500 g", "1", "3,90", "")]), ("Pain de seigle", [("500 g", "1", "3,80", "")]),
                ("Baguette tradition", [("la pièce", "1", "1,40", "")]), ("Brioche", [("la pièce", "1", "5,50", "12")]),
                ("Fouace nantaise", [("la pièce", "1", "6,80", "10")]), ("Sablés au beurre", [("200 g", "1", "4,20", "20")]),
                ("Farine de blé T80", [("1 kg", "1", "2,90", "30")]), ("Farine de sarrasin", [("1 kg", "1", "3,60", "20")]),
                ("Pain d’épices", [("la pièce", "1", "6,20", "10")]), ("Fougasse aux olives", [("la pièce", "1", "4,50", "10")]),
             ]),
        Farm(handle: "jules", name: "Ferme du Marais", commune: "Vertou", about: "Œufs, volailles et miel de la vallée de la Sèvre.",
             category: "Œufs, viande et miel", vat: "5,5", unit: "pièce", products: [
                ("Œufs plein air", [("les 6", "6", "2,60", "40"), ("les 12", "12", "4,90", "20")]), ("Poulet fermier", [("la pièce (~1,8 kg)", "1", "19,50", "8")]),
                ("Pintade", [("la pièce", "1", "17,00", "5")]), ("Miel de printemps", [("500 g", "1", "8,50", "20")]),
                ("Miel de châtaignier", [("500 g", "1", "9,00", "15")]), ("Terrine de volaille", [("180 g", "1", "5,40", "20")]),
                ("Rillettes de canard", [("180 g", "1", "6,20", "20")]), ("Cuisses de poulet", [("les 2", "2", "7,80", "15")]),
                ("Pain de cire", [("la pièce", "1", "4,00", "10")]), ("Hydromel", [("75 cl", "1", "12,00", "10")]),
                ("Œufs de cane", [("les 6", "6", "3,80", "12")]), ("Bouillon de volaille", [("1 L", "1", "4,50", "10")]),
             ]),
    ]

    static func seed(_ demo: DemoTerritory) async throws {
        guard let coop = demo.cooperative(.food) else { return }
        let db = demo.db, coopID = try coop.requireID(), now = Date()
        var producers: [ProducerRow] = []
        for farm in farms {
            let producer = try await FoodCatalogStore.addProducer(user: try demo.user(farm.handle).requireID(), name: farm.name, description: farm.about,
                                                                   commune: farm.commune, in: coopID, on: db)
            producers.append(producer)
            for (name, variants) in farm.products {
                let draft = ProductDraft(name: name, category: farm.category, description: "\(name) — \(farm.name), \(farm.commune).",
                                         vatRate: farm.vat, unit: farm.unit,
                                         variants: variants.map { VariantDraft(label: $0.0, quantity: $0.1, price: $0.2, stock: $0.3) })
                try await FoodCatalogStore.save(draft, id: nil, producer: producer, on: db)
            }
        }
        let bourg = try await FoodCycles.addPickupPoint(name: "Marché du Bourg", address: "Place du Marché, 44120 Vertou", in: coopID, on: db)
        let ferme = try await FoodCycles.addPickupPoint(name: "Ferme du Marais", address: "12 chemin du Marais, 44120 Vertou", in: coopID, on: db)
        let fee = try await FeeRules.rule(for: .food, in: coopID, on: db)
        let coordinator = try demo.user("alice").requireID()
        // Round daytime hours, as a coordinator is offered them (`CycleSchedule`): orders open at
        // 08:00 and close at 20:00; each point's slot is the next day, never across midnight.
        let zone = LocalZone(DateText.zone), today = zone.localDate(at: now)
        func setup(_ name: String, opens: Int, closes: Int) -> FoodCycles.Setup {
            let closesAt = zone.instant(on: today.adding(days: closes) ?? today, hour: CycleSchedule.closesAtHour)
            let bourgSlot = CycleSchedule.pickupSlot(after: closesAt, in: zone)
            let fermeSlot = CycleSchedule.pickupSlot(after: closesAt, offset: 30, in: zone)
            return FoodCycles.Setup(name: name, opensAt: zone.instant(on: today.adding(days: opens) ?? today, hour: CycleSchedule.opensAtHour),
                                    closesAt: closesAt, published: true, fee: fee, deliveryFeeCents: 450,
                                    slots: [(bourg.id, bourgSlot.startsAt, bourgSlot.endsAt), (ferme.id, fermeSlot.startsAt, fermeSlot.endsAt)],
                                    producers: producers.map(\.id))
        }
        let past = try await FoodCycles.create(setup("Paniers de la semaine passée", opens: -12, closes: -5), in: coopID, by: coordinator, on: db)
        let open = try await FoodCycles.create(setup("Paniers de la semaine", opens: -2, closes: 5), in: coopID, by: coordinator, on: db)
        let shoppers = ["emma", "farid", "alice", "gaelle", "hugo"]
        for (cycle, placedAt) in [(past, now.addingTimeInterval(-8 * 86_400)), (open, now.addingTimeInterval(-86_400))] {
            let (core, _, _) = try await CheckoutReads.basket(cycle, variants: [], on: db)
            let offers = try await FoodCycles.offers(of: cycle.id, on: db).sorted { $0.variantID.uuidString < $1.variantID.uuidString }
            for (index, handle) in shoppers.enumerated() {
                let lines = (0..<3).map { CartLine(variantID: offers[(index * 7 + $0 * 11) % offers.count].variantID, quantity: 1 + ($0 + index) % 2) }
                let point = core.pickupPoints[index % core.pickupPoints.count]
                _ = try await FoodCheckout.place(FoodCheckout.Request(cycle: cycle, lines: lines, shopper: demo.user(handle),
                                                                      fulfilment: .pickup(point: point.id, slot: point.slots[0].id),
                                                                      payment: index < 2 ? .memberCredit : .atPickup, confirm: true,
                                                                      now: placedAt.addingTimeInterval(Double(index) * 600)), on: db)
            }
        }
        // The closed cycle's first orders were handed out.
        struct Row: Decodable { var id: UUID }
        let handed = try await db.sql.select().column("id").from("food_orders").where("cycle_id", .equal, SQLBind(past.id)).orderBy("number").limit(3).all(decoding: Row.self)
        for order in handed { _ = try await FoodCheckout.collect(order.id, by: coordinator, on: db) }
    }
}
