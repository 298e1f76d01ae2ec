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
            app.databases.middleware.use(PostingGroups(writers: 1), on: .sqlite)
            app.databases.middleware.use(WriteGroups(), on: .sqlite)
        case .sqliteFile(let path):
            app.databases.use(.sqlite(.file(path)), as: .sqlite)
            app.databases.middleware.use(PostingGroups(writers: 1), on: .sqlite)
            app.databases.middleware.use(WriteGroups(), on: .sqlite)
        case .postgres(let url):
            var config = try SQLPostgresConfiguration(url: url)
            config.searchPath = schema.map { [$0] }
            // No group commit here: PostgreSQL already commits on several connections at once, and
            // grouping measured no faster (docs/performance.md, "Ledger").
            // A schema of its own means a test (one per test, the whole suite in parallel on a
            // shared machine): one connection per loop, and patience when the machine is loaded.
            app.databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: schema == nil ? 4 : 1,
                                        connectionPoolTimeout: .seconds(schema == nil ? 10 : 60)), as: .psql)
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
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        for loop in app.eventLoopGroup.makeIterator() {
            let connection = app.databases.database(.sqlite, logger: app.logger, on: loop)?.sql
            try await connection?.raw("PRAGMA mmap_size = \(unsafeRaw: String(mappedBytes))").run()
            try await connection?.raw("PRAGMA cache_size = -\(unsafeRaw: String(cacheKiB))").run()
        }
    }

    /// Up to 256 MiB of the file mapped, 32 MiB of page cache per connection.
    static let mappedBytes = 256 << 20, cacheKiB = 32 << 10
}

extension Database {
    /// The SQLKit face of this database, for hand-written hot queries and conditional updates.
    var sql: any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { fatalError("Maillage runs on SQL databases only") }
        return sql
    }

    var isPostgres: Bool { (self as? any SQLDatabase)?.dialect.name == "postgresql" }
}
