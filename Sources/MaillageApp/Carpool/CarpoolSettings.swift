import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The cooperative's carpool choices: free rides or an at-cost contribution (rate per km), how it
/// is paid, and whether people may write a review after a ride (off unless the cooperative
/// chooses it). A cooperative that never chose gets free rides, paid directly, no reviews.
struct CarpoolSettings: Sendable, Equatable {
    var contribution: CarpoolContribution = .free
    var payment: ContributionPayment = .direct
    var reviews = false

    private struct Row: Decodable { var contribution: String; var cents_per_km: Int; var payment: String; var reviews: Bool }

    static func of(_ coop: UUID, on db: any Database) async throws -> CarpoolSettings {
        guard let row = try await db.sql.select().columns("contribution", "cents_per_km", "payment", "reviews").from("carpool_settings")
            .where("cooperative_id", .equal, SQLBind(coop)).first(decoding: Row.self) else { return CarpoolSettings() }
        return CarpoolSettings(contribution: row.contribution == "free" ? .free : .atCost(centsPerKm: row.cents_per_km),
                               payment: ContributionPayment(rawValue: row.payment) ?? .direct, reviews: row.reviews)
    }

    func save(for coop: UUID, by person: UUID, on db: any Database) async throws {
        let (mode, rate): (String, Int) = switch contribution {
        case .free: ("free", CarpoolContribution.defaultCentsPerKm)
        case let .atCost(cents): ("at-cost", cents)
        }
        try await db.sql.insert(into: "carpool_settings")
            .columns("cooperative_id", "contribution", "cents_per_km", "payment", "reviews", "updated_at", "updated_by")
            .values(SQLBind(coop), SQLBind(mode), SQLBind(rate), SQLBind(payment.rawValue), SQLBind(reviews), SQLBind(Date()), SQLBind(person))
            .onConflict(with: ["cooperative_id"]) {
                $0.set(excludedValueOf: "contribution").set(excludedValueOf: "cents_per_km").set(excludedValueOf: "payment")
                    .set(excludedValueOf: "reviews").set(excludedValueOf: "updated_at").set(excludedValueOf: "updated_by")
            }.run()
    }

    /// The rate to show in the form: the chosen one, or Mobicoop's 0,06 €.
    var centsPerKm: Int {
        if case let .atCost(cents) = contribution { return cents }
        return CarpoolContribution.defaultCentsPerKm
    }
}

/// A meeting spot set by staff: a carpool area, a station, a car park.
struct RelayPoint: Sendable, Equatable, Decodable {
    var id: UUID
    var name: String
    var kind: String
    var commune: String
    var lat: Double
    var lon: Double
    var description: String

    var point: GeoPoint? { GeoPoint(lat: lat, lon: lon) }

    static let kinds: [(String, Localized)] = [
        ("carpool-area", Localized(fr: "Aire de covoiturage", en: "Carpool area")),
        ("station", Localized(fr: "Gare ou arrêt", en: "Station or stop")),
        ("car-park", Localized(fr: "Parking", en: "Car park")),
        ("other", Localized(fr: "Autre lieu", en: "Other place")),
    ]

    static func kindLabel(_ kind: String) -> Localized {
        kinds.first { $0.0 == kind }?.1 ?? Localized(fr: "Lieu", en: "Place")
    }

    static func all(of coop: UUID, on db: any Database) async throws -> [RelayPoint] {
        try await db.sql.select().columns("id", "name", "kind", "commune", "lat", "lon", "description").from("carpool_relay_points")
            .where("cooperative_id", .equal, SQLBind(coop)).where("withdrawn_at", .is, SQLLiteral.null)
            .orderBy("name").all(decoding: RelayPoint.self)
    }

    static let nameLength = 2...80

    /// Adds a relay point: a name, its kind, a commune of the territory, and its coordinates
    /// (typed, or the commune's town hall when left empty).
    static func add(name: String, kind: String, commune: String, lat: String, lon: String, description: String,
                    to coop: UUID, on db: any Database) async throws -> UUID {
        var errors = ValidationErrors()
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !nameLength.contains(name.count) {
            errors.add(DomainError(.invalid, code: "invalid_name", field: "name", fr: "Le nom fait 2 à 80 caractères.", en: "The name is 2 to 80 characters."))
        }
        if !kinds.contains(where: { $0.0 == kind }) { errors.add(CarpoolErrors.unknownChoice("kind")) }
        let place = Communes.coordinates(of: commune)
        if place == nil { errors.add(CarpoolErrors.unknownPlace("commune")) }
        var point = place.flatMap { GeoPoint(lat: $0.lat, lon: $0.lon) }
        let latText = lat.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        let lonText = lon.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        if !latText.isEmpty || !lonText.isEmpty {
            point = Double(latText).flatMap { la in Double(lonText).flatMap { GeoPoint(lat: la, lon: $0) } }
            if point == nil {
                errors.add(DomainError(.invalid, code: "invalid_coordinates", field: "lat",
                                       fr: "Indiquez la latitude et la longitude en degrés décimaux (47,2736 et −2,2139).",
                                       en: "Give latitude and longitude in decimal degrees (47.2736 and -2.2139)."))
            }
        }
        if description.count > 500 {
            errors.add(DomainError(.invalid, code: "description_too_long", field: "description", fr: "500 caractères au plus.", en: "500 characters at most."))
        }
        try errors.throwIfAny()
        guard let point, let place else { throw CarpoolErrors.unknownPlace("commune") }
        let id = UUID()
        do {
            try await db.sql.insert(into: "carpool_relay_points")
                .columns("id", "cooperative_id", "name", "kind", "commune", "lat", "lon", "description", "created_at")
                .values(SQLBind(id), SQLBind(coop), SQLBind(name), SQLBind(kind), SQLBind(place.name), SQLBind(point.lat), SQLBind(point.lon),
                        SQLBind(description.trimmingCharacters(in: .whitespacesAndNewlines)), SQLBind(Date()))
                .run()
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw DomainError(.conflict, code: "relay_point_exists", field: "name",
                              fr: "Un point de rendez-vous porte déjà ce nom.", en: "A meeting point already has this name.")
        }
        return id
    }

    /// Withdraws a point from the lists; ads that use it keep their place name and coordinates.
    static func withdraw(_ id: UUID, in coop: UUID, on db: any Database) async throws {
        let rows = try await db.sql.update("carpool_relay_points").set("withdrawn_at", to: SQLBind(Date()))
            .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).where("withdrawn_at", .is, SQLLiteral.null)
            .returning("id").all()
        guard !rows.isEmpty else { throw Problem.notFound(Localized(fr: "Point de rendez-vous", en: "Meeting point")) }
    }
}
