import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// Every route of the OpenAPI document, tried on another cooperative's data: refused, never leaked.
struct FoodCount: Decodable { var n: Int64 }

@Suite("Authorisation sweep", .serialized)
struct AuthorizationSweepTests {
    /// What an outsider may do with a cooperative that is not theirs.
    static let openToOutsiders: Set<String> = [
        "GET /api/v1/cooperatives/{slug}", "GET /api/v1/directory/{slug}",
        "POST /api/v1/cooperatives/{slug}/memberships", // asking to join
        // Published money figures: fees before buying, the yearly transparency report.
        "GET /api/v1/cooperatives/{slug}/fees", "GET /api/v1/cooperatives/{slug}/fees/{activity}/split",
        "GET /api/v1/cooperatives/{slug}/transparency",
        // The shopfront and the producers' DFC catalogs are public; ordering is not.
        "GET /api/v1/cooperatives/{slug}/food/cycles", "GET /api/v1/cooperatives/{slug}/food/cycles/{cycle}/products",
        "GET /api/v1/cooperatives/{slug}/food/producers/{producer}/catalog",
        // The lending catalogue, the offers & wants feed and the impact counters are open data.
        "GET /api/v1/cooperatives/{slug}/lending/items", "GET /api/v1/cooperatives/{slug}/lending/items/{id}",
        "GET /api/v1/cooperatives/{slug}/exchange/offers-wants", "GET /api/v1/cooperatives/{slug}/impact",
    ]

    static func body(for key: String) -> String? {
        let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400))
        switch key {
        case "PUT /api/v1/cooperatives/{slug}/memberships/{id}/role": return #"{"role": "board"}"#
        case "POST /api/v1/cooperatives/{slug}/proposals": return #"{"title": "Prise de contrôle", "method": "consent", "closesAt": "\#(soon)"}"#
        case "PUT /api/v1/cooperatives/{slug}/proposals/{id}/ballot": return #"{"ballot": {"position": "agree", "reason": ""}}"#
        case "POST /api/v1/cooperatives/{slug}/assemblies": return #"{"title": "AG pirate", "startsAt": "\#(soon)", "place": "Ailleurs"}"#
        case "PUT /api/v1/cooperatives/{slug}/assemblies/{id}/attendance": return #"{"status": "present"}"#
        case "PUT /api/v1/cooperatives/{slug}/fees/{activity}": return #"{"basisPoints": 10000}"#
        case "POST /api/v1/cooperatives/{slug}/transfers/{id}/reverse": return #"{"memo": "annulation"}"#
        case "POST /api/v1/cooperatives/{slug}/transfers/{id}/post": return #"{}"#
        default: return nil
        }
    }

    @Test func aMemberOfAnotherCooperativeIsRefusedEverywhere() async throws {
        try await withMaillage(demo: true) { app in
            let coop = try await Cooperatives.find(slug: "paniers-de-la-sevre", on: app.db)
            let coopID = try coop.requireID()
            let membership = try #require(try await Membership.query(on: app.db).filter(\.$cooperative.$id == coopID).filter(\.$status == "pending").first())
            let proposal = try #require(try await Proposal.query(on: app.db).filter(\.$cooperative.$id == coopID).filter(\.$closedAt == nil).first())
            let assembly = try #require(try await Assembly.query(on: app.db).filter(\.$cooperative.$id == coopID).first())
            let bruno = try #require(try await User.query(on: app.db).filter(\.$email == "bruno@demo.maillage.coop").first())
            let outsider = APIClient(app: app, token: try await Tokens.create(for: bruno, name: "sweep", on: app.db))
            let operating = try await AccountBook.open(.operating, cooperative: coopID, on: app.db)
            let wallets = try await AccountBook.accounts(of: coopID, on: app.db).filter { $0.purpose == "wallet" }
            struct Row: Decodable { var id: UUID }
            let transfer = try #require(try await app.db.sql.select().column("id").from("ledger_transfers")
                .where("cooperative_id", .equal, SQLBind(coopID)).where("category", .equal, SQLBind("sale")).first(decoding: Row.self)).id
            let balances = try await AccountBook.accounts(of: coopID, on: app.db).map(\.posted)
            let cycle = try #require(try await FoodCycles.open(in: coopID, on: app.db).first)
            let order = try #require(try await app.db.sql.select().column("id").from("food_orders").where("cycle_id", .equal, SQLBind(cycle.id)).first(decoding: Row.self)).id
            let producer = try #require(try await FoodCatalogStore.producers(of: coopID, on: app.db).first)
            let offer = try #require(try await FoodCycles.offers(of: cycle.id, on: app.db).first)
            let sold = try await app.db.sql.raw("SELECT CAST(COALESCE(SUM(sold), 0) AS BIGINT) AS n FROM food_variants").first(decoding: FoodCount.self)?.n
            let anonymous = APIClient(app: app)

            let document = try await app.testing().sendRequest(.GET, "/api/openapi.json").json
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var tried = 0
            for (template, operations) in paths.sorted(by: { $0.key < $1.key }) where template.contains("{slug}") {
                for method in operations.keys.sorted() {
                    let key = "\(method.uppercased()) \(template)"
                    var path = template.replacingOccurrences(of: "{slug}", with: coop.slug)
                    let id: UUID = template.contains("/memberships/") ? try membership.requireID()
                        : template.contains("/proposals/") ? try proposal.requireID() : try assembly.requireID()
                    path = path.replacingOccurrences(of: "{id}", with: template.contains("/transfers/") ? transfer.uuidString : id.uuidString)
                    path = path.replacingOccurrences(of: "{account}", with: operating.id.uuidString)
                    path = path.replacingOccurrences(of: "{activity}", with: "food")
                    path = path.replacingOccurrences(of: "{cycle}", with: cycle.id.uuidString).replacingOccurrences(of: "{order}", with: order.uuidString)
                        .replacingOccurrences(of: "{producer}", with: producer.id.uuidString)
                    let json = key == "POST /api/v1/cooperatives/{slug}/transfers"
                        ? #"{"debit": "\#(wallets[0].id)", "credit": "\#(operating.id)", "amount": 100}"#
                        : key == "POST /api/v1/cooperatives/{slug}/food/cycles/{cycle}/orders"
                        ? #"{"lines": [{"variantId": "\#(offer.variantID)", "quantity": 1}], "deliveryAddress": "ici"}"# : Self.body(for: key)
                    let verb = HTTPMethod(rawValue: method.uppercased())
                    let response = try await outsider.send(verb, path, json: json)
                    tried += 1
                    #expect(response.status.code < 500, "\(key): \(response.status)")
                    if Self.openToOutsiders.contains(key) { continue }
                    #expect(response.status == .forbidden || response.status == .notFound, "\(key) as an outsider: \(response.status)")
                    #expect(!response.body.string.contains("Chloé Bernard") && !response.body.string.contains("@demo.maillage.coop"),
                            "\(key) leaks members' data")
                    if (operations[method] as? [String: Any])?["security"] as? [Any] != nil,
                       !((operations[method] as? [String: Any])?["security"] as? [Any] ?? []).isEmpty {
                        let unsigned = try await anonymous.send(verb, path, json: json)
                        #expect(unsigned.status == .unauthorized || unsigned.status == .forbidden, "\(key) without a token: \(unsigned.status)")
                    }
                }
            }
            #expect(tried >= 15, "the sweep covered \(tried) operations")
            // Nothing was changed by the attempts.
            #expect(try await Membership.find(membership.requireID(), on: app.db)?.status == "pending")
            #expect(try await Proposal.query(on: app.db).filter(\.$cooperative.$id == coopID).filter(\.$title == "Prise de contrôle").count() == 0)
            #expect(try await Assembly.query(on: app.db).filter(\.$title == "AG pirate").count() == 0)
            #expect(try await AccountBook.accounts(of: coopID, on: app.db).map(\.posted) == balances, "no money moved")
            #expect(try await FeeRules.rule(for: .food, in: coopID, on: app.db).basisPoints == 800, "the fee is unchanged")
            #expect(try await app.db.sql.raw("SELECT CAST(COALESCE(SUM(sold), 0) AS BIGINT) AS n FROM food_variants").first(decoding: FoodCount.self)?.n == sold,
                    "nothing was ordered")
        }
    }
}
