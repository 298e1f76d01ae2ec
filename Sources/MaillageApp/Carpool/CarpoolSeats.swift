import Fluent
import Foundation
import SQLKit

/// The seat counter of one ride, one day, one leg: every kind of booking takes and gives back its
/// seats here, so the `taken + n <= capacity` conditional update holds across all of them.
enum CarpoolSeats {
    /// Takes `seats` on the ride inside the caller's transaction; false when the car is full.
    static func take(_ seats: Int, ad: UUID, date: String, leg: String, capacity: Int, on tx: any Database) async throws -> Bool {
        try await tx.sql.insert(into: "carpool_seats").columns("ad_id", "travel_date", "leg", "capacity", "taken")
            .values(SQLBind(ad), SQLBind(date), SQLBind(leg), SQLBind(capacity), SQLBind(0))
            .ignoringConflicts().run()
        let held = try await tx.sql.update("carpool_seats").set("taken", to: SQLRaw("taken + \(seats)"))
            .where("ad_id", .equal, SQLBind(ad)).where("travel_date", .equal, SQLBind(date))
            .where("leg", .equal, SQLBind(leg)).where(SQLRaw("taken + \(seats) <= capacity"))
            .returning("taken").all()
        return !held.isEmpty
    }

    static func give(_ seats: Int, ad: UUID, date: String, leg: String, on tx: any Database) async throws {
        try await tx.sql.update("carpool_seats").set("taken", to: SQLRaw("taken - \(seats)"))
            .where("ad_id", .equal, SQLBind(ad)).where("travel_date", .equal, SQLBind(date))
            .where("leg", .equal, SQLBind(leg)).run()
    }
}
