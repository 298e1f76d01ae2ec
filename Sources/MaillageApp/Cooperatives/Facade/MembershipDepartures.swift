import Fluent
import Foundation
import SQLKit

/// The register of members records exits as well as entries (Loi 47-1775 art. 7; Code de
/// commerce art. L231-6: a member who leaves is owed their shares back). One row per departure:
/// a person may leave, come back and leave again, and each time the shares they held then are
/// what the redemption pays back (`ShareCapitalBooking`), whatever they subscribe on return.
enum MembershipDepartures {
    static let table = "membership_departures"

    struct Row: Decodable, Sendable {
        var membership_id: UUID
        var shares: Int
        var left_at: Date
    }

    /// Records a departure inside the caller's transaction.
    /// `reason` is given when someone else records it (the member leaving themself gives none).
    static func record(_ membership: Membership, recordedBy: UUID?, reason: String? = nil, at time: Date, on db: any Database) async throws {
        try await db.sql.insert(into: table)
            .columns("id", "membership_id", "cooperative_id", "user_id", "shares", "left_at", "recorded_by", "reason")
            .values(SQLBind(UUID()), SQLBind(try membership.requireID()), SQLBind(membership.$cooperative.id),
                    SQLBind(membership.$user.id), SQLBind(membership.shares), SQLBind(time), SQLBind(recordedBy), SQLBind(reason))
            .run()
    }

    /// Every departure of a cooperative's members, oldest first, by membership.
    static func all(in coop: UUID, on db: any Database) async throws -> [UUID: [Row]] {
        let rows = try await db.sql.select().columns("membership_id", "shares", "left_at").from(table)
            .where("cooperative_id", .equal, SQLBind(coop)).orderBy("left_at").orderBy("id")
            .all(decoding: Row.self)
        return Dictionary(grouping: rows, by: \.membership_id)
    }
}

struct CreateMembershipDepartures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MembershipDepartures.table)
            .id()
            .field("membership_id", .uuid, .required, .references(Membership.schema, "id", onDelete: .cascade))
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("shares", .int, .required)
            .field("left_at", .datetime, .required)
            .field("recorded_by", .uuid, .references(User.schema, "id"))
            .create()
        try await database.sql.create(index: "membership_departures_cooperative").on(MembershipDepartures.table)
            .column("cooperative_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MembershipDepartures.table).delete()
    }
}

/// The reason given when the staff or the board record someone's departure.
struct MembershipDepartureReasons: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MembershipDepartures.table).field("reason", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MembershipDepartures.table).deleteField("reason").update()
    }
}
