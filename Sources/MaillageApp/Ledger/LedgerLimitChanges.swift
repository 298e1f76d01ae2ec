import Fluent
import SQLKit

/// `ledger_limit_changes`: every floor or ceiling the board sets, before and after, by whom.
struct LedgerLimitChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("ledger_limit_changes")
            .field("id", .uuid, .identifier(auto: false))
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("account_id", .uuid, .required, .references("ledger_accounts", "id"))
            .field("floor_before", .int64)
            .field("floor_after", .int64)
            .field("ceiling_before", .int64)
            .field("ceiling_after", .int64)
            .field("changed_by", .uuid, .references(User.schema, "id"))
            .field("changed_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "ledger_limit_changes_account").on("ledger_limit_changes").column("account_id").column("changed_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ledger_limit_changes").delete()
    }
}
