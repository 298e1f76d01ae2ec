import Foundation
import Fluent
import SQLKit

/// The outbox's two tables: the messages, and one line per delivery attempt.
enum OutboxTables {
    static let messages = "outbox_messages"
    static let attempts = "outbox_attempts"
}

/// Status of a row: waiting (`pending`), kept for the mailbox (`held`), delivered (`sent`), or
/// given up (`failed`, shown to the operators).
enum OutboxStatus: String, Sendable, CaseIterable {
    case pending, held, sent, failed
}

struct CreateOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxTables.messages)
            .field("id", .uuid, .identifier(auto: false))
            .field("channel", .string, .required)
            .field("destination", .string, .required)
            .field("destination_key", .string, .required)
            .field("summary", .string, .required)
            .field("payload", .string, .required)
            .field("signer", .string)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("created_at", .datetime, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("lease_owner", .string)
            .field("lease_until", .datetime)
            .field("finished_at", .datetime)
            .field("last_error", .string)
            .create()
        try await database.schema(OutboxTables.attempts)
            .field("id", .uuid, .identifier(auto: false))
            .field("message_id", .uuid, .required, .references(OutboxTables.messages, "id", onDelete: .cascade))
            .field("attempted_at", .datetime, .required)
            .field("owner", .string, .required)
            .field("outcome", .string, .required)
            .field("detail", .string, .required)
            .create()
        // The sender's question, asked every tick: what is due?
        try await database.sql.create(index: "outbox_messages_due")
            .on(OutboxTables.messages).column("status").column("next_attempt_at").run()
        try await database.sql.create(index: "outbox_attempts_of_message")
            .on(OutboxTables.attempts).column("message_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxTables.attempts).delete()
        try await database.schema(OutboxTables.messages).delete()
    }
}

/// The sender asks only for pending rows: indexed alone, rows written held (mail with no server)
/// or finished leave the index, so writing one costs the commit that carries it less (on SQLite,
/// fewer pages to write before a checkout and its receipt are durable).
struct OutboxPendingIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX IF EXISTS outbox_messages_due").run()
        try await database.sql.raw("CREATE INDEX outbox_messages_pending ON outbox_messages (next_attempt_at) WHERE status = 'pending'").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX IF EXISTS outbox_messages_pending").run()
        try await database.sql.create(index: "outbox_messages_due").on(OutboxTables.messages).column("status").column("next_attempt_at").run()
    }
}
