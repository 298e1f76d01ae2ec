import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// A producer's catalog kept on another platform, fetched every night: products matched by their
/// catalog id are updated, those gone from the catalog are withdrawn, every run is logged with
/// its date for the producer, and a source failing three times in a row is flagged on their page.
enum FoodCatalogSync {
    /// Failures in a row after which the producer is told the catalog here is going stale.
    static let flagAfter = 3
    /// A source is fetched again once this long has passed (the job looks every hour).
    static let interval: TimeInterval = 20 * 3600

    struct Source: Decodable, Sendable {
        var producer_id: UUID
        var url: String
        var etag: String?
        var last_modified: String?
        var failures: Int64
        var last_run_at: Date?
    }

    struct LogEntry: Decodable, Sendable {
        var at: Date
        var outcome: String
        var message_fr: String
        var message_en: String
    }

    static let badAddress = DomainError(.invalid, code: "catalog_url_invalid", field: "catalog_url",
        fr: "Donnez l’adresse web complète du catalogue (https://…).", en: "Give the catalog's full web address (https://…).")

    /// Registers (or replaces) the producer's catalog address; an empty one stops the sync.
    static func register(_ address: String, producer: ProducerRow, on db: any Database) async throws {
        let address = address.trimmingCharacters(in: .whitespacesAndNewlines)
        try await db.sql.delete(from: "food_catalog_sources").where("producer_id", .equal, SQLBind(producer.id)).run()
        guard !address.isEmpty else { return }
        guard address.count <= 500, let url = URL(string: address), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else { throw badAddress }
        try await db.sql.insert(into: "food_catalog_sources")
            .columns("producer_id", "cooperative_id", "url", "etag", "last_modified", "failures", "last_run_at", "created_at")
            .values(SQLBind(producer.id), SQLBind(producer.cooperativeID), SQLBind(address), SQLLiteral.null, SQLLiteral.null,
                    SQLBind(Int64(0)), SQLLiteral.null, SQLBind(Date())).run()
    }

    static func source(of producer: UUID, on db: any Database) async throws -> Source? {
        try await db.sql.select().columns("producer_id", "url", "etag", "last_modified", "failures", "last_run_at").from("food_catalog_sources")
            .where("producer_id", .equal, SQLBind(producer)).first(decoding: Source.self)
    }

    static func log(of producer: UUID, limit: Int = 10, on db: any Database) async throws -> [LogEntry] {
        try await db.sql.select().columns("at", "outcome", "message_fr", "message_en").from("food_catalog_sync_log")
            .where("producer_id", .equal, SQLBind(producer)).orderBy("at", .descending).limit(limit).all(decoding: LogEntry.self)
    }

    /// The nightly job: every source not fetched for `interval`.
    static func runDue(_ app: Application, now: Date = Date()) async throws {
        let due = try await app.db.sql.raw("""
            SELECT producer_id FROM food_catalog_sources WHERE last_run_at IS NULL OR last_run_at <= \(bind: now.addingTimeInterval(-interval))
            """).all(decoding: ProducerID.self)
        for source in due {
            try await sync(producer: source.producer_id, fetcher: app.safeFetcher, converter: app.maillage.imageConverter, on: app.db, now: now)
        }
    }

    private struct ProducerID: Decodable { var producer_id: UUID }

    /// Fetches the producer's catalog once and applies it; the outcome goes to the log.
    @discardableResult
    static func sync(producer id: UUID, fetcher: SafeFetcher, converter: String, on db: any Database, now: Date = Date()) async throws -> LogEntry? {
        guard let source = try await source(of: id, on: db) else { return nil }
        struct Producer: Decodable { var cooperative_id: UUID }
        guard let coop = try await db.sql.select().column("cooperative_id").from("food_producers").where("id", .equal, SQLBind(id)).first(decoding: Producer.self)
        else { return nil }
        let producer = try await FoodCatalogStore.producer(id, in: coop.cooperative_id, on: db)
        // The validators go to the catalog's own server only, as the safe fetcher sends credentials.
        var validators: [(name: String, value: String)] = []
        if let etag = source.etag { validators.append(("If-None-Match", etag)) }
        if let modified = source.last_modified { validators.append(("If-Modified-Since", modified)) }
        var limits = SafeFetcher.Limits()
        limits.totalTime = .seconds(20)
        limits.maxBodyBytes = 4 * 1_048_576
        let document: SafeFetcher.Document
        do {
            document = try await fetcher.fetch(source.url, accept: "application/ld+json, application/json", credentials: validators, limits: limits)
        } catch .httpStatus(304) {
            return try await finish(source, now: now, outcome: "unchanged", Localized(fr: "Catalogue inchangé depuis la dernière fois.",
                                                                                 en: "Catalog unchanged since last time."), on: db)
        } catch {
            return try await fail(source, now: now, error.message, on: db)
        }
        let read: DFCCatalogMapping.Import
        do {
            read = DFCCatalogMapping.drafts(from: try DFCDocument(data: Data(buffer: document.body)), defaultCategory: "DFC")
        } catch {
            return try await fail(source, now: now, error.message, on: db)
        }
        let outcome = try await FoodDFCImport.apply(read, to: producer, fallbackVAT: nil, images: .init(fetcher: fetcher, converter: converter), on: db)
        let withdrawn = try await withdrawVanished(keeping: Set(read.items.flatMap(\.sourceIDs)), producer: producer, on: db)
        try await db.sql.update("food_catalog_sources")
            .set("etag", to: SQLBind(document.headers.first(name: .eTag))).set("last_modified", to: SQLBind(document.headers.first(name: .lastModified)))
            .where("producer_id", .equal, SQLBind(id)).run()
        let notes = outcome.issues.count
        return try await finish(source, now: now, outcome: "updated", Localized(
            fr: "\(Plural.count(outcome.created, "produit créé", "produits créés", .fr)), \(outcome.updated) mis à jour, \(withdrawn) retiré(s), \(Plural.count(outcome.drafts, "brouillon", "brouillons", .fr)) à chiffrer, \(notes) remarque(s).",
            en: "\(Plural.count(outcome.created, "product", "products", .en)) created, \(outcome.updated) updated, \(withdrawn) withdrawn, \(Plural.count(outcome.drafts, "draft", "drafts", .en)) to price, \(notes) note(s)."), on: db)
    }

    /// Products an earlier sync brought that the catalog no longer lists are taken off sale (they
    /// stay in past orders); drafts it no longer lists are dropped.
    static func withdrawVanished(keeping sources: Set<String>, producer: ProducerRow, on db: any Database) async throws -> Int {
        struct Link: Decodable { var source_id: String; var product_id: UUID }
        let links = try await db.sql.raw("""
            SELECT l.source_id, l.product_id FROM food_dfc_links l JOIN food_products p ON p.id = l.product_id
            WHERE l.producer_id = \(bind: producer.id) AND p.archived_at IS NULL
            """).all(decoding: Link.self)
        var byProduct: [UUID: [String]] = [:]
        for link in links { byProduct[link.product_id, default: []].append(link.source_id) }
        var withdrawn = 0
        for (product, ids) in byProduct where !ids.contains(where: sources.contains) {
            try await FoodCatalogStore.archive(product, producer: producer, on: db)
            withdrawn += 1
        }
        for draft in try await FoodDFCImport.drafts(of: producer.id, on: db) where !draft.content.sourceIDs.contains(where: sources.contains) {
            try await db.sql.delete(from: "food_product_drafts").where("id", .equal, SQLBind(draft.id)).run()
        }
        return withdrawn
    }

    private static func finish(_ source: Source, now: Date, outcome: String, _ message: Localized, on db: any Database) async throws -> LogEntry {
        try await db.sql.update("food_catalog_sources").set("failures", to: SQLBind(Int64(0))).set("last_run_at", to: SQLBind(now))
            .where("producer_id", .equal, SQLBind(source.producer_id)).run()
        return try await write(source, now: now, outcome: outcome, message, on: db)
    }

    private static func fail(_ source: Source, now: Date, _ reason: Localized, on db: any Database) async throws -> LogEntry {
        try await db.sql.raw("""
            UPDATE food_catalog_sources SET failures = failures + 1, last_run_at = \(bind: now) WHERE producer_id = \(bind: source.producer_id)
            """).run()
        return try await write(source, now: now, outcome: "failed", Localized(fr: "Échec : " + reason.fr, en: "Failed: " + reason.en), on: db)
    }

    private static func write(_ source: Source, now: Date, outcome: String, _ message: Localized, on db: any Database) async throws -> LogEntry {
        try await db.sql.insert(into: "food_catalog_sync_log").columns("id", "producer_id", "at", "outcome", "message_fr", "message_en")
            .values(SQLBind(UUID()), SQLBind(source.producer_id), SQLBind(now), SQLBind(outcome), SQLBind(message.fr), SQLBind(message.en)).run()
        return LogEntry(at: now, outcome: outcome, message_fr: message.fr, message_en: message.en)
    }
}

/// The tables of the sync: one source per producer, and its dated log.
struct AddFoodCatalogSources: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("food_catalog_sources")
            .field("producer_id", .uuid, .identifier(auto: false), .references("food_producers", "id", onDelete: .cascade))
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("url", .string, .required)
            .field("etag", .string)
            .field("last_modified", .string)
            .field("failures", .int64, .required)
            .field("last_run_at", .datetime)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema("food_catalog_sync_log")
            .id()
            .field("producer_id", .uuid, .required, .references("food_producers", "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("outcome", .string, .required)
            .field("message_fr", .string, .required)
            .field("message_en", .string, .required)
            .create()
        try await database.sql.create(index: "food_catalog_sync_log_producer").on("food_catalog_sync_log").column("producer_id").column("at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("food_catalog_sync_log").delete()
        try await database.schema("food_catalog_sources").delete()
    }
}
