import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Group commit for short, independent write transactions (a shopper's checkout, a loan
/// request…). On SQLite each commit waits for the disk (`synchronous = FULL`: a few
/// milliseconds on this machine), and there is one writer, so one transaction per request caps
/// the whole site at the disk's sync rate. Writes that arrive while a transaction is being
/// written wait here and are then written together, in one transaction, each inside its own
/// SAVEPOINT: a member that throws (sold out, cycle closed…) rolls back only itself and gets its
/// own error; the others commit, durably, with the one sync. Nothing waits on a timer: a lone
/// write goes at once; groups only form while the database is busy, which is when they help.
///
/// Carried by the database configuration as a pass-through model middleware, like the ledger's
/// `PostingGroups`, so `app.db`, `req.db` and a job's handle find the same queue. Configured on
/// SQLite only: PostgreSQL commits on several connections side by side, so there
/// `groupedWrite` is a plain `writeTransaction`.
final class WriteGroups: AnyModelMiddleware {
    /// Most members in one transaction: enough to amortise the sync, few enough that one
    /// group's latency stays short.
    static let limit = 48

    private let queue = Queue()

    func handle(_ event: ModelEvent, _ model: any AnyModel, on db: any Database,
                chainingTo next: any AnyModelResponder) -> EventLoopFuture<Void> {
        next.handle(event, model, on: db)
    }

    /// Groups written so far and the members they held, to see how much grouping happened.
    func written() async -> (groups: Int, members: Int) { await queue.written }

    typealias Member = @Sendable (any Database) async throws -> Void

    fileprivate func submit(_ member: @escaping Member, on db: any Database) async throws {
        try await queue.submit(member, on: db).get()
    }

    private actor Queue {
        struct Waiting {
            var member: Member
            var done: CheckedContinuation<Result<Void, any Error>, Never>
        }

        private var waiting: [Waiting] = []
        private var writing = false
        private(set) var written = (groups: 0, members: 0)

        func submit(_ member: @escaping Member, on db: any Database) async -> Result<Void, any Error> {
            await withCheckedContinuation { done in
                waiting.append(Waiting(member: member, done: done))
                guard !writing else { return }
                writing = true
                Task { await self.drain(on: db) }
            }
        }

        /// Writes groups until no one waits; what arrives during a write forms the next group.
        private func drain(on db: any Database) async {
            while !waiting.isEmpty {
                let group = Array(waiting.prefix(WriteGroups.limit))
                waiting.removeFirst(group.count)
                written.groups += 1
                written.members += group.count
                let results = await WriteGroups.write(group.map(\.member), on: db)
                for (member, result) in zip(group, results) { member.done.resume(returning: result) }
            }
            writing = false
        }
    }

    /// One transaction for the group, a savepoint per member. If the transaction itself fails
    /// (the disk, a lost connection), each member is written again alone, so none carries
    /// another's failure; members are written so that running again after a rollback is safe.
    static func write(_ group: [Member], on db: any Database) async -> [Result<Void, any Error>] {
        guard group.count > 1 else { return [await alone(group[0], on: db)] }
        do {
            return try await db.writeTransaction { tx in
                var results: [Result<Void, any Error>] = []
                for (index, member) in group.enumerated() {
                    let savepoint = "member_\(index)"
                    try await tx.sql.raw("SAVEPOINT \(unsafeRaw: savepoint)").run()
                    do {
                        try await member(tx)
                        results.append(.success(()))
                    } catch {
                        try await tx.sql.raw("ROLLBACK TO SAVEPOINT \(unsafeRaw: savepoint)").run()
                        results.append(.failure(error))
                    }
                    try await tx.sql.raw("RELEASE SAVEPOINT \(unsafeRaw: savepoint)").run()
                }
                return results
            }
        } catch {
            var results: [Result<Void, any Error>] = []
            for member in group { results.append(await alone(member, on: db)) }
            return results
        }
    }

    private static func alone(_ member: @escaping Member, on db: any Database) async -> Result<Void, any Error> {
        do {
            try await db.writeTransaction { tx in try await member(tx) }
            return .success(())
        } catch {
            return .failure(error)
        }
    }
}

extension Database {
    /// The group-commit queue of this database, when one was configured (`DatabaseSetup.use`).
    var writeGroups: WriteGroups? {
        context.configuration.middleware.lazy.compactMap { $0 as? WriteGroups }.first
    }

    /// A write transaction that may share its commit with others arriving at the same moment
    /// (SQLite). Same guarantees as `writeTransaction` for what `body` writes: all or nothing,
    /// and a throw undoes only this body. `body` must not start a transaction of its own.
    func groupedWrite<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let groups = writeGroups else { return try await writeTransaction(body) }
        let outcome = NIOLockedValueBox<T?>(nil)
        try await groups.submit({ tx in
            let value = try await body(tx)
            outcome.withLockedValue { $0 = value }
        }, on: self)
        guard let value = outcome.withLockedValue({ $0 }) else { throw WriteGroupsError.noResult }
        return value
    }
}

enum WriteGroupsError: Error { case noResult }
