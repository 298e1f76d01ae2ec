import Fluent
import SQLKit

/// A store's monthly invoice once issued: its figures as booked. The unique key on the store and
/// the month is what makes issuing twice (two staff, a double click) book the invoice once.
struct CreateDeliveryBooks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("delivery_issued_invoices")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("store_id", .uuid, .required, .references("delivery_stores", "id"))
            // `YYYY-MM`, the month the invoice covers.
            .field("month", .string, .required)
            .field("number", .string, .required)
            .field("deliveries", .int, .required)
            .field("net_cents", .int64, .required)
            .field("vat_cents", .int64, .required)
            .field("gross_cents", .int64, .required)
            .field("issued_at", .datetime, .required)
            .field("issued_by", .uuid, .references(User.schema, "id"))
            .unique(on: "store_id", "month", name: "delivery_issued_invoices_month")
            .unique(on: "number", name: "delivery_issued_invoices_number")
            .constraint(.custom(SQLRaw("CONSTRAINT delivery_issued_invoices_sums CHECK (net_cents + vat_cents = gross_cents AND gross_cents > 0)")))
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("delivery_issued_invoices").delete()
    }
}
