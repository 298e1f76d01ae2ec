import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Reads the whole persisted ledger back and runs the core's audit on it: per unit, posted
/// balances sum to zero and pending debits equal pending credits; every account is within its
/// limits and its stored balance equals what its transfers give (contract step 10).
enum LedgerAudit {
    static func run(on db: any Database) async throws -> [Ledger.Finding] {
        let accounts = try await db.sql.select().column("*").from("ledger_accounts").all(decoding: LedgerAccountRow.self)
        let rows = try await LedgerQueries.transfers(on: db).all(decoding: LedgerTransferRow.self)
        let open = Set(rows.filter { $0.status == "open" }.map(\.id))
        return Ledger.audit(accounts: accounts.map(\.account), journal: rows.map(\.transfer)) { open.contains($0.uuid) }
    }
}
