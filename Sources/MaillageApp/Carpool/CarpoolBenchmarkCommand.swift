import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// `maillage carpool-benchmark --ads 100000`: seeds a carpool cooperative with Core's generated
/// ads (spread over the territory, half of them regular, as `CarpoolAds.publish` stores them),
/// then times the ride search (`CarpoolSearch.run`, the code the pages and API run) on generated
/// passengers' searches, beside a `SELECT 1` ceiling measured in the same run, with the process's
/// CPU time per search. `--seed-only --out DIR` leaves the cooperative for the HTTP stage
/// (`bench/carpool.sh`): `DIR/carpool.env` names it and `DIR/carpool-queries.txt` holds one API
/// query string per search. Run it on a scratch database:
/// `DATABASE_URL=/tmp/carpool-bench.sqlite maillage carpool-benchmark`.
struct CarpoolBenchmarkCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "ads", help: "Ads to seed (default 100000)") var ads: Int?
        @Option(name: "queries", help: "Searches to time (default 1000)") var queries: Int?
        @Option(name: "out", help: "Folder for carpool.env and carpool-queries.txt") var out: String?
        @Flag(name: "seed-only", help: "Seed and write the files, do not time") var seedOnly: Bool
        @Option(name: "cooperative", help: "Time the ads a former run seeded in this cooperative (its slug) instead of seeding") var cooperative: String?
    }

    var help: String { "Times the carpool search over many ads, beside a SELECT 1 ceiling and with CPU per search." }

    /// The margin the API gives a searched time (`CarpoolAPI.search`): ± 1 hour.
    static let searchMargin = 60

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application, console = context.console
        let count = max(100, signature.ads ?? 100_000), queries = max(10, signature.queries ?? 1_000)
        try await DatabaseSetup.migrate(app)
        let db = app.db
        let today = LocalZone.paris.localDate(at: Date())
        let (coop, slug, stored) = if let former = signature.cooperative { try await Self.seeded(former, on: db) }
                                   else { try await Self.seed(ads: count, today: today, on: db, console: console) }
        let searches = CarpoolAdGenerator.searches(count: queries, startingOn: today)
        if let folder = signature.out {
            try "CARPOOL_SLUG=\(slug)\nCARPOOL_ADS=\(stored)\n".write(toFile: folder + "/carpool.env", atomically: true, encoding: .utf8)
            try searches.map(Self.apiQuery).joined(separator: "\n").appending("\n")
                .write(toFile: folder + "/carpool-queries.txt", atomically: true, encoding: .utf8)
        }
        console.print("Seeded \(stored) carpool ads in the cooperative \(slug)")
        if signature.seedOnly { return }

        let relayPoints = try await RelayPoint.all(of: coop, on: db).compactMap(\.point)
        // The first search reads the cooperative's rows whole into the ride index: timed apart.
        let firstRead = try await Self.timed { _ = try await app.carpoolSearchIndex.index(of: coop, on: db) }
        console.print(String(format: "Ride index read whole (first search after a start): %.0f ms", firstRead))
        // Warm-up, unmeasured: SQLite's page cache and the first calls' one-off costs.
        for search in searches.prefix(max(10, queries / 10)) { _ = try await CarpoolSearch.run(Self.query(search), coop: coop, relayPoints: relayPoints, index: app.carpoolSearchIndex, on: db) }
        var ceiling: [Double] = []
        for _ in 0..<queries { ceiling.append(try await Self.timed { _ = try await db.sql.raw("SELECT 1 AS one").all() }) }
        var times: [Double] = [], found = 0
        let cpuBefore = Self.processCPUSeconds()
        for (n, search) in searches.enumerated() {
            times.append(try await Self.timed {
                found += try await CarpoolSearch.run(Self.query(search), coop: coop, relayPoints: relayPoints, index: app.carpoolSearchIndex, on: db).count
            })
            if (n + 1) % max(1, queries / 5) == 0 { console.print("  searched \((n + 1) * 100 / queries) %") }
        }
        let cpuMs = (Self.processCPUSeconds() - cpuBefore) * 1000 / Double(queries)
        let candidates = try await Self.candidateCounts(searches, coop: coop, index: app.carpoolSearchIndex, on: db)
        console.print(String(format: "Ceiling (SELECT 1): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms",
                             Self.percentile(ceiling, 0.5), Self.percentile(ceiling, 0.9), Self.percentile(ceiling, 0.99)))
        console.print(String(format: "Carpool search over %d ads (%d time rows): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms; CPU %.2f ms per search; "
                             + "%.1f candidates (p99 %.0f) and %.1f results per search (goal p99 < 10 ms)",
                             stored, candidates.rows, Self.percentile(times, 0.5), Self.percentile(times, 0.9), Self.percentile(times, 0.99), cpuMs,
                             candidates.mean, candidates.p99, Double(found) / Double(queries)))
    }

    /// A cooperative a former run seeded: the generated ads and searches depend only on the
    /// day, so a run on the same day times the same searches over the same ads.
    static func seeded(_ slug: String, on db: any Database) async throws -> (coop: UUID, slug: String, stored: Int) {
        let coop = try await Cooperatives.find(slug: slug, on: db).requireID()
        let stored = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("carpool_ads")
            .where("cooperative_id", .equal, SQLBind(coop)).first()?.decode(column: "n", as: Int.self) ?? 0
        return (coop, slug, stored)
    }

    /// A carpool cooperative of `ads` generated ads by one author, written 2,000 a transaction.
    static func seed(ads count: Int, today: LocalDate, on db: any Database, console: any Console) async throws
        -> (coop: UUID, slug: String, stored: Int) {
        let tag = UUID().uuidString.prefix(8).lowercased()
        let owner = User(email: "bench-\(tag)@example.invalid", passwordHash: "x", displayName: "Banc")
        try await owner.create(on: db)
        let draft = CooperativeDraft(name: "Covoiturage d’essai \(tag)", slug: "covoit-\(tag)", legalForm: .association1901, commune: "Nantes",
                                     description: "Coopérative de mesure de la recherche de trajets.", activities: [.carpool], colleges: [],
                                     shareNominalCents: 0, charter: [])
        let coop = try await Cooperatives.create(draft, creator: owner, review: .approved, on: db).requireID()
        console.print("Seeding \(count) carpool ads…")
        let generated = CarpoolAdGenerator.ads(count: count, startingOn: today)
        let step = max(2_000, count / 10 / 2_000 * 2_000)
        let stored = try await CarpoolBenchAds.store(generated, today: today, author: try owner.requireID(), coop: coop, on: db) { written in
            if written % step == 0 || written == count { console.print("  seeded \(written * 100 / count) %") }
        }
        return (coop, draft.slug, stored)
    }

    /// The search a generated passenger makes, as the API builds it from its query string.
    static func query(_ search: CarpoolAdGenerator.GeneratedSearch) -> CarpoolSearch.Query {
        CarpoolSearch.Query(origin: RidePlace(name: "Départ", point: search.trip.origin),
                            destination: RidePlace(name: "Arrivée", point: search.trip.destination), date: search.date,
                            time: RideTime(minute: search.window.minute, margin: searchMargin), lookingFor: .driver, person: nil)
    }

    /// The same search as `GET …/carpool/search?…`.
    static func apiQuery(_ search: CarpoolAdGenerator.GeneratedSearch) -> String {
        String(format: "fromLat=%.6f&fromLon=%.6f&toLat=%.6f&toLon=%.6f&date=%@&time=%@&lookingFor=driver",
               search.trip.origin.lat, search.trip.origin.lon, search.trip.destination.lat, search.trip.destination.lon,
               search.date.iso, RideTime.clock(search.window.minute))
    }

    /// How many rows of the ride index each search's prefilter keeps (on the first 200
    /// searches), counted apart from the timed runs.
    static func candidateCounts(_ searches: [CarpoolAdGenerator.GeneratedSearch], coop: UUID, index: CarpoolSearchIndex,
                                on db: any Database) async throws -> (rows: Int, mean: Double, p99: Double) {
        let day = try await index.index(of: coop, on: db)
        let counts = searches.prefix(200).map { search -> Double in
            let query = CarpoolDayIndex.Query(searcher: search.trip, window: RideTime(minute: search.window.minute, margin: searchMargin),
                                              wantsDrivers: true, date: search.date, communities: [], estimator: CarpoolAds.estimator)
            return Double(day.candidates(query).count)
        }
        return (day.rowCount, counts.reduce(0, +) / Double(max(1, counts.count)), percentile(counts, 0.99))
    }

    static func timed(_ body: () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock(), start = clock.now
        try await body()
        let elapsed = clock.now - start
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * 1000
    }

    /// User + system CPU time of this process so far (every thread: the event loops and the
    /// database's thread pool).
    static func processCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
}
