import Fluent
import Foundation
import MaillageCore
import Vapor

/// RDEX+ `GET /journeys` (FabMob's ridesharing data exchange), so that other platforms and trip
/// planners find this cooperative's rides: answered by the ride search (`CarpoolSearch.run`), in
/// RDEX+'s shape, with RDEX+'s error shape. Open to anyone, as the search is: places and times,
/// never a name (a journey's `user` is the ad, its alias the role).
/// Served at `/c/{slug}/carpool/rdex/journeys` and `/api/v1/cooperatives/{slug}/carpool/rdex/journeys`.
enum CarpoolRdex {
    static func pages(_ routes: any RoutesBuilder) { routes.get("c", ":slug", "carpool", "rdex", "journeys", use: journeys) }
    static func api(_ routes: any RoutesBuilder) { routes.get("cooperatives", ":slug", "carpool", "rdex", "journeys", use: journeys) }

    struct RdexError: Content { var errorCode: String; var errorMessage: String }

    struct Geopoint: Content { var longitude: Double; var latitude: Double; var address: String }
    struct Carpooler: Content { var id: String; var alias: String }
    struct Price: Content { var type: String; var amount: Double; var currency: String; var kilometricPrice: String? }
    struct WaySchedule: Content {
        var departureDate: Int
        var maxDate: Int?
        var timeDelta: Int
        var regularSchedule: [[String: JSONValue]]?
    }
    struct Journey: Content {
        var id: String
        var webUrl: String
        var type = "planned"
        var `operator`: String
        var operatorUrl: String
        var carpoolerType: String
        var user: Carpooler
        var availableSeats: Int?
        var requestedSeats: Int?
        var from: Geopoint
        var to: Geopoint
        var duration: Int
        var distance: Int
        var price: Price
        var frequency: String
        var isRoundTrip = 0
        var isStopped = 0
        var outward: WaySchedule
    }
    struct Answer: Content { var journeys: [Journey]; var nbJourneys: Int }

    /// A refusal in RDEX+'s words (400: `invalid_input`, `missing_required_query_parameter`).
    struct Refusal: Error { var status: HTTPResponseStatus; var code: String; var message: Localized }

    /// RDEX+'s default margin, 15 minutes; the search takes half a day either side at most.
    static let defaultTimeDelta = 900
    static let maximumCount = 200

    @Sendable static func journeys(_ req: Request) async throws -> Response {
        do {
            return try await Answer(journeys: search(req), nbJourneys: 0).withCount.encodeResponse(for: req)
        } catch let refusal as Refusal {
            return try await refused(refusal.status, refusal.code, refusal.message(req.language), req)
        } catch let error as DomainError where error.kind == .notFound {
            return try await refused(.notFound, "resource_not_found", error.message(req.language), req)
        }
    }

    static func refused(_ status: HTTPResponseStatus, _ code: String, _ message: String, _ req: Request) async throws -> Response {
        let response = try await RdexError(errorCode: code, errorMessage: message).encodeResponse(for: req)
        response.status = status
        return response
    }

    static func search(_ req: Request) async throws -> [Journey] {
        // The cooperative first: a place that runs no carpooling is not found, whatever is asked.
        let access = try await CarpoolAccess(req)
        func number(_ name: String, _ range: ClosedRange<Double>, required: Bool) throws -> Double? {
            guard let text = req.query[String.self, at: name] else {
                if required {
                    throw Refusal(status: .badRequest, code: "missing_required_query_parameter",
                                  message: Localized(fr: "Paramètre manquant : \(name).", en: "Missing parameter: \(name)."))
                }
                return nil
            }
            guard let value = Double(text), value.isFinite, range.contains(value) else { throw invalid(name) }
            return value
        }
        let departure = try GeoPoint(lat: number("departureLat", -90...90, required: true) ?? 0, lon: number("departureLng", -180...180, required: true) ?? 0)
        let arrival = try GeoPoint(lat: number("arrivalLat", -90...90, required: true) ?? 0, lon: number("arrivalLng", -180...180, required: true) ?? 0)
        let type = req.query[String.self, at: "carpoolerType"] ?? "driver"
        guard ["driver", "passenger", "both"].contains(type) else { throw invalid("carpoolerType") }
        let frequency = req.query[String.self, at: "frequency"] ?? "punctual"
        guard ["punctual", "regular", "both"].contains(frequency) else { throw invalid("frequency") }
        let seconds = try number("departureDate", 0...32_503_680_000, required: false) ?? Date().timeIntervalSince1970
        let timeDelta = try number("timeDelta", 0...86_400, required: false).map(Int.init) ?? defaultTimeDelta
        // The radii around both ends (RDEX+'s default 1 km), as the standard covoiturage API reads them.
        let departureRadius = try number("departureRadius", 0...1_000, required: false) ?? 1
        let arrivalRadius = try number("arrivalRadius", 0...1_000, required: false) ?? 1
        let maxDate = try number("maxDate", 0...32_503_680_000, required: false)
        let count = try number("count", 0...1e9, required: false).map { min(Int($0), maximumCount) } ?? maximumCount
        guard let departure, let arrival else { throw invalid("departureLat") }

        let zone = LocalZone.paris, instant = Date(timeIntervalSince1970: seconds)
        let time = RideTime(minute: zone.minuteOfDay(at: instant), margin: min(720, timeDelta / 60))
        let relayPoints = try await RelayPoint.all(of: access.coopID, on: req.db).compactMap(\.point)
        let settings = try await CarpoolSettings.of(access.coopID, on: req.db)
        let roles: [RideRole] = type == "both" ? [.driver, .passenger] : [type == "driver" ? .driver : .passenger]
        var results: [CarpoolSearch.Result] = []
        func found(on date: LocalDate, at time: RideTime) async throws -> [CarpoolSearch.Result] {
            var results: [CarpoolSearch.Result] = []
            for role in roles where count > 0 {
                let query = CarpoolSearch.Query(origin: RidePlace(name: "", point: departure), destination: RidePlace(name: "", point: arrival),
                                                date: date, time: time, lookingFor: role, person: req.user?.id)
                for result in try await CarpoolSearch.run(query, coop: access.coopID, relayPoints: relayPoints, limit: maximumCount, index: req.application.carpoolSearchIndex, on: req.db)
                where frequency == "both" || result.ad.frequency == frequency {
                    if !results.contains(where: { $0.ad.id == result.ad.id && $0.leg == result.leg }) { results.append(result) }
                }
            }
            return results
        }
        if frequency == "regular", let schedule = try regularSchedule(req) {
            // Every slot asked, on its first day in the period: a journey is kept if it travels on all of them.
            let start = zone.localDate(at: instant), end = maxDate.map { zone.localDate(at: Date(timeIntervalSince1970: $0)) }
            var kept: [UUID: CarpoolSearch.Result]?
            for slot in schedule.slots {
                guard let day = RdexRegularSchedule.firstDay(slot.weekday, from: start, until: end) else { return [] }
                let departs = schedule.instant(slot, on: day)
                let slotTime = RideTime(minute: zone.minuteOfDay(at: departs), margin: min(720, (slot.timeDelta ?? timeDelta) / 60))
                let matched = try await found(on: zone.localDate(at: departs), at: slotTime)
                let byAd = Dictionary(matched.map { ($0.ad.id, $0) }, uniquingKeysWith: { first, _ in first })
                kept = kept.map { $0.filter { byAd[$0.key] != nil } } ?? byAd
            }
            results = (kept ?? [:]).values.sorted { ($0.departure, $0.ad.id.uuidString) < ($1.departure, $1.ad.id.uuidString) }
        } else {
            results = try await found(on: zone.localDate(at: instant), at: time)
        }
        let base = PublicAddress.baseURL(req)
        let host = URL(string: base)?.host ?? "maillage"
        let within = results.map { journey($0, coop: access.coop, base: base, host: host, contribution: settings.contribution, zone: zone) }
            .filter { journey in
                guard let from = GeoPoint(lat: journey.from.latitude, lon: journey.from.longitude),
                      let to = GeoPoint(lat: journey.to.latitude, lon: journey.to.longitude) else { return false }
                return from.distanceKm(to: departure) <= departureRadius && to.distanceKm(to: arrival) <= arrivalRadius
            }
        return Array(within.prefix(count))
    }

    /// `regularSchedule` as JSON text, or as `regularSchedule[0][mondayTime]=08:30:00` fields.
    static func regularSchedule(_ req: Request) throws -> RdexRegularSchedule? {
        let fields = (try? req.query.get([[String: String]].self, at: "regularSchedule")) ?? []
        do {
            return try RdexRegularSchedule.read(json: fields.isEmpty ? req.query[String.self, at: "regularSchedule"] : nil, fields: fields)
        } catch {
            throw Refusal(status: .badRequest, code: "invalid_input", message: error.message)
        }
    }

    static func invalid(_ name: String) -> Refusal {
        Refusal(status: .badRequest, code: "invalid_input", message: Localized(fr: "Valeur invalide : \(name).", en: "Invalid value: \(name)."))
    }

    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    static func journey(_ result: CarpoolSearch.Result, coop: Cooperative, base: String, host: String, contribution: CarpoolContribution,
                        zone: LocalZone) -> Journey {
        let ad = result.ad
        var from = Geopoint(longitude: ad.origin_lon, latitude: ad.origin_lat, address: ad.origin_name)
        var to = Geopoint(longitude: ad.destination_lon, latitude: ad.destination_lat, address: ad.destination_name)
        if result.leg == .return { swap(&from, &to) }
        let role = ad.rideRole
        let price: Price = switch contribution {
        case .free: Price(type: "free", amount: 0, currency: "EUR")
        case .atCost(let cents):
            Price(type: "variable", amount: Double(contribution.suggestedCents(km: ad.distance_km)) / 100, currency: "EUR",
                  kilometricPrice: String(format: "%.2f", Double(cents) / 100))
        }
        let margin = result.time.margin * 60
        var outward = WaySchedule(departureDate: Int(result.departure.timeIntervalSince1970), timeDelta: margin)
        if ad.frequency == "regular" {
            // A regular ad's way: its period, and the time it leaves on the day asked (RDEX+ gives it in UTC).
            outward.departureDate = Int(zone.start(of: LocalDate(iso: ad.from_date) ?? result.date).timeIntervalSince1970)
            outward.maxDate = LocalDate(iso: ad.until_date).flatMap { $0.adding(days: 1) }.map { Int(zone.start(of: $0).timeIntervalSince1970) - 1 }
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC") ?? .current
            let clock = utc.dateComponents([.hour, .minute], from: result.departure)
            let day = weekdays[(result.date.weekday - 1) % 7]
            outward.regularSchedule = [["\(day)Time": .string(String(format: "%02d:%02d:00", clock.hour ?? 0, clock.minute ?? 0)),
                                        "\(day)TimeDelta": .int(margin)]]
        }
        let id = ad.id.uuidString.lowercased()
        return Journey(id: result.leg == .outward ? id : id + "-return", webUrl: "\(base)/c/\(coop.slug)/carpool/ads/\(id)", operator: host,
                       operatorUrl: base, carpoolerType: role.rawValue, user: Carpooler(id: id, alias: role.label.fr),
                       availableSeats: role.drives ? result.seatsLeft : nil, requestedSeats: role.rides ? ad.seats : nil,
                       from: from, to: to, duration: Int((ad.minutes * 60).rounded()), distance: Int((ad.distance_km * 1000).rounded()),
                       price: price, frequency: ad.frequency, outward: outward)
    }
}

extension CarpoolRdex.Answer {
    var withCount: Self { Self(journeys: journeys, nbJourneys: journeys.count) }
}
