import Fluent
import SQLKit

/// `ledger_transfers.hold_for`: what a held amount is held for. A loan's deposit held before
/// this column existed gets its purpose from its idempotency key, which always named the loan.
struct LedgerHoldPurposes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("ledger_transfers").field("hold_for", .string).update()
        try await database.sql.raw("""
            UPDATE ledger_transfers SET hold_for = idempotency_key
            WHERE phase = 'pending' AND idempotency_key LIKE 'lending-deposit:%'
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ledger_transfers").deleteField("hold_for").update()
    }
}
