import Foundation
@testable import MaillageApp
import SQLKit
import Testing
import VaporTesting

/// A signed-in person's pages must not each cost a database write (on SQLite, a durable commit),
/// yet a session must stay alive while used and keep every change made to it.
@Suite("Sessions: saved only when something changed", .serialized)
struct SessionSaveTests {
    struct Stored: Decodable { var data: String; var expires_at: Date }

    func stored(_ app: Application) async throws -> [Stored] {
        try await app.db.sql.select().column("data").column("expires_at").from(DatabaseSessions.table).all(decoding: Stored.self)
    }

    func setExpiry(_ app: Application, _ date: Date) async throws {
        try await app.db.sql.update(DatabaseSessions.table).set("expires_at", to: SQLBind(date)).run()
    }

    @Test func aPageViewLeavesAFreshSessionRowUntouched() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            try await visitor.logIn("alice@demo.maillage.coop")
            // The first page after signing in may put a form token in the session: a real change.
            _ = try await visitor.get("/")
            let marker = Date().addingTimeInterval(app.maillage.sessionLifetime - 60).rounded
            try await setExpiry(app, marker)
            let page = try await visitor.get("/")
            #expect(page.status == .ok)
            let rows = try await stored(app)
            #expect(rows.count == 1)
            #expect(rows.first?.expires_at.rounded == marker, "the row was written again for a plain page view")
        }
    }

    @Test func aSessionInUseHasItsExpirySlidForwardOnceItHasAged() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            try await visitor.logIn("alice@demo.maillage.coop")
            let aged = Date().addingTimeInterval(app.maillage.sessionLifetime - DatabaseSessions.slide - 60)
            try await setExpiry(app, aged)
            _ = try await visitor.get("/")
            let expiry = try #require(try await stored(app).first?.expires_at)
            #expect(expiry > Date().addingTimeInterval(app.maillage.sessionLifetime - 60), "a session in use must not run out")
            // Still signed in on the next page.
            let account = try await visitor.get("/account")
            #expect(account.status == .ok)
        }
    }

    @Test func aChangeToTheSessionIsWrittenAtOnce() async throws {
        try await withMaillage(demo: true) { app in
            let visitor = Visitor(app)
            try await visitor.get("/login")
            let before = try #require(try await stored(app).first?.data)
            try await visitor.logIn("alice@demo.maillage.coop")
            let after = try #require(try await stored(app).first?.data)
            #expect(after != before, "signing in changes what the session holds")
            // Signing out is a change too: the next page shows the person signed out.
            _ = try await visitor.get("/account")
            let out = try await visitor.post("/logout", [])
            #expect(out.status == .seeOther)
            let account = try await visitor.get("/account")
            #expect(account.status != .ok)
        }
    }
}

extension Date {
    /// Whole seconds: what both databases keep of a timestamp for this comparison.
    var rounded: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded()) }
}
