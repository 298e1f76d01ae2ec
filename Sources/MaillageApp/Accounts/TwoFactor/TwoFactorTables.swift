import Fluent
import SQLKit

/// The second factor's tables: the shared secret, the recovery codes (hashed), the trusted browsers (hashed).
enum TwoFactorTables {
    static let secrets = "two_factor_secrets"
    static let recoveryCodes = "two_factor_recovery_codes"
    static let trustedDevices = "two_factor_trusted_devices"
}

struct CreateTwoFactor: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One row per person: unconfirmed while they scan it, confirmed once a first code matched.
        try await database.schema(TwoFactorTables.secrets)
            .field("user_id", .uuid, .identifier(auto: false), .references(User.schema, "id"))
            .field("secret", .string, .required)
            .field("confirmed_at", .datetime)
            // The time step of the last code accepted: a code opens once, and none older after it.
            .field("last_step", .int64)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(TwoFactorTables.recoveryCodes)
            .field("id", .uuid, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "user_id", "code_hash", name: "two_factor_recovery_codes_unique")
            .create()
        try await database.schema(TwoFactorTables.trustedDevices)
            .field("id", .uuid, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("token_hash", .string, .required)
            .field("label", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .unique(on: "token_hash", name: "two_factor_trusted_devices_token_unique")
            .create()
        try await database.sql.create(index: "two_factor_trusted_devices_user").on(TwoFactorTables.trustedDevices).column("user_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TwoFactorTables.trustedDevices).delete()
        try await database.schema(TwoFactorTables.recoveryCodes).delete()
        try await database.schema(TwoFactorTables.secrets).delete()
    }
}
