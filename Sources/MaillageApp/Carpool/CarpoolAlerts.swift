import Fluent
import Foundation
import MaillageCore
import SQLKit

/// An alert as stored.
struct RideAlertRow: Sendable, Decodable {
    var id: UUID
    var cooperative_id: UUID
    var user_id: UUID
    var looking_for: String
    var origin_name: String
    var origin_lat: Double
    var origin_lon: Double
    var destination_name: String
    var destination_lat: Double
    var destination_lon: Double
    var weekdays: String
    var minute: Int?
    var margin: Int
    var created_at: Date
    var paused_at: Date?

    var rule: RideAlert {
        RideAlert(lookingFor: RideSide(rawValue: looking_for) ?? .driver, weekdays: RideAlert.weekdays(from: weekdays),
                  time: minute.map { RideTime(minute: $0, margin: margin) })
    }
    var trip: CarpoolMatching.Trip? {
        guard let origin = GeoPoint(lat: origin_lat, lon: origin_lon), let destination = GeoPoint(lat: destination_lat, lon: destination_lon)
        else { return nil }
        return CarpoolMatching.Trip(origin: origin, destination: destination)
    }
}

/// Saved searches that tell their person when a matching ad appears.
enum CarpoolAlerts {
    static let word = Localized(fr: "Alerte", en: "Alert")
    static let columns = ["id", "cooperative_id", "user_id", "looking_for", "origin_name", "origin_lat", "origin_lon", "destination_name",
                          "destination_lat", "destination_lon", "weekdays", "minute", "margin", "created_at", "paused_at"]
    /// Enough for a person's usual trips; more would be a search engine, not alerts.
    static let mostPerPerson = 20

    static let samePlace = DomainError(.invalid, code: "same_place", field: "to",
        fr: "Le départ et l’arrivée sont au même endroit.", en: "The departure and the arrival are the same place.")
    static let tooMany = DomainError(.conflict, code: "too_many_alerts",
        fr: "Vous avez déjà 20 alertes : supprimez-en une avant d’en créer une autre.", en: "You already have 20 alerts: delete one before creating another.")

    /// Saves an alert; the places are resolved by the caller (nil when unknown).
    static func create(_ rule: RideAlert, from origin: RidePlace?, to destination: RidePlace?, person: UUID, coop: UUID,
                       on db: any Database) async throws -> UUID {
        var errors = ValidationErrors()
        if origin == nil { errors.add(CarpoolErrors.unknownPlace("from")) }
        if destination == nil { errors.add(CarpoolErrors.unknownPlace("to")) }
        if let origin, let destination, origin.point.distanceKm(to: destination.point) < 1 { errors.add(samePlace) }
        try errors.throwIfAny()
        guard let origin, let destination else { throw CarpoolErrors.unknownPlace("from") }
        let id = UUID()
        try await db.writeTransaction { tx in
            let count = try await tx.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("carpool_alerts")
                .where("user_id", .equal, SQLBind(person)).where("cooperative_id", .equal, SQLBind(coop)).first()?.decode(column: "n", as: Int.self) ?? 0
            guard count < mostPerPerson else { throw tooMany }
            try await tx.sql.insert(into: "carpool_alerts").columns(columns.dropLast().map { SQLColumn($0) })
                .values(SQLBind(id), SQLBind(coop), SQLBind(person), SQLBind(rule.lookingFor.rawValue),
                        SQLBind(origin.name), SQLBind(origin.point.lat), SQLBind(origin.point.lon),
                        SQLBind(destination.name), SQLBind(destination.point.lat), SQLBind(destination.point.lon),
                        SQLBind(rule.weekdaysText), SQLBind(rule.time?.minute), SQLBind(rule.time?.margin ?? RideAlert.defaultMargin), SQLBind(Date()))
                .run()
        }
        return id
    }

    static func mine(_ person: UUID, in coop: UUID, on db: any Database) async throws -> [RideAlertRow] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_alerts")
            .where("user_id", .equal, SQLBind(person)).where("cooperative_id", .equal, SQLBind(coop))
            .orderBy("created_at").all(decoding: RideAlertRow.self)
    }

    /// The person's own alert, or 404 (someone else's alert is nobody else's business).
    static func find(_ id: UUID?, of person: UUID, in coop: UUID, on db: any Database) async throws -> RideAlertRow {
        guard let id, let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_alerts")
            .where("id", .equal, SQLBind(id)).where("user_id", .equal, SQLBind(person)).where("cooperative_id", .equal, SQLBind(coop))
            .first(decoding: RideAlertRow.self)
        else { throw Problem.notFound(word) }
        return row
    }

    /// Pauses (`paused: true`) or resumes the person's alert.
    static func pause(_ id: UUID?, _ paused: Bool, of person: UUID, in coop: UUID, on db: any Database) async throws {
        let alert = try await find(id, of: person, in: coop, on: db)
        try await db.sql.update("carpool_alerts").set("paused_at", to: paused ? SQLBind(Date()) : SQLBind(Date?.none))
            .where("id", .equal, SQLBind(alert.id)).run()
    }

    static func delete(_ id: UUID?, of person: UUID, in coop: UUID, on db: any Database) async throws {
        let alert = try await find(id, of: person, in: coop, on: db)
        try await db.sql.delete(from: "carpool_alerts").where("id", .equal, SQLBind(alert.id)).run()
    }

    /// Tells, once per alert and ad, every person whose alert matches the ad just published.
    ///
    /// SQL keeps the cooperative's running alerts of other people who look for what the ad offers
    /// (and, for an ad of a community, its members only); where the ad drives, the alert's two
    /// ends must also lie in the rectangle any acceptable passenger lies in. Core then checks
    /// each leg's detour (`CarpoolMatching.check`) and its days and time (`RideAlert.meets`).
    /// The hit row is written before the notice, in one transaction: a second call for the same
    /// ad finds the row and tells nobody again.
    static func adPublished(_ ad: UUID, in coop: UUID, slug: String, on db: any Database) async throws {
        let ad = try await CarpoolAds.find(ad, in: coop, on: db)
        guard ad.withdrawn_at == nil else { return }
        let times = try await CarpoolAds.times(of: ad.id, on: db)
        guard !times.isEmpty else { return }
        let estimator = CarpoolAds.estimator
        let outward = CarpoolMatching.prefilter(ad.trip, estimator: estimator).extendedBox
        let role = ad.rideRole
        let select = db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_alerts")
            .where("cooperative_id", .equal, SQLBind(coop)).where("paused_at", .is, SQLLiteral.null)
            .where("user_id", .notEqual, SQLBind(ad.author_id))
            .where { wanted in
                if role.drives {
                    // Both ends inside the rectangle that holds every acceptable passenger (the return leg's is the same).
                    wanted.orWhere { inside in
                        inside.where("looking_for", .equal, SQLBind("driver"))
                        for end in ["origin", "destination"] {
                            inside.where("\(end)_lat", .greaterThanOrEqual, SQLBind(outward.minLat)).where("\(end)_lat", .lessThanOrEqual, SQLBind(outward.maxLat))
                                .where("\(end)_lon", .greaterThanOrEqual, SQLBind(outward.minLon)).where("\(end)_lon", .lessThanOrEqual, SQLBind(outward.maxLon))
                        }
                        return inside
                    }
                }
                if role.rides { wanted.orWhere("looking_for", .equal, SQLBind("passenger")) }
                return wanted
            }
        if let community = ad.community_id {
            select.where("user_id", .in, SQLSubquery.select { sub in
                sub.column("user_id").from("carpool_community_members")
                    .where("community_id", .equal, SQLBind(community)).where("status", .in, SQLBind.group(["manager", "member"]))
            })
        }
        let alerts = try await select.all(decoding: RideAlertRow.self)
        guard !alerts.isEmpty else { return }
        let relayPoints = try await RelayPoint.all(of: coop, on: db).compactMap(\.point)
        for alert in alerts where matches(alert, ad: ad, times: times, relayPoints: relayPoints) {
            // Someone who left the cooperative keeps their alerts but hears nothing.
            guard try await Cooperatives.membership(of: alert.user_id, in: coop, on: db)?.memberStatus == .active else { continue }
            try await tell(alert, about: ad, slug: slug, on: db)
        }
    }

    /// Whether one of the ad's legs carries the alert's trip at one of its days and times.
    static func matches(_ alert: RideAlertRow, ad: RideAdRow, times: [RideTimeRow], relayPoints: [GeoPoint]) -> Bool {
        guard let wanted = alert.trip else { return false }
        let rule = alert.rule
        guard rule.wants(ad.rideRole) else { return false }
        for leg in RideLeg.allCases {
            let legTimes = times.filter { $0.leg == leg.rawValue }
            guard !legTimes.isEmpty else { continue }
            let adTrip = leg == .outward ? ad.trip : CarpoolMatching.Trip(origin: ad.destination, destination: ad.origin)
            let (driver, passenger) = rule.lookingFor == .driver ? (adTrip, wanted) : (wanted, adTrip)
            guard let match = CarpoolMatching.check(driver: driver, passenger: passenger, relayPoints: relayPoints,
                                                    estimator: CarpoolAds.estimator) else { continue }
            for time in legTimes {
                guard let weekday = time.weekday ?? time.on_date.flatMap(LocalDate.init(iso:))?.weekday else { continue }
                if rule.meets(weekday: weekday, adTime: RideTime(minute: time.minute, margin: time.margin),
                              pickupAfterMinutes: match.pickupAfterMinutes) { return true }
            }
        }
        return false
    }

    /// One notice per (alert, ad): `ON CONFLICT DO NOTHING RETURNING` says whether this call wrote the hit.
    private static func tell(_ alert: RideAlertRow, about ad: RideAdRow, slug: String, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            let written = try await tx.sql.insert(into: "carpool_alert_hits").columns("alert_id", "ad_id", "at")
                .values(SQLBind(alert.id), SQLBind(ad.id), SQLBind(Date())).ignoringConflicts().returning("alert_id").all()
            guard !written.isEmpty else { return }
            let kind = alert.rule.lookingFor == .passenger
                ? Localized(fr: "un·e passager·ère", en: "a passenger") : Localized(fr: "un·e conducteur·rice", en: "a driver")
            let when = ad.isRegular ? Localized(fr: "trajet régulier", en: "regular trip")
                : LocalDate(iso: ad.from_date).map { Localized(fr: "le \(DayText.short($0, .fr))", en: "on \(DayText.short($0, .en))") }
                    ?? Localized(fr: "le \(ad.from_date)", en: "on \(ad.from_date)")
            try await Inbox.notify(alert.user_id, text(kind, ad, when, alert), link: "/c/\(slug)/carpool/ads/\(ad.id)", kind: .rides, on: tx)
        }
    }

    private static func text(_ kind: Localized, _ ad: RideAdRow, _ when: Localized, _ alert: RideAlertRow) -> Localized {
        let trip = "\(ad.origin_name) → \(ad.destination_name)", wish = "\(alert.origin_name) → \(alert.destination_name)"
        return Localized(fr: "Nouveau trajet pour votre alerte \(wish) : \(kind.fr), \(trip), \(when.fr).",
                         en: "New ride for your alert \(wish): \(kind.en), \(trip), \(when.en).")
    }
}
