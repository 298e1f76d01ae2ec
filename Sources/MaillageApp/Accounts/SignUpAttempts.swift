import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Sign-ups per address, for `SignUpThrottle`: one row per attempt, kept a day.
enum SignUpAttempts {
    static let table = "sign_up_attempts"

    static func check(address: String, rule: SignUpThrottle, on db: any Database) async throws {
        guard rule.limit > 0 else { return }
        let since = Date().addingTimeInterval(-Double(rule.windowSeconds))
        let row = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            .where("address", .equal, SQLBind(address)).where("created_at", .greaterThan, SQLBind(since)).first()
        try rule.check(recentSignUpsFromAddress: try row?.decode(column: "n", as: Int.self) ?? 0)
    }

    static func record(address: String, on db: any Database) async throws {
        try await db.sql.insert(into: table).columns("id", "address", "created_at")
            .values(SQLBind(UUID()), SQLBind(address), SQLBind(Date())).run()
    }

    static func purge(olderThan date: Date, on db: any Database) async throws {
        try await db.sql.delete(from: table).where("created_at", .lessThan, SQLBind(date)).run()
    }
}

struct CreateSignUpAttempts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SignUpAttempts.table)
            .field("id", .uuid, .identifier(auto: false))
            .field("address", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "sign_up_attempts_address").on(SignUpAttempts.table).column("address").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SignUpAttempts.table).delete()
    }
}
