import Foundation
import MaillageCore
import Vapor

/// A delivery as a store's software sends it: its stops in the order they are ridden.
struct DeliveryAPIOrder: Content {
    struct Package: Codable, Sendable {
        var type: String
        var quantity: Int
    }

    struct Stop: Codable, Sendable {
        var kind: String
        var address: String
        var lat: Double?
        var lon: Double?
        var commune: String?
        var contactName: String?
        var phone: String?
        var after: String?
        var before: String?
        var comments: String?
        var packages: [Package]?
        var weightGrams: Int?
        var doorstep: Bool?
        var tags: [String]?
        var reference: String?
    }

    var tasks: [Stop]
    var vehicle: String?

    /// The same draft the store's form makes, or every problem at once, each on its field
    /// (`tasks[1].lat`); the core then checks the shape as it does for the form.
    func draft(packageTypes: [PackageType]) throws -> DeliveryDraft {
        var problems = ValidationErrors()
        var stops: [DeliveryTaskDraft] = []
        let vehicle = DeliveryVehicle(rawValue: self.vehicle ?? DeliveryVehicle.bike.rawValue)
        if vehicle == nil { problems.add(Self.invalid("vehicle", fr: "Véhicule : bike ou cargo_bike.", en: "Vehicle: bike or cargo_bike.")) }
        for (index, stop) in tasks.enumerated() {
            let field = "tasks[\(index)]"
            let kind = DeliveryTaskKind(rawValue: stop.kind)
            if kind == nil { problems.add(Self.invalid("\(field).kind", fr: "Étape : pickup ou dropoff.", en: "Stop: pickup or dropoff.")) }
            var point: GeoPoint?
            if stop.lat != nil || stop.lon != nil {
                point = stop.lat.flatMap { lat in stop.lon.flatMap { GeoPoint(lat: lat, lon: $0) } }
                if point == nil { problems.add(Self.position("\(field).lat")) }
            } else {
                point = GeoPoint(commune: stop.commune ?? "")
                if point == nil { problems.add(Self.position("\(field).commune")) }
            }
            let after = try problems.collect { try Self.instant(stop.after, "\(field).after") } ?? nil
            let before = try problems.collect { try Self.instant(stop.before, "\(field).before") } ?? nil
            var packages: [PackageLine] = []
            for (n, package) in (stop.packages ?? []).enumerated() {
                if let type = packageTypes.first(where: { $0.name == package.type }) {
                    packages.append(PackageLine(type: type, quantity: package.quantity))
                } else {
                    problems.add(DomainError(.invalid, code: DeliveryWords.unknownPackageType.code, field: "\(field).packages[\(n)].type",
                                             fr: DeliveryWords.unknownPackageType.message.fr, en: DeliveryWords.unknownPackageType.message.en))
                }
            }
            guard let kind, let point else { continue }
            stops.append(DeliveryTaskDraft(kind: kind, address: stop.address, point: point, contactName: stop.contactName ?? "", phone: stop.phone ?? "",
                                           after: after, before: before, comments: stop.comments ?? "", packages: packages, weightGrams: stop.weightGrams,
                                           doorstep: stop.doorstep ?? false, tags: stop.tags ?? [], reference: stop.reference ?? ""))
        }
        try problems.throwIfAny()
        let draft = DeliveryDraft(tasks: stops, vehicle: vehicle ?? .bike)
        try draft.validate()
        return draft
    }

    static func instant(_ text: String?, _ field: String) throws -> Date? {
        guard let text, !text.isEmpty else { return nil }
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: text) else {
            throw invalid(field, fr: "Cette date n’est pas lisible (RFC 3339, par exemple 2030-05-06T10:00:00+02:00).",
                          en: "This date cannot be read (RFC 3339, for example 2030-05-06T10:00:00+02:00).")
        }
        return date
    }

    static func position(_ field: String) -> DomainError {
        DomainError(.invalid, code: DeliveryWords.position.code, field: field, fr: DeliveryWords.position.message.fr, en: DeliveryWords.position.message.en)
    }

    static func invalid(_ field: String, fr: String, en: String) -> DomainError {
        DomainError(.invalid, code: "invalid_field", field: field, fr: fr, en: en)
    }
}

/// A delivery as the API tells it back.
struct DeliveryAPIDelivery: Content {
    struct Split: Content { var couriersCents: Int64; var cooperativeCents: Int64; var reservesCents: Int64 }
    struct Line: Content { var label: String; var cents: Int64 }
    struct Stop: Content {
        var kind: String
        var address: String
        var lat: Double
        var lon: Double
        var contactName: String
        var phone: String
        var after: Date?
        var before: Date?
        var comments: String
        var packages: [DeliveryAPIOrder.Package]
        var weightGrams: Int
        var doorstep: Bool
        var tags: [String]
        var reference: String
    }

    var id: UUID
    var store: UUID
    var status: String
    var vehicle: String
    var distanceKm: Double
    var priceCents: Int64
    var split: Split
    var lines: [Line]
    var failureReason: String?
    var trackingUrl: String
    var createdAt: Date
    var updatedAt: Date
    var tasks: [Stop]?

    init(_ row: DeliveryRow, tasks: [DeliveryTaskRow]?, baseURL: String) {
        id = row.id
        store = row.store_id
        status = row.status
        vehicle = row.vehicle
        distanceKm = (row.distance_km * 100).rounded() / 100
        priceCents = row.price_cents
        split = Split(couriersCents: row.couriers_cents, cooperativeCents: row.cooperative_cents, reservesCents: row.reserves_cents)
        lines = row.lines.map { Line(label: $0.label, cents: $0.cents) }
        failureReason = row.failure_reason
        trackingUrl = baseURL + "/delivery/track/\(row.tracking_token)"
        createdAt = row.created_at
        updatedAt = row.updated_at
        self.tasks = tasks?.map { task in
            Stop(kind: task.kind, address: task.address, lat: task.lat, lon: task.lon, contactName: task.contact_name, phone: task.phone,
                 after: task.after_at, before: task.before_at, comments: task.comments,
                 packages: task.packageLines.map { DeliveryAPIOrder.Package(type: $0.type.name, quantity: $0.quantity) },
                 weightGrams: task.weight_grams, doorstep: task.doorstep,
                 tags: (try? JSONDecoder().decode([String].self, from: Data(task.tags.utf8))) ?? [], reference: task.reference)
        }
    }
}

/// Whether a delivery would be accepted, and its price with its split, before ordering it.
struct DeliveryAPIPreview: Content {
    struct Refusal: Content { var code: String; var message: String; var field: String? }
    var accepted: Bool
    var refusals: [Refusal]
    var distanceKm: Double
    var priceCents: Int64?
    var split: DeliveryAPIDelivery.Split?
    var lines: [DeliveryAPIDelivery.Line]
}
