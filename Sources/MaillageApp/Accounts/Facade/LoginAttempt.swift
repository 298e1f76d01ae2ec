import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// Failed logins, counted per account and per address to slow down password guessing.
enum LoginAttempts {
    static let table = "login_attempts"

    static func check(email: String, address: String, rule: LoginThrottle, on db: any Database) async throws {
        let since = Date().addingTimeInterval(-Double(rule.windowSeconds))
        let forAccount = try await count(where: "email", equals: email, since: since, on: db)
        let fromAddress = try await count(where: "address", equals: address, since: since, on: db)
        try rule.check(recentFailuresForAccount: forAccount, recentFailuresFromAddress: fromAddress)
    }

    static func recordFailure(email: String, address: String, on db: any Database) async throws {
        try await db.sql.insert(into: table)
            .columns("id", "email", "address", "created_at")
            .values(SQLBind(UUID()), SQLBind(email), SQLBind(address), SQLBind(Date()))
            .run()
    }

    /// A success wipes the account's failures, so a person who mistyped is not locked out later.
    static func clear(email: String, on db: any Database) async throws {
        try await db.sql.delete(from: table).where("email", .equal, SQLBind(email)).run()
    }

    static func purge(olderThan date: Date, on db: any Database) async throws {
        try await db.sql.delete(from: table).where("created_at", .lessThan, SQLBind(date)).run()
    }

    private static func count(where column: String, equals value: String, since: Date, on db: any Database) async throws -> Int {
        let row = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            .where(SQLIdentifier(column), .equal, SQLBind(value))
            .where("created_at", .greaterThan, SQLBind(since))
            .first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}

struct CreateLoginAttempts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LoginAttempts.table)
            .field("id", .uuid, .identifier(auto: false))
            .field("email", .string, .required)
            .field("address", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "login_attempts_email").on(LoginAttempts.table).column("email").column("created_at").run()
        try await database.sql.create(index: "login_attempts_address").on(LoginAttempts.table).column("address").column("created_at").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(LoginAttempts.table).delete()
    }
}
