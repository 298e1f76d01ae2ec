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
    /// Inside a group commit (`groupedWrite`) the row is written with the group's other rows.
    @discardableResult
    static func enqueue(_ envelope: OutboxEnvelope, on db: any Database, now: Date = Date()) async throws -> UUID {
        let id = TimeOrderedID.make()
        // A channel that holds everything (mail with no server): held now, never claimed.
        let held = db.outboxPolicy?.heldChannels.contains(envelope.channel) ?? false
        // Values known here are literals, not binds: inside a group commit this row is written
        // by the one writer, where every bind is converted on its way to SQLite.
        let time = SQLBind(now)
        try await db.insertWithGroup(into: OutboxTables.messages, [
            ("id", SQLBind(id)), ("channel", SQLLiteral.string(envelope.channel)), ("destination", SQLBind(envelope.destination)),
            ("destination_key", SQLBind(envelope.destinationKey)), ("summary", SQLBind(String(envelope.summary.prefix(200)))),
            ("payload", SQLBind(envelope.payload)), ("signer", envelope.signer.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null),
            ("status", SQLLiteral.string((held ? OutboxStatus.held : .pending).rawValue)), ("attempts", SQLLiteral.numeric("0")),
            ("created_at", time), ("next_attempt_at", time), ("finished_at", held ? time : SQLLiteral.null),
        ])
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

    /// Writes what each attempt came to, in one transaction, where `owner` still holds the lease
    /// (a process that took too long does not overwrite the work of the one that took the row over).
    /// Messages that came to the same thing (held, delivered by one server) are updated by one
    /// statement, and every attempt is logged by one: on SQLite the sender shares the one writer
    /// with the requests that write the mail.
    static func record(_ outcomes: [(OutboxMessage, DeliveryOutcome)], owner: String, retry: OutboxRetry,
                       now: Date = Date(), on db: any Database) async throws {
        guard !outcomes.isEmpty else { return }
        var changes: [Change] = [], logs: [(UUID, Change.Logged)] = []
        for (message, outcome) in outcomes {
            let change = Change(outcome, of: message, retry: retry, now: now)
            logs.append((message.id, change.logged))
            if let index = changes.firstIndex(where: { $0.sameUpdate(as: change) }) { changes[index].ids.append(message.id) }
            else { changes.append(change) }
        }
        let updates = changes, logged = logs
        try await db.writeTransaction { tx in
            for change in updates {
                var update = tx.sql.update(OutboxTables.messages)
                    .set("attempts", to: SQLRaw("attempts + 1")).set("lease_owner", to: SQLLiteral.null).set("lease_until", to: SQLLiteral.null)
                for (column, value) in change.assignments { update = update.set(SQLIdentifier(column), to: value) }
                try await update.where("id", .in, SQLBind.group(change.ids)).where("lease_owner", .equal, SQLBind(owner)).run()
            }
            let insert = tx.sql.insert(into: OutboxTables.attempts).columns("id", "message_id", "attempted_at", "owner", "outcome", "detail")
            for (id, entry) in logged {
                insert.values(SQLBind(TimeOrderedID.make()), SQLBind(id), SQLBind(now), SQLBind(owner), SQLBind(entry.outcome),
                              SQLBind(String(entry.detail.prefix(500))))
            }
            try await insert.run()
        }
    }

    /// What one attempt changes in its message's row, and how it is logged.
    private struct Change: Sendable {
        struct Logged: Sendable { var outcome: String; var detail: String }
        var ids: [UUID] = []
        var status: OutboxStatus?
        var clearsPayload = false
        var finished = false
        var lastError: String??
        var nextAttemptAt: Date?
        var logged: Logged
        var now: Date

        init(_ outcome: DeliveryOutcome, of message: OutboxMessage, retry: OutboxRetry, now: Date) {
            self.ids = [message.id]
            self.now = now
            switch outcome {
            case .delivered(let detail):
                // Delivered: the body goes, the row stays as a receipt (destination, summary, dates).
                (status, clearsPayload, finished, lastError) = (.sent, true, true, .some(nil))
                logged = Logged(outcome: "sent", detail: detail)
            case .held(let detail):
                (status, finished) = (.held, true)
                logged = Logged(outcome: "held", detail: detail)
            case .permanentFailure(let detail):
                (status, finished, lastError) = (.failed, true, String(detail.prefix(500)))
                logged = Logged(outcome: "failed", detail: detail)
            case .transientFailure(let detail):
                switch retry.afterTransientFailure(attempts: message.attempts + 1, createdAt: message.createdAt, now: now) {
                case .retry(let at):
                    (nextAttemptAt, lastError) = (at, String(detail.prefix(500)))
                    logged = Logged(outcome: "retry", detail: detail)
                case .giveUp:
                    (status, finished, lastError) = (.failed, true, String(detail.prefix(500)))
                    logged = Logged(outcome: "failed", detail: "gave up: " + detail)
                }
            }
        }

        func sameUpdate(as other: Change) -> Bool {
            status == other.status && clearsPayload == other.clearsPayload && finished == other.finished
                && lastError == other.lastError && nextAttemptAt == other.nextAttemptAt
        }

        var assignments: [(String, any SQLExpression)] {
            var set: [(String, any SQLExpression)] = []
            if let status { set.append(("status", SQLBind(status.rawValue))) }
            if clearsPayload { set.append(("payload", SQLBind(""))) }
            if finished { set.append(("finished_at", SQLBind(now))) }
            if let lastError { set.append(("last_error", lastError.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)) }
            if let nextAttemptAt { set.append(("next_attempt_at", SQLBind(nextAttemptAt))) }
            return set
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
