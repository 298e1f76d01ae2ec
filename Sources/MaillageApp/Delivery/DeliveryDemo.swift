import Fluent
import Foundation
import MaillageCore

/// Coursiers Nantais: package types, failure reasons, a zone around the centre of Nantes, a
/// public price grid, three stores (Chloé and Océane order for theirs), and two days of
/// deliveries — yesterday's done (one failed), today's to do or under way.
enum DeliveryDemo {
    /// Inside the ring road, roughly: Chantenay to the Beaujoire, the Loire to Rezé's north.
    static let centre = #"{"type":"Polygon","coordinates":[[[-1.6000,47.1950],[-1.5100,47.1950],[-1.5100,47.2550],[-1.6000,47.2550],[-1.6000,47.1950]]]}"#

    static func seed(_ demo: DemoTerritory) async throws {
        guard let coop = demo.cooperative(.delivery) else { return }
        let db = demo.db, coopID = try coop.requireID(), zone = LocalZone.paris
        let crate = PackageType(name: "Caisse de légumes", volumeUnits: 2, weightGrams: 8_000)
        let bag = PackageType(name: "Sac isotherme", volumeUnits: 1, weightGrams: 3_000)
        let parcel = PackageType(name: "Colis standard", volumeUnits: 1, weightGrams: 2_000)
        for type in [crate, bag, parcel] { try await DeliverySettings.addPackageType(type, in: coopID, on: db) }
        for reason in ["Destinataire absent", "Adresse introuvable", "Colis refusé", "Colis abîmé"] {
            try await DeliverySettings.addFailureReason(reason, in: coopID, on: db)
        }
        try await DeliverySettings.saveZone(try GeoJSONZones.zone(named: "Nantes centre", from: Data(centre.utf8)), in: coopID, on: db)
        let grid = PricingRuleSet(mode: .addUp, rules: [
            PricingRule(label: "Course jusqu’à 3 km", conditions: [.distanceKm(.atMost, 3)], baseCents: 700),
            PricingRule(label: "Course de 3 à 8 km", conditions: [.distanceKm(.above, 3), .distanceKm(.atMost, 8)], baseCents: 700, perKmCents: 80),
            PricingRule(label: "Par point de livraison", target: .task, conditions: [.taskKind(.dropoff)], baseCents: 100),
            PricingRule(label: "Vélo cargo (plus de 40 kg)", conditions: [.weightKg(.above, 40)], baseCents: 500),
            PricingRule(label: "Commande urgente (moins de 2 h)", conditions: [.leadTimeHours(.below, 2)], baseCents: 300),
            PricingRule(label: "Livraison hors du centre", conditions: [.distanceKm(.above, 3)], baseCents: 200),
        ], split: try PriceSplit(couriersBasisPoints: 7_000, cooperativeBasisPoints: 2_500, reservesBasisPoints: 500))
        try await DeliverySettings.savePricing(grid, of: coopID, on: db)

        let rule = AcceptanceRule(maximumDistanceKm: 8, dropoffZone: nil, maximumWeightGrams: 120_000)
        let stores: [(String, String, GeoPoint, String)] = [
            ("Épicerie Le Panier Nantais", "12 rue de la Marne, Nantes", GeoPoint(lat: 47.2162, lon: -1.5510)!, "chloe"),
            ("Librairie Les Bien-Aimés", "2 rue de la Paix, Nantes", GeoPoint(lat: 47.2139, lon: -1.5569)!, "oceane"),
            ("Fromagerie de Talensac", "Marché de Talensac, Nantes", GeoPoint(lat: 47.2225, lon: -1.5589)!, "chloe"),
        ]
        var storeRows: [DeliveryStoreRow] = []
        for (name, address, point, person) in stores {
            let id = try await DeliverySettings.createStore(name: name, address: address, point: point, rule: rule, in: coopID, on: db)
            try await DeliverySettings.addMember(try demo.user(person).requireID(), to: id, on: db)
            storeRows.append(try await DeliverySettings.store(id, in: coopID, on: db))
        }
        let recipients: [(String, GeoPoint, String)] = [
            ("8 rue Fouré, Nantes", GeoPoint(lat: 47.2110, lon: -1.5450)!, "Mme Girard"),
            ("31 boulevard des Poilus, Nantes", GeoPoint(lat: 47.2290, lon: -1.5320)!, "M. Tessier"),
            ("5 rue Paul Bellamy, Nantes", GeoPoint(lat: 47.2230, lon: -1.5560)!, "Mme Leroux"),
            ("14 rue des Hauts-Pavés, Nantes", GeoPoint(lat: 47.2260, lon: -1.5680)!, "M. Nguyen"),
            ("Place de la Gare, Rezé", GeoPoint(lat: 47.1890, lon: -1.5500)!, "Mme Baron"),
            ("22 rue Noire, Nantes", GeoPoint(lat: 47.2240, lon: -1.5530)!, "M. Diallo"),
        ]
        let staff = DeliveryOrders.Actor(user: try demo.user("nael").requireID(), channel: "demo", clientAddress: "")
        let today = zone.localDate(at: Date())
        for dayOffset in [-1, 0] {
            guard let day = today.adding(days: dayOffset) else { continue }
            for (index, store) in storeRows.enumerated() {
                for slot in 0..<2 {
                    let hour = 10 + slot * 3 + index
                    let recipient = recipients[(index * 2 + slot + (dayOffset + 1)) % recipients.count]
                    let after = zone.instant(on: day, hour: hour), before = zone.instant(on: day, hour: hour + 2)
                    var tasks = [DeliveryTaskDraft(kind: .pickup, address: store.address, point: GeoPoint(lat: store.lat, lon: store.lon)!,
                                                   contactName: store.name, after: after, before: before)]
                    tasks.append(DeliveryTaskDraft(kind: .dropoff, address: recipient.0, point: recipient.1, contactName: recipient.2,
                                                   phone: "06 00 00 00 0\(index + slot)", after: after, before: before,
                                                   packages: [PackageLine(type: index == 0 ? crate : (index == 1 ? parcel : bag), quantity: 1 + slot)],
                                                   doorstep: slot == 1, reference: "CMD-\(day.basic)-\(index)\(slot)"))
                    let ordered = after.addingTimeInterval(-86_400)
                    let buyer = DeliveryOrders.Actor(user: try demo.user(stores[index].3).requireID(), channel: "demo", clientAddress: "")
                    let delivery = try await DeliveryOrders.create(DeliveryDraft(tasks: tasks), store: store, by: buyer, on: db, now: ordered)
                    if dayOffset < 0 {
                        _ = try await DeliveryOrders.move(delivery.id, in: coopID, to: .doing, by: staff, on: db, now: after)
                        let failed = index == 1 && slot == 1
                        _ = try await DeliveryOrders.move(delivery.id, in: coopID, to: failed ? .failed : .done, reason: failed ? "Destinataire absent" : nil,
                                                          by: staff, on: db, now: after.addingTimeInterval(2_400))
                    } else if slot == 0 && index == 0 {
                        _ = try await DeliveryOrders.move(delivery.id, in: coopID, to: .doing, by: staff, on: db, now: after)
                    }
                }
            }
        }
    }
}
