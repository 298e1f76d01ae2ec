import Foundation
import Fluent
import MaillageCore
import SQLKit
import Vapor

/// The one durable outbox: a message is written in the transaction of the event that causes it,
/// then claimed and sent by whichever process gets it first (a lease, so N processes on one
/// PostgreSQL send each row once, and a process killed mid-send leaves its rows to the others
/// once the lease runs out). A resend after an unacknowledged attempt is the same row, so it
/// carries the same identity (a mail's Message-ID is made from the row id).
enum Outbox {
    /// Writes the message; `db` is the event's own transaction, so both are kept or neither.
    @discardableResult
    static func enqueue(_ envelope: OutboxEnvelope, on db: any Database, now: Date = Date()) async throws -> UUID {
        let id = TimeOrderedID.make()
        try await db.sql.insert(into: OutboxTables.messages)
            .columns("id", "channel", "destination", "destination_key", "summary", "payload", "signer", "status", "attempts",
                     "created_at", "next_attempt_at")
            .values(SQLBind(id), SQLBind(envelope.channel), SQLBind(envelope.destination), SQLBind(envelope.destinationKey),
                    SQLBind(String(envelope.summary.prefix(200))), SQLBind(envelope.payload), SQLBind(envelope.signer),
                    SQLBind(OutboxStatus.pending.rawValue), SQLBind(0), SQLBind(now), SQLBind(now))
            .run()
        return id
    }

    private struct ClaimedRow: Decodable {
        var id: UUID, channel: String, destination: String, destination_key: String, summary: String, payload: String
        var signer: String?, attempts: Int, created_at: Date
    }

    /// Takes up to `limit` due messages for `owner` until `leaseUntil`. One statement: the
    /// condition on the lease is checked again on each row as it is updated, so two processes
    /// never both take a row (on PostgreSQL the losers skip locked rows instead of waiting).
    static func claim(owner: String, limit: Int, leaseUntil: Date, now: Date, on db: any Database) async throws -> [OutboxMessage] {
        let skipLocked: SQLQueryString = db.sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await db.sql.raw("""
            UPDATE \(ident: OutboxTables.messages) SET lease_owner = \(bind: owner), lease_until = \(bind: leaseUntil)
            WHERE id IN (SELECT id FROM \(ident: OutboxTables.messages)
                         WHERE status = 'pending' AND next_attempt_at <= \(bind: now)
                           AND (lease_until IS NULL OR lease_until < \(bind: now))
                         ORDER BY next_attempt_at LIMIT \(unsafeRaw: String(max(1, limit)))\(skipLocked))
              AND status = 'pending' AND (lease_until IS NULL OR lease_until < \(bind: now))
            RETURNING id, channel, destination, destination_key, summary, payload, signer, attempts, created_at
            """).all(decoding: ClaimedRow.self)
        return rows.map {
            OutboxMessage(id: $0.id, channel: $0.channel, destination: $0.destination, destinationKey: $0.destination_key,
                          summary: $0.summary, payload: $0.payload, signer: $0.signer, attempts: $0.attempts, createdAt: $0.created_at)
        }
    }

    /// Writes what an attempt came to, if `owner` still holds the lease (a process that took
    /// too long does not overwrite the work of the one that took the row over).
    static func record(_ outcome: DeliveryOutcome, of message: OutboxMessage, owner: String, retry: OutboxRetry,
                       now: Date = Date(), on db: any Database) async throws {
        let attempts = message.attempts + 1
        var set: [(String, any SQLExpression)] = [("attempts", SQLBind(attempts)), ("lease_owner", SQLLiteral.null),
                                                  ("lease_until", SQLLiteral.null)]
        let logged: (String, String)
        switch outcome {
        case .delivered(let detail):
            // Delivered: the body goes, the row stays as a receipt (destination, summary, dates).
            set += [("status", SQLBind(OutboxStatus.sent.rawValue)), ("payload", SQLBind("")), ("finished_at", SQLBind(now)),
                    ("last_error", SQLLiteral.null)]
            logged = ("sent", detail)
        case .held(let detail):
            set += [("status", SQLBind(OutboxStatus.held.rawValue)), ("finished_at", SQLBind(now))]
            logged = ("held", detail)
        case .permanentFailure(let detail):
            set += [("status", SQLBind(OutboxStatus.failed.rawValue)), ("finished_at", SQLBind(now)),
                    ("last_error", SQLBind(String(detail.prefix(500))))]
            logged = ("failed", detail)
        case .transientFailure(let detail):
            switch retry.afterTransientFailure(attempts: attempts, createdAt: message.createdAt, now: now) {
            case .retry(let at):
                set += [("next_attempt_at", SQLBind(at)), ("last_error", SQLBind(String(detail.prefix(500))))]
                logged = ("retry", detail)
            case .giveUp:
                set += [("status", SQLBind(OutboxStatus.failed.rawValue)), ("finished_at", SQLBind(now)),
                        ("last_error", SQLBind(String(detail.prefix(500))))]
                logged = ("failed", "gave up: " + detail)
            }
        }
        let assignments = set
        try await db.writeTransaction { tx in
            var update = tx.sql.update(OutboxTables.messages)
            for (column, value) in assignments { update = update.set(SQLIdentifier(column), to: value) }
            try await update.where("id", .equal, SQLBind(message.id)).where("lease_owner", .equal, SQLBind(owner)).run()
            try await tx.sql.insert(into: OutboxTables.attempts)
                .columns("id", "message_id", "attempted_at", "owner", "outcome", "detail")
                .values(SQLBind(TimeOrderedID.make()), SQLBind(message.id), SQLBind(now), SQLBind(owner), SQLBind(logged.0),
                        SQLBind(String(logged.1.prefix(500))))
                .run()
        }
    }

    /// Erasure: nothing more goes to this address, and nothing sent to it stays.
    static func forget(destination: String, on db: any Database) async throws {
        try await db.sql.delete(from: OutboxTables.messages).where("destination", .equal, SQLBind(destination)).run()
    }

    /// Deletes delivered and held rows after `keep` (their attempts go with them); failed rows
    /// stay twice as long, for the operators to see.
    static func purge(olderThan keep: TimeInterval, now: Date = Date(), on db: any Database) async throws {
        try await db.sql.delete(from: OutboxTables.messages)
            .where("status", .in, SQLBind.group([OutboxStatus.sent.rawValue, OutboxStatus.held.rawValue]))
            .where("created_at", .lessThan, SQLBind(now.addingTimeInterval(-keep))).run()
        try await db.sql.delete(from: OutboxTables.messages)
            .where("status", .equal, SQLBind(OutboxStatus.failed.rawValue))
            .where("created_at", .lessThan, SQLBind(now.addingTimeInterval(-2 * keep))).run()
    }
}
