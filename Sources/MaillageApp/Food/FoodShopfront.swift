import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The shopfront of a cycle: one page of products with their variants, searched and filtered
/// in SQL (a cycle may sell 10,000 products; Fluent would load them all).
enum FoodShopfront {
    static let pageSize = 48

    struct Query: Sendable, Hashable {
        var text = ""
        var producer: UUID?
        var category: String?
        var page = 1
    }

    struct Item: Decodable, Sendable {
        var id: UUID
        var name: String
        var category: String
        var description: String
        var unit: String
        var vat_basis_points: Int64
        var producer_id: UUID
        var producer_name: String
        var has_photo: Int64
    }

    struct Offer: Decodable, Sendable {
        var id: UUID
        var product_id: UUID
        var label: String
        var quantity_thousandths: Int64
        var price_cents: Int64
        /// nil = on demand.
        var available: Int64?
    }

    struct Page: Sendable {
        var items: [Item]
        var offers: [UUID: [Offer]]
        var total: Int
        var page: Int
        var pageCount: Int { max(1, (total + FoodShopfront.pageSize - 1) / FoodShopfront.pageSize) }
    }

    static func page(cycle: UUID, _ query: Query, on db: any Database) async throws -> Page {
        let sql = db.sql
        var filters: [SQLQueryString] = ["cp.cycle_id = \(bind: cycle)"]
        let tokens = Array(SearchText.tokens(query.text).prefix(8))
        // A word found in thousands of products is tested on the listing rows (`LIKE`); of the
        // others, the longest (usually the most selective) drives from the word index and the
        // rest are probes.
        var rare: [String] = []
        for token in tokens {
            if try await FoodProductWords.isCommon(token, on: sql) {
                filters.append(FoodProductWords.like(token))
            } else {
                rare.append(token)
            }
        }
        let driver = rare.max(by: { $0.count < $1.count })
        var others = rare
        if let driver { others.remove(at: others.firstIndex(of: driver)!) }
        for token in others { filters.append(FoodProductWords.condition(token)) }
        if let producer = query.producer { filters.append("cp.producer_id = \(bind: producer)") }
        if let category = query.category, !category.isEmpty { filters.append("cp.category = \(bind: category)") }
        let whereClause = filters.dropFirst().reduce(filters[0]) { $0 + " AND " + $1 }
        struct Count: Decodable { var n: Int64 }
        let unfiltered = filters.count == 1 && driver == nil
        // With words, the listing is reached from the driver's matches: (matching products) then
        // one primary-key probe each into the listing, instead of reading every listing row.
        // CROSS JOIN fixes that order on SQLite; PostgreSQL plans it by cost.
        let words: SQLQueryString = driver.map { FoodProductWords.matches($0) + " CROSS JOIN " } ?? ""
        let fromListing: SQLQueryString = words + "food_cycle_products cp WHERE " + whereClause
            + (driver == nil ? "" : " AND cp.product_id = m.product_id")
        var total: Int
        if unfiltered, let known = await ShopfrontCache.shared.total(cycle) {
            total = known
        } else {
            total = Int(try await sql.raw("SELECT COUNT(*) AS n FROM " + fromListing).first(decoding: Count.self)?.n ?? 0)
            if unfiltered { await ShopfrontCache.shared.remember(total: total, for: cycle) }
        }
        let page = max(1, min(query.page, max(1, (total + pageSize - 1) / pageSize)))
        // The page's ids come from the listing's index in name order; only those 48 rows are joined.
        // A search matching few products sorts just those; one matching most of the cycle (a
        // producer's "ferme") walks the name index instead and stops after the page.
        let ordered: SQLQueryString = total <= FoodProductWords.sortedMatchesLimit ? fromListing
            : "food_cycle_products cp WHERE " + (driver.map { FoodProductWords.condition($0) + " AND " } ?? "") + whereClause
        let items = try await sql.raw("""
            SELECT p.id, p.name, p.category, p.description, p.unit, p.vat_basis_points, p.producer_id, pr.name AS producer_name,
            CASE WHEN p.photo_type IS NULL THEN 0 ELSE 1 END AS has_photo
            FROM (SELECT cp.product_id, cp.sort_name FROM 
            """ + ordered + " ORDER BY cp.sort_name, cp.product_id LIMIT \(unsafeRaw: String(pageSize)) OFFSET \(unsafeRaw: String((page - 1) * pageSize))"
            + ") listed JOIN food_products p ON p.id = listed.product_id JOIN food_producers pr ON pr.id = p.producer_id ORDER BY listed.sort_name, listed.product_id")
            .all(decoding: Item.self)
        var offers: [UUID: [Offer]] = [:]
        if !items.isEmpty {
            let rows = try await sql.raw("""
                SELECT v.id, v.product_id, v.label, v.quantity_thousandths, COALESCE(o.price_cents, v.price_cents) AS price_cents,
                CASE WHEN o.has_stock = \(bind: true) THEN o.stock - o.reserved - o.sold ELSE v.stock - v.reserved - v.sold END AS available
                FROM food_cycle_offers o JOIN food_variants v ON v.id = o.variant_id
                WHERE o.cycle_id = \(bind: cycle) AND o.product_id IN \(SQLBind.group(items.map(\.id))) ORDER BY v.position
                """).all(decoding: Offer.self)
            for row in rows { offers[row.product_id, default: []].append(row) }
        }
        return Page(items: items, offers: offers, total: total, page: page)
    }

    /// The producers and categories a cycle sells, for the filters.
    /// The producer and category filters of a cycle's shopfront.
    typealias Facets = (producers: [(UUID, String)], categories: [String])

    static func facets(cycle: UUID, on db: any Database) async throws -> Facets {
        if let known = await ShopfrontCache.shared.facets(cycle) { return known }
        let found = try await readFacets(cycle: cycle, on: db)
        await ShopfrontCache.shared.remember(facets: found, for: cycle)
        return found
    }

    private static func readFacets(cycle: UUID, on db: any Database) async throws -> (producers: [(UUID, String)], categories: [String]) {
        struct Producer: Decodable { var id: UUID; var name: String }
        struct Category: Decodable { var category: String }
        let producers = try await db.sql.raw("""
            SELECT pr.id, pr.name FROM food_producers pr WHERE pr.id IN (SELECT DISTINCT producer_id FROM food_cycle_products WHERE cycle_id = \(bind: cycle))
            ORDER BY pr.name
            """).all(decoding: Producer.self)
        let categories = try await db.sql.raw("""
            SELECT DISTINCT category FROM food_cycle_products WHERE cycle_id = \(bind: cycle) ORDER BY category
            """).all(decoding: Category.self)
        return (producers.map { ($0.id, $0.name) }, categories.map(\.category))
    }
}

/// What every visit of a shopfront asks and seldom changes — how many products a cycle sells
/// and its producer and category filters — kept for a few seconds per process. The products,
/// prices and stock on the page are always read live.
actor ShopfrontCache {
    static let shared = ShopfrontCache()
    static let lifetime: TimeInterval = 10

    private var totals: [UUID: (Int, Date)] = [:]
    private var facetLists: [UUID: ((producers: [(UUID, String)], categories: [String]), Date)] = [:]

    func total(_ cycle: UUID, now: Date = Date()) -> Int? {
        guard let (value, until) = totals[cycle], until > now else { return nil }
        return value
    }

    func remember(total: Int, for cycle: UUID) { totals[cycle] = (total, Date().addingTimeInterval(Self.lifetime)) }

    func facets(_ cycle: UUID, now: Date = Date()) -> (producers: [(UUID, String)], categories: [String])? {
        guard let (value, until) = facetLists[cycle], until > now else { return nil }
        return value
    }

    func remember(facets: (producers: [(UUID, String)], categories: [String]), for cycle: UUID) {
        facetLists[cycle] = (facets, Date().addingTimeInterval(Self.lifetime))
    }

    /// After a product is added, renamed or taken off sale.
    func forgetAll() {
        totals = [:]
        facetLists = [:]
        ShopfrontListing.forgetAll()
    }
}
