import Fluent
import SQLKit

/// The search reads everything it needs from a day's rows, in departure order, from an index:
/// - the ad's two ends and its author are copied into `carpool_ad_times`, so the search never
///   joins `carpool_ads` (at 100,000 ads the join cost more than the filter itself:
///   docs/performance.md, "Carpool search"); a withdrawn ad has no day rows;
/// - each row has its bearing's 10° `sector`, and the indexes are entered by (cooperative, day,
///   sector, minute): one sector of one day is read in departure order, so the search merges a
///   few of them and stops reading as soon as it holds the rides it shows.
/// Existing rows are filled from their ad.
struct CarpoolSearchEnds: AsyncMigration {
    static let ends = ["origin_lat", "origin_lon", "destination_lat", "destination_lon"]

    /// The columns the covering indexes hold after their entry, so the filter never reads the table.
    static let covered = ["bearing", "ext_min_lat", "ext_max_lat", "ext_min_lon", "ext_max_lon", "min_lat", "max_lat", "min_lon", "max_lon",
                          "distance_km", "margin", "minutes", "role", "community_id", "author_id"] + ends

    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds no more at once.
        for column in Self.ends {
            try await database.schema("carpool_ad_times").field(FieldKey(stringLiteral: column), .double, .required, .sql(.default(0))).update()
        }
        // Nullable only because rows written before this migration get theirs just below.
        try await database.schema("carpool_ad_times").field("author_id", .uuid).update()
        try await database.schema("carpool_ad_times").field("sector", .int, .required, .sql(.default(0))).update()
        let sql = database.sql
        for column in Self.ends + ["author_id"] {
            try await sql.raw("UPDATE carpool_ad_times SET \(ident: column) = (SELECT a.\(ident: column) FROM carpool_ads a WHERE a.id = carpool_ad_times.ad_id)").run()
        }
        // The same truncation as `CarpoolDayIndex.sector` (bearings are never negative).
        let sector = sql.dialect.name == "postgresql" ? "CAST(FLOOR(bearing / 10) AS INTEGER)" : "CAST(bearing / 10 AS INTEGER)"
        try await sql.raw("UPDATE carpool_ad_times SET sector = \(unsafeRaw: sector)").run()
        try await sql.raw("UPDATE carpool_ad_times SET sector = 35 WHERE sector > 35").run()
        try await sql.drop(index: "carpool_ad_times_dated").ifExists().run()
        try await sql.drop(index: "carpool_ad_times_weekly").ifExists().run()
        // Entry, then the order the search reads in (minute, ad, leg), then what it filters on.
        var dated = sql.create(index: "carpool_ad_times_dated").on("carpool_ad_times")
        for column in ["cooperative_id", "on_date", "sector", "minute", "ad_id", "leg"] + Self.covered { dated = dated.column(column) }
        try await dated.run()
        var weekly = sql.create(index: "carpool_ad_times_weekly").on("carpool_ad_times")
        for column in ["cooperative_id", "weekday", "sector", "minute", "ad_id", "leg", "from_date", "until_date"] + Self.covered { weekly = weekly.column(column) }
        try await weekly.run()
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await sql.drop(index: "carpool_ad_times_dated").ifExists().run()
        try await sql.drop(index: "carpool_ad_times_weekly").ifExists().run()
        for column in Self.ends + ["author_id", "sector"] {
            try await database.schema("carpool_ad_times").deleteField(FieldKey(stringLiteral: column)).update()
        }
        try await sql.create(index: "carpool_ad_times_dated").on("carpool_ad_times").column("cooperative_id").column("on_date").column("bearing").run()
        try await sql.create(index: "carpool_ad_times_weekly").on("carpool_ad_times").column("cooperative_id").column("weekday").column("bearing").run()
    }
}
