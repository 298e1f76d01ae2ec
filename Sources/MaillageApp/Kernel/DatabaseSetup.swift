import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

/// Connects the one schema to SQLite (default) or PostgreSQL.
enum DatabaseSetup {
    static func use(_ storage: AppConfig.Storage, schema: String? = nil, on app: Application) throws {
        switch storage {
        case .sqliteMemory:
            app.databases.use(.sqlite(.memory), as: .sqlite)
            for middleware in Modules.all.flatMap({ $0.sqliteMiddleware(lane: nil) }) { app.databases.middleware.use(middleware, on: .sqlite) }
            app.databases.middleware.use(WriteGroups(), on: .sqlite)
        case .sqliteFile(let path):
            app.databases.use(.sqlite(.file(path)), as: .sqlite)
            // Both group writers on one lane of their own: they take turns for SQLite's one writer anyway.
            let lane = WriterLane(path: path)
            app.lifecycle.use(WriterLane.Lifecycle(lane: lane))
            for middleware in Modules.all.flatMap({ $0.sqliteMiddleware(lane: lane) }) { app.databases.middleware.use(middleware, on: .sqlite) }
            app.databases.middleware.use(WriteGroups(lane: lane), on: .sqlite)
        case .postgres(let url):
            var config = try SQLPostgresConfiguration(url: url)
            config.searchPath = schema.map { [$0] }
            // No group commit here: PostgreSQL already commits on several connections at once, and
            // grouping measured no faster (docs/performance.md, "Ledger").
            // A schema of its own means a test (one per test, the whole suite in parallel on a
            // shared machine): one connection per loop, and patience when the machine is loaded
            // (400 ballots cast at once queue on those two connections while 60 suites run beside).
            app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: schema == nil ? 4 : 1,
                                        connectionPoolTimeout: .seconds(schema == nil ? 10 : 300)), as: .psql)
        }
    }

    /// Runs pending migrations. On PostgreSQL an advisory lock makes processes starting together
    /// take turns: the first migrates, the others then find nothing left to do.
    static func migrate(_ app: Application) async throws {
        guard app.db.isPostgres else {
            try await app.autoMigrate()
            try await tune(app)
            return
        }
        try await app.db.withConnection { connection in
            try await connection.sql.raw("SELECT pg_advisory_lock(\(literal: migrationLock))").run()
            do {
                try await app.autoMigrate()
            } catch {
                try? await connection.sql.raw("SELECT pg_advisory_unlock(\(literal: migrationLock))").run()
                throw error
            }
            try await connection.sql.raw("SELECT pg_advisory_unlock(\(literal: migrationLock))").run()
        }
    }

    /// Any constant shared by every Maillage process ("MAIL" in ASCII).
    static let migrationLock = 0x4D41_494C

    /// Write-ahead logging lets readers go on while one writer commits; it is a property of the file.
    /// The rest is per connection (one per event loop): in WAL mode a connection drops its whole
    /// page cache whenever another one has written, so under steady writes (checkouts) every read
    /// would copy its pages in again; mapped in memory, they are read in place instead. Durability
    /// is untouched (`synchronous` stays FULL: a confirmed order survives a power cut).
    static func tune(_ app: Application) async throws {
        guard case .sqliteFile = app.maillage.storage, let sql = app.db as? any SQLDatabase else { return }
        // SQLite keeps the old mode, without an error, when it cannot switch: say so.
        let mode = try await sql.raw("PRAGMA main.journal_mode=WAL").first()?.decode(column: "journal_mode", as: String.self) ?? ""
        if mode.lowercased() != "wal" {
            app.logger.warning("SQLite stays in journal mode \(mode): readers will wait for writers")
        }
        for loop in app.eventLoopGroup.makeIterator() {
            if let connection = app.databases.database(.sqlite, logger: app.logger, on: loop) { try await tune(connection: connection.sql) }
        }
        if let lane = app.db.writeGroups?.lane { try await tune(connection: lane.database(logger: app.logger).sql) }
    }

    /// What each connection to a SQLite file is set to (the pool's, the writer lane's).
    static func tune(connection: any SQLDatabase) async throws {
        try await connection.raw("PRAGMA mmap_size = \(unsafeRaw: String(mappedBytes))").run()
        try await connection.raw("PRAGMA cache_size = -\(unsafeRaw: String(cacheKiB))").run()
        try await connection.raw("PRAGMA wal_autocheckpoint = \(unsafeRaw: String(checkpointPages))").run()
    }

    /// Up to 256 MiB of the file mapped, 32 MiB of page cache per connection.
    static let mappedBytes = 256 << 20, cacheKiB = 32 << 10

    /// The write-ahead log is copied back into the file (a checkpoint, run by the commit that
    /// crosses the mark) every 10,000 pages (40 MiB) instead of SQLite's 1,000. The same hot pages
    /// (an account's index leaf, the stock of a popular variant) are rewritten by commit after
    /// commit; a checkpoint copies each once, however often it was logged, so ten times fewer
    /// checkpoints copy far fewer pages (the ledger's group commit went from 5,859 to 6,960
    /// transfers/s, docs/performance.md). Durability is unchanged: every commit is still synced.
    static let checkpointPages = 10_000
}

extension Database {
    /// The SQLKit face of this database, for hand-written hot queries and conditional updates.
    var sql: any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { fatalError("Maillage runs on SQL databases only") }
        return sql
    }

    var isPostgres: Bool { (self as? any SQLDatabase)?.dialect.name == "postgresql" }
}
