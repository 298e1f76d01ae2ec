import Fluent
import Foundation
import SQLKit

/// Forms applied once. Every form a page draws carries a fresh key (`FormSubmissions.field`);
/// the first post of a key claims it — a row whose primary key is the key, so of two posts at the
/// same moment (a double click) the database lets one through — and a later post of the same key
/// (the refresh of a page a form answered, the back button and send again) is not applied twice.
enum FormSubmissions {
    static let table = "form_submissions"
    static let field = "_once"
    /// How long a key is remembered: longer than anyone keeps a page open before sending it again.
    static let keep: TimeInterval = 2 * 86_400

    enum Claim: Equatable {
        /// This post is the first: apply it.
        case first
        /// Applied already; `location` is where the first post led (nil when it answered a page).
        case done(location: String?)
        /// The first post of this key is being applied now.
        case running
    }

    /// A key as forms carry them: 24 random bytes, 32 characters of URL-safe base64.
    static func newKey() -> String {
        Data([UInt8].random(count: 24)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    static func isWellFormed(_ key: String) -> Bool {
        key.count == 32 && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    static func claim(_ key: String, owner: String, now: Date = Date(), on db: any Database) async throws -> Claim {
        struct Row: Decodable { var status: String; var location: String? }
        let inserted = try await db.sql.raw("""
            INSERT INTO \(ident: table) (form_key, owner, status, created_at) VALUES (\(bind: key), \(bind: owner), 'running', \(bind: now))
            ON CONFLICT (form_key) DO NOTHING RETURNING form_key
            """).all()
        if !inserted.isEmpty { return .first }
        guard let row = try await db.sql.select().columns("status", "location").from(table)
            .where("form_key", .equal, SQLBind(key)).where("owner", .equal, SQLBind(owner)).first(decoding: Row.self) else {
            // Another session's key (it was copied): not this person's form, so not theirs to replay.
            return .done(location: nil)
        }
        return row.status == "done" ? .done(location: row.location) : .running
    }

    /// The first post was applied: later posts of the key go where it led.
    static func finish(_ key: String, location: String?, on db: any Database) async throws {
        try await db.sql.update(table).set("status", to: SQLBind("done")).set("location", to: SQLBind(location))
            .where("form_key", .equal, SQLBind(key)).run()
    }

    /// The first post was refused (a field to fix): the key is free again, so the corrected form
    /// can be sent — nothing was applied.
    static func release(_ key: String, on db: any Database) async throws {
        try await db.sql.delete(from: table).where("form_key", .equal, SQLBind(key)).where("status", .equal, SQLBind("running")).run()
    }

    static func purge(olderThan keep: TimeInterval = FormSubmissions.keep, now: Date = Date(), on db: any Database) async throws {
        try await db.sql.delete(from: table).where("created_at", .lessThan, SQLBind(now.addingTimeInterval(-keep))).run()
    }
}

struct CreateFormSubmissions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FormSubmissions.table)
            .field("form_key", .string, .identifier(auto: false))
            .field("owner", .string, .required)
            .field("status", .string, .required)
            .field("location", .string)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "form_submissions_created").on(FormSubmissions.table).column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FormSubmissions.table).delete()
    }
}
