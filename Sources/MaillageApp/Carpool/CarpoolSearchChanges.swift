import Fluent
import Foundation
import SQLKit

/// How every process learns which ads changed since its search index last looked.
///
/// A write that changes an ad's day rows (publish, withdraw, import, erasure) bumps its
/// cooperative's `version` and records the ads it changed under that version, in its own
/// transaction. The bump is an upsert of one row: writers of one cooperative wait for each other,
/// so versions commit in order and a reader that sees version N has every change up to N. A
/// search asks for the changes after the version it holds (one indexed read) and reloads only
/// those ads' rows; a missing version (pruned) or a change with no ad (a bulk write) means reload
/// everything.
enum CarpoolSearchChanges {
    /// Changes older than this many versions are pruned; a process further behind reloads whole.
    static let kept = 2_000

    /// Records that `ads` of `coop` changed; an empty list means "many: reload everything".
    /// Call it inside the transaction that changes their rows.
    static func touch(_ ads: [UUID], coop: UUID, on db: any SQLDatabase) async throws {
        struct Version: Decodable { var version: Int }
        guard let version = try await db.raw("""
            INSERT INTO carpool_search_versions (cooperative_id, version) VALUES (\(bind: coop), 1)
            ON CONFLICT (cooperative_id) DO UPDATE SET version = carpool_search_versions.version + 1 RETURNING version
            """).first(decoding: Version.self)?.version else { return }
        if ads.isEmpty {
            try await db.insert(into: "carpool_search_changes").columns("cooperative_id", "version", "ad_id")
                .values(SQLBind(coop), SQLBind(version), SQLLiteral.null).run()
            return
        }
        for chunk in stride(from: 0, to: ads.count, by: 5_000).map({ ads[$0..<min(ads.count, $0 + 5_000)] }) {
            var insert = db.insert(into: "carpool_search_changes").columns("cooperative_id", "version", "ad_id")
            for ad in Set(chunk) { insert = insert.values(SQLBind(coop), SQLBind(version), SQLBind(ad)) }
            try await insert.run()
        }
    }

    /// What changed after `version`: the current version, and the changed ads, or nil when the
    /// reader must reload everything (a bulk change, or changes pruned before it read them).
    static func since(_ version: Int, coop: UUID, on db: any SQLDatabase) async throws -> (current: Int, ads: Set<UUID>?) {
        struct Row: Decodable { var current: Int; var version: Int?; var ad_id: UUID? }
        let rows = try await db.raw("""
            SELECT v.version AS current, c.version AS version, c.ad_id AS ad_id FROM carpool_search_versions v
            LEFT JOIN carpool_search_changes c ON c.cooperative_id = v.cooperative_id AND c.version > \(bind: version)
            WHERE v.cooperative_id = \(bind: coop)
            """).all(decoding: Row.self)
        guard let current = rows.first?.current else { return (0, []) }
        guard current > version else { return (current, []) }
        let versions = Set(rows.compactMap(\.version))
        // Every version after ours must be there (none pruned), and none may be a bulk change.
        guard versions.count == current - version, !rows.contains(where: { $0.version != nil && $0.ad_id == nil }) else { return (current, nil) }
        return (current, Set(rows.compactMap(\.ad_id)))
    }

    /// The cooperative's current version (0 before any change).
    static func current(coop: UUID, on db: any SQLDatabase) async throws -> Int {
        try await since(Int.max, coop: coop, on: db).current
    }

    /// Forgets changes every process has long read.
    static func prune(on db: any SQLDatabase) async throws {
        try await db.raw("""
            DELETE FROM carpool_search_changes WHERE version < (SELECT v.version FROM carpool_search_versions v
            WHERE v.cooperative_id = carpool_search_changes.cooperative_id) - \(unsafeRaw: String(kept))
            """).run()
    }
}

/// The tables of `CarpoolSearchChanges`.
struct CreateCarpoolSearchChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("carpool_search_versions")
            .field("cooperative_id", .uuid, .identifier(auto: false), .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("version", .int, .required)
            .create()
        try await database.schema("carpool_search_changes")
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("version", .int, .required)
            .field("ad_id", .uuid)
            .create()
        try await database.sql.create(index: "carpool_search_changes_by_version").on("carpool_search_changes")
            .column("cooperative_id").column("version").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("carpool_search_changes").delete()
        try await database.schema("carpool_search_versions").delete()
    }
}
