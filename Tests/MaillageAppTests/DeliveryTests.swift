import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// Coursiers Nantais from the demo: public prices, a store ordering a delivery (its price, its
/// acceptance), the recipient's tracking page, the staff moving it on, and races on its status.
@Suite("Delivery: stores order, prices are public, recipients follow", .serialized)
struct DeliveryTests {
    static let slug = "coursiers-nantais"
    static let base = "/c/\(slug)/delivery"

    static func storeID(_ name: String, _ app: Application) async throws -> UUID {
        try #require(try await app.db.sql.select().column("id").from("delivery_stores").where("name", .equal, SQLBind(name))
            .first(decoding: IDRow.self)?.id)
    }

    static func coopID(_ app: Application) async throws -> UUID {
        try await Cooperatives.find(slug: slug, on: app.db).requireID()
    }

    /// A delivery from the Épicerie to Place Royale, as the form sends it.
    static func order(to lat: String = "47.2146", _ lon: String = "-1.5590", preview: Bool = false) -> [(String, String)] {
        var form = [("pickup_address", "12 rue de la Marne, Nantes"), ("pickup_commune", "Nantes"), ("pickup_lat", "47.2162"), ("pickup_lon", "-1.5510"),
                    ("dropoff1_address", "Place Royale, Nantes"), ("dropoff1_commune", "Nantes"), ("dropoff1_lat", lat), ("dropoff1_lon", lon),
                    ("dropoff1_contact", "Mme Girard"), ("dropoff1_phone", "06 11 22 33 44"),
                    ("dropoff1_package_type", "Caisse de légumes"), ("dropoff1_quantity", "2"), ("vehicle", "bike")]
        if preview { form.append(("preview", "1")) }
        return form
    }

    @Test func anyoneReadsThePublicPricesAndWhereTheMoneyGoes() async throws {
        try await withMaillage(demo: true) { app in
            let page = try await Visitor(app).get("\(Self.base)/tarifs")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Course jusqu’à 3 km"))
            #expect(page.body.string.contains("70 %"))
            #expect(page.body.string.contains("par km entamé"))
        }
    }

    @Test func aStoreOrdersSeesItsPriceAndTheRecipientFollowsIt() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@\(DemoTerritory.domain)")
            _ = try await chloe.get("/account")
            let store = try await Self.storeID("Épicerie Le Panier Nantais", app)
            #expect(try await chloe.get("\(Self.base)/stores/\(store)").status == .ok)
            // The preview tells the price and its split, and creates nothing.
            let before = try await app.db.sql.select().column("id").from("deliveries").where("store_id", .equal, SQLBind(store)).all().count
            let preview = try await chloe.post("\(Self.base)/stores/\(store)/deliveries", Self.order(preview: true))
            #expect(preview.status == .ok)
            #expect(preview.body.string.contains("Cette livraison serait acceptée."))
            // Under 3 km: 7 € the ride + 1 € the dropoff; 70 % of it to the couriers.
            #expect(preview.body.string.contains("8,00\u{00A0}€"))
            #expect(preview.body.string.contains("5,60\u{00A0}€"))
            #expect(try await app.db.sql.select().column("id").from("deliveries").where("store_id", .equal, SQLBind(store)).all().count == before)

            let ordered = try await chloe.post("\(Self.base)/stores/\(store)/deliveries", Self.order())
            #expect(ordered.status == .seeOther)
            let location = try #require(ordered.headers.first(name: .location))
            let page = try await chloe.get(location)
            #expect(page.body.string.contains("8,00\u{00A0}€"))
            #expect(page.body.string.contains("2 × Caisse de légumes"))
            let id = try #require(UUID(uuidString: String(location.split(separator: "/").last ?? "")))
            let row = try await DeliveryOrders.delivery(id, in: try await Self.coopID(app), on: app.db)
            #expect(row.price_cents == 800 && row.couriers_cents == 560 && row.cooperative_cents == 200 && row.reserves_cents == 40)

            // The recipient's link needs no account, and shows the status without the phone.
            let recipient = Visitor(app)
            let tracking = try await recipient.get("/delivery/track/\(row.tracking_token)")
            #expect(tracking.status == .ok)
            #expect(tracking.body.string.contains("à faire"))
            #expect(!tracking.body.string.contains("06 11 22 33 44"))
            #expect(try await recipient.get("/delivery/track/\(String(repeating: "0", count: 32))").status == .notFound)

            // Staff start it; the recipient sees it under way; the store cannot mark it delivered.
            #expect(try await chloe.post("\(location)/status", [("to", "done")]).status == .forbidden)
            let nael = Visitor(app)
            try await nael.logIn("nael@\(DemoTerritory.domain)")
            _ = try await nael.get("/account")
            #expect(try await nael.post("\(location)/status", [("to", "doing")]).status == .seeOther)
            #expect(try await recipient.get("/delivery/track/\(row.tracking_token)").body.string.contains("en cours"))
            // A failure must name one of the cooperative's reasons.
            let unknown = try await nael.post("\(location)/status", [("to", "failed"), ("reason", "Pluie")])
            #expect(unknown.status == .unprocessableEntity)
            #expect(unknown.body.string.contains("Choisissez une des raisons d’échec"))
            #expect(try await nael.post("\(location)/status", [("to", "failed"), ("reason", "Destinataire absent")]).status == .seeOther)
            let events = try await DeliveryOrders.events(of: id, on: app.db)
            #expect(events.map(\.to_status) == ["todo", "doing", "failed"])
            #expect(events.last?.reason == "Destinataire absent")
            #expect(events.last?.channel == "web")
        }
    }

    @Test func aRefusedDeliverySaysWhyAndKeepsWhatWasTyped() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@\(DemoTerritory.domain)")
            _ = try await chloe.get("/account")
            let store = try await Self.storeID("Épicerie Le Panier Nantais", app)
            // Carquefou: about 12 km by road, past the store's 8 km.
            let far = try await chloe.post("\(Self.base)/stores/\(store)/deliveries", Self.order(to: "47.2975", "-1.4920"))
            #expect(far.status == .unprocessableEntity)
            #expect(far.body.string.contains("ce magasin est livré jusqu’à 8 km"))
            #expect(far.body.string.contains("Place Royale, Nantes"))
            // A dropoff window that closes before it opens is told on its field.
            var reversed = Self.order()
            reversed += [("dropoff1_after", "2030-05-06T12:00"), ("dropoff1_before", "2030-05-06T10:00")]
            let wrong = try await chloe.post("\(Self.base)/stores/\(store)/deliveries", reversed)
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("La fin du créneau doit venir après son début."))
            #expect(wrong.body.string.contains(##"href="#dropoff1_before""##))
        }
    }

    @Test func onlyTheStoresPeopleAndStaffSeeAStore() async throws {
        try await withMaillage(demo: true) { app in
            let store = try await Self.storeID("Épicerie Le Panier Nantais", app)
            let paul = Visitor(app)
            try await paul.logIn("paul@\(DemoTerritory.domain)")
            _ = try await paul.get("/account")
            #expect(try await paul.get("\(Self.base)/stores/\(store)").status == .notFound)
            #expect(try await paul.post("\(Self.base)/stores/\(store)/deliveries", Self.order()).status == .notFound)
            #expect(try await paul.get("\(Self.base)/manage").status == .forbidden)
            let delivery = try #require(try await app.db.sql.select().column("id").from("deliveries").where("store_id", .equal, SQLBind(store))
                .first(decoding: IDRow.self)?.id)
            #expect(try await paul.get("\(Self.base)/deliveries/\(delivery)").status == .notFound)
            #expect(try await paul.post("\(Self.base)/deliveries/\(delivery)/status", [("to", "cancelled")]).status == .notFound)
        }
    }

    @Test func staffSetZonesAndPricesWithForms() async throws {
        try await withMaillage(demo: true) { app in
            let bruno = Visitor(app)
            try await bruno.logIn("bruno@\(DemoTerritory.domain)")
            _ = try await bruno.get("/account")
            #expect(try await bruno.get("\(Self.base)/manage").status == .ok)
            let bad = try await bruno.post("\(Self.base)/manage/zones", [("name", "Île de Nantes"), ("geojson", "pas du json")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("Ce fichier n’est pas du GeoJSON lisible"))
            #expect(bad.body.string.contains("Île de Nantes"))
            let island = #"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[-1.565,47.200],[-1.520,47.200],[-1.520,47.210],[-1.565,47.210],[-1.565,47.200]]]}}"#
            #expect(try await bruno.post("\(Self.base)/manage/zones", [("name", "Île de Nantes"), ("geojson", island)]).status == .seeOther)
            let rule = try await bruno.post("\(Self.base)/manage/rules", [("label", "Île de Nantes le soir"), ("target", "delivery"), ("base", "4,50"),
                                                                           ("dropoff_zone", "Île de Nantes"), ("slot_from", "18:00"), ("slot_to", "20:00")])
            #expect(rule.status == .seeOther)
            let prices = try await Visitor(app).get("\(Self.base)/tarifs").body.string
            #expect(prices.contains("livraison dans la zone « Île de Nantes », retrait entre 18h00 et 20h00"))
            #expect(prices.contains("4,50\u{00A0}€"))
            let refused = try await bruno.post("\(Self.base)/manage/rules", [("label", ""), ("base", "quatre")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Ce nombre n’est pas lisible."))
            let split = try await bruno.post("\(Self.base)/manage/grid", [("mode", "first_match"), ("couriers", "80"), ("cooperative", "20"), ("reserves", "5")])
            #expect(split.status == .unprocessableEntity)
            #expect(split.body.string.contains("doivent faire 100 %"))
        }
    }

    /// Two cancels, or a cancel and a start, at once: one wins, one event, one final status.
    @Test func racingStatusChangesLeaveOneEventAndOneStatus() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Self.coopID(app)
            let todo = try await app.db.sql.select().column("id").from("deliveries").where("cooperative_id", .equal, SQLBind(coop))
                .where("status", .equal, SQLBind("todo")).limit(2).all(decoding: IDRow.self).map(\.id)
            try #require(todo.count == 2)
            let actor = DeliveryOrders.Actor(user: nil, channel: "test", clientAddress: "")
            for (id, targets) in [(todo[0], Array(repeating: DeliveryStatus.cancelled, count: 8)),
                                  (todo[1], [.cancelled, .doing, .cancelled, .doing, .cancelled, .doing])] {
                let wins = await withTaskGroup(of: Bool.self) { group in
                    for target in targets {
                        group.addTask { (try? await DeliveryOrders.move(id, in: coop, to: target, by: actor, on: app.db)) != nil }
                    }
                    return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                let events = try await DeliveryOrders.events(of: id, on: app.db).filter { $0.channel == "test" }
                let row = try await DeliveryOrders.delivery(id, in: coop, on: app.db)
                if row.deliveryStatus == .cancelled {
                    // A start may have come first, then one cancel on top of it.
                    #expect(events.filter { $0.to_status == "cancelled" }.count == 1)
                    #expect(events.filter { $0.to_status == "doing" }.count <= 1)
                } else {
                    #expect(row.deliveryStatus == .doing)
                    #expect(events.map(\.to_status) == ["doing"])
                }
                #expect(wins == events.count)
            }
        }
    }
}

extension DeliveryTests {
    @Test func aPickupSlotMustStillBeOffered() async throws {
        try await withMaillage(demo: true) { app in
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@\(DemoTerritory.domain)")
            _ = try await chloe.get("/account")
            let store = try await Self.storeID("Épicerie Le Panier Nantais", app)
            let page = try await chloe.get("\(Self.base)/stores/\(store)")
            #expect(page.body.string.contains("Créneau de retrait"))
            // A slot of a past day is refused on its field, the rest of the form kept.
            let past = TimeSlot(start: Date(timeIntervalSince1970: 1_600_000_000), end: Date(timeIntervalSince1970: 1_600_007_200))
            let refused = try await chloe.post("\(Self.base)/stores/\(store)/deliveries", Self.order() + [("pickup_slot", DeliveryForm.slotValue(past))])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Ce créneau n’est plus proposé"))
            // An offered slot becomes the pickup's window.
            let slot = try #require(TimeSlotPlan.standard.slots(at: Date(), days: 7).first)
            let ordered = try await chloe.post("\(Self.base)/stores/\(store)/deliveries", Self.order() + [("pickup_slot", DeliveryForm.slotValue(slot))])
            #expect(ordered.status == .seeOther)
            let id = try #require(UUID(uuidString: String(ordered.headers.first(name: .location)?.split(separator: "/").last ?? "")))
            let pickup = try #require(try await DeliveryOrders.tasks(of: id, on: app.db).first)
            #expect(pickup.after_at == slot.start && pickup.before_at == slot.end)
        }
    }
}
