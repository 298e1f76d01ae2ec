import Fluent
import Foundation
import MaillageCore
import SQLKit

/// What the cooperative's staff set up: stores and who orders for them, package types,
/// failure reasons, zones and the price grid.
enum DeliverySettings {
    // MARK: Stores

    static func stores(of coop: UUID, on db: any Database) async throws -> [DeliveryStoreRow] {
        try await db.sql.select().column("*").from("delivery_stores").where("cooperative_id", .equal, SQLBind(coop))
            .orderBy("name").all(decoding: DeliveryStoreRow.self)
    }

    static func store(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> DeliveryStoreRow {
        guard let id, let row = try await db.sql.select().column("*").from("delivery_stores").where("id", .equal, SQLBind(id))
            .where("cooperative_id", .equal, SQLBind(coop)).first(decoding: DeliveryStoreRow.self)
        else { throw Problem.notFound(DeliveryWords.store) }
        return row
    }

    static func createStore(name: String, address: String, point: GeoPoint, rule: AcceptanceRule, in coop: UUID, on db: any Database) async throws -> UUID {
        let id = UUID()
        let acceptance = String(decoding: try JSONEncoder().encode(rule), as: UTF8.self)
        do {
            try await db.sql.insert(into: "delivery_stores").columns("id", "cooperative_id", "name", "address", "lat", "lon", "acceptance", "created_at")
                .values(SQLBind(id), SQLBind(coop), SQLBind(name), SQLBind(address), SQLBind(point.lat), SQLBind(point.lon), SQLBind(acceptance), SQLBind(Date()))
                .run()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw DeliveryWords.nameTaken
        }
        return id
    }

    /// Adds a person who may order for the store; adding them twice changes nothing.
    static func addMember(_ user: UUID, to store: UUID, on db: any Database) async throws {
        try await db.sql.raw("""
            INSERT INTO delivery_store_members (store_id, user_id, added_at) VALUES (\(bind: store), \(bind: user), \(bind: Date()))
            ON CONFLICT (store_id, user_id) DO NOTHING
            """).run()
    }

    static func members(of store: UUID, on db: any Database) async throws -> [UUID] {
        struct Row: Decodable { var user_id: UUID }
        return try await db.sql.select().column("user_id").from("delivery_store_members").where("store_id", .equal, SQLBind(store))
            .all(decoding: Row.self).map(\.user_id)
    }

    /// The stores this person orders for, in this cooperative.
    static func stores(of user: UUID, in coop: UUID, on db: any Database) async throws -> [DeliveryStoreRow] {
        try await db.sql.raw("""
            SELECT s.* FROM delivery_stores s JOIN delivery_store_members m ON m.store_id = s.id
            WHERE m.user_id = \(bind: user) AND s.cooperative_id = \(bind: coop) ORDER BY s.name
            """).all(decoding: DeliveryStoreRow.self)
    }

    static func isMember(_ user: UUID, of store: UUID, on db: any Database) async throws -> Bool {
        try await db.sql.select().column("store_id").from("delivery_store_members").where("store_id", .equal, SQLBind(store))
            .where("user_id", .equal, SQLBind(user)).first() != nil
    }

    // MARK: Package types, failure reasons, zones

    static func packageTypes(of coop: UUID, on db: any Database) async throws -> [PackageTypeRow] {
        try await db.sql.select().columns("id", "name", "volume_units", "weight_grams").from("delivery_package_types")
            .where("cooperative_id", .equal, SQLBind(coop)).orderBy("name").all(decoding: PackageTypeRow.self)
    }

    static func addPackageType(_ type: PackageType, in coop: UUID, on db: any Database) async throws {
        do {
            try await db.sql.insert(into: "delivery_package_types").columns("id", "cooperative_id", "name", "volume_units", "weight_grams")
                .values(SQLBind(UUID()), SQLBind(coop), SQLBind(type.name), SQLBind(type.volumeUnits), SQLBind(type.weightGrams)).run()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw DeliveryWords.nameTaken
        }
    }

    static func failureReasons(of coop: UUID, on db: any Database) async throws -> [FailureReasonRow] {
        try await db.sql.select().columns("id", "label").from("delivery_failure_reasons")
            .where("cooperative_id", .equal, SQLBind(coop)).orderBy("label").all(decoding: FailureReasonRow.self)
    }

    static func addFailureReason(_ label: String, in coop: UUID, on db: any Database) async throws {
        do {
            try await db.sql.insert(into: "delivery_failure_reasons").columns("id", "cooperative_id", "label")
                .values(SQLBind(UUID()), SQLBind(coop), SQLBind(label)).run()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw DeliveryWords.nameTaken
        }
    }

    static func zoneRows(of coop: UUID, on db: any Database) async throws -> [DeliveryZoneRow] {
        try await db.sql.select().columns("id", "name", "geojson").from("delivery_zones")
            .where("cooperative_id", .equal, SQLBind(coop)).orderBy("name").all(decoding: DeliveryZoneRow.self)
    }

    static func zones(of coop: UUID, on db: any Database) async throws -> [DeliveryZone] {
        try await zoneRows(of: coop, on: db).compactMap(\.zone)
    }

    /// Saves a zone read from GeoJSON; a zone of the same name is replaced (a new outline).
    static func saveZone(_ zone: DeliveryZone, in coop: UUID, on db: any Database) async throws {
        let rings = zone.polygons.map { polygon in polygon.map { ring in ring.map { [$0.lon, $0.lat] } } }
        let json = String(decoding: try JSONEncoder().encode(rings), as: UTF8.self)
        try await db.sql.raw("""
            INSERT INTO delivery_zones (id, cooperative_id, name, geojson, created_at)
            VALUES (\(bind: UUID()), \(bind: coop), \(bind: zone.name), \(bind: json), \(bind: Date()))
            ON CONFLICT (cooperative_id, name) DO UPDATE SET geojson = excluded.geojson
            """).run()
    }

    // MARK: Price grid

    static func pricing(of coop: UUID, on db: any Database) async throws -> PricingRuleSet {
        struct Row: Decodable { var rule_set: String }
        guard let row = try await db.sql.select().column("rule_set").from("delivery_pricing").where("cooperative_id", .equal, SQLBind(coop))
            .first(decoding: Row.self), let set = try? JSONDecoder().decode(PricingRuleSet.self, from: Data(row.rule_set.utf8))
        else { return PricingRuleSet(mode: .firstMatch, rules: []) }
        return set
    }

    static func savePricing(_ set: PricingRuleSet, of coop: UUID, on db: any Database) async throws {
        let json = String(decoding: try JSONEncoder().encode(set), as: UTF8.self)
        try await db.sql.raw("""
            INSERT INTO delivery_pricing (cooperative_id, rule_set, updated_at) VALUES (\(bind: coop), \(bind: json), \(bind: Date()))
            ON CONFLICT (cooperative_id) DO UPDATE SET rule_set = excluded.rule_set, updated_at = excluded.updated_at
            """).run()
    }
}
