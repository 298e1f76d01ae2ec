import Fluent
import Foundation
import SQLKit

/// Group commit for ledger postings. On SQLite every write transaction queues behind the one
/// writer and each commit costs a sync, so one transaction per transfer caps the ledger at the
/// empty-transaction rate. Postings that arrive while a transaction is being written wait here
/// and are then written together, in one transaction, each inside its own SAVEPOINT: a refused
/// posting (below its floor, a replayed key…) rolls back only itself and gets its own error, the
/// others commit. Nothing waits on a timer: a lone posting is written at once, and groups only
/// form while the database is busy, which is when they help.
///
/// One queue per configured database (the tests run many apps side by side), carried by the
/// database configuration as a pass-through model middleware, so every handle of an app —
/// `app.db`, `req.db`, a job's — finds the same queue without a global. `DatabaseSetup` sets one
/// on SQLite only: on PostgreSQL, where transactions commit side by side on the pool, grouping
/// measured no faster. It stays correct there (the tests run it on both engines).
final class PostingGroups: AnyModelMiddleware {
    /// Most postings in one transaction. A group's cost is mostly the pages it dirties and syncs,
    /// and transfers between the same accounts dirty the same index pages: a group of 256 writes
    /// barely more than one of 64, so at the busiest the rate keeps growing with the group
    /// (`ledger-benchmark`, docs/performance.md: 3,711/s at 64, 7,089/s at 256). Such a group
    /// is written in about 40 ms, the longest a checkout then waits for the writer.
    static let limit = 256

    private let queue: GroupQueue<[Posting]>

    /// `writers`: groups written at once. One on SQLite (one writer anyway); PostgreSQL could
    /// write several side by side. `lane`: the SQLite file's writer lane, shared with `WriteGroups`.
    init(writers: Int, lane: WriterLane? = nil) {
        queue = GroupQueue(limit: Self.limit, writers: writers, lane: lane, write: { group, db in await PostingGroups.write(group, on: db) })
    }

    /// Passes every model event through unchanged: this middleware only carries the queue.
    func handle(_ event: ModelEvent, _ model: any AnyModel, on db: any Database,
                chainingTo next: any AnyModelResponder) -> EventLoopFuture<Void> {
        next.handle(event, model, on: db)
    }

    /// Writes `postings` (all or none) with the next group; throws what applying them threw.
    func commit(_ postings: [Posting], on db: any Database) async throws {
        try await queue.submit(postings, on: db).get()
    }

    /// Groups written so far and the postings they held, to read how much grouping happened.
    func written() async -> (groups: Int, members: Int) { await queue.written }

    /// One write transaction for the group. On SQLite, the postings the core can decide alone
    /// (immediate and pending transfers) are decided in memory and written together
    /// (`GroupPosting`); the others, and every posting on PostgreSQL, each run their statements
    /// inside their own savepoint. If the transaction itself fails (a lost connection, a deadlock
    /// victim, an account moved under the book), each member is written again alone, so no
    /// posting carries another's failure; a member that did commit is then found by its id.
    static func write(_ group: [[Posting]], on db: any Database) async -> [Result<Void, any Error>] {
        guard group.count > 1 else { return [await alone(group[0], on: db)] }
        do {
            return try await db.writeTransaction { db in
                // PostgreSQL: every account of the group locked first, in one order, so two groups
                // touching the same accounts wait for each other instead of deadlocking.
                if db.isPostgres { try await LedgerStore.lockAccounts(group.flatMap { $0 }, on: db) }
                let inMemory = db.isPostgres ? [] : group.indices.filter { GroupPosting.fits(group[$0]) }
                var results = try await savepoints(group, skipping: Set(inMemory), on: db)
                if !inMemory.isEmpty {
                    // After the savepoints, so the book reads the accounts as they left them.
                    for (index, result) in zip(inMemory, try await GroupPosting.write(inMemory.map { group[$0] }, on: db)) {
                        results[index] = result
                    }
                }
                return results.map { $0 ?? .success(()) }
            }
        } catch {
            var results: [Result<Void, any Error>] = []
            for postings in group { results.append(await alone(postings, on: db)) }
            return results
        }
    }

    /// Each member not skipped, in its own savepoint: a refused one rolls back only itself.
    /// Skipped members get nil, for the caller to fill.
    private static func savepoints(_ group: [[Posting]], skipping: Set<Int>, on db: any Database) async throws -> [Result<Void, any Error>?] {
        var results: [Result<Void, any Error>?] = []
        for (index, postings) in group.enumerated() {
            guard !skipping.contains(index) else { results.append(nil); continue }
            let savepoint = "posting_\(index)"
            try await db.sql.raw("SAVEPOINT \(unsafeRaw: savepoint)").run()
            do {
                try await LedgerStore.applyAll(postings, on: db)
                results.append(.success(()))
            } catch {
                // Undoes this member only (if even that fails, the caller writes each member again alone).
                try await db.sql.raw("ROLLBACK TO SAVEPOINT \(unsafeRaw: savepoint)").run()
                results.append(.failure(error))
            }
            try await db.sql.raw("RELEASE SAVEPOINT \(unsafeRaw: savepoint)").run()
        }
        return results
    }

    private static func alone(_ postings: [Posting], on db: any Database) async -> Result<Void, any Error> {
        do {
            try await db.writeTransaction { db in try await LedgerStore.applyAll(postings, on: db) }
            return .success(())
        } catch {
            return .failure(error)
        }
    }
}

extension Database {
    /// The group-commit queue of this database, when one was configured (`DatabaseSetup.use`).
    var postingGroups: PostingGroups? {
        context.configuration.middleware.lazy.compactMap { $0 as? PostingGroups }.first
    }
}
