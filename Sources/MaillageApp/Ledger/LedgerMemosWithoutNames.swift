import Fluent
import Foundation
import SQLKit

/// Transfers are never edited, with one stated exception: the memos of food orders once carried
/// the shopper's name ("Commande n° 12 · Chloé Bernard"), which "delete my account" could not
/// take back. Names are shown from the accounts' owners now; this takes them out of the memos
/// already written, once.
struct LedgerMemosWithoutNames: AsyncMigration {
    func prepare(on database: any Database) async throws {
        struct Row: Decodable { var id: UUID; var memo: String }
        let rows = try await database.sql.select().columns("id", "memo").from("ledger_transfers")
            .where("memo", .like, SQLBind("%Commande n° % · %")).all(decoding: Row.self)
        let named = try NSRegularExpression(pattern: #"(Commande n° [0-9]+) · .*$"#)
        for row in rows {
            let range = NSRange(row.memo.startIndex..., in: row.memo)
            let memo = named.stringByReplacingMatches(in: row.memo, range: range, withTemplate: "$1")
            guard memo != row.memo else { continue }
            try await database.sql.update("ledger_transfers").set("memo", to: SQLBind(memo)).where("id", .equal, SQLBind(row.id)).run()
        }
    }

    func revert(on database: any Database) async throws {}
}
