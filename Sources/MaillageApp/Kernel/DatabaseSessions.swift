import Fluent
import Foundation
import SQLKit
import Vapor

/// Sessions live in the database, so any app process behind the proxy knows every login.
/// The cookie holds a random id; the table holds only its HMAC with the instance secret.
struct DatabaseSessions: SessionDriver {
    let secret: SymmetricKey
    /// Sliding: a session unused this long ends.
    let lifetime: TimeInterval
    /// Absolute: a session ends this long after its login, however much it is used (a stolen
    /// cookie does not live for ever).
    var maximumAge: TimeInterval = 30 * 86_400

    static let table = "sessions"

    func key(_ id: SessionID) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(id.string.utf8), using: secret)
        return Data(mac).base64EncodedString()
    }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        let id = SessionID(string: [UInt8].random(count: 32).base64)
        let promise = request.eventLoop.makePromise(of: SessionID.self)
        promise.completeWithTask {
            try await request.db.sql.insert(into: Self.table)
                .columns("id", "data", "expires_at", "created_at")
                .values(SQLBind(key(id)), SQLBind(try encode(data)), SQLBind(Date().addingTimeInterval(lifetime)), SQLBind(Date()))
                .run()
            return id
        }
        return promise.futureResult
    }

    func readSession(_ id: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        let promise = request.eventLoop.makePromise(of: SessionData?.self)
        promise.completeWithTask {
            let row = try await request.db.sql.select().column("data").column("expires_at").from(Self.table)
                .where("id", .equal, SQLBind(key(id)))
                .where("expires_at", .greaterThan, SQLBind(Date()))
                .where("created_at", .greaterThan, SQLBind(Date().addingTimeInterval(-maximumAge)))
                .first()
            guard let raw = try row?.decode(column: "data", as: String.self),
                  let data = try? JSONDecoder().decode(SessionData.self, from: Data(raw.utf8)) else { return nil }
            let expires = try row?.decode(column: "expires_at", as: Date.self)
            request.storage[LoadedSession.self] = LoadedSession(id: id, data: data, expiresAt: expires ?? .distantPast)
            return data
        }
        return promise.futureResult
    }

    func updateSession(_ id: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if let loaded = request.storage[LoadedSession.self], loaded.id == id,
           !needsWrite(data, since: loaded, now: Date()) {
            return request.eventLoop.makeSucceededFuture(id)
        }
        let promise = request.eventLoop.makePromise(of: SessionID.self)
        promise.completeWithTask {
            try await request.db.sql.update(Self.table)
                .set("data", to: SQLBind(try encode(data)))
                .set("expires_at", to: SQLBind(Date().addingTimeInterval(lifetime)))
                .where("id", .equal, SQLBind(key(id)))
                .run()
            return id
        }
        return promise.futureResult
    }

    func deleteSession(_ id: SessionID, for request: Request) -> EventLoopFuture<Void> {
        let promise = request.eventLoop.makePromise(of: Void.self)
        promise.completeWithTask {
            try await request.db.sql.delete(from: Self.table).where("id", .equal, SQLBind(key(id))).run()
        }
        return promise.futureResult
    }

    /// Vapor saves the session after every answer. On SQLite each save is a durable commit (an fsync,
    /// and a turn on the one writer), so a signed-in visitor's every page and every checkout paid one.
    /// The row is written only when its data changed, or to slide the expiry forward once it has
    /// aged by `slide` — the stored expiry then trails the cookie's by at most that much.
    func needsWrite(_ data: SessionData, since loaded: LoadedSession, now: Date) -> Bool {
        data != loaded.data || loaded.expiresAt < now.addingTimeInterval(lifetime - Self.slide)
    }

    /// How long a session's stored expiry may lag behind its last use.
    static let slide: TimeInterval = 3600

    private func encode(_ data: SessionData) throws -> String {
        String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
    }

    /// The first scheduled job: forget sessions past their expiry.
    static func purgeExpired(on db: any Database) async throws {
        try await db.sql.delete(from: table).where("expires_at", .lessThan, SQLBind(Date())).run()
        try await db.sql.delete(from: table).where("created_at", .lessThan, SQLBind(Date().addingTimeInterval(-maximumAgeLimit))).run()
    }

    /// The longest `maximumAge` an instance uses, for the purge.
    static let maximumAgeLimit: TimeInterval = 30 * 86_400
}

struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DatabaseSessions.table)
            .field("id", .string, .identifier(auto: false))
            .field("data", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.sql.create(index: "sessions_expires_at").on(DatabaseSessions.table).column("expires_at").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(DatabaseSessions.table).delete()
    }
}

extension Request {
    /// Gives the person a new session id at login, so an id planted before (session fixation) is worthless.
    func renewSession() async throws {
        if let old = session.id {
            try await application.sessions.driver.deleteSession(old, for: self).get()
        }
        session.id = nil
    }
}

/// What `readSession` found for this request, so the save after the answer can tell whether the
/// row needs writing at all.
struct LoadedSession: StorageKey {
    typealias Value = LoadedSession
    let id: SessionID
    let data: SessionData
    let expiresAt: Date
}

extension DatabaseSessions {
    /// Ends every session of one person (after a password change or reset). A session's data
    /// holds the person's id; nothing else in it does.
    static func endAll(ofUser userID: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: table).where("data", .like, SQLBind("%\(userID.uuidString)%")).run()
    }
}
