import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The reads every part of the ledger shares, written once.
enum LedgerQueries {
    /// `SELECT <every transfer column> FROM ledger_transfers`, to refine with `where`.
    static func transfers(on db: any Database) -> SQLSelectBuilder {
        db.sql.select().columns(LedgerTransferRow.columns.map { SQLColumn($0) }).from("ledger_transfers")
    }

    static func transfer(_ id: UUID, on db: any Database) async throws -> LedgerTransferRow? {
        try await transfers(on: db).where("id", .equal, SQLBind(id)).first(decoding: LedgerTransferRow.self)
    }

    /// What an account received minus what it paid over `range` (posted movements only),
    /// optionally leaving year-end allocations out. `SUM` is cast so PostgreSQL returns an integer.
    static func net(of account: UUID, over range: Range<Date>, withoutAllocations: Bool = false,
                    on db: any Database) async throws -> Int64 {
        struct Sums: Decodable { var credits: Int64?; var debits: Int64? }
        var sql: SQLQueryString = """
            SELECT CAST(SUM(CASE WHEN credit_id = \(bind: account) THEN amount ELSE 0 END) AS BIGINT) AS credits,
                   CAST(SUM(CASE WHEN debit_id = \(bind: account) THEN amount ELSE 0 END) AS BIGINT) AS debits
            FROM ledger_transfers WHERE (credit_id = \(bind: account) OR debit_id = \(bind: account))
            AND phase IN ('immediate', 'posting') AND time >= \(bind: range.lowerBound) AND time < \(bind: range.upperBound)
            """
        if withoutAllocations { sql = sql + " AND category <> 'allocation'" }
        let sums = try await db.sql.raw(sql).first(decoding: Sums.self)
        return (sums?.credits ?? 0) - (sums?.debits ?? 0)
    }
}
