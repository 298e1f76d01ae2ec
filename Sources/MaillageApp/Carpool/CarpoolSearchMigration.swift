import Fluent
import SQLKit

/// The search reads everything it needs from a day's rows: the ad's two ends and its author
/// are copied into `carpool_ad_times`, and the covering indexes carry them, so the search never
/// joins `carpool_ads` (at 100,000 ads the join cost more than the filter itself:
/// docs/performance.md, "Carpool search"). A withdrawn ad has no day rows, so nothing else
/// needs reading either. Existing rows are filled from their ad.
struct CarpoolSearchEnds: AsyncMigration {
    static let ends = ["origin_lat", "origin_lon", "destination_lat", "destination_lon"]

    /// The columns the covering indexes hold after the day and the bearing (their entry).
    static let covered = ["ext_min_lat", "ext_max_lat", "ext_min_lon", "ext_max_lon", "min_lat", "max_lat", "min_lon", "max_lon", "distance_km",
                          "minute", "margin", "minutes", "role", "community_id", "ad_id", "leg", "author_id"] + ends

    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds no more at once.
        for column in Self.ends {
            try await database.schema("carpool_ad_times").field(FieldKey(stringLiteral: column), .double, .required, .sql(.default(0))).update()
        }
        // Nullable only because rows written before this migration get theirs just below.
        try await database.schema("carpool_ad_times").field("author_id", .uuid).update()
        let sql = database.sql
        for column in Self.ends + ["author_id"] {
            try await sql.raw("UPDATE carpool_ad_times SET \(ident: column) = (SELECT a.\(ident: column) FROM carpool_ads a WHERE a.id = carpool_ad_times.ad_id)").run()
        }
        try await Self.indexes(covering: Self.covered, on: sql)
    }

    func revert(on database: any Database) async throws {
        try await Self.indexes(covering: Array(Self.covered.dropLast(5)), on: database.sql)
        for column in Self.ends + ["author_id"] {
            try await database.schema("carpool_ad_times").deleteField(FieldKey(stringLiteral: column)).update()
        }
    }

    /// One index per kind of day row, entered by (cooperative, day, bearing): the search's
    /// subqueries each read one range of one of them and filter inside it.
    private static func indexes(covering columns: [String], on sql: any SQLDatabase) async throws {
        try await sql.drop(index: "carpool_ad_times_dated").ifExists().run()
        try await sql.drop(index: "carpool_ad_times_weekly").ifExists().run()
        var dated = sql.create(index: "carpool_ad_times_dated").on("carpool_ad_times").column("cooperative_id").column("on_date").column("bearing")
        var weekly = sql.create(index: "carpool_ad_times_weekly").on("carpool_ad_times").column("cooperative_id").column("weekday").column("bearing")
            .column("from_date").column("until_date")
        for column in columns {
            dated = dated.column(column)
            weekly = weekly.column(column)
        }
        try await dated.run()
        try await weekly.run()
    }
}
