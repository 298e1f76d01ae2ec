import Fluent
import SQLKit

/// The tables of the "standard covoiturage" operator API: partner operators' keys (only their
/// hash is kept), the bookings they make for their own users on our rides, and the messages they
/// relay. A partner booking is for a person who is not a member here, hence its own table.
struct CreateCarpoolStandard: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("carpool_partner_keys")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("key_hash", .string, .required)
            .field("created_by", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "key_hash")
            .create()
        try await database.schema("carpool_partner_bookings")
            .field("id", .uuid, .identifier(auto: false))
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("partner_key_id", .uuid, .required, .references("carpool_partner_keys", "id", onDelete: .cascade))
            .field("ad_id", .uuid, .required, .references("carpool_ads", "id", onDelete: .cascade))
            .field("travel_date", .string, .required)
            .field("leg", .string, .required)
            .field("status", .string, .required)
            .field("passenger_alias", .string, .required)
            .field("passenger_ref", .string, .required)
            .field("passenger_operator", .string, .required)
            .field("pickup_lat", .double, .required)
            .field("pickup_lon", .double, .required)
            .field("drop_lat", .double, .required)
            .field("drop_lon", .double, .required)
            .field("pickup_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema("carpool_partner_messages")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("partner_key_id", .uuid, .required, .references("carpool_partner_keys", "id", onDelete: .cascade))
            .field("ad_id", .uuid, .references("carpool_ads", "id", onDelete: .cascade))
            .field("booking_id", .uuid)
            .field("sender_alias", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["carpool_partner_messages", "carpool_partner_bookings", "carpool_partner_keys"] {
            try await database.schema(table).delete()
        }
    }
}
