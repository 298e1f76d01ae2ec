import Fluent
import SQLKit

/// The store API's tables: the tokens a store's software calls with (only their hash kept), the
/// store's webhook (its address and the secret it signs with, sealed), and one row per webhook
/// call queued in the outbox, so the store reads the log of its own calls.
struct CreateDeliveryAPI: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("delivery_store_tokens")
            .id()
            .field("store_id", .uuid, .required, .references("delivery_stores", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_by", .uuid, .references(User.schema, "id"))
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash", name: "delivery_store_tokens_hash")
            .create()
        try await database.sql.create(index: "delivery_store_tokens_store").on("delivery_store_tokens").column("store_id").run()
        // One webhook per store: the address and its signing secret, sealed with the instance's key.
        try await database.schema("delivery_webhooks")
            .field("store_id", .uuid, .identifier(auto: false), .references("delivery_stores", "id", onDelete: .cascade))
            .field("url", .string, .required)
            .field("secret_sealed", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("delivery_webhook_calls")
            .field("outbox_id", .uuid, .identifier(auto: false))
            .field("store_id", .uuid, .required, .references("delivery_stores", "id", onDelete: .cascade))
            .field("delivery_id", .uuid, .required, .references("deliveries", "id", onDelete: .cascade))
            .field("event", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "delivery_webhook_calls_store").on("delivery_webhook_calls").column("store_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["delivery_webhook_calls", "delivery_webhooks", "delivery_store_tokens"] { try await database.schema(table).delete() }
    }
}
