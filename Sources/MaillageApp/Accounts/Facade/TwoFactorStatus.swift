import Fluent
import Foundation
import SQLKit

/// Who has a second factor, for a board that asks it of its board and staff (never the secret).
enum TwoFactorStatus {
    static func enrolled(among people: [UUID], on db: any Database) async throws -> Set<UUID> {
        guard !people.isEmpty else { return [] }
        struct Row: Decodable { var user_id: UUID }
        let rows = try await db.sql.select().column("user_id").from(TwoFactorTables.secrets)
            .where("user_id", .in, SQLBind.group(people)).where("confirmed_at", .isNot, SQLLiteral.null)
            .all(decoding: Row.self)
        return Set(rows.map(\.user_id))
    }
}
