import Fluent
import MaillageCore
import Vapor

/// Exchange of goods and services between neighbours (like Pwiic and time banks): offers and
/// wants in the Murmurations vocabulary, services settled in hours or as free help, and the
/// neighbourhood impact counters (loans completed, services exchanged, hours given).
struct ExchangeModule: MaillageModule {
    let name = "exchange"
    var migrations: [any Migration] { [CreateExchange()] }

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
}
