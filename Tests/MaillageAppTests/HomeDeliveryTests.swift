import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// Les Paniers de la Sèvre name Coursiers Nantais for their home deliveries: a closed cycle's
/// home-delivery orders become deliveries on the couriers' side, and the two cooperatives' books
/// — a receivable on one side, the payable on the other, then the settlement — agree at every step.
@Suite("Delivery: home deliveries between cooperatives", .serialized)
struct HomeDeliveryTests {
    static let food = "/c/paniers-de-la-sevre/food/home-delivery"
    static let desk = "\(DeliveryTests.base)/partners"

    struct Books: Equatable { var receivable: Int64; var payable: Int64 }

    static func books(_ app: Application, food: UUID, delivery: UUID) async throws -> Books {
        Books(receivable: try await LedgerFacade.owed(by: .cooperative(food), to: delivery, on: app.db),
              payable: try await LedgerFacade.owed(to: .cooperative(delivery), by: food, on: app.db))
    }

    /// Names the couriers from the food cooperative's page, places two home-delivery orders in
    /// the open cycle and closes it a minute from now; answers the cycle and the instant after.
    static func closedCycleWithTwoHomeOrders(_ app: Application) async throws -> (cycle: CycleRow, after: Date, food: UUID, delivery: UUID) {
        let foodID = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db).requireID()
        let deliveryID = try await DeliveryTests.coopID(app)
        let alice = try await DeliveryInvoiceTests.signedIn("alice", app)
        let named = try await alice.post(food, [("delivery_cooperative", deliveryID.uuidString),
                                                ("hub_address", "Marché de Talensac, 44000 Nantes"), ("hub_commune", "Nantes")])
        #expect(named.status == .seeOther)
        let cycle = try #require(try await FoodCycles.cycles(of: foodID, on: app.db).first { $0.name == "Paniers de la semaine" })
        let offers = try await FoodCycles.offers(of: cycle.id, on: app.db)
        let now = Date()
        for (index, handle) in ["emma", "farid"].enumerated() {
            let shopper = try #require(try await User.query(on: app.db).filter(\.$email == "\(handle)@\(DemoTerritory.domain)").first())
            _ = try await FoodCheckout.place(FoodCheckout.Request(cycle: cycle, lines: [CartLine(variantID: offers[index].variantID, quantity: 1)],
                                                                  shopper: shopper, fulfilment: .homeDelivery(address: "\(3 + index) rue de Strasbourg, 44000 Nantes"),
                                                                  payment: .atPickup, confirm: true, now: now), on: app.db)
        }
        try await app.db.sql.update("food_cycles").set("closes_at", to: SQLBind(now.addingTimeInterval(60))).where("id", .equal, SQLBind(cycle.id)).run()
        return (cycle, now.addingTimeInterval(120), foodID, deliveryID)
    }

    @Test func aClosedCyclesHomeOrdersBecomeDeliveriesAndBothBooksAgreeAtEveryStep() async throws {
        try await withMaillage(demo: true) { app in
            // setup
            let (cycle, after, food, delivery) = try await Self.closedCycleWithTwoHomeOrders(app)
            #expect(try await Self.books(app, food: food, delivery: delivery) == Books(receivable: 0, payable: 0))
            // Before it closes, nothing is taken.
            #expect(try await HomeDeliveries.convertAll(now: after.addingTimeInterval(-90), on: app.db) == 0)
            // act: the cycle has closed; the job takes it.
            #expect(try await HomeDeliveries.convertAll(now: after, on: app.db) == 1)
            // check: two deliveries from the hub to each shopper, in the cycle's pickup window.
            let taken = try #require(try await HomeDeliveries.cycleRow(cycle.id, on: app.db))
            #expect(taken.deliveries == 2)
            let store = try await HomeDeliveries.partnerStore(try #require(try await HomeDeliveryOrders.partners(of: delivery, on: app.db).first), on: app.db)
            let deliveries = try await DeliveryOrders.deliveries(ofStore: store.id, on: app.db)
            #expect(deliveries.count == 2)
            let tasks = try await DeliveryOrders.tasks(of: try #require(deliveries.first).id, on: app.db)
            #expect(tasks.map(\.kind) == ["pickup", "dropoff"])
            #expect(tasks[0].address == "Marché de Talensac, 44000 Nantes")
            #expect(tasks[1].address.hasSuffix("rue de Strasbourg, 44000 Nantes"))
            let slots = try await FoodCycles.points(of: cycle, on: app.db).flatMap(\.slots)
            #expect(tasks[1].after_at == slots.map(\.startsAt).min())
            #expect(tasks[1].before_at == slots.map(\.endsAt).max())
            // Priced by the couriers' grid: a ride under 3 km (7 €) and one dropoff (1 €) each.
            #expect(deliveries.map(\.price_cents) == [800, 800])
            // The books agree: 16 € owed on one side, 16 € due on the other.
            #expect(taken.gross_cents == 1_600)
            #expect(try await Self.books(app, food: food, delivery: delivery) == Books(receivable: 1_600, payable: 1_600))
            // Running again (or on another process) takes nothing twice.
            let again = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await HomeDeliveries.convertAll(now: after, on: app.db) } }
                return try await group.reduce(0, +)
            }
            #expect(again == 0)
            #expect(try await DeliveryOrders.deliveries(ofStore: store.id, on: app.db).count == 2)
            #expect(try await Self.books(app, food: food, delivery: delivery) == Books(receivable: 1_600, payable: 1_600))
            // The couriers' staff see the partner and what it owes, and record its transfer.
            let nael = try await DeliveryInvoiceTests.signedIn("nael", app)
            let page = try await nael.get(Self.desk).body.string
            #expect(page.contains("Les Paniers de la Sèvre") && page.contains("16,00\u{00A0}€") && page.contains(HomeDeliveryInvoice.number(cycle: cycle.id)))
            let settled = try await nael.post("\(Self.desk)/\(food)/settle", [])
            #expect(settled.status == .seeOther)
            #expect(try await Self.books(app, food: food, delivery: delivery) == Books(receivable: 0, payable: 0))
            // Settling again finds nothing owed.
            let twice = try await nael.post("\(Self.desk)/\(food)/settle", [])
            #expect(twice.status == .conflict)
            #expect(try await Self.books(app, food: food, delivery: delivery) == Books(receivable: 0, payable: 0))
        }
    }

    @Test func settlingConcurrentlyClearsTheDebtOnce() async throws {
        try await withMaillage(demo: true) { app in
            let (_, after, food, delivery) = try await Self.closedCycleWithTwoHomeOrders(app)
            try await HomeDeliveries.convertAll(now: after, on: app.db)
            let db = app.db
            let settled = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<6 {
                    group.addTask { (try? await HomeDeliveries.settle(food: food, delivery: delivery, by: nil, on: db)) ?? 0 }
                }
                return try await group.reduce(0, +)
            }
            #expect(settled == 1_600)
            #expect(try await Self.books(app, food: food, delivery: delivery) == Books(receivable: 0, payable: 0))
        }
    }

    @Test func theFoodStaffNameTheCooperativeWithAFormThatSaysWhatToFix() async throws {
        try await withMaillage(demo: true) { app in
            let alice = try await DeliveryInvoiceTests.signedIn("alice", app)
            let page = try await alice.get(Self.food)
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Coursiers Nantais"))
            let refused = try await alice.post(Self.food, [("delivery_cooperative", ""), ("hub_address", "Halle de Vertou"), ("hub_commune", "Atlantide")])
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            #expect(html.contains("Choisissez une coopérative de livraison"))
            #expect(html.contains("Cette commune n’est pas dans la géographie"))
            #expect(html.contains("Halle de Vertou"))
            // A member who is not staff cannot choose.
            let emma = try await DeliveryInvoiceTests.signedIn("emma", app)
            #expect(try await emma.get(Self.food).status == .forbidden)
            // The desk is the couriers' staff's.
            #expect(try await emma.get(Self.desk).status != .ok)
        }
    }
}
