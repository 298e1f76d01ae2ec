import Foundation
import Fluent
import MaillageCore
import SQLKit

/// Products are listed in French dictionary order ("Céleri" before "Cuisses", "Écoles" after
/// "Eau"), which neither engine gives from a plain `ORDER BY name` (byte order, or a collation
/// that differs between them). Each product row carries its name's sort key
/// (`SearchText.sortKey`, written with the row) and lists order by it: the same SQL, the same
/// order, on SQLite and PostgreSQL.
struct AddFoodSortNames: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database.sql
        try await sql.raw("ALTER TABLE food_products ADD COLUMN sort_name TEXT NOT NULL DEFAULT ''").run()
        try await sql.raw("ALTER TABLE food_cycle_products ADD COLUMN sort_name TEXT NOT NULL DEFAULT ''").run()
        struct Row: Decodable { var id: UUID; var name: String }
        let rows = try await sql.select().column("id").column("name").from("food_products").all(decoding: Row.self)
        for row in rows {
            try await sql.update("food_products").set("sort_name", to: SQLBind(SearchText.sortKey(row.name)))
                .where("id", .equal, SQLBind(row.id)).run()
        }
        try await sql.raw("""
            UPDATE food_cycle_products SET sort_name = COALESCE((SELECT p.sort_name FROM food_products p WHERE p.id = food_cycle_products.product_id), '')
            """).run()
        try await sql.create(index: "food_cycle_products_sort").on("food_cycle_products").column("cycle_id").column("sort_name").column("product_id").run()
        try await sql.create(index: "food_products_producer_sort").on("food_products").column("producer_id").column("sort_name").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "food_products_producer_sort").run()
        try await database.sql.drop(index: "food_cycle_products_sort").run()
        try await database.sql.raw("ALTER TABLE food_cycle_products DROP COLUMN sort_name").run()
        try await database.sql.raw("ALTER TABLE food_products DROP COLUMN sort_name").run()
    }
}
