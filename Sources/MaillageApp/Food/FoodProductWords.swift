import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The shopfront search's word index: one row per distinct word of a product's `search` text
/// (name, category and producer, folded). A search for "pommes" walks one index range (words
/// starting with "pomme") and probes the cycle's listing for those products only — instead of
/// a `LIKE` on every row of a 10,000-product listing. Rows are written in the same transaction
/// as the product's `search`; an archived product has none (the listing drops it too).
enum FoodProductWords {
    /// Adds the words of products (batched: the benchmark seeds ten thousand at once).
    static func insert(_ products: [(id: UUID, search: String)], on db: any Database) async throws {
        let rows = products.flatMap { product in SearchText.words(ofIndexed: product.search).map { (product.id, $0) } }
        for start in stride(from: 0, to: rows.count, by: 400) {
            var insert = db.sql.insert(into: "food_product_words").columns("word", "product_id")
            for (product, word) in rows[start..<min(rows.count, start + 400)] {
                insert = insert.values(SQLBind(word), SQLBind(product))
            }
            try await insert.run()
        }
    }

    /// Rewrites a product's words after its name, category or producer changed.
    static func replace(product: UUID, search: String, on db: any Database) async throws {
        try await remove(product: product, on: db)
        try await insert([(product, search)], on: db)
    }

    static func remove(product: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: "food_product_words").where("product_id", .equal, SQLBind(product)).run()
    }

    /// Up to this many matches, a search page sorts its matches rather than walking the cycle's
    /// name index (measured on 10,000 products: sorting 500 costs less than walking to the page).
    static let sortedMatchesLimit = 2_000

    /// Whether a token starts words of more products than a sorted page can take. Such a word
    /// ("ferme", in every producer's name) is cheaper tested with a `LIKE` on each listing row met
    /// while walking the name index — which stops after the page — than reached through thousands
    /// of index probes (measured on 10,000 products: 103 req/s by the word index, 177 by `LIKE`).
    /// Reads at most `sortedMatchesLimit + 1` entries of the word index, nothing else.
    /// The index counts every catalogue's products, not one cycle's: a word common elsewhere is
    /// then tested with `LIKE` here too — the same answer, on a walk that stops after the page.
    static func isCommon(_ token: String, on sql: any SQLDatabase) async throws -> Bool {
        struct Count: Decodable { var n: Int64 }
        let found = try await sql.raw("SELECT COUNT(*) AS n FROM (SELECT 1 FROM food_product_words w WHERE " + startsWith(token)
                                      + " LIMIT \(unsafeRaw: String(sortedMatchesLimit + 1))) s").first(decoding: Count.self)?.n ?? 0
        return found > sortedMatchesLimit
    }

    /// "w.word >= 'perc' AND w.word < 'perd'": the index range of the words starting with the token.
    static func startsWith(_ token: String) -> SQLQueryString {
        "w.word >= \(bind: token) AND w.word < \(bind: SearchText.prefixUpperBound(token))"
    }

    /// "cp.search LIKE '% token%'": a word of the listing row starts with the token — the same
    /// answer as the word index (`SearchText.indexed` puts a space before every word).
    static func like(_ token: String) -> SQLQueryString {
        "cp.search LIKE \(bind: "% " + token + "%")"
    }

    /// "(SELECT DISTINCT product_id … ) m": the products with a word starting with the token,
    /// one index range (two words of one product may both start with it, hence DISTINCT).
    static func matches(_ token: String) -> SQLQueryString {
        "(SELECT DISTINCT w.product_id FROM food_product_words w WHERE " + startsWith(token) + ") m"
    }

    /// "cp.product_id IN (products with a word starting with the token)": one index range per
    /// token; with several tokens each must match (AND), as the `LIKE`s did.
    static func condition(_ token: String, column: String = "cp.product_id") -> SQLQueryString {
        "\(unsafeRaw: column) IN (SELECT w.product_id FROM food_product_words w WHERE " + startsWith(token) + ")"
    }
}

/// The word index of `FoodProductWords`, filled from the products on sale. Its key starts with
/// the word, so a prefix is an index range that yields product ids without reading another
/// table; the word compares bytes on both engines ("C" collation on PostgreSQL, SQLite's
/// default BINARY) whatever the database's locale.
struct CreateFoodProductWords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let wordType: DatabaseSchema.DataType = database.isPostgres ? .custom(SQLRaw("TEXT COLLATE \"C\"")) : .string
        try await database.schema("food_product_words")
            .field("word", wordType, .required)
            .field("product_id", .uuid, .required, .references("food_products", "id", onDelete: .cascade))
            .compositeIdentifier(over: "word", "product_id")
            .create()
        // A product's words, rewritten when it is renamed or archived.
        try await database.sql.create(index: "food_product_words_product").on("food_product_words").column("product_id").column("word").run()
        struct Product: Decodable { var id: UUID; var search: String }
        let products = try await database.sql.raw("SELECT id, search FROM food_products WHERE archived_at IS NULL").all(decoding: Product.self)
        try await FoodProductWords.insert(products.map { ($0.id, $0.search) }, on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("food_product_words").delete()
    }
}
