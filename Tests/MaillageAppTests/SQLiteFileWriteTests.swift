import Fluent
import Foundation
@testable import MaillageApp
import NIOConcurrencyHelpers
import SQLKit
import Testing
import VaporTesting

/// On a SQLite file (how Maillage runs by default) some writes happen outside `writeTransaction`:
/// a session saved, an API token's last use. SQLiteNIO retries a busy write at once, forever, on
/// one of the thread pool's threads (one per core). A write transaction must still be able to
/// commit while such writes wait for it — otherwise every request of the site waits with it.
/// (A second pool of connections for write transactions (tried and removed) let two waiting
/// writes take both threads: the commit never ran and the server hung under the benchmark.)
@Suite("SQLite file: writes outside a transaction never starve its commit", .serialized,
       .enabled(if: !testsRunOnPostgres, "a SQLite file's behaviour; the suite runs on SQLite"))
struct SQLiteFileWriteTests {
    struct Count: Decodable { var n: Int }

    @Test func aWriteTransactionCommitsWhileAutocommitWritesWaitForIt() async throws {
        try await withMaillageFile { app in
            let user = User(email: "attente@example.org", passwordHash: "x", displayName: "Attente")
            try await user.create(on: app.db)
            let userID = try user.requireID()
            let finished = NIOLockedValueBox(0)
            let work = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await app.db.writeTransaction { tx in
                            try await User(email: "tenu@example.org", passwordHash: "x", displayName: "Tenu").create(on: tx)
                            // The write lock stays held a while, as during a slow disk sync.
                            try await Task.sleep(for: .milliseconds(300))
                        }
                        finished.withLockedValue { $0 += 1 }
                    }
                    for index in 0..<16 {
                        group.addTask {
                            try await Task.sleep(for: .milliseconds(50))
                            let db = try #require(app.databases.database(.sqlite, logger: app.logger, on: app.eventLoopGroup.any()))
                            try await db.sql.update(User.schema).set("display_name", to: SQLBind("Attente \(index)"))
                                .where("id", .equal, SQLBind(userID)).run()
                            finished.withLockedValue { $0 += 1 }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            // Were the commit starved, nothing would end: give it far more than it needs, then look.
            let deadline = ContinuousClock.now + .seconds(30)
            while finished.withLockedValue({ $0 }) < 17, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(finished.withLockedValue { $0 } == 17, "the transaction and the 16 writes all ended")
            guard finished.withLockedValue({ $0 }) == 17 else { return }  // a starved server never ends: do not wait for it
            try await work.value
            let users = try await app.db.sql.raw("SELECT COUNT(*) AS n FROM users WHERE email = 'tenu@example.org'").first(decoding: Count.self)
            #expect(users?.n == 1, "the transaction's row is kept")
        }
    }

    /// Every connection of a file database, the writer lane's too, logs ahead, syncs each commit
    /// (a confirmed order or transfer survives a power cut) and copies the log back only every
    /// 10,000 pages.
    @Test func everyConnectionSyncsEachCommitAndCheckpointsRarely() async throws {
        try await withMaillageFile { app in
            // The shared connections, one per event loop, and the group writers' own (`WriterLane`).
            var connections = try app.eventLoopGroup.makeIterator().map { try #require(app.databases.database(.sqlite, logger: app.logger, on: $0)) }
            connections.append(try #require(app.db.writeGroups?.lane).database(logger: app.logger))
            for connection in connections {
                let db = connection.sql
                // A connection learns the file's mode when it first reads it.
                _ = try await db.raw("SELECT COUNT(*) AS n FROM users").first(decoding: Count.self)
                let mode = try await db.raw("PRAGMA main.journal_mode").first()?.decode(column: "journal_mode", as: String.self)
                #expect(mode == "wal")
                let sync = try await db.raw("PRAGMA main.synchronous").first()?.decode(column: "synchronous", as: Int.self)
                #expect(sync == 2, "synchronous = FULL")
                let pages = try await db.raw("PRAGMA wal_autocheckpoint").first()?.decode(column: "wal_autocheckpoint", as: Int.self)
                #expect(pages == DatabaseSetup.checkpointPages)
            }
        }
    }
}
