import Fluent
import Foundation
import MaillageCore
import SQLKit

/// What the observatory counts of lending.
enum LendingImpact {
    /// Loans given back, of one cooperative or of the whole territory (`coop` nil).
    static func returnedLoans(of coop: UUID?, on db: any Database) async throws -> [Loan] {
        var query = db.sql.select().columns(LoanRow.columns.map { SQLColumn($0) }).from("loans").where("status", .equal, SQLBind(LoanStatus.returned.rawValue))
        if let coop { query = query.where("cooperative_id", .equal, SQLBind(coop)) }
        return try await query.all(decoding: LoanRow.self).compactMap { try? $0.loan() }
    }
}
