import Fluent
import SQLKit
import Vapor

/// SQLite allows one writer at a time. Two deferred transactions that both read, then write, can
/// deadlock inside SQLite's busy handler; queueing this process's write transactions in Swift
/// avoids it. PostgreSQL needs no queue: row locks and conditional updates do the work there.
actor WriterQueue {
    static let sqlite = WriterQueue()

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}

extension Database {
    /// A transaction that writes. Same guarantees on both engines; on SQLite it waits its turn.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !isPostgres else { return try await transaction(body) }
        await WriterQueue.sqlite.acquire()
        do {
            let result = try await (writerConnections?.writer(beside: self) ?? self).transaction(body)
            await WriterQueue.sqlite.release()
            return result
        } catch {
            await WriterQueue.sqlite.release()
            throw error
        }
    }
}

extension DatabaseID {
    /// Write transactions on a SQLite file: the same file, a pool of its own.
    static let sqliteWriter = DatabaseID(string: "sqlite-writer")
}

/// Fluent's SQLite driver keeps one connection per event loop, and a transaction holds its
/// connection from BEGIN to the end of COMMIT — the disk sync included. Had write transactions
/// taken that connection, every read arriving on the same event loop would queue behind each
/// commit; under steady checkouts (group commit keeps the writer busy) that was half the reads of
/// the site. Write transactions take a connection of a second pool on the same file instead
/// (`DatabaseID.sqliteWriter`); `WriterQueue` lets one of them write at a time, as SQLite would,
/// and readers go on meanwhile (WAL). In-memory SQLite (tests) has no second pool: a second
/// configuration of `:memory:` would be another, empty, database.
///
/// Carried in the SQLite configuration as a pass-through model middleware, like `WriteGroups`,
/// so any handle on the database (`app.db`, `req.db`, a job's) finds it.
final class WriterConnections: AnyModelMiddleware, @unchecked Sendable {
    /// Weak: the databases own their configurations, which hold this.
    private weak var databases: Databases?

    init(_ databases: Databases) { self.databases = databases }

    func handle(_ event: ModelEvent, _ model: any AnyModel, on db: any Database,
                chainingTo next: any AnyModelResponder) -> EventLoopFuture<Void> {
        next.handle(event, model, on: db)
    }

    /// A handle on the writer pool, on the same event loop as `db`.
    func writer(beside db: any Database) -> (any Database)? {
        databases?.database(.sqliteWriter, logger: db.logger, on: db.eventLoop)
    }
}

extension Database {
    var writerConnections: WriterConnections? {
        context.configuration.middleware.lazy.compactMap { $0 as? WriterConnections }.first
    }
}
