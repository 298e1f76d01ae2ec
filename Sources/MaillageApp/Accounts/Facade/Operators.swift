import Fluent
import MaillageCore
import SQLKit
import Vapor

/// The instance's operators: the people who run the server for the territory's cooperatives.
/// Granted and revoked only from the command line (`maillage operators add EMAIL`), so no page
/// can make someone an operator; they read the mailbox and the outbox's failures, approve new
/// cooperatives, and are named on the about page.
enum Operators {
    static let table = "instance_operators"

    struct Listed: Decodable, Sendable {
        var user_id: UUID, email: String, display_name: String, granted_at: Date
    }

    static func isOperator(_ userID: UUID, on db: any Database) async throws -> Bool {
        struct Row: Decodable { var user_id: UUID }
        return try await db.sql.select().column("user_id").from(table).where("user_id", .equal, SQLBind(userID))
            .first(decoding: Row.self) != nil
    }

    static func list(on db: any Database) async throws -> [Listed] {
        try await db.sql.raw("""
            SELECT o.user_id, u.email, u.display_name, o.granted_at
            FROM \(ident: table) o JOIN \(ident: User.schema) u ON u.id = o.user_id ORDER BY u.display_name
            """).all(decoding: Listed.self)
    }

    enum Change: Equatable { case done, already, noSuchAccount }

    static func grant(email: String, on db: any Database, now: Date = Date()) async throws -> Change {
        guard let user = try await User.query(on: db).filter(\.$email == email.lowercased()).first() else { return .noSuchAccount }
        return try await grant(try user.requireID(), on: db, now: now)
    }

    static func grant(_ userID: UUID, on db: any Database, now: Date = Date()) async throws -> Change {
        if try await isOperator(userID, on: db) { return .already }
        do {
            try await db.sql.insert(into: table).columns("user_id", "granted_at").values(SQLBind(userID), SQLBind(now)).run()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return .already
        }
        return .done
    }

    static func revoke(email: String, on db: any Database) async throws -> Change {
        guard let user = try await User.query(on: db).filter(\.$email == email.lowercased()).first() else { return .noSuchAccount }
        let userID = try user.requireID()
        guard try await isOperator(userID, on: db) else { return .already }
        try await db.sql.delete(from: table).where("user_id", .equal, SQLBind(userID)).run()
        return .done
    }
}

struct CreateInstanceOperators: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Operators.table)
            .field("user_id", .uuid, .identifier(auto: false), .references(User.schema, "id", onDelete: .cascade))
            .field("granted_at", .datetime, .required)
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(Operators.table).delete()
    }
}

/// Pages for operators only (after `RequireLoginMiddleware`); anyone else gets "not found", as
/// for a page that does not exist.
struct RequireOperatorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let user = request.user, try await Operators.isOperator(try user.requireID(), on: request.db) else { throw Problem.notFound }
        return try await next.respond(to: request)
    }
}
