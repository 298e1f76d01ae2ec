import Fluent
import MaillageCore
import SQLKit
import Vapor

/// Bike delivery run by its couriers (like CoopCycle): stores order deliveries (one pickup and
/// several dropoffs, or the reverse), priced by the cooperative's public grid and checked
/// against the store's acceptance rule; staff move them on, each change an event row; the
/// recipient follows theirs on a tracking page. The route optimiser's command line
/// (`maillage optimise`, `OptimiseCommand`) lives here too.
struct DeliveryModule: MaillageModule {
    let name = "delivery"
    var migrations: [any Migration] { [CreateDelivery(), CreateDeliveryBooks(), CreateHomeDelivery(), CreateDeliveryAPI()] }

    var outboxChannels: [any OutboxChannel] { [DeliveryWebhookChannel()] }

    func pages(_ routes: any RoutesBuilder) {
        routes.get("c", ":slug", "delivery", use: DeliveryStorePages.home)
        routes.get("c", ":slug", "delivery", "tarifs", use: DeliveryPublicPages.prices)
        routes.get("delivery", "track", ":token", use: DeliveryPublicPages.track)
        let signedIn = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug", "delivery")
        signedIn.get("manage", use: DeliveryManagePages.desk)
        signedIn.post("manage", "stores", use: DeliveryManagePages.addStore)
        signedIn.post("manage", "package-types", use: DeliveryManagePages.addPackageType)
        signedIn.post("manage", "failure-reasons", use: DeliveryManagePages.addFailureReason)
        signedIn.on(.POST, "manage", "zones", body: .collect(maxSize: "3mb"), use: DeliveryManagePages.saveZone)
        signedIn.post("manage", "grid", use: DeliveryManagePages.saveGrid)
        signedIn.post("manage", "rules", use: DeliveryManagePages.addRule)
        signedIn.post("manage", "rules", ":index", "remove", use: DeliveryManagePages.removeRule)
        signedIn.get("stores", ":store", use: DeliveryStorePages.show)
        signedIn.post("stores", ":store", "deliveries", use: DeliveryStorePages.order)
        signedIn.post("stores", ":store", "members", use: DeliveryStorePages.addMember)
        signedIn.get("stores", ":store", "invoices", ":month", use: DeliveryInvoicePages.show)
        signedIn.post("stores", ":store", "invoices", ":month", "issue", use: DeliveryBooksPages.issue)
        signedIn.get("stores", ":store", "proofs", use: DeliveryProofBundle.download)
        signedIn.get("partners", use: HomeDeliveryDeskPages.show)
        signedIn.post("partners", ":coop", "settle", use: HomeDeliveryDeskPages.settle)
        signedIn.get("deliveries", ":id", use: DeliveryPages.show)
        signedIn.post("deliveries", ":id", "status", use: DeliveryPages.move)
        DeliveryAPIPages.routes(signedIn)
    }

    func api(_ routes: any RoutesBuilder) { DeliveryAPI.routes(routes) }

    var openAPI: OpenAPIFragment { DeliveryAPIOpenAPI.fragment }

    var dataRegister: [TableRegister] { DeliveryRegister.tables + DeliveryBooksRegister.tables + DeliveryAPIRegister.tables + HomeDeliveryRegister.tables }

    /// Food cooperatives' closed cycles become deliveries within five minutes.
    var jobs: [ScheduledJob] { [ScheduledJob("home-deliveries", every: 300) { app in try await HomeDeliveries.convertAll(on: app.db) }] }

    func seedDemo(_ demo: DemoTerritory) async throws { try await DeliveryDemo.seed(demo) }

    /// The person leaves the stores they ordered for; the deliveries stay (the cooperative's
    /// record and the store's invoices) but no longer name them, and the events keep the change,
    /// not the person.
    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws {
        try await db.sql.delete(from: "delivery_store_members").where("user_id", .equal, SQLBind(user)).run()
        try await db.sql.update("delivery_store_tokens").set("created_by", to: SQLLiteral.null).where("created_by", .equal, SQLBind(user)).run()
        try await db.sql.update("deliveries").set("ordered_by", to: SQLLiteral.null).where("ordered_by", .equal, SQLBind(user)).run()
        try await db.sql.update("delivery_events").set("actor_id", to: SQLLiteral.null).set("client_address", to: SQLBind(""))
            .where("actor_id", .equal, SQLBind(user)).run()
        try await db.sql.update("delivery_issued_invoices").set("issued_by", to: SQLLiteral.null).where("issued_by", .equal, SQLBind(user)).run()
    }
}
