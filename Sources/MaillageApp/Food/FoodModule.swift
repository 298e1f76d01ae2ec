import Fluent
import MaillageCore
import SQLKit
import Vapor

/// Local food in short circuits: producers and their products, order cycles with pickup points,
/// the shopfront, checkout with stock held by the database, reports, and DFC catalogs.
struct FoodModule: MaillageModule {
    let name = "food"
    var migrations: [any Migration] { [CreateFood(), CreateFoodProductWords(), AddFoodSortNames(), AddFoodDFCImports(), AddFoodCatalogSources(), CreateFoodHomeDeliveryPartner()] }

    var mailTemplates: [MailTemplate] { [FoodMails.receiptTemplate] }

    var jobs: [ScheduledJob] {
        [ScheduledJob("food-expire-checkouts", every: 30) { app in try await FoodCheckout.expireDue(on: app.db) },
         // Each registered catalog is read again once it is 20 hours old: every night, in practice.
         ScheduledJob("food-catalog-sync", every: 3600) { app in try await FoodCatalogSync.runDue(app) }]
    }

    func pages(_ routes: any RoutesBuilder) {
        // The shopfront is public: anyone may see what the producers sell; ordering needs membership.
        routes.get("c", ":slug", "food", use: ShopPages.home)
        routes.get("c", ":slug", "food", "cycles", ":cycle", use: ShopPages.shopfront)
        routes.get("c", ":slug", "food", "photos", ":product", use: ProducerPages.photo)
        routes.get("c", ":slug", "food", "producers", ":producer", "catalog.jsonld", use: FoodDFC.catalogPage)
        let members = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug", "food")
        members.post("cycles", ":cycle", "cart", use: ShopPages.addToCart)
        members.get("cycles", ":cycle", "cart", use: ShopPages.cart)
        members.post("cycles", ":cycle", "checkout", use: ShopPages.checkout)
        members.get("orders", use: ShopPages.myOrders)
        members.get("home-delivery", use: HomeDeliveryPartnerPages.show)
        members.post("home-delivery", use: HomeDeliveryPartnerPages.save)
        members.get("orders", ":order", use: ShopPages.order)
        members.post("orders", ":order", "confirm", use: ShopPages.confirm)
        members.get("orders", ":order", "cancel", use: ShopPages.cancelQuestion)
        members.post("orders", ":order", "cancel", use: ShopPages.cancel)
        members.post("orders", ":order", "collect", use: CyclePages.collect)
        members.get("products", use: ProducerPages.list)
        members.get("products", "new", use: ProducerPages.newProduct)
        members.post("products", use: ProducerPages.create)
        members.post("products", "import", use: ProducerPages.importCSV)
        members.post("products", "catalog-source", use: FoodCatalogSyncPages.register)
        members.post("products", "catalog-source", "sync", use: FoodCatalogSyncPages.syncNow)
        members.get("products", ":product", use: ProducerPages.edit)
        members.post("products", ":product", use: ProducerPages.update)
        members.post("products", ":product", "archive", use: ProducerPages.archive)
        members.on(.POST, "products", ":product", "photo", body: .collect(maxSize: "6mb"), use: ProducerPages.uploadPhoto)
        members.get("manage", use: CyclePages.manage)
        members.post("manage", "cycles", use: CyclePages.create)
        members.post("manage", "points", use: CyclePages.addPoint)
        members.post("manage", "producers", use: CyclePages.addProducer)
        members.get("manage", "cycles", ":cycle", use: CyclePages.cycle)
        members.post("manage", "cycles", ":cycle", "publish", use: CyclePages.publish)
        members.get("manage", "cycles", ":cycle", "cancel", use: CyclePages.cancelQuestion)
        members.post("manage", "cycles", ":cycle", "cancel", use: CyclePages.cancel)
        members.post("manage", "cycles", ":cycle", "offers", ":variant", use: CyclePages.adjustOffer)
        members.get("manage", "cycles", ":cycle", "harvest", use: FoodReportPages.harvest)
        members.get("manage", "cycles", ":cycle", "harvest.csv", use: FoodReportPages.harvestCSV)
        members.get("manage", "cycles", ":cycle", "pickup", use: FoodReportPages.pickup)
        members.get("manage", "cycles", ":cycle", "pickup.csv", use: FoodReportPages.pickupCSV)
        members.get("manage", "cycles", ":cycle", "totals", use: FoodReportPages.totals)
        members.get("manage", "cycles", ":cycle", "totals.csv", use: FoodReportPages.totalsCSV)
    }

    func api(_ routes: any RoutesBuilder) {
        let food = routes.grouped("cooperatives", ":slug", "food")
        food.get("cycles", use: FoodAPI.cycles)
        food.get("cycles", ":cycle", "products", use: FoodAPI.products)
        food.post("cycles", ":cycle", "orders", use: FoodAPI.checkout)
        food.get("orders", use: FoodAPI.orders)
        food.get("orders", ":order", use: FoodAPI.order)
        food.post("orders", ":order", "confirm", use: FoodAPI.confirm)
        food.post("orders", ":order", "cancel", use: FoodAPI.cancel)
        food.get("producers", ":producer", "catalog", use: FoodDFC.catalogAPI)
        food.on(.POST, "producers", ":producer", "catalog", body: .collect(maxSize: "4mb"), use: FoodDFC.importCatalog)
        food.on(.POST, "producers", ":producer", "products", "import", body: .collect(maxSize: "4mb"), use: FoodAPI.importCSV)
        // Orders by DFC (what a `dfc` token reaches, and nothing else).
        food.on(.POST, "dfc", "orders", body: .collect(maxSize: "1mb"), use: FoodDFCOrders.place)
        food.get("dfc", "orders", ":order", use: FoodDFCOrders.read)
        food.on(.PUT, "dfc", "orders", ":order", body: .collect(maxSize: "1mb"), use: FoodDFCOrders.replace)
        food.on(.PATCH, "dfc", "orders", ":order", body: .collect(maxSize: "1mb"), use: FoodDFCOrders.amend)
        food.delete("dfc", "orders", ":order", use: FoodDFCOrders.cancel)
    }

    var openAPI: OpenAPIFragment { FoodOpenAPI.fragment }
    var dataRegister: [TableRegister] { FoodRegister.tables + [HomeDeliveryPartner.register] }

    /// An order still to collect is a promise between the member and the producers.
    func openObligations(of user: User, on db: any Database) async throws -> [Localized] {
        struct Open: Decodable { var number: Int64; var name: String }
        let rows = try await db.sql.raw("""
            SELECT o.number, c.name FROM food_orders o JOIN food_cycles c ON c.id = o.cycle_id
            WHERE o.shopper_id = \(bind: try user.requireID()) AND o.status = \(bind: OrderStatus.confirmed.rawValue)
            """).all(decoding: Open.self)
        return rows.map { row in
            Localized(fr: "Commande n° \(row.number) (« \(row.name) ») à retirer ou à annuler d’abord.",
                      en: "Order no. \(row.number) (“\(row.name)”) to collect or cancel first.")
        }
    }

    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws {
        try await db.sql.update("food_orders").set("shopper_name", to: SQLBind(pseudonym)).set("address", to: SQLLiteral.null)
            .where("shopper_id", .equal, SQLBind(user)).run()
        try await db.sql.delete(from: "food_cart_lines").where("user_id", .equal, SQLBind(user)).run()
        try await db.sql.update("food_home_delivery_partners").set("named_by", to: SQLLiteral.null).where("named_by", .equal, SQLBind(user)).run()
    }

    func seedDemo(_ demo: DemoTerritory) async throws { try await FoodDemo.seed(demo) }
}
