import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// A store's webhook: an address its software listens on and a secret the calls are signed
/// with. Each change of one of its deliveries' status queues one call in the outbox, in the
/// transaction of the change (both kept or neither); the outbox retries, backs off and logs,
/// and the store reads that log on its page.
enum DeliveryWebhooks {
    struct Setting: Sendable, Decodable {
        var store_id: UUID
        var url: String
        var secret_sealed: String
        var updated_at: Date
    }

    /// One queued call and, read from the outbox, where it stands.
    struct Call: Sendable {
        var event: String
        var deliveryID: UUID
        var createdAt: Date
        var status: String
        var attempts: Int
        var lastError: String?
    }

    static let signatureHeader = "X-Maillage-Signature"
    static let eventHeader = "X-Maillage-Event"

    static let badAddress = DomainError(.invalid, code: "invalid_address", field: "webhook_url",
        fr: "Donnez l’adresse complète où votre logiciel reçoit les appels, en http ou https, sans identifiants (par exemple https://boutique.example.org/maillage).",
        en: "Give the full address where your software receives the calls, in http or https, without credentials (for example https://shop.example.org/maillage).")

    static func sealContext(_ store: UUID) -> String { "delivery-webhook:" + store.uuidString }

    /// The address as kept: absolute http(s), a host, no credentials or fragment.
    static func address(_ text: String) throws -> String {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count <= 500, let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = parts.host, !host.isEmpty,
              parts.user == nil, parts.password == nil, parts.fragment == nil else { throw badAddress }
        return text
    }

    /// Sets the store's address with a new secret, returned to be shown once (a store that lost
    /// it sets the address again and gets another).
    static func set(_ url: String, for store: UUID, on db: any Database) async throws -> String {
        let checked = try address(url)
        let secret = "whsec_" + SecretToken.make(bytes: 32)
        let sealed = try InstanceSeal.seal(secret, context: sealContext(store))
        // One statement: two people saving at once leave one address and one secret, never an error.
        try await db.sql.raw("""
            INSERT INTO delivery_webhooks (store_id, url, secret_sealed, updated_at) VALUES (\(bind: store), \(bind: checked), \(bind: sealed), \(bind: Date()))
            ON CONFLICT (store_id) DO UPDATE SET url = excluded.url, secret_sealed = excluded.secret_sealed, updated_at = excluded.updated_at
            """).run()
        return secret
    }

    static func remove(for store: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: "delivery_webhooks").where("store_id", .equal, SQLBind(store)).run()
    }

    static func setting(of store: UUID, on db: any Database) async throws -> Setting? {
        try await db.sql.select().column("*").from("delivery_webhooks").where("store_id", .equal, SQLBind(store)).first(decoding: Setting.self)
    }

    static func secret(of store: UUID, on db: any Database) async throws -> String? {
        guard let setting = try await setting(of: store, on: db) else { return nil }
        return try InstanceSeal.open(setting.secret_sealed, context: sealContext(store))
    }

    /// `sha256=<hex HMAC-SHA256 of the body>` with the store's secret.
    static func signature(of body: String, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// What the store's software receives.
    struct Payload: Codable, Sendable {
        struct Delivery: Codable, Sendable {
            var id: UUID
            var store: UUID
            var status: String
            var failureReason: String?
            var priceCents: Int64
        }
        var id: UUID
        var type: String
        var createdAt: String
        var delivery: Delivery
    }

    /// Called inside the transaction of a change of status: queues the call if the store has a
    /// webhook and the status makes an event.
    static func statusChanged(_ delivery: UUID, to status: DeliveryStatus, reason: String?, at: Date, on db: any Database) async throws {
        guard let event = DeliveryWebhookEvent(status: status) else { return }
        try await queue(event, delivery: delivery, at: at, on: db)
    }

    static func queue(_ event: DeliveryWebhookEvent, delivery id: UUID, at: Date, on db: any Database) async throws {
        struct Found: Decodable { var store_id: UUID; var status: String; var failure_reason: String?; var price_cents: Int64 }
        guard let row = try await db.sql.select().columns("store_id", "status", "failure_reason", "price_cents").from("deliveries")
                .where("id", .equal, SQLBind(id)).first(decoding: Found.self),
              let hook = try await setting(of: row.store_id, on: db) else { return }
        let payload = Payload(id: UUID(), type: event.rawValue, createdAt: ISO8601DateFormatter().string(from: at),
                              delivery: .init(id: id, store: row.store_id, status: row.status, failureReason: row.failure_reason, priceCents: row.price_cents))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = String(decoding: try encoder.encode(payload), as: UTF8.self)
        // The row names the store (`signer`), never holds its secret: the channel signs at each attempt.
        let outbox = try await Outbox.enqueue(OutboxEnvelope(channel: DeliveryWebhookChannel.channelName, destination: hook.url,
                                                             destinationKey: URLComponents(string: hook.url)?.host ?? hook.url,
                                                             summary: "\(event.rawValue) \(id)", payload: body, signer: row.store_id.uuidString),
                                              on: db, now: at)
        try await db.sql.insert(into: "delivery_webhook_calls").columns("outbox_id", "store_id", "delivery_id", "event", "created_at")
            .values(SQLBind(outbox), SQLBind(row.store_id), SQLBind(id), SQLBind(event.rawValue), SQLBind(at)).run()
    }

    /// The store's latest calls, newest first, with where each stands in the outbox.
    static func calls(of store: UUID, limit: Int = 30, on db: any Database) async throws -> [Call] {
        struct Row: Decodable { var outbox_id: UUID; var delivery_id: UUID; var event: String; var created_at: Date }
        let rows = try await db.sql.select().columns("outbox_id", "delivery_id", "event", "created_at").from("delivery_webhook_calls")
            .where("store_id", .equal, SQLBind(store)).orderBy("created_at", .descending).limit(limit).all(decoding: Row.self)
        var calls: [Call] = []
        for row in rows {
            let found = try await OutboxQueries.find(row.outbox_id, on: db)?.0
            calls.append(Call(event: row.event, deliveryID: row.delivery_id, createdAt: row.created_at, status: found?.status ?? "purged",
                              attempts: found?.attempts ?? 0, lastError: found?.last_error))
        }
        return calls
    }
}
