import Fluent
import SQLKit

/// A partner booking reaches VALIDATED only when both sides said the ride happened: the partner
/// for its passenger (`passenger_confirmed_at`), the driver here (`driver_confirmed_at`). The
/// driver's id is kept on the row so their data export holds the bookings made on their rides.
/// Existing rows are filled from their ad and their status.
struct PartnerBookingConfirmations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds no more at once.
        try await database.schema("carpool_partner_bookings").field("driver_id", .uuid).update()
        try await database.schema("carpool_partner_bookings").field("driver_confirmed_at", .datetime).update()
        try await database.schema("carpool_partner_bookings").field("passenger_confirmed_at", .datetime).update()
        let sql = database.sql
        try await sql.raw("UPDATE carpool_partner_bookings SET driver_id = (SELECT a.author_id FROM carpool_ads a WHERE a.id = carpool_partner_bookings.ad_id)").run()
        try await sql.raw("""
            UPDATE carpool_partner_bookings SET passenger_confirmed_at = updated_at
            WHERE status IN ('COMPLETED_PENDING_VALIDATION', 'VALIDATED')
            """).run()
        try await sql.raw("UPDATE carpool_partner_bookings SET driver_confirmed_at = updated_at WHERE status = 'VALIDATED'").run()
        try await sql.create(index: "carpool_partner_bookings_driver").on("carpool_partner_bookings").column("driver_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "carpool_partner_bookings_driver").ifExists().run()
        for column in ["driver_id", "driver_confirmed_at", "passenger_confirmed_at"] {
            try await database.schema("carpool_partner_bookings").deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}
