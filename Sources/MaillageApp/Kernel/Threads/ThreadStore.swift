import Fluent
import Foundation
import MaillageCore
import SQLKit

/// A message as a thread shows it.
struct ThreadMessage: Codable, Sendable {
    var id: UUID
    var threadID: UUID
    var authorID: UUID
    var body: String
    var at: Date
    var hiddenAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, body, at
        case threadID = "thread_id", authorID = "author_id", hiddenAt = "hidden_at"
    }
}

/// A report waiting in the moderation queue, with the message it is about.
struct ThreadReport: Codable, Sendable {
    var id: UUID
    var messageID: UUID
    var reporterID: UUID
    var reason: String
    var at: Date
    var authorID: UUID
    var body: String
    var kind: String
    var subjectID: UUID

    enum CodingKeys: String, CodingKey {
        case id, reason, at, body, kind
        case messageID = "message_id", reporterID = "reporter_id", authorID = "author_id", subjectID = "subject_id"
    }
}

/// The SQL of threads. Each change is one statement; a refusal is a statement that changed nothing.
enum ThreadStore {
    private struct ID: Decodable { var id: UUID }

    static func thread(of subject: ThreadSubject, on db: any Database) async throws -> UUID? {
        try await db.sql.select().column("id").from(ThreadTables.threads)
            .where("kind", .equal, SQLBind(subject.kind)).where("subject_id", .equal, SQLBind(subject.id))
            .first(decoding: ID.self)?.id
    }

    /// The subject's thread, made on its first message.
    static func openThread(of subject: ThreadSubject, at now: Date = Date(), on db: any Database) async throws -> UUID {
        try await db.sql.insert(into: ThreadTables.threads).columns("id", "kind", "subject_id", "cooperative_id", "created_at")
            .values(SQLBind(UUID()), SQLBind(subject.kind), SQLBind(subject.id), SQLBind(subject.cooperativeID), SQLBind(now))
            .ignoringConflicts(with: ["kind", "subject_id"]).run()
        guard let id = try await thread(of: subject, on: db) else { throw Problem.notFound }
        return id
    }

    static func messages(of subject: ThreadSubject, on db: any Database) async throws -> [ThreadMessage] {
        try await db.sql.select().columns(["id", "thread_id", "author_id", "body", "at", "hidden_at"].map { SQLColumn($0, table: "m") })
            .from(SQLAlias(SQLIdentifier(ThreadTables.messages), as: SQLIdentifier("m")))
            .join(SQLAlias(SQLIdentifier(ThreadTables.threads), as: SQLIdentifier("t")), on: SQLColumn("thread_id", table: "m"), .equal, SQLColumn("id", table: "t"))
            .where(SQLColumn("kind", table: "t"), .equal, SQLBind(subject.kind))
            .where(SQLColumn("subject_id", table: "t"), .equal, SQLBind(subject.id))
            .orderBy(SQLColumn("at", table: "m")).orderBy(SQLColumn("id", table: "m"))
            .all(decoding: ThreadMessage.self)
    }

    static func message(_ id: UUID, on db: any Database) async throws -> (ThreadMessage, ThreadSubject)? {
        struct Row: Decodable { var kind: String; var subject_id: UUID; var cooperative_id: UUID }
        guard let message = try await db.sql.select().columns("id", "thread_id", "author_id", "body", "at", "hidden_at").from(ThreadTables.messages)
                .where("id", .equal, SQLBind(id)).first(decoding: ThreadMessage.self),
              let row = try await db.sql.select().columns("kind", "subject_id", "cooperative_id").from(ThreadTables.threads)
                .where("id", .equal, SQLBind(message.threadID)).first(decoding: Row.self)
        else { return nil }
        return (message, ThreadSubject(kind: row.kind, id: row.subject_id, cooperativeID: row.cooperative_id))
    }

    @discardableResult
    static func insert(body: String, by author: UUID, in thread: UUID, at now: Date = Date(), id: UUID = UUID(), on db: any Database) async throws -> UUID {
        try await db.sql.insert(into: ThreadTables.messages).columns("id", "thread_id", "author_id", "body", "at")
            .values(SQLBind(id), SQLBind(thread), SQLBind(author), SQLBind(body), SQLBind(now)).run()
        return id
    }

    /// Everyone who wrote in the thread, in order of their first message.
    static func writers(of thread: UUID, on db: any Database) async throws -> [UUID] {
        struct Row: Decodable { var author_id: UUID }
        let rows = try await db.sql.select().column("author_id").from(ThreadTables.messages).where("thread_id", .equal, SQLBind(thread))
            .orderBy("at").all(decoding: Row.self)
        var seen = Set<UUID>()
        return rows.map(\.author_id).filter { seen.insert($0).inserted }
    }

    // MARK: blocks

    /// The people `blocker` blocked.
    static func blocked(by blocker: UUID, on db: any Database) async throws -> Set<UUID> {
        struct Row: Decodable { var blocked_id: UUID }
        return Set(try await db.sql.select().column("blocked_id").from(ThreadTables.blocks).where("blocker_id", .equal, SQLBind(blocker))
            .all(decoding: Row.self).map(\.blocked_id))
    }

    /// The people who blocked `person`.
    static func blockers(of person: UUID, on db: any Database) async throws -> Set<UUID> {
        struct Row: Decodable { var blocker_id: UUID }
        return Set(try await db.sql.select().column("blocker_id").from(ThreadTables.blocks).where("blocked_id", .equal, SQLBind(person))
            .all(decoding: Row.self).map(\.blocker_id))
    }

    static func block(_ blocked: UUID, by blocker: UUID, at now: Date = Date(), on db: any Database) async throws {
        try await db.sql.insert(into: ThreadTables.blocks).columns("blocker_id", "blocked_id", "at")
            .values(SQLBind(blocker), SQLBind(blocked), SQLBind(now)).ignoringConflicts(with: ["blocker_id", "blocked_id"]).run()
    }

    static func unblock(_ blocked: UUID, by blocker: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: ThreadTables.blocks).where("blocker_id", .equal, SQLBind(blocker)).where("blocked_id", .equal, SQLBind(blocked)).run()
    }

    // MARK: reports and moderation

    static func report(_ message: UUID, in cooperative: UUID, by reporter: UUID, reason: String, at now: Date = Date(), on db: any Database) async throws {
        try await db.sql.insert(into: ThreadTables.reports).columns("id", "message_id", "cooperative_id", "reporter_id", "reason", "at", "status")
            .values(SQLBind(UUID()), SQLBind(message), SQLBind(cooperative), SQLBind(reporter), SQLBind(reason), SQLBind(now), SQLBind("open"))
            .ignoringConflicts(with: ["message_id", "reporter_id"]).run()
    }

    /// The cooperative's open reports, oldest first.
    static func openReports(in cooperative: UUID, on db: any Database) async throws -> [ThreadReport] {
        try await db.sql.select()
            .columns(SQLColumn("id", table: "r"), SQLColumn("message_id", table: "r"), SQLColumn("reporter_id", table: "r"), SQLColumn("reason", table: "r"),
                     SQLColumn("at", table: "r"), SQLColumn("author_id", table: "m"), SQLColumn("body", table: "m"),
                     SQLColumn("kind", table: "t"), SQLColumn("subject_id", table: "t"))
            .from(SQLAlias(SQLIdentifier(ThreadTables.reports), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier(ThreadTables.messages), as: SQLIdentifier("m")), on: SQLColumn("message_id", table: "r"), .equal, SQLColumn("id", table: "m"))
            .join(SQLAlias(SQLIdentifier(ThreadTables.threads), as: SQLIdentifier("t")), on: SQLColumn("thread_id", table: "m"), .equal, SQLColumn("id", table: "t"))
            .where(SQLColumn("cooperative_id", table: "r"), .equal, SQLBind(cooperative))
            .where(SQLColumn("status", table: "r"), .equal, SQLBind("open"))
            .orderBy(SQLColumn("at", table: "r"))
            .all(decoding: ThreadReport.self)
    }

    /// Hides the reported message, or dismisses the report; every open report of a hidden message
    /// is settled with it. Returns the report's message and author when the report was open.
    static func decide(report: UUID, in cooperative: UUID, hide: Bool, by staff: UUID, at now: Date = Date(),
                       on db: any Database) async throws -> (message: UUID, author: UUID)? {
        guard let open = try await openReports(in: cooperative, on: db).first(where: { $0.id == report }) else { return nil }
        if hide {
            try await db.sql.update(ThreadTables.messages).set("hidden_at", to: SQLBind(now)).set("hidden_by", to: SQLBind(staff))
                .where("id", .equal, SQLBind(open.messageID)).where("hidden_at", .is, SQLLiteral.null).run()
            try await db.sql.update(ThreadTables.reports).set("status", to: SQLBind("hidden")).set("decided_at", to: SQLBind(now))
                .set("decided_by", to: SQLBind(staff))
                .where("message_id", .equal, SQLBind(open.messageID)).where("status", .equal, SQLBind("open")).run()
        } else {
            try await db.sql.update(ThreadTables.reports).set("status", to: SQLBind("dismissed")).set("decided_at", to: SQLBind(now))
                .set("decided_by", to: SQLBind(staff))
                .where("id", .equal, SQLBind(report)).where("status", .equal, SQLBind("open")).run()
        }
        return (open.messageID, open.authorID)
    }

    // MARK: retention

    /// Deletes the messages of one kind of thread written before `cutoff` (a module's retention:
    /// carpool conversations are kept a year). Reports on them go with them.
    static func purgeMessages(kind: String, writtenBefore cutoff: Date, on db: any Database) async throws {
        try await db.sql.raw("""
            DELETE FROM \(unsafeRaw: ThreadTables.reports) WHERE message_id IN (SELECT m.id FROM \(unsafeRaw: ThreadTables.messages) m
            JOIN \(unsafeRaw: ThreadTables.threads) t ON t.id = m.thread_id WHERE t.kind = \(bind: kind) AND m.at < \(bind: cutoff))
            """).run()
        try await db.sql.raw("""
            DELETE FROM \(unsafeRaw: ThreadTables.messages) WHERE thread_id IN (SELECT id FROM \(unsafeRaw: ThreadTables.threads) WHERE kind = \(bind: kind))
            AND at < \(bind: cutoff)
            """).run()
    }

    // MARK: erasure

    /// What a person wrote goes; the thread keeps its shape ("(message effacé)").
    static func erase(_ user: UUID, on db: any Database) async throws {
        try await db.sql.update(ThreadTables.messages).set("body", to: SQLBind(Threads.erasedBody)).where("author_id", .equal, SQLBind(user)).run()
        try await db.sql.update(ThreadTables.reports).set("reason", to: SQLBind("")).where("reporter_id", .equal, SQLBind(user)).run()
        try await db.sql.delete(from: ThreadTables.blocks)
            .where { $0.where("blocker_id", .equal, SQLBind(user)).orWhere("blocked_id", .equal, SQLBind(user)) }.run()
    }
}
