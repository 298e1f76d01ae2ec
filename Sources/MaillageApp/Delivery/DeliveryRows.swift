import Foundation
import MaillageCore

/// Rows of the delivery tables as read back (snake_case columns).
struct DeliveryStoreRow: Decodable, Sendable {
    var id: UUID
    var cooperative_id: UUID
    var name: String
    var address: String
    var lat: Double
    var lon: Double
    var acceptance: String
    var created_at: Date

    var rule: AcceptanceRule { (try? JSONDecoder().decode(AcceptanceRule.self, from: Data(acceptance.utf8))) ?? .anything }
}

struct PackageTypeRow: Decodable, Sendable {
    var id: UUID
    var name: String
    var volume_units: Int
    var weight_grams: Int

    var type: PackageType { PackageType(name: name, volumeUnits: volume_units, weightGrams: weight_grams) }
}

struct FailureReasonRow: Decodable, Sendable {
    var id: UUID
    var label: String
}

struct DeliveryZoneRow: Decodable, Sendable {
    var id: UUID
    var name: String
    var geojson: String

    var zone: DeliveryZone? { try? GeoJSONZones.zone(named: name, from: Data(#"{"type":"MultiPolygon","coordinates":\#(geojson)}"#.utf8)) }
}

struct DeliveryRow: Decodable, Sendable {
    var id: UUID
    var cooperative_id: UUID
    var store_id: UUID
    var ordered_by: UUID?
    var status: String
    var vehicle: String
    var distance_km: Double
    var price_cents: Int64
    var couriers_cents: Int64
    var cooperative_cents: Int64
    var reserves_cents: Int64
    var price_lines: String
    var tracking_token: String
    var failure_reason: String?
    var created_at: Date
    var updated_at: Date

    var deliveryStatus: DeliveryStatus { DeliveryStatus(rawValue: status) ?? .todo }
    var lines: [PriceQuote.Line] { (try? JSONDecoder().decode([PriceQuote.Line].self, from: Data(price_lines.utf8))) ?? [] }
}

struct DeliveryTaskRow: Decodable, Sendable {
    var id: UUID
    var delivery_id: UUID
    var position: Int
    var kind: String
    var address: String
    var lat: Double
    var lon: Double
    var contact_name: String
    var phone: String
    var after_at: Date?
    var before_at: Date?
    var comments: String
    var packages: String
    var weight_grams: Int
    var doorstep: Bool
    var tags: String
    var reference: String

    var packageLines: [PackageLine] { (try? JSONDecoder().decode([PackageLine].self, from: Data(packages.utf8))) ?? [] }
}

struct DeliveryEventRow: Decodable, Sendable {
    var id: UUID
    var delivery_id: UUID
    var from_status: String?
    var to_status: String
    var actor_id: UUID?
    var channel: String
    var client_address: String
    var reason: String?
    var at: Date
}
