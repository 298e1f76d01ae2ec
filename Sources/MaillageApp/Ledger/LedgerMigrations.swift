import Fluent
import SQLKit

/// The persisted ledger (see `LedgerStorageContract` in MaillageCore for the rules its SQL keeps).
/// The CHECK constraints are a backstop: the conditional updates of `LedgerStore` already refuse
/// what would break them, with a clear error.
struct CreateLedger: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("ledger_accounts")
            .id()
            // One account per role: "coop:<id>:operating", "member:<coop>:<user>:BARTER"… so opening
            // an account twice at the same instant makes one row.
            .field("key", .string, .required)
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("owner_kind", .string, .required)
            .field("user_id", .uuid, .references(User.schema, "id"))
            .field("purpose", .string, .required)
            .field("unit", .string, .required)
            .field("floor", .int64)
            .field("ceiling", .int64)
            .field("posted", .int64, .required)
            .field("debits_pending", .int64, .required)
            .field("credits_pending", .int64, .required)
            .field("created_at", .datetime, .required)
            .field("closed_at", .datetime)
            .unique(on: "key", name: "ledger_accounts_key")
            .constraint(.custom(SQLRaw("CONSTRAINT ledger_accounts_floor CHECK (floor IS NULL OR (floor <= 0 AND posted - debits_pending >= floor))")))
            .constraint(.custom(SQLRaw("CONSTRAINT ledger_accounts_ceiling CHECK (ceiling IS NULL OR (ceiling >= 0 AND posted + credits_pending <= ceiling))")))
            .constraint(.custom(SQLRaw("CONSTRAINT ledger_accounts_pending CHECK (debits_pending >= 0 AND credits_pending >= 0)")))
            .create()
        try await database.sql.create(index: "ledger_accounts_owner").on("ledger_accounts").column("cooperative_id").column("user_id").run()
        try await database.schema("ledger_transfers")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("debit_id", .uuid, .required, .references("ledger_accounts", "id"))
            .field("credit_id", .uuid, .required, .references("ledger_accounts", "id"))
            .field("unit", .string, .required)
            .field("amount", .int64, .required)
            .field("memo", .string, .required)
            // What the movement is, for the transparency page: fee, commission, cost, trade…
            .field("category", .string, .required)
            // The activity a fee was earned on, or the kind of a cost.
            .field("tag", .string)
            .field("idempotency_key", .string)
            .field("time", .datetime, .required)
            .field("phase", .string, .required)
            .field("pending_id", .uuid)
            .field("expires_at", .datetime)
            .field("reverses", .uuid)
            // On pending rows only: open, posted, voided, expired.
            .field("status", .string)
            .field("settled_by", .uuid)
            .field("created_by", .uuid, .references(User.schema, "id"))
            .unique(on: "idempotency_key", name: "ledger_transfers_key")
            .unique(on: "reverses", name: "ledger_transfers_reversed_once")
            .constraint(.custom(SQLRaw("CONSTRAINT ledger_transfers_amount CHECK (amount > 0)")))
            .constraint(.custom(SQLRaw("CONSTRAINT ledger_transfers_accounts CHECK (debit_id <> credit_id)")))
            .constraint(.custom(SQLRaw("CONSTRAINT ledger_transfers_expiry CHECK (expires_at IS NULL OR expires_at > time)")))
            .create()
        try await database.sql.create(index: "ledger_transfers_debit").on("ledger_transfers").column("debit_id").column("time").run()
        try await database.sql.create(index: "ledger_transfers_credit").on("ledger_transfers").column("credit_id").column("time").run()
        try await database.sql.create(index: "ledger_transfers_books").on("ledger_transfers").column("cooperative_id").column("time").run()
        try await database.sql.create(index: "ledger_transfers_open").on("ledger_transfers").column("status").column("expires_at").run()

        // What each cooperative sets: its fee per activity, its share value being in `cooperatives`.
        try await database.schema("fee_rules")
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("activity", .string, .required)
            .field("basis_points", .int64, .required)
            .field("fixed_cents", .int64, .required)
            .field("updated_at", .datetime, .required)
            .field("updated_by", .uuid, .references(User.schema, "id"))
            .unique(on: "cooperative_id", "activity", name: "fee_rules_one_per_activity")
            .create()
        // Mutual credit settings of a barter network or a time bank.
        try await database.schema("credit_settings")
            .field("cooperative_id", .uuid, .identifier(auto: false), .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("default_line", .int64, .required)
            .field("yearly_fee", .int64, .required)
            .field("time_floor", .int64)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in ["credit_settings", "fee_rules", "ledger_transfers", "ledger_accounts"] {
            try await database.schema(schema).delete()
        }
    }
}
