import Fluent
import SQLKit

struct CreateTreasury: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // A proposed year-end allocation, put to the members' vote, then booked once adopted.
        try await database.schema("allocations")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("year", .int, .required)
            .field("proposal_id", .uuid, .references(Proposal.schema, "id"))
            // "<cooperative>:<year>" while voting or booked, NULL once rejected: one live allocation per year.
            .field("live_key", .string)
            .field("content", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("created_by", .uuid, .references(User.schema, "id"))
            .field("booked_at", .datetime)
            .unique(on: "live_key", name: "allocations_one_live_per_year")
            .create()
        try await database.schema("barter_invoices")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("seller_id", .uuid, .required, .references(User.schema, "id"))
            .field("buyer_id", .uuid, .required, .references(User.schema, "id"))
            .field("amount", .int64, .required)
            .field("description", .string, .required)
            .field("status", .string, .required)
            .field("issued_at", .datetime, .required)
            .field("decided_at", .datetime)
            .constraint(.custom(SQLRaw("CONSTRAINT barter_invoices_amount CHECK (amount > 0)")))
            .create()
        try await database.sql.create(index: "barter_invoices_parties").on("barter_invoices").column("cooperative_id").column("issued_at").run()
        try await database.schema("barter_offers")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in ["barter_offers", "barter_invoices", "allocations"] { try await database.schema(schema).delete() }
    }
}
