import Foundation
import Fluent
import MaillageCore
import SQLKit

/// The retention job: applies every `.days` rule of the register, so what the register
/// promises is what the database keeps.
enum RetentionPurge {
    static func run(register: [TableRegister], on db: any Database, now: Date = Date()) async throws {
        for entry in register {
            guard case .days(let days, let column) = entry.retention else { continue }
            let limit = now.addingTimeInterval(-Double(days) * 86_400)
            try await db.sql.delete(from: entry.table).where(SQLColumn(column), .lessThan, SQLBind(limit)).run()
        }
    }
}
