import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Products written by the thousand, one variant each, with their search words — what the
/// benchmark's seed and the search tests need. A producer's own products go through
/// `FoodCatalogStore.save` instead (one per transaction, with every check of the draft).
enum FoodBulkProducts {
    struct Row: Sendable {
        var product = UUID(), variant = UUID()
        var producerID: UUID
        /// Searched with the product's name and category, as `FoodCatalogStore.save` does.
        var producerName: String
        var name: String
        var category: String
        var description = ""
        var label = "1 kg"
        var quantityThousandths: Int64 = 1000
        var priceCents: Int64
    }

    /// Inserts the rows (VAT 5.5 %, sold by the kg, stock on demand) in multi-row statements.
    /// Run it inside a write transaction when the rows must appear together.
    static func insert(_ rows: [Row], cooperative: UUID, now: Date = Date(), on db: any Database) async throws {
        var searched: [(id: UUID, search: String)] = []
        for chunk in rows.chunked(500) {
            var products = db.sql.insert(into: "food_products").columns("id", "cooperative_id", "producer_id", "name", "category", "description",
                                                                        "vat_basis_points", "unit", "search", "created_at", "updated_at", "sort_name")
            var variants = db.sql.insert(into: "food_variants").columns("id", "product_id", "label", "quantity_thousandths", "price_cents", "stock",
                                                                        "reserved", "sold", "position")
            for row in chunk {
                let search = SearchText.indexed([row.name, row.category, row.producerName])
                searched.append((row.product, search))
                products = products.values(SQLBind(row.product), SQLBind(cooperative), SQLBind(row.producerID), SQLBind(row.name), SQLBind(row.category),
                                           SQLBind(row.description), SQLBind(Int64(550)), SQLBind("kg"), SQLBind(search), SQLBind(now), SQLBind(now),
                                           SQLBind(SearchText.sortKey(row.name)))
                variants = variants.values(SQLBind(row.variant), SQLBind(row.product), SQLBind(row.label), SQLBind(row.quantityThousandths),
                                           SQLBind(row.priceCents), SQLBind(Int64?.none), SQLBind(Int64(0)), SQLBind(Int64(0)), SQLBind(Int64(0)))
            }
            try await products.run()
            try await variants.run()
        }
        // The shopfront searches the word index: fill it as `FoodCatalogStore.save` would.
        try await FoodProductWords.insert(searched, on: db)
    }
}
