import Foundation
import Fluent
import SQLKit

/// What the operators see of the outbox: counts, lists by status, one message and its attempts.
enum OutboxQueries {
    struct Row: Decodable, Sendable {
        var id: UUID, channel: String, destination: String, summary: String, status: String, attempts: Int
        var created_at: Date, finished_at: Date?, last_error: String?, next_attempt_at: Date
    }
    struct Attempt: Decodable, Sendable {
        var attempted_at: Date, owner: String, outcome: String, detail: String
    }
    private struct Count: Decodable { var status: String; var n: Int }
    private struct Payload: Decodable { var payload: String }

    static func counts(on db: any Database) async throws -> [OutboxStatus: Int] {
        let rows = try await db.sql.select().column("status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(OutboxTables.messages).groupBy("status").all(decoding: Count.self)
        return Dictionary(rows.compactMap { row in OutboxStatus(rawValue: row.status).map { ($0, row.n) } }, uniquingKeysWith: +)
    }

    /// Newest first.
    static func list(_ statuses: [OutboxStatus], channel: String? = nil, limit: Int = 100, on db: any Database) async throws -> [Row] {
        var select = db.sql.select()
            .columns("id", "channel", "destination", "summary", "status", "attempts", "created_at", "finished_at", "last_error", "next_attempt_at")
            .from(OutboxTables.messages).where("status", .in, SQLBind.group(statuses.map(\.rawValue)))
        if let channel { select = select.where("channel", .equal, SQLBind(channel)) }
        return try await select.orderBy("created_at", .descending).limit(limit).all(decoding: Row.self)
    }

    static func find(_ id: UUID, on db: any Database) async throws -> (Row, payload: String)? {
        guard let row = try await db.sql.select()
            .columns("id", "channel", "destination", "summary", "status", "attempts", "created_at", "finished_at", "last_error", "next_attempt_at")
            .from(OutboxTables.messages).where("id", .equal, SQLBind(id)).first(decoding: Row.self) else { return nil }
        let payload = try await db.sql.select().column("payload").from(OutboxTables.messages).where("id", .equal, SQLBind(id))
            .first(decoding: Payload.self)?.payload ?? ""
        return (row, payload)
    }

    static func attempts(of id: UUID, on db: any Database) async throws -> [Attempt] {
        try await db.sql.select().columns("attempted_at", "owner", "outcome", "detail").from(OutboxTables.attempts)
            .where("message_id", .equal, SQLBind(id)).orderBy("attempted_at").all(decoding: Attempt.self)
    }

    /// An operator sends a failed message again (after fixing the mail settings): same row, same identity.
    static func retry(_ id: UUID, now: Date = Date(), on db: any Database) async throws {
        try await db.sql.update(OutboxTables.messages)
            .set("status", to: SQLBind(OutboxStatus.pending.rawValue)).set("next_attempt_at", to: SQLBind(now))
            .set("finished_at", to: SQLLiteral.null)
            .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(OutboxStatus.failed.rawValue)).run()
    }
}
