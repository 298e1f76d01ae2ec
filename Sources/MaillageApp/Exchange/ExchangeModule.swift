import Fluent
import SQLKit
import MaillageCore
import Vapor

/// Exchange of goods and services between neighbours (like Pwiic and time banks): offers and
/// wants in the Murmurations vocabulary, services settled in hours or as free help, and the
/// neighbourhood impact counters (loans completed, services exchanged, hours given).
struct ExchangeModule: MaillageModule {
    let name = "exchange"
    var migrations: [any Migration] { [CreateExchange(), DropPhotoLinks(table: "offers_wants", column: "image_url")] }
    var threadKinds: [ThreadKind] { [ExchangeThread.kind] }

    func pages(_ routes: any RoutesBuilder) {
        routes.get("c", ":slug", "exchange", use: ExchangePages.list)
        routes.get("c", ":slug", "exchange", ":id", use: ExchangePages.show)
        routes.get("c", ":slug", "impact", use: ImpactPage.show)
        let members = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug", "exchange")
        members.get("new", use: ExchangePages.newPage)
        members.post(use: ExchangePages.create)
        members.get(":id", "edit", use: ExchangePages.edit)
        members.post(":id", "edit", use: ExchangePages.update)
        members.post(":id", "withdraw", use: ExchangePages.withdraw)
        members.post("services", use: ExchangePages.recordService)
    }

    func api(_ routes: any RoutesBuilder) {
        let exchange = routes.grouped("cooperatives", ":slug", "exchange")
        exchange.get("offers-wants", use: ExchangeAPI.feed)
        exchange.post("offers-wants", use: ExchangeAPI.publish)
        exchange.post("services", use: ExchangeAPI.recordService)
        routes.get("cooperatives", ":slug", "impact", use: ExchangeAPI.impact)
        routes.get("impact", "neighbourhood", use: ExchangeAPI.territoryImpact)
    }

    var openAPI: OpenAPIFragment { ExchangeOpenAPI.fragment }
    var dataRegister: [TableRegister] { ExchangeRegister.tables }
    func seedDemo(_ demo: DemoTerritory) async throws { try await ExchangeDemo.seed(demo) }

    /// The person's offers and wants are withdrawn and emptied (they leave the open feed); the
    /// services they recorded keep their hours but not their description.
    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws {
        try await db.sql.update("offers_wants").set("title", to: SQLBind("Annonce retirée")).set("description", to: SQLBind(""))
            .set("tags", to: SQLBind("")).set("public_email", to: SQLLiteral.null).set("search_text", to: SQLBind(""))
            .set("withdrawn_at", to: SQLFunction("COALESCE", args: SQLColumn("withdrawn_at"), SQLBind(Date())))
            .where("author_id", .equal, SQLBind(user)).run()
        try await db.sql.update("service_records").set("description", to: SQLBind(""))
            .where { $0.where("recorded_by", .equal, SQLBind(user)).orWhere("giver_id", .equal, SQLBind(user)).orWhere("receiver_id", .equal, SQLBind(user)) }
            .run()
    }
}
