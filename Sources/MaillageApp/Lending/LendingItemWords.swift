import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The search's word index: one row per distinct word of an item's `search_text`, with the
/// item's position copied beside it. A search for "perceuse" within 5 km walks one index range
/// (cooperative, words starting with "perceuse", then latitude/longitude read from the same
/// index entry) and touches only the items inside the box — instead of every item in a latitude
/// band with a `LIKE` on each. Rows are written in the same transaction as the item they index.
enum LendingItemWords {
    struct Entry: Sendable {
        var item: UUID
        var cooperative: UUID
        var searchText: String
        var category: String
        var lat: Double?
        var lon: Double?
    }

    /// The distinct words of an indexed search text (" perceuse outil " → ["perceuse", "outil"]).
    static func words(of searchText: String) -> [String] {
        var seen = Set<String>()
        return searchText.split(separator: " ").map(String.init).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Adds the words of new items (batched: the benchmark seeds tens of thousands).
    static func insert(_ entries: [Entry], on db: any Database) async throws {
        let rows = entries.flatMap { entry in words(of: entry.searchText).map { (entry, $0) } }
        for start in stride(from: 0, to: rows.count, by: 400) {
            var insert = db.sql.insert(into: "lending_item_words").columns("cooperative_id", "word", "lat", "lon", "category", "item_id")
            for (entry, word) in rows[start..<min(rows.count, start + 400)] {
                insert = insert.values(SQLBind(entry.cooperative), SQLBind(word), SQLBind(entry.lat), SQLBind(entry.lon),
                                       SQLBind(entry.category), SQLBind(entry.item))
            }
            try await insert.run()
        }
    }

    /// Rewrites an item's words after an edit (title, description, category or place changed).
    static func replace(_ entry: Entry, on db: any Database) async throws {
        try await remove(item: entry.item, on: db)
        try await insert([entry], on: db)
    }

    /// A withdrawn item is no longer found.
    static func remove(item: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: "lending_item_words").where("item_id", .equal, SQLBind(item)).run()
    }

    /// Items kept at a showcase that moved are found where it now is.
    static func move(showcase: UUID, to position: GeoPoint, on db: any Database) async throws {
        try await db.sql.raw("""
            UPDATE lending_item_words SET lat = \(bind: position.lat), lon = \(bind: position.lon)
            WHERE item_id IN (SELECT id FROM lending_items WHERE showcase_id = \(bind: showcase))
            """).run()
    }

    /// The candidates of a search with words and a centre, from the word index alone: the
    /// longest word (usually the most selective) walks the index range and the box is read from
    /// the same entries; each other word is one more index probe on the same item. Withdrawn
    /// items have no words. No item row is read: the page reads only the items it shows.
    /// Only the nearest `SearchQuery.candidateLimit(limit)` are read (ordered in SQL by
    /// `squaredDistance`): decoding every match of a common word in a wide circle is what cost.
    static func candidates(_ query: SearchQuery, coop: UUID, limit: Int, on db: any Database) async throws -> [SearchQuery.Candidate]? {
        guard let box = query.boundingBox, let driver = query.tokens.max(by: { $0.count < $1.count }),
              let distance = query.squaredDistance(lat: "w.lat", lon: "w.lon") else { return nil }
        struct Row: Decodable { var item_id: UUID; var category: String; var lat: Double?; var lon: Double? }
        // DISTINCT: two words of one item may start with the driver ("perceuse", "percussion").
        var sql: SQLQueryString = "SELECT DISTINCT w.item_id, w.category, w.lat, w.lon, " + distance + """
             AS d2 FROM lending_item_words w
            WHERE w.cooperative_id = \(bind: coop) AND w.word >= \(bind: driver) AND w.word < \(bind: SearchText.prefixUpperBound(driver))
            AND w.lat BETWEEN \(bind: box.minLat) AND \(bind: box.maxLat) AND w.lon BETWEEN \(bind: box.minLon) AND \(bind: box.maxLon)
            """
        if let category = query.category { sql = sql + " AND w.category = \(bind: category.rawValue)" }
        var others = query.tokens
        others.remove(at: others.firstIndex(of: driver)!)
        for word in others {
            sql = sql + """
                 AND EXISTS (SELECT 1 FROM lending_item_words o WHERE o.item_id = w.item_id
                 AND o.word >= \(bind: word) AND o.word < \(bind: SearchText.prefixUpperBound(word)))
                """
        }
        sql = sql + " ORDER BY d2, w.item_id LIMIT \(unsafeRaw: String(SearchQuery.candidateLimit(limit)))"
        let rows = try await db.sql.raw(sql).all(decoding: Row.self)
        // The index matched every word already: the candidate carries the query's own words.
        let matched = " " + query.tokens.joined(separator: " ") + " "
        return rows.map { row in
            SearchQuery.Candidate(id: row.item_id, searchText: matched, category: ItemCategory(rawValue: row.category),
                                  position: row.lat.flatMap { lat in row.lon.flatMap { GeoPoint(lat: lat, lon: $0) } })
        }
    }
}

/// The word index of `LendingItemWords`, filled from the items already there. The word column
/// compares bytes on both engines ("C" collation on PostgreSQL, SQLite's default BINARY), so a
/// prefix is an index range whatever the database's locale.
struct CreateLendingItemWords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let wordType: DatabaseSchema.DataType = database.isPostgres ? .custom(SQLRaw("TEXT COLLATE \"C\"")) : .string
        try await database.schema("lending_item_words")
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("word", wordType, .required)
            .field("lat", .double)
            .field("lon", .double)
            .field("category", .string, .required)
            .field("item_id", .uuid, .required, .references("lending_items", "id", onDelete: .cascade))
            .create()
        // Covering: the range on the word, then the box on lat/lon, without reading the items.
        try await database.sql.create(index: "lending_item_words_search").on("lending_item_words")
            .column("cooperative_id").column("word").column("lat").column("lon").column("category").column("item_id").run()
        // The other words of a search, probed item by item.
        try await database.sql.create(index: "lending_item_words_item").on("lending_item_words").column("item_id").column("word").run()
        struct Item: Decodable { var id: UUID; var cooperative_id: UUID; var search_text: String; var category: String; var lat: Double?; var lon: Double? }
        let items = try await database.sql.raw("SELECT id, cooperative_id, search_text, category, lat, lon FROM lending_items WHERE withdrawn_at IS NULL")
            .all(decoding: Item.self)
        try await LendingItemWords.insert(items.map { .init(item: $0.id, cooperative: $0.cooperative_id, searchText: $0.search_text,
                                                            category: $0.category, lat: $0.lat, lon: $0.lon) }, on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("lending_item_words").delete()
    }
}
