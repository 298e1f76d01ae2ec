import Fluent
import SQLKit

/// `ledger_transfers_open` kept on open pending transfers only. The first index,
/// on `(status, expires_at)` of every row, took an entry for each immediate transfer too (their
/// status is NULL), one more B-tree page written by every commit of the ledger, though the
/// expiry job only ever looks for `status = 'open'`. A partial index, the same on SQLite and
/// PostgreSQL; `LedgerStore.expireDue` names the status literally so both planners can use it.
struct LedgerOpenTransfersIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX ledger_transfers_open").run()
        try await database.sql.raw("CREATE INDEX ledger_transfers_open ON ledger_transfers (expires_at) WHERE status = 'open'").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX ledger_transfers_open").run()
        try await database.sql.create(index: "ledger_transfers_open").on("ledger_transfers").column("status").column("expires_at").run()
    }
}
