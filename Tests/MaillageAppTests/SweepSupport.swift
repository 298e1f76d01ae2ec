import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// What the authorisation sweeps share: the routes as the app registers them, one request of a
/// sweep, the people who send them, and a snapshot of every row to prove a refusal changed nothing.

extension Application {
    /// Each route as `swift run maillage routes` names it: "POST /c/:slug/lending/loans/:id/:action".
    var routeKeys: Set<String> {
        Set(routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
    }
}

/// One request of a sweep: the route it exercises and the values of the route's parameters. The
/// path is built from the route itself, so a request cannot miss its route through a typo (a
/// wrong path would answer 404 and pass for a refusal).
struct SweepAttempt: Sendable {
    let route: String
    let path: String
    var form: [(String, String)] = []
    var json: String?

    init(_ route: String, _ values: [String: String], query: String = "", form: [(String, String)] = [], json: String? = nil,
         sourceLocation: SourceLocation = #_sourceLocation) {
        self.route = route
        let template = route.split(separator: " ", maxSplits: 1).last.map(String.init) ?? ""
        path = "/" + template.split(separator: "/").map { component -> String in
            guard component.hasPrefix(":") else { return String(component) }
            guard let value = values[String(component.dropFirst())] else {
                Issue.record("\(route): no value for \(component)", sourceLocation: sourceLocation)
                return String(component)
            }
            return value
        }.joined(separator: "/") + (query.isEmpty ? "" : "?" + query)
        self.form = form
        self.json = json
    }

    var method: HTTPMethod { HTTPMethod(rawValue: String(route.split(separator: " ").first ?? "GET")) }
    var isAPI: Bool { path.hasPrefix("/api/") }
    var label: String { "\(method.rawValue) \(path)" }
}

/// A signed-in person, in a browser (session and CSRF token) and through the API (a bearer token).
struct SweepPerson: Sendable {
    let user: User
    let visitor: Visitor
    let api: APIClient

    static func signIn(_ handle: String, _ app: Application) async throws -> SweepPerson {
        let user = try #require(try await User.query(on: app.db).filter(\.$email == "\(handle)@\(DemoTerritory.domain)").first())
        let visitor = Visitor(app)
        try await visitor.logIn(user.email)
        try await visitor.get("/account")
        return SweepPerson(user: user, visitor: visitor, api: APIClient(app: app, token: try await Tokens.create(for: user, name: "sweep", on: app.db)))
    }

    var id: UUID { user.id! }

    func send(_ attempt: SweepAttempt) async throws -> TestingHTTPResponse {
        if attempt.isAPI {
            let body = attempt.json ?? ([.GET, .DELETE].contains(attempt.method) ? nil : "{}")
            return try await api.send(attempt.method, attempt.path, json: body)
        }
        return attempt.method == .GET ? try await visitor.get(attempt.path) : try await visitor.post(attempt.path, attempt.form)
    }
}

/// Every row of every table as text: what a refused request must leave exactly as it was.
struct DatabaseSnapshot: Sendable {
    var tables: [String: [String]]

    /// Written by any visit, whoever makes it: the visitor's session, login attempts, job runs.
    static let visitBookkeeping: Set<String> = ["_fluent_migrations", "sessions", "login_attempts", "sign_up_attempts", "job_runs"]
    /// Columns a request touches on the requester's own rows: a token records its last use.
    static let touchedByUse: Set<String> = ["access_tokens.last_used_at"]

    static func take(_ db: any Database) async throws -> DatabaseSnapshot {
        struct Column: Decodable { var table_name: String; var column_name: String }
        let columns: [Column]
        if db.isPostgres {
            columns = try await db.sql.raw("""
                SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()
                ORDER BY table_name, ordinal_position
                """).all(decoding: Column.self)
        } else {
            columns = try await db.sql.raw("""
                SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p
                WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid
                """).all(decoding: Column.self)
        }
        var tables: [String: [String]] = [:]
        let byTable = Dictionary(grouping: columns, by: \.table_name)
        for (table, columns) in byTable where !visitBookkeeping.contains(table) {
            let text = columns.filter { !touchedByUse.contains("\(table).\($0.column_name)") }.map { column in
                db.isPostgres ? #"COALESCE(CAST("\#(column.column_name)" AS TEXT), '∅')"# : #"COALESCE(quote("\#(column.column_name)"), '∅')"#
            }
            let rows = try await db.sql.raw(#"SELECT \#(unsafeRaw: text.joined(separator: " || '|' || ")) AS r FROM "\#(unsafeRaw: table)""#).all()
            tables[table] = try rows.map { try $0.decode(column: "r", as: String.self) }.sorted()
        }
        return DatabaseSnapshot(tables: tables)
    }

    /// The tables whose rows differ, with a few of the rows that went and came.
    func changes(since before: DatabaseSnapshot) -> [String] {
        Set(tables.keys).union(before.tables.keys).sorted().compactMap { table in
            let old = before.tables[table] ?? [], new = tables[table] ?? []
            guard old != new else { return nil }
            let went = Set(old).subtracting(new).sorted().prefix(3).map { String($0.prefix(300)) }
            let came = Set(new).subtracting(old).sorted().prefix(3).map { String($0.prefix(300)) }
            return "\(table): \(old.count) → \(new.count) rows; went \(went); came \(came)"
        }
    }
}

extension TestingHTTPResponse {
    /// Refused by the form check (a missing or stale CSRF token): such a refusal says nothing of
    /// who may do what, so a sweep that met one tried nothing.
    var refusedAsForgery: Bool {
        let message = CSRFMiddleware.refused.message
        return errorCode == CSRFMiddleware.refused.code || body.string.contains(message.fr) || body.string.contains(message.en)
    }

    /// What a failed expectation should show of an answer: the page's main text, or the JSON.
    var gist: String {
        let text = body.string
        guard let start = text.range(of: "<main") else { return String(text.prefix(300)) }
        let main = text[start.lowerBound...].replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
        return String(main.split(whereSeparator: \.isWhitespace).joined(separator: " ").prefix(300))
    }
}

/// The demo's cooperatives, by the activity each sweep tries.
enum DemoSlugs {
    static let food = "paniers-de-la-sevre"
    static let lending = "preterie-de-reze"
    static let exchange = "coup-de-main-orvault"
    static let barter = "troc-pro-loire-atlantique"
    static let carpool = "roulons-ensemble-estuaire"
}

/// A demo object's id read from the database, for the sweeps' fixtures.
struct IDRow: Decodable { var id: UUID }
