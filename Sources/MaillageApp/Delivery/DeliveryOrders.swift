import Fluent
import Foundation
import MaillageCore
import SQLKit

/// A delivery's life: ordered (checked, accepted, priced in one go), then moved from status to
/// status by conditional updates, each leaving one event row.
enum DeliveryOrders {
    /// Who changed something and from where, for the event row.
    struct Actor: Sendable {
        var user: UUID?
        var channel: String
        var clientAddress: String

        static let demo = Actor(user: nil, channel: "demo", clientAddress: "")
    }

    /// The figures a price and an acceptance come from, with the price and the refusals.
    struct Assessment: Sendable {
        var facts: DeliveryFacts
        var refusals: [DomainError]
        var quote: PriceQuote?
        var accepted: Bool { refusals.isEmpty && quote != nil }
    }

    /// Checks a draft for a store: its shape (throws), then acceptance and price (told, not thrown).
    static func assess(_ draft: DeliveryDraft, store: DeliveryStoreRow, on db: any Database, now: Date = Date()) async throws -> Assessment {
        try draft.validate()
        let facts = DeliveryFacts(draft, zones: try await DeliverySettings.zones(of: store.cooperative_id, on: db), orderedAt: now)
        var refusals = store.rule.refusals(facts)
        var quote: PriceQuote?
        let grid = try await DeliverySettings.pricing(of: store.cooperative_id, on: db)
        do { quote = try grid.quote(facts) } catch { refusals.append(error) }
        return Assessment(facts: facts, refusals: refusals, quote: quote)
    }

    /// Records an accepted delivery with its price; a refused one throws every reason at once.
    static func create(_ draft: DeliveryDraft, store: DeliveryStoreRow, by actor: Actor, on db: any Database, now: Date = Date()) async throws -> DeliveryRow {
        let assessment = try await assess(draft, store: store, on: db, now: now)
        guard assessment.accepted, let quote = assessment.quote else {
            var errors = ValidationErrors()
            for refusal in assessment.refusals { errors.add(refusal) }
            try errors.throwIfAny()
            throw DomainError.noPriceApplies
        }
        let id = UUID(), token = trackingToken()
        let lines = String(decoding: try JSONEncoder().encode(quote.lines), as: UTF8.self)
        try await db.writeTransaction { db in
            try await db.sql.insert(into: "deliveries")
                .columns("id", "cooperative_id", "store_id", "ordered_by", "status", "vehicle", "distance_km", "price_cents", "couriers_cents",
                         "cooperative_cents", "reserves_cents", "price_lines", "tracking_token", "failure_reason", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(store.cooperative_id), SQLBind(store.id), SQLBind(actor.user), SQLBind(DeliveryStatus.todo.rawValue),
                        SQLBind(draft.vehicle.rawValue), SQLBind(assessment.facts.distanceKm), SQLBind(quote.totalCents),
                        SQLBind(quote.split.couriersCents), SQLBind(quote.split.cooperativeCents), SQLBind(quote.split.reservesCents),
                        SQLBind(lines), SQLBind(token), SQLLiteral.null, SQLBind(now), SQLBind(now))
                .run()
            for (position, task) in draft.tasks.enumerated() {
                let packages = String(decoding: try JSONEncoder().encode(task.packages), as: UTF8.self)
                let tags = String(decoding: try JSONEncoder().encode(task.tags), as: UTF8.self)
                try await db.sql.insert(into: "delivery_tasks")
                    .columns("id", "delivery_id", "position", "kind", "address", "lat", "lon", "contact_name", "phone", "after_at", "before_at",
                             "comments", "packages", "weight_grams", "doorstep", "tags", "reference")
                    .values(SQLBind(UUID()), SQLBind(id), SQLBind(position), SQLBind(task.kind.rawValue), SQLBind(task.address),
                            SQLBind(task.point.lat), SQLBind(task.point.lon), SQLBind(task.contactName), SQLBind(task.phone),
                            SQLBind(task.after), SQLBind(task.before), SQLBind(task.comments), SQLBind(packages),
                            SQLBind(task.totalWeightGrams), SQLBind(task.doorstep), SQLBind(tags), SQLBind(task.reference))
                    .run()
            }
            try await event(id, from: nil, to: .todo, by: actor, reason: nil, at: now, on: db)
        }
        return try await delivery(id, in: store.cooperative_id, on: db)
    }

    private struct Moved: Error {}

    /// Moves a delivery on, if it is still where the change starts from: two changes racing
    /// (two cancels, a cancel and a start) leave one final status and one event.
    static func move(_ id: UUID, in coop: UUID, to next: DeliveryStatus, reason: String? = nil, by actor: Actor,
                     on db: any Database, now: Date = Date()) async throws -> DeliveryRow {
        let current = try await delivery(id, in: coop, on: db)
        let known = next == .failed ? try await DeliverySettings.failureReasons(of: coop, on: db).map(\.label) : []
        _ = try current.deliveryStatus.move(to: next, failureReason: reason, knownReasons: known)
        let sources = next.reachableFrom.map(\.rawValue)
        do {
            try await db.writeTransaction { db in
                struct Row: Decodable { var id: UUID }
                let changed = try await db.sql.raw("""
                    UPDATE deliveries SET status = \(bind: next.rawValue), failure_reason = \(bind: next == .failed ? reason : nil),
                    updated_at = \(bind: now) WHERE id = \(bind: id) AND status IN \(SQLBind.group(sources)) RETURNING id
                    """).first(decoding: Row.self)
                guard changed != nil else { throw Moved() }
                try await event(id, from: current.deliveryStatus, to: next, by: actor, reason: next == .failed ? reason : nil, at: now, on: db)
            }
        } catch is Moved {
            // Someone else moved it first: say where it is now.
            let now = try await delivery(id, in: coop, on: db)
            throw DomainError.deliveryCannotMove(from: now.deliveryStatus, to: next)
        }
        return try await delivery(id, in: coop, on: db)
    }

    private static func event(_ delivery: UUID, from: DeliveryStatus?, to: DeliveryStatus, by actor: Actor, reason: String?, at: Date,
                              on db: any Database) async throws {
        try await db.sql.insert(into: "delivery_events")
            .columns("id", "delivery_id", "from_status", "to_status", "actor_id", "channel", "client_address", "reason", "at")
            .values(SQLBind(UUID()), SQLBind(delivery), SQLBind(from?.rawValue), SQLBind(to.rawValue), SQLBind(actor.user),
                    SQLBind(actor.channel), SQLBind(actor.clientAddress), SQLBind(reason), SQLBind(at))
            .run()
        // The store's webhook call is queued in the same transaction as the change.
        try await DeliveryWebhooks.statusChanged(delivery, to: to, reason: reason, at: at, on: db)
    }

    /// 128 random bits: the tracking link is the recipient's only key, so it cannot be guessed.
    static func trackingToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    // MARK: Reading

    static func delivery(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> DeliveryRow {
        guard let id, let row = try await db.sql.select().column("*").from("deliveries").where("id", .equal, SQLBind(id))
            .where("cooperative_id", .equal, SQLBind(coop)).first(decoding: DeliveryRow.self)
        else { throw Problem.notFound(DeliveryWords.delivery) }
        return row
    }

    static func delivery(tracking token: String, on db: any Database) async throws -> DeliveryRow {
        guard token.count == 32, let row = try await db.sql.select().column("*").from("deliveries")
            .where("tracking_token", .equal, SQLBind(token)).first(decoding: DeliveryRow.self)
        else { throw Problem.notFound(DeliveryWords.delivery) }
        return row
    }

    static func tasks(of delivery: UUID, on db: any Database) async throws -> [DeliveryTaskRow] {
        try await db.sql.select().column("*").from("delivery_tasks").where("delivery_id", .equal, SQLBind(delivery))
            .orderBy("position").all(decoding: DeliveryTaskRow.self)
    }

    static func events(of delivery: UUID, on db: any Database) async throws -> [DeliveryEventRow] {
        try await db.sql.select().column("*").from("delivery_events").where("delivery_id", .equal, SQLBind(delivery))
            .orderBy("at").all(decoding: DeliveryEventRow.self)
    }

    static func deliveries(ofStore store: UUID, limit: Int = 100, on db: any Database) async throws -> [DeliveryRow] {
        try await db.sql.select().column("*").from("deliveries").where("store_id", .equal, SQLBind(store))
            .orderBy("created_at", .descending).limit(limit).all(decoding: DeliveryRow.self)
    }

    static func deliveries(of coop: UUID, limit: Int = 100, on db: any Database) async throws -> [DeliveryRow] {
        try await db.sql.select().column("*").from("deliveries").where("cooperative_id", .equal, SQLBind(coop))
            .orderBy("created_at", .descending).limit(limit).all(decoding: DeliveryRow.self)
    }
}
