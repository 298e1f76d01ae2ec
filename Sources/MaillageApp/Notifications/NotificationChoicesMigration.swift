import Fluent
import SQLKit

/// Kinds of notices, each person's channel per kind, and the digests sent. A notice's digest is
/// the mark that it was listed, so a second run (or a second process) finds nothing left to list.
struct CreateNotificationChoices: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Notice.schema).field("kind", .string).update()
        try await database.schema(Notice.schema).field("digest_id", .uuid).update()
        try await database.schema(NoticeChoices.table)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("channel", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "user_id", "kind", name: "notification_preferences_once_per_kind")
            .create()
        try await database.schema(DailyDigest.table)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("cut_at", .datetime, .required)
            .field("notices", .int, .required)
            .field("created_at", .datetime, .required)
            // One digest per person and cut, whichever process or run gets there first.
            .unique(on: "user_id", "cut_at", name: "notification_digests_once_per_cut")
            .create()
        try await database.sql.create(index: "notifications_digest_pending").on(Notice.schema)
            .column("user_id").column("kind").column("digest_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: "notifications_digest_pending").run()
        try await database.schema(DailyDigest.table).delete()
        try await database.schema(NoticeChoices.table).delete()
        try await database.schema(Notice.schema).deleteField("digest_id").update()
        try await database.schema(Notice.schema).deleteField("kind").update()
    }
}
