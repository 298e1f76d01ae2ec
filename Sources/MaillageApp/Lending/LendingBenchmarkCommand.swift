import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// `maillage lending-benchmark --items 50000`: seeds items spread over the territory, then times
/// the catalogue's search (words + 5 km around a commune, through `LendingStore.search`, the code
/// the pages and API run) beside the database's own floor measured in the same run — a trivial
/// `SELECT 1` round trip. Run it on a scratch database:
/// `DATABASE_URL=/tmp/lending-bench.sqlite maillage lending-benchmark`.
struct LendingBenchmarkCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "items", help: "Items to seed (default 50000)") var items: Int?
        @Option(name: "queries", help: "Searches to time (default 1000)") var queries: Int?
    }

    var help: String { "Times the lending search (text + distance) over many items, beside a SELECT 1 ceiling." }

    static let words = ["perceuse", "scie", "ponceuse", "tondeuse", "echelle", "tente", "raclette", "plancha", "remorque", "velo",
                        "projecteur", "poussette", "barnum", "sono", "broyeur", "nettoyeur", "visseuse", "escabeau", "robot", "jeux"]
    static let adjectives = ["electrique", "sans fil", "pliante", "familiale", "pro", "compacte", "grande", "legere", "ancienne", "neuve"]

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application, console = context.console
        let count = max(100, signature.items ?? 50_000), queries = max(10, signature.queries ?? 1_000)
        try await DatabaseSetup.migrate(app)
        let db = app.db
        let coopID = try await Self.seed(items: count, on: db, console: console).coop
        let centres = Communes.known.compactMap { GeoPoint(lat: $0.lat, lon: $0.lon) }
        // Ceiling: the smallest round trip to the same database, as many times.
        var ceiling: [Double] = []
        for _ in 0..<queries { ceiling.append(try await timed { _ = try await db.sql.raw("SELECT 1 AS one").all() }) }
        var searches: [Double] = [], found = 0
        for n in 0..<queries {
            let query = try SearchQuery(text: Self.words[n % Self.words.count], centre: centres[n % centres.count], radiusKm: 5)
            searches.append(try await timed { found += try await LendingStore.search(query, coop: coopID, limit: 50, on: db).count })
            if (n + 1) % max(1, queries / 5) == 0 { console.print("  searched \((n + 1) * 100 / queries) %") }
        }
        console.print(String(format: "Ceiling (SELECT 1): p50 %.2f ms, p99 %.2f ms", Self.percentile(ceiling, 0.5), Self.percentile(ceiling, 0.99)))
        console.print(String(format: "Search, one word + 5 km around a commune, over %d items: p50 %.2f ms, p99 %.2f ms (%.1f hits per search; goal p99 < 20 ms)",
                             count, Self.percentile(searches, 0.5), Self.percentile(searches, 0.99), Double(found) / Double(queries)))
    }

    /// A lending cooperative of `items` items spread over the Nantes area, as the app stores
    /// them (items and their search words), written in batches of 500.
    static func seed(items count: Int, on db: any Database, console: any Console) async throws -> (coop: UUID, slug: String) {
        let tag = UUID().uuidString.prefix(8).lowercased()
        let owner = User(email: "bench-\(tag)@example.invalid", passwordHash: "x", displayName: "Banc")
        try await owner.create(on: db)
        let draft = CooperativeDraft(name: "Prêterie d’essai \(tag)", slug: "pret-\(tag)", legalForm: .association1901, commune: "Nantes",
                                     description: "Coopérative de mesure de la recherche d’objets.", activities: [.lending], colleges: [],
                                     shareNominalCents: 0, charter: [])
        let coopID = try await Cooperatives.create(draft, creator: owner, review: .approved, on: db).requireID()
        let ownerID = try owner.requireID()
        var random = SplitMix64(seed: 2026)
        let categories = ItemCategory.allCases
        console.print("Seeding \(count) items…")
        let batch = 500, now = Date()
        var seeded = 0
        let step = max(batch, count / 10 / batch * batch)
        while seeded < count {
            let size = min(batch, count - seeded)
            var rows: [(LendingItem, Double, Double)] = []
            for _ in 0..<size {
                let title = words[Int.random(in: 0..<words.count, using: &random)].capitalized + " "
                    + adjectives[Int.random(in: 0..<adjectives.count, using: &random)]
                let category = categories[Int.random(in: 0..<categories.count, using: &random)]
                let item = LendingItem(owner: ownerID, title: title, category: category, description: "Objet de test.", condition: .good,
                                       depositCents: 0, maximumLoanDays: 7, pickup: .ownerHome)
                // The Nantes area, about 55 km × 50 km.
                rows.append((item, 47.0 + Double.random(in: 0..<0.5, using: &random), -1.9 + Double.random(in: 0..<0.7, using: &random)))
            }
            let batchRows = rows
            try await db.writeTransaction { db in
                var insert = db.sql.insert(into: "lending_items")
                    .columns("id", "cooperative_id", "owner_id", "title", "category", "description", "condition", "deposit_cents", "max_loan_days",
                             "pickup", "showcase_id", "commune", "lat", "lon", "search_text", "created_at", "withdrawn_at")
                for (item, lat, lon) in batchRows {
                    insert = insert.values(SQLBind(item.id), SQLBind(coopID), SQLBind(ownerID), SQLBind(item.title), SQLBind(item.category.rawValue),
                                           SQLBind(item.description), SQLBind(item.condition.rawValue), SQLBind(Int64(0)), SQLBind(7), SQLBind("domicile"),
                                           SQLLiteral.null, SQLBind("Nantes"), SQLBind(lat), SQLBind(lon), SQLBind(item.searchText),
                                           SQLBind(now), SQLLiteral.null)
                }
                try await insert.run()
                try await LendingItemWords.insert(batchRows.map { .init(item: $0.0.id, cooperative: coopID, searchText: $0.0.searchText, category: $0.0.category.rawValue,
                                                                        lat: $0.1, lon: $0.2) }, on: db)
            }
            seeded += size
            if seeded % step == 0 || seeded == count { console.print("  seeded \(seeded * 100 / count) %") }
        }
        return (coopID, draft.slug)
    }

    private func timed(_ body: () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock(), start = clock.now
        try await body()
        let elapsed = clock.now - start
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * 1000
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
}
