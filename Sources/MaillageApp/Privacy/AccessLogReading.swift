import Fluent
import MaillageCore
import SQLKit
import Vapor

/// What a person reads of the access log: who opened their data, where, when.
extension AccessLog {
    struct Entry: Decodable, Sendable {
        var actor: String
        var cooperative: String
        var what: String
        var at: Date
    }

    static func entries(about subject: UUID, on db: any Database, limit: Int = 100) async throws -> [Entry] {
        try await db.sql.select()
            .column(SQLColumn("display_name", table: User.schema), as: "actor")
            .column(SQLColumn("name", table: Cooperative.schema), as: "cooperative")
            .column(SQLColumn("what", table: table)).column(SQLColumn("at", table: table))
            .from(table)
            .join(User.schema, on: SQLColumn("id", table: User.schema), .equal, SQLColumn("actor_id", table: table))
            .join(Cooperative.schema, on: SQLColumn("id", table: Cooperative.schema), .equal, SQLColumn("cooperative_id", table: table))
            .where(SQLColumn("subject_id", table: table), .equal, SQLBind(subject))
            .orderBy(SQLOrderBy(expression: SQLColumn("at", table: table), direction: SQLDirection.descending)).limit(limit)
            .all(decoding: Entry.self)
    }
}

struct CreateAccessLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AccessLog.table)
            .field("id", .uuid, .identifier(auto: false))
            .field("actor_id", .uuid, .required, .references(User.schema, "id"))
            .field("subject_id", .uuid, .required, .references(User.schema, "id"))
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("what", .string, .required)
            .field("at", .datetime, .required)
            .create()
        try await database.sql.create(index: "access_log_subject").on(AccessLog.table).column("subject_id").column("at").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(AccessLog.table).delete()
    }
}
