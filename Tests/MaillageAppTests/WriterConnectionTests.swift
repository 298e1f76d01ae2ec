import Fluent
import Foundation
@testable import MaillageApp
import NIOConcurrencyHelpers
import SQLKit
import Testing
import VaporTesting

/// On a SQLite file (how Maillage runs by default), write transactions take connections of their
/// own: reads on the same event loop go on while a transaction waits for its commit, see only what
/// was committed, and see it as soon as it is.
@Suite("SQLite file: write transactions beside reads", .serialized)
struct WriterConnectionTests {
    func withFileApp(_ test: (Application) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("maillage-writer-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        var config = AppConfig.testing()
        config.storage = .sqliteFile(path)
        try await withApp(configure: { app in
            try await configure(app, config: config)
            try await DatabaseSetup.migrate(app)
        }, test)
    }

    struct Count: Decodable { var n: Int }

    func users(_ db: any Database) async throws -> Int {
        try await db.sql.raw("SELECT COUNT(*) AS n FROM users").first(decoding: Count.self)?.n ?? -1
    }

    @Test func aReadOnTheSameEventLoopDoesNotWaitForAWriteTransaction() async throws {
        if case .postgres = AppConfig.testing().storage { return }
        try await withFileApp { app in
            let loop = app.eventLoopGroup.any()
            let db = try #require(app.databases.database(.sqlite, logger: app.logger, on: loop))
            let before = try await users(db)
            let written = NIOLockedValueBox(false), committed = NIOLockedValueBox(false)
            let writer = Task {
                try await db.writeTransaction { tx in
                    try await User(email: "pendant@example.org", passwordHash: "x", displayName: "Pendant").create(on: tx)
                    written.withLockedValue { $0 = true }
                    // The transaction stays open, as one waiting for a slow disk would.
                    try await Task.sleep(for: .milliseconds(600))
                }
                committed.withLockedValue { $0 = true }
            }
            while !written.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            let during = try await users(db)
            #expect(!committed.withLockedValue { $0 }, "the read had to wait for the commit")
            #expect(during == before, "a read never sees what is not committed")
            try await writer.value
            #expect(try await users(db) == before + 1, "once committed, the write is seen at once")
        }
    }

    @Test func concurrentWriteTransactionsAreAllKeptOnTheFile() async throws {
        if case .postgres = AppConfig.testing().storage { return }
        try await withFileApp { app in
            let before = try await users(app.db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<60 {
                    group.addTask {
                        let db = try #require(app.databases.database(.sqlite, logger: app.logger, on: app.eventLoopGroup.any()))
                        try await db.writeTransaction { tx in
                            try await User(email: "w\(index)@example.org", passwordHash: "x", displayName: "W \(index)").create(on: tx)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await users(app.db) == before + 60)
        }
    }
}
