import Fluent
import SQLKit

/// Offers and wants (Murmurations `offers_wants_schema-v0.1.0` fields) and the services done
/// between members, settled in hours on the ledger or recorded as free help.
struct CreateExchange: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("offers_wants")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(User.schema, "id"))
            .field("exchange_type", .string, .required)
            .field("item_type", .string, .required)
            // The schema's strings, comma-separated in `TransactionType.allCases` order.
            .field("transaction_types", .string, .required)
            .field("category", .string)
            // A JSON array of the author's tags.
            .field("tags", .string, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("image_url", .string)
            .field("commune", .string, .required)
            .field("lat", .double)
            .field("lon", .double)
            .field("scope", .string, .required)
            .field("public_email", .string)
            .field("accepts_time_bank", .bool, .required)
            .field("expires_at", .datetime)
            .field("published_at", .datetime, .required)
            .field("search_text", .string, .required)
            .field("withdrawn_at", .datetime)
            .constraint(.custom(SQLRaw("CONSTRAINT offers_wants_exchange_type CHECK (exchange_type IN ('offer','want'))")))
            .constraint(.custom(SQLRaw("CONSTRAINT offers_wants_item_type CHECK (item_type IN ('good','service'))")))
            .create()
        try await database.sql.create(index: "offers_wants_position").on("offers_wants").column("cooperative_id").column("lat").column("lon").run()
        try await database.sql.create(index: "offers_wants_cooperative").on("offers_wants").column("cooperative_id").column("published_at").run()
        try await database.schema("service_records")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("offer_want_id", .uuid, .references("offers_wants", "id"))
            .field("giver_id", .uuid, .required, .references(User.schema, "id"))
            .field("receiver_id", .uuid, .required, .references(User.schema, "id"))
            .field("description", .string, .required)
            .field("done_on", .string, .required)
            .field("settlement", .string, .required)
            .field("minutes", .int64, .required)
            .field("transfer_id", .uuid)
            .field("recorded_at", .datetime, .required)
            .field("recorded_by", .uuid, .required, .references(User.schema, "id"))
            .constraint(.custom(SQLRaw("CONSTRAINT service_records_settlement CHECK ((settlement = 'hours' AND minutes > 0 AND transfer_id IS NOT NULL) OR (settlement = 'free' AND minutes = 0 AND transfer_id IS NULL))")))
            .constraint(.custom(SQLRaw("CONSTRAINT service_records_two_people CHECK (giver_id <> receiver_id)")))
            .create()
        try await database.sql.create(index: "service_records_cooperative").on("service_records").column("cooperative_id").column("recorded_at").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["service_records", "offers_wants"] { try await database.schema(table).delete() }
    }
}
