import Fluent
import SQLKit

/// What DFC imports keep beside the products: drafts waiting for a euro price, which variant is a
/// case of which, the catalog's id of each variant (so a later import updates instead of
/// duplicating), and the farm's profile as its platform describes it.
struct AddFoodDFCImports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // A product read from another platform that cannot be sold yet (no price, or not in euros).
        try await database.schema("food_product_drafts")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("producer_id", .uuid, .required, .references("food_producers", "id", onDelete: .cascade))
            .field("source_id", .string, .required)
            .field("name", .string, .required)
            // The `ImportedDraft` as JSON: the product form's fields, why it is a draft, SKUs, packs.
            .field("content", .string, .required)
            .field("photo_type", .string)
            .field("photo", .data)
            .field("created_at", .datetime, .required)
            .unique(on: "producer_id", "source_id", name: "food_product_drafts_one_per_source")
            .create()
        try await database.schema("food_variant_packs")
            .field("variant_id", .uuid, .identifier(auto: false), .references("food_variants", "id", onDelete: .cascade))
            .field("base_variant_id", .uuid, .required, .references("food_variants", "id", onDelete: .cascade))
            .field("count", .int64, .required)
            .constraint(.custom(SQLRaw("CONSTRAINT food_variant_packs_count CHECK (count > 0)")))
            .create()
        try await database.schema("food_dfc_links")
            .field("producer_id", .uuid, .required, .references("food_producers", "id", onDelete: .cascade))
            .field("source_id", .string, .required)
            .field("product_id", .uuid, .required, .references("food_products", "id", onDelete: .cascade))
            .field("variant_id", .uuid, .required, .references("food_variants", "id", onDelete: .cascade))
            .field("sku", .string)
            .compositeIdentifier(over: "producer_id", "source_id")
            .create()
        try await database.schema("food_producer_profiles")
            .field("producer_id", .uuid, .identifier(auto: false), .references("food_producers", "id", onDelete: .cascade))
            .field("source_id", .string, .required)
            .field("email", .string)
            .field("phone", .string)
            .field("address", .string)
            .field("labels", .string, .required)
            .field("links", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["food_producer_profiles", "food_dfc_links", "food_variant_packs", "food_product_drafts"] {
            try await database.schema(table).delete()
        }
    }
}
