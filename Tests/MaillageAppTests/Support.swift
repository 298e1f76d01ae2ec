import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

extension VoteFloors {
    /// For tests of ballots, tallies and closing, which open short votes: the floors have their own tests.
    static let notUnderTest = VoteFloors.history
}

/// Whether the HTTP tests run on PostgreSQL (`DATABASE_URL=postgres://…`) rather than in-memory SQLite.
let testsRunOnPostgres: Bool = { if case .postgres = AppConfig.testing().storage { true } else { false } }()

/// Runs a test against a freshly migrated app: in-memory SQLite, or the PostgreSQL of `DATABASE_URL`.
func withMaillage(demo: Bool = false, adjust: (inout AppConfig) -> Void = { _ in },
                  _ test: (Application) async throws -> Void) async throws {
    var config = AppConfig.testing()
    adjust(&config)
    // On PostgreSQL each test gets a schema of its own, so tests run in parallel as on SQLite.
    let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    if case .postgres = config.storage { config.postgresSchema = schema }
    try await withApp(configure: { app in
        try await configure(app, config: config)
        if app.db.isPostgres {
            try await app.db.sql.raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
        }
        try await app.autoMigrate()
        if demo { _ = try await DemoTerritory.loadIfEmpty(app) }
    }, { app in
        func dropSchema() async {
            if app.db.isPostgres { try? await app.db.sql.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run() }
        }
        do { try await test(app) } catch { await dropSchema(); throw error }
        await dropSchema()
    })
}

/// An app on a fresh SQLite file, as Maillage runs by default: write-ahead log, the group
/// writers' own lane (`WriterLane`). Removed afterwards.
func withMaillageFile(_ test: (Application) async throws -> Void) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("maillage-file-\(UUID().uuidString).sqlite").path
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
    var config = AppConfig.testing()
    config.storage = .sqliteFile(path)
    try await withApp(configure: { app in
        try await configure(app, config: config)
        try await DatabaseSetup.migrate(app)
    }, test)
}

/// A person using the site: keeps the session cookie and the last CSRF token, like a browser.
final class Visitor: @unchecked Sendable {
    let app: Application
    var cookie: String?
    var csrf: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = headers
        if let cookie { headers.replaceOrAdd(name: .cookie, value: "maillage_session=\(cookie)") }
        let response = try await app.testing().sendRequest(.GET, path, headers: headers)
        remember(response)
        return response
    }

    @discardableResult
    func post(_ path: String, _ form: [(String, String)], withToken: Bool = true, headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        if withToken && csrf == nil { try await get("/login") }
        var fields = form
        if withToken, let csrf { fields.append(("_csrf", csrf)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var headers: HTTPHeaders = extra
        headers.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
        if let cookie { headers.replaceOrAdd(name: .cookie, value: "maillage_session=\(cookie)") }
        let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    func logIn(_ email: String, password: String = DemoTerritory.password) async throws {
        try await get("/login")
        let response = try await post("/login", [("email", email), ("password", password)])
        #expect(response.status == .seeOther, "login of \(email) should redirect")
    }

    /// Signs up as a person does, then follows the confirmation link of the mail (read from the
    /// outbox) when one was sent: the person ends signed in with a confirmed address. Returns the
    /// sign-up form's answer.
    func signUp(_ email: String, name: String, password: String = "un mot de passe solide", confirm: Bool = true) async throws -> TestingHTTPResponse {
        try await get("/signup")
        let response = try await post("/signup", [("email", email), ("display_name", name), ("password", password)])
        if confirm, response.status == .seeOther, let link = try await lastMailLink(to: email, subject: "Confirmez") {
            try await get(link)
            let confirmed = try await post(link, [])
            #expect(confirmed.status == .seeOther, "the confirmation link signs the person in")
        }
        return response
    }

    /// The path of the link in the newest mail to `email` whose subject starts with `subject`.
    func lastMailLink(to email: String, subject: String) async throws -> String? {
        try await mailsTo(email).last { $0.subject.hasPrefix(subject) }?.action.flatMap { URLComponents(string: $0.url)?.path }
    }

    /// Mails written to `email`, oldest first (what the outbox holds, sent or not).
    func mailsTo(_ email: String) async throws -> [MailContent] {
        struct Row: Decodable { var payload: String }
        let rows = try await app.db.sql.select().column("payload").from(OutboxTables.messages)
            .where("destination", .equal, SQLBind(email.lowercased())).orderBy("created_at").orderBy("id").all(decoding: Row.self)
        var mails: [MailContent] = []
        for row in rows { if let mail = try? await MailContent.of(payload: row.payload, app: app) { mails.append(mail) } }
        return mails
    }

    private func remember(_ response: TestingHTTPResponse) {
        if let set = response.headers.setCookie?["maillage_session"] {
            cookie = set.string.isEmpty ? nil : set.string
        }
        let html = response.body.string
        if let range = html.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) {
            let match = String(html[range])
            csrf = match.components(separatedBy: "value=\"").last.map { String($0.dropLast()) }
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// JSON API calls with a bearer token.
struct APIClient: Sendable {
    let app: Application
    var token: String?

    func send(_ method: HTTPMethod, _ path: String, json: String? = nil, headers extra: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = extra
        if let token { headers.replaceOrAdd(name: .authorization, value: "Bearer \(token)") }
        if json != nil { headers.replaceOrAdd(name: .contentType, value: "application/json") }
        return try await app.testing().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestingHTTPResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.string.utf8))) as? [String: Any] ?? [:]
    }
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (json["error"] as? [String: Any])?["field"] as? String }
}

/// Makes an account and a token for it through the account page, as a person would.
func personWithToken(_ app: Application, email: String, name: String) async throws -> (Visitor, APIClient) {
    let visitor = Visitor(app)
    let signUp = try await visitor.signUp(email, name: name)
    #expect(signUp.status == .seeOther)
    try await visitor.get("/account")
    let created = try await visitor.post("/account/tokens", [("name", "tests")])
    #expect(created.status == .seeOther, "the form leads to the account page (POST → 303 → GET)")
    let html = try await visitor.get(created.headers.first(name: .location) ?? "/account").body.string
    let token = html.range(of: #"mlg_[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(html[$0]) }
    #expect(token != nil, "the new token is shown once on the account page")
    return (visitor, APIClient(app: app, token: token))
}

/// Starts the real HTTP server on a free local port for concurrency tests: the in-memory tester
/// is not meant for thousands of requests in flight at once. Requests go through `app.client`.
func withRunningServer(_ app: Application, _ body: (String) async throws -> Void) async throws {
    // One such test at a time across suites: two of them at once on a 2-core machine only measure
    // each other, and the client's wait for a free connection then times out.
    await RunningServerTurn.shared.acquire()
    defer { Task { await RunningServerTurn.shared.release() } }
    // A batch of 32 requests gets 32 connections, and a loaded machine (the whole suite runs in
    // parallel) may take long to hand one out: waiting is not what these tests measure.
    app.http.client.configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
    app.http.client.configuration.timeout = .init(connect: .seconds(60), read: .seconds(120))
    app.http.server.configuration.port = 0
    app.http.server.configuration.hostname = "127.0.0.1"
    try await app.server.start(address: .hostname("127.0.0.1", port: 0))
    guard let port = app.http.server.shared.localAddress?.port else {
        await app.server.shutdown()
        throw Abort(.internalServerError, reason: "no port")
    }
    do { try await body("http://127.0.0.1:\(port)") } catch { await app.server.shutdown(); throw error }
    await app.server.shutdown()
}

extension APIClient {
    /// The same request over a real socket to a running server.
    func post(to base: String, _ path: String, json: String, headers extra: HTTPHeaders = [:]) async throws -> (status: UInt, body: [String: Any]) {
        var headers = extra
        if let token { headers.replaceOrAdd(name: .authorization, value: "Bearer \(token)") }
        headers.replaceOrAdd(name: .contentType, value: "application/json")
        let response = try await app.client.post(URI(string: base + path), headers: headers) { $0.body = ByteBuffer(string: json) }
        let data = response.body.map { Data($0.readableBytesView) } ?? Data()
        return (response.status.code, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }
}

/// The turn of the tests that start a real server (see `withRunningServer`).
actor RunningServerTurn {
    static let shared = RunningServerTurn()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}

/// The instance's operators approve a cooperative a test created (a new cooperative is private
/// until then); `CooperativeTests` walks the operators' queue itself.
func approveCooperative(_ app: Application, slug: String) async throws {
    try await app.db.sql.update(Cooperative.schema).set("review", to: SQLBind(CooperativeReview.approved.rawValue))
        .where("slug", .equal, SQLBind(slug)).run()
}
