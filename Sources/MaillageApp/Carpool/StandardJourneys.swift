import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Our rides as the operator API's journeys: a driver journey is a driver's ad on one day and leg
/// whose start is within the departure radius and whose end is within the arrival radius, at a
/// time within the delta (the passenger is picked up where the driver leaves and set down where
/// the driver arrives). Only ads open to everyone; community rides stay with their community.
enum StandardJourneys {
    struct Journey: Sendable {
        var id: StandardJourneyID
        var ad: RideAdRow
        var pickup: GeoPoint
        var pickupName: String
        var drop: GeoPoint
        var dropName: String
        /// UNIX seconds.
        var pickupAt: Int
        var minute: Int
        var seatsLeft: Int
    }

    struct RegularTrip: Sendable {
        var ad: RideAdRow
        var leg: RideLeg
        var pickup: GeoPoint
        var pickupName: String
        var drop: GeoPoint
        var dropName: String
        /// ISO weekday → minutes after midnight.
        var days: [(weekday: Int, minute: Int)]
        var gap: Int
    }

    private struct TimeRow: Decodable {
        var ad_id: UUID
        var leg: String
        var on_date: String?
        var weekday: Int?
        var minute: Int
    }

    static func roles(drivers: Bool) -> [String] { drivers ? ["driver", "both"] : ["passenger", "both"] }

    static func ends(of ad: RideAdRow, leg: RideLeg) -> (GeoPoint, String, GeoPoint, String) {
        leg == .outward ? (ad.origin, ad.origin_name, ad.destination, ad.destination_name)
                        : (ad.destination, ad.destination_name, ad.origin, ad.origin_name)
    }

    /// Punctual journeys around `query.departureDate`, closest time first, at most `count`.
    static func punctual(_ query: StandardJourneyQuery, drivers: Bool, coop: UUID, zone: LocalZone = .paris, now: Date = Date(),
                         on db: any Database) async throws -> [Journey] {
        guard let wished = query.departureDate else { return [] }
        let first = zone.localDate(at: Date(timeIntervalSince1970: Double(wished - query.timeDelta)))
        let last = zone.localDate(at: Date(timeIntervalSince1970: Double(wished + query.timeDelta)))
        var day = first, days: [LocalDate] = []
        while day <= last, let next = day.adding(days: 1) { days.append(day); day = next }
        var journeys: [Journey] = []
        for date in days {
            let rows = try await db.sql.select().columns("ad_id", "leg", "on_date", "weekday", "minute").from("carpool_ad_times")
                .where("cooperative_id", .equal, SQLBind(coop)).where("role", .in, SQLBind.group(roles(drivers: drivers)))
                .where("community_id", .is, SQLLiteral.null)
                .where { day in
                    day.where("on_date", .equal, SQLBind(date.iso))
                        .orWhere { $0.where("weekday", .equal, SQLBind(date.weekday))
                            .where("from_date", .lessThanOrEqual, SQLBind(date.iso)).where("until_date", .greaterThanOrEqual, SQLBind(date.iso)) }
                }
                .limit(CarpoolSearch.candidateLimit).all(decoding: TimeRow.self)
            let ads = try await liveAds(Set(rows.map(\.ad_id)), on: db)
            for row in rows {
                guard let ad = ads[row.ad_id], let leg = RideLeg(rawValue: row.leg) else { continue }
                let at = Int(zone.instant(on: date, hour: row.minute / 60, minute: row.minute % 60).timeIntervalSince1970)
                let (pickup, pickupName, drop, dropName) = ends(of: ad, leg: leg)
                guard Double(at) >= now.timeIntervalSince1970, query.accepts(pickupAt: at), query.reaches(pickup: pickup, drop: drop) else { continue }
                journeys.append(Journey(id: StandardJourneyID(ad: ad.id, date: date, leg: leg), ad: ad, pickup: pickup, pickupName: pickupName,
                                        drop: drop, dropName: dropName, pickupAt: at, minute: row.minute, seatsLeft: ad.seats))
            }
        }
        journeys = query.finish(journeys, id: \.id.text, gap: { abs($0.pickupAt - wished) })
        return try await withSeatsLeft(journeys, on: db)
    }

    /// Regular trips with a weekday time within the delta of `query.timeOfDay`, in force in the asked period.
    static func regular(_ query: StandardJourneyQuery, drivers: Bool, coop: UUID, zone: LocalZone = .paris, now: Date = Date(),
                        on db: any Database) async throws -> [RegularTrip] {
        guard let wished = query.timeOfDay else { return [] }
        let today = zone.localDate(at: now)
        var select = db.sql.select().columns("ad_id", "leg", "on_date", "weekday", "minute").from("carpool_ad_times")
            .where("cooperative_id", .equal, SQLBind(coop)).where("role", .in, SQLBind.group(roles(drivers: drivers)))
            .where("community_id", .is, SQLLiteral.null).where("weekday", .in, SQLBind.group(Array(query.weekdays)))
            .where("until_date", .greaterThanOrEqual, SQLBind(today.iso))
        if let low = query.minDepartureDate {
            select = select.where("until_date", .greaterThanOrEqual, SQLBind(zone.localDate(at: Date(timeIntervalSince1970: Double(low))).iso))
        }
        if let high = query.maxDepartureDate {
            select = select.where("from_date", .lessThanOrEqual, SQLBind(zone.localDate(at: Date(timeIntervalSince1970: Double(high))).iso))
        }
        let rows = try await select.limit(CarpoolSearch.candidateLimit).all(decoding: TimeRow.self)
        let ads = try await liveAds(Set(rows.map(\.ad_id)), on: db)
        var trips: [String: RegularTrip] = [:]
        for row in rows {
            guard let ad = ads[row.ad_id], ad.isRegular, let leg = RideLeg(rawValue: row.leg), let weekday = row.weekday,
                  query.accepts(weekday: weekday, secondsOfDay: row.minute * 60) else { continue }
            let (pickup, pickupName, drop, dropName) = ends(of: ad, leg: leg)
            guard query.reaches(pickup: pickup, drop: drop) else { continue }
            let key = "\(ad.id)-\(leg.rawValue)"
            var trip = trips[key] ?? RegularTrip(ad: ad, leg: leg, pickup: pickup, pickupName: pickupName, drop: drop, dropName: dropName,
                                                 days: [], gap: Int.max)
            if !trip.days.contains(where: { $0.weekday == weekday }) { trip.days.append((weekday, row.minute)) }
            trip.gap = min(trip.gap, abs(row.minute * 60 - wished))
            trips[key] = trip
        }
        return query.finish(Array(trips.values).map { trip in
            var trip = trip
            trip.days.sort { $0.weekday < $1.weekday }
            return trip
        }, id: { "\($0.ad.id)-\($0.leg.rawValue)" }, gap: \.gap)
    }

    /// The journey a partner names, if that ride really travels then; nil otherwise.
    static func find(_ id: StandardJourneyID, coop: UUID, zone: LocalZone = .paris, on db: any Database) async throws -> Journey? {
        guard let ad = try? await CarpoolAds.find(id.ad, in: coop, on: db), ad.withdrawn_at == nil, ad.community_id == nil,
              let time = try await CarpoolAds.time(of: ad.id, on: id.date, leg: id.leg, on: db),
              time.on_date == id.date.iso || (ad.from_date <= id.date.iso && id.date.iso <= ad.until_date) else { return nil }
        let (pickup, pickupName, drop, dropName) = ends(of: ad, leg: id.leg)
        let at = Int(zone.instant(on: id.date, hour: time.minute / 60, minute: time.minute % 60).timeIntervalSince1970)
        return Journey(id: id, ad: ad, pickup: pickup, pickupName: pickupName, drop: drop, dropName: dropName, pickupAt: at,
                       minute: time.minute, seatsLeft: ad.seats)
    }

    private static func liveAds(_ ids: Set<UUID>, on db: any Database) async throws -> [UUID: RideAdRow] {
        guard !ids.isEmpty else { return [:] }
        let ads = try await db.sql.select().columns(CarpoolAds.columns.map { SQLColumn($0) }).from("carpool_ads")
            .where("id", .in, SQLBind.group(Array(ids))).where("withdrawn_at", .is, SQLLiteral.null).all(decoding: RideAdRow.self)
        return Dictionary(ads.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    private static func withSeatsLeft(_ journeys: [Journey], on db: any Database) async throws -> [Journey] {
        guard !journeys.isEmpty else { return [] }
        struct Taken: Decodable { var ad_id: UUID; var travel_date: String; var leg: String; var taken: Int }
        let taken = try await db.sql.select().columns("ad_id", "travel_date", "leg", "taken").from("carpool_seats")
            .where("ad_id", .in, SQLBind.group(Array(Set(journeys.map(\.ad.id))))).all(decoding: Taken.self)
        return journeys.map { journey in
            var journey = journey
            let held = taken.first { $0.ad_id == journey.ad.id && $0.travel_date == journey.id.date.iso && $0.leg == journey.id.leg.rawValue }?.taken ?? 0
            journey.seatsLeft = max(0, journey.ad.seats - held)
            return journey
        }
    }
}
