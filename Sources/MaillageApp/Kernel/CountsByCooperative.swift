import Foundation
import Fluent
import SQLKit

/// How many rows of one table each cooperative has, in one grouped query: what a list of every
/// cooperative shows beside each name, without a query per cooperative.
enum CountsByCooperative {
    private struct Row: Decodable { var cooperative_id: UUID; var n: Int }

    /// `filter` narrows the rows counted (e.g. active memberships only); the table's owner module
    /// calls this from its facade, so the table name stays in the module that owns it.
    static func of(_ table: String, on db: any Database,
                   filter: (SQLSelectBuilder) -> SQLSelectBuilder = { $0 }) async throws -> [UUID: Int] {
        let select = db.sql.select().column("cooperative_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(table)
        let rows = try await filter(select).groupBy("cooperative_id").all(decoding: Row.self)
        return Dictionary(rows.map { ($0.cooperative_id, $0.n) }, uniquingKeysWith: +)
    }
}
