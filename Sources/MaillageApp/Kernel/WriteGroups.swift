import Fluent
import Foundation
import NIOConcurrencyHelpers
import SQLKit

/// Group commit for short, independent write transactions (today: shoppers' checkouts). On
/// SQLite each commit waits for the disk (`synchronous = FULL`: a few milliseconds on this
/// machine), and there is one writer, so one transaction per request caps
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

    private let queue = GroupQueue<Member>(limit: WriteGroups.limit, write: { group, db in await WriteGroups.write(group, on: db) })

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

    /// One transaction for the group, a savepoint per member. Rows a member only adds
    /// (`insertWithGroup`) are kept aside and written at the end, one multi-row INSERT per table,
    /// dropped with the member if it fails. If the transaction itself fails (a key met twice in
    /// those inserts, the disk, a lost connection), each member is written again alone, so none
    /// carries another's failure; members are written so that running again after a rollback is safe.
    static func write(_ group: [Member], on db: any Database) async -> [Result<Void, any Error>] {
        guard group.count > 1 else { return [await alone(group[0], on: db)] }
        do {
            return try await db.writeTransaction { tx in
                var results: [Result<Void, any Error>] = []
                let rows = GroupRows()
                for (index, member) in group.enumerated() {
                    let savepoint = "member_\(index)"
                    try await tx.sql.raw("SAVEPOINT \(unsafeRaw: savepoint)").run()
                    do {
                        try await GroupRows.$current.withValue(rows.member(index)) { try await member(tx) }
                        results.append(.success(()))
                    } catch {
                        try await tx.sql.raw("ROLLBACK TO SAVEPOINT \(unsafeRaw: savepoint)").run()
                        rows.drop(index)
                        results.append(.failure(error))
                    }
                    try await tx.sql.raw("RELEASE SAVEPOINT \(unsafeRaw: savepoint)").run()
                }
                try await rows.write(on: tx)
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

/// Rows the members of a group add and nothing in the group reads back before the commit (an
/// order, its lines, its events), written together at the end of the group: one statement per
/// table instead of one per row. Tables keep the order they were first met in, so a row is
/// written after the rows it refers to.
final class GroupRows: Sendable {
    struct Member: Sendable {
        let rows: GroupRows
        let index: Int
    }

    private struct Row: Sendable {
        var member: Int
        var table: String
        var columns: [String]
        var values: [any SQLExpression]
    }

    @TaskLocal static var current: Member?

    private let rows = NIOLockedValueBox<[Row]>([])

    func member(_ index: Int) -> Member { Member(rows: self, index: index) }

    fileprivate func add(_ table: String, columns: [String], values: [any SQLExpression], member: Int) {
        rows.withLockedValue { $0.append(Row(member: member, table: table, columns: columns, values: values)) }
    }

    /// A member rolled back: its rows go with it.
    func drop(_ member: Int) { rows.withLockedValue { $0.removeAll { $0.member == member } } }

    func write(on db: any Database) async throws {
        let all = rows.withLockedValue { $0 }
        var tables: [String] = []
        for row in all where !tables.contains(row.table) { tables.append(row.table) }
        for table in tables {
            let own = all.filter { $0.table == table }
            // Rows of one table share their columns (each kind of row is added by one piece of code).
            for chunk in stride(from: 0, to: own.count, by: 200).map({ own[$0..<min($0 + 200, own.count)] }) {
                let insert = db.sql.insert(into: table).columns(chunk.first!.columns)
                for row in chunk { insert.values(row.values) }
                try await insert.run()
            }
        }
    }
}

extension Database {
    /// Adds a row now, or — inside a group (`groupedWrite`) — with the group's other rows of that
    /// table at the end of the group, in the same transaction. Only for rows nothing reads back
    /// before the commit.
    func insertWithGroup(into table: String, _ values: [(String, any SQLExpression)]) async throws {
        if let member = GroupRows.current {
            member.rows.add(table, columns: values.map(\.0), values: values.map(\.1), member: member.index)
        } else {
            try await sql.insert(into: table).columns(values.map(\.0)).values(values.map(\.1)).run()
        }
    }

    func insertWithGroup(into table: String, model: some Encodable) async throws {
        try await insertWithGroup(into: table, try SQLQueryEncoder(nilEncodingStrategy: .asNil).encode(model))
    }
}
