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

    private let queue: GroupQueue<Member>

    init(lane: WriterLane? = nil) {
        queue = GroupQueue(limit: Self.limit, lane: lane, write: { group, db in await WriteGroups.write(group, on: db) })
    }

    var lane: WriterLane? { queue.lane }

    func handle(_ event: ModelEvent, _ model: any AnyModel, on db: any Database,
                chainingTo next: any AnyModelResponder) -> EventLoopFuture<Void> {
        next.handle(event, model, on: db)
    }

    /// Groups written so far and the members they held, to see how much grouping happened.
    func written() async -> (groups: Int, members: Int) { await queue.written }

    struct Member: Sendable {
        var body: @Sendable (any Database) async throws -> Void
        /// The body changes the database in one statement at most, as its last step, so a throw
        /// leaves nothing to undo and the member needs no savepoint (two statements fewer on the writer).
        var writesOnce: Bool
    }

    fileprivate func submit(_ member: Member, on db: any Database) async throws {
        try await queue.submit(member, on: db).get()
    }

    /// One transaction for the group, a savepoint per member that writes more than once. Rows a
    /// member only adds (`insertWithGroup`) and the numbers it takes (`nextNumber`) are kept aside
    /// and written at the end, one statement per counter and per table, dropped with the member
    /// if it fails. Every statement is a round trip to SQLite's thread and back to the writer, and
    /// the writer is the one thing checkouts queue for, so each one saved here is saved per order.
    /// If the transaction itself fails (a key met twice in those inserts, the disk, a lost
    /// connection), each member is written again alone, so none carries another's failure;
    /// members are written so that running again after a rollback is safe.
    static func write(_ group: [Member], on db: any Database) async -> [Result<Void, any Error>] {
        guard group.count > 1 else { return [await alone(group[0], on: db)] }
        do {
            return try await db.writeTransaction { tx in
                var results: [Result<Void, any Error>] = []
                let rows = GroupRows()
                for (index, member) in group.enumerated() {
                    let savepoint = "member_\(index)"
                    if !member.writesOnce { try await tx.sql.raw("SAVEPOINT \(unsafeRaw: savepoint)").run() }
                    do {
                        try await GroupRows.$current.withValue(rows.member(index)) { try await member.body(tx) }
                        results.append(.success(()))
                    } catch {
                        // A one-statement member that failed changed nothing (SQLite undoes a failed statement).
                        if !member.writesOnce { try await tx.sql.raw("ROLLBACK TO SAVEPOINT \(unsafeRaw: savepoint)").run() }
                        rows.drop(index)
                        results.append(.failure(error))
                    }
                    if !member.writesOnce { try await tx.sql.raw("RELEASE SAVEPOINT \(unsafeRaw: savepoint)").run() }
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

    private static func alone(_ member: Member, on db: any Database) async -> Result<Void, any Error> {
        do {
            try await db.writeTransaction { tx in try await member.body(tx) }
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
    /// `writesOnce`: `body` runs one changing statement at most (not counting `insertWithGroup`
    /// and `nextNumber`, which are dropped with it anyway), as its last step, so a throw always
    /// leaves nothing to undo and it needs no savepoint.
    func groupedWrite<T: Sendable>(writesOnce: Bool = false, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard let groups = writeGroups else { return try await writeTransaction(body) }
        let outcome = NIOLockedValueBox<T?>(nil)
        try await groups.submit(WriteGroups.Member(body: { tx in
            let value = try await body(tx)
            outcome.withLockedValue { $0 = value }
        }, writesOnce: writesOnce), on: self)
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

    private struct Claim: Sendable {
        var member: Int
        var counter: GroupNumber.Counter
        var number: GroupNumber
    }

    private let rows = NIOLockedValueBox<[Row]>([])
    private let claims = NIOLockedValueBox<[Claim]>([])

    func member(_ index: Int) -> Member { Member(rows: self, index: index) }

    fileprivate func add(_ table: String, columns: [String], values: [any SQLExpression], member: Int) {
        rows.withLockedValue { $0.append(Row(member: member, table: table, columns: columns, values: values)) }
    }

    fileprivate func claim(_ counter: GroupNumber.Counter, member: Int) -> GroupNumber {
        let number = GroupNumber()
        claims.withLockedValue { $0.append(Claim(member: member, counter: counter, number: number)) }
        return number
    }

    /// A member rolled back: its rows and numbers go with it.
    func drop(_ member: Int) {
        rows.withLockedValue { $0.removeAll { $0.member == member } }
        claims.withLockedValue { $0.removeAll { $0.member == member } }
    }

    func write(on db: any Database) async throws {
        // Numbers first, one statement per counter, in the order the members asked: the rows
        // below may carry them.
        let claimed = claims.withLockedValue { $0 }
        var counters: [GroupNumber.Counter] = []
        for claim in claimed where !counters.contains(claim.counter) { counters.append(claim.counter) }
        for counter in counters {
            let mine = claimed.filter { $0.counter == counter }
            let last = try await counter.advance(by: Int64(mine.count), on: db)
            for (offset, claim) in mine.enumerated() { claim.number.resolve(last - Int64(mine.count - 1 - offset)) }
        }
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

/// The next value of a counter kept in a row (a cycle's order numbers: `food_cycles.last_number`).
/// Inside a group the members' numbers are taken together at the end, in one statement, and
/// known once the group is written; elsewhere at once. Numbers a rolled-back member took are
/// never taken, so the sequence has no gaps.
final class GroupNumber: SQLExpression, Sendable {
    struct Counter: Equatable, Sendable {
        var table: String
        var column: String
        var id: UUID

        /// Adds `count` and answers the new last value.
        func advance(by count: Int64, on db: any Database) async throws -> Int64 {
            struct Last: Decodable { var last: Int64 }
            guard let row = try await db.sql.raw("""
                UPDATE \(ident: table) SET \(ident: column) = \(ident: column) + \(bind: count) WHERE id = \(bind: id)
                RETURNING \(ident: column) AS "last"
                """).first(decoding: Last.self) else { throw GroupNumberError.noCounterRow(table: table, id: id) }
            return row.last
        }
    }

    private let box = NIOLockedValueBox<Int64?>(nil)

    fileprivate func resolve(_ value: Int64) { box.withLockedValue { $0 = value } }

    /// Known once the statement that takes it has run: at once outside a group, when the group
    /// is written inside one (so after `groupedWrite` returns).
    var value: Int64 {
        get throws {
            guard let value = box.withLockedValue({ $0 }) else { throw GroupNumberError.notYetTaken }
            return value
        }
    }

    /// As a value in a row added with `insertWithGroup`: the group writes its rows after taking its numbers.
    func serialize(to serializer: inout SQLSerializer) {
        guard let value = box.withLockedValue({ $0 }) else { preconditionFailure("a group's rows are written after its numbers are taken") }
        SQLBind(value).serialize(to: &serializer)
    }
}

enum GroupNumberError: Error {
    case notYetTaken
    case noCounterRow(table: String, id: UUID)
}

extension Database {
    /// Takes the next value of `counter` for this write (see `GroupNumber`).
    func nextNumber(_ counter: GroupNumber.Counter) async throws -> GroupNumber {
        if let member = GroupRows.current { return member.rows.claim(counter, member: member.index) }
        return try await nextNumberNow(counter)
    }

    /// Takes the next value of `counter` at once, even inside a group, for a write that needs
    /// it before the group ends (it then needs a savepoint: it writes more than once).
    func nextNumberNow(_ counter: GroupNumber.Counter) async throws -> GroupNumber {
        let number = GroupNumber()
        number.resolve(try await counter.advance(by: 1, on: self))
        return number
    }
}
