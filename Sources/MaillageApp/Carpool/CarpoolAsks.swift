import Fluent
import Foundation
import MaillageCore
import SQLKit

/// A request for a seat on one ride, one day, one leg, as stored.
struct RideAskRow: Sendable, Decodable {
    var id: UUID
    var cooperative_id: UUID
    var ad_id: UUID
    var travel_date: String
    var leg: String
    var driver_id: UUID
    var passenger_id: UUID
    var asked_by: String
    var status: String
    var seats: Int
    var pickup_name: String
    var dropoff_name: String
    var shared_km: Double
    var contribution_cents: Int64
    var paid_at: Date?
    var created_at: Date
    var updated_at: Date
    /// The phone the person who asked gave with the request, shown to the other side once accepted.
    var asker_phone: String?

    var askStatus: AskStatus { AskStatus(rawValue: status) ?? .cancelled }
    var askedBy: RideSide { RideSide(rawValue: asked_by) ?? .passenger }
    var rideLeg: RideLeg { RideLeg(rawValue: leg) ?? .outward }
    var date: LocalDate? { LocalDate(iso: travel_date) }
    func side(of person: UUID) -> RideSide? { person == driver_id ? .driver : person == passenger_id ? .passenger : nil }
    func other(than person: UUID) -> UUID { person == driver_id ? passenger_id : driver_id }
}

struct RideAskEvent: Sendable, Decodable {
    var status: String
    var by_id: UUID?
    var reason: String
    var at: Date
}

enum CarpoolAsks {
    static let askWord = Localized(fr: "Demande de place", en: "Seat request")
    static let columns = ["id", "cooperative_id", "ad_id", "travel_date", "leg", "driver_id", "passenger_id", "asked_by", "status", "seats",
                          "pickup_name", "dropoff_name", "shared_km", "contribution_cents", "paid_at", "created_at", "updated_at", "asker_phone"]

    struct Opening: Sendable {
        var ad: RideAdRow
        var date: LocalDate
        var leg: RideLeg
        var seats: Int
        /// A first message only (Mobicoop's "contact"), or a seat asked at once.
        var askSeat: Bool
        /// Where the person gets in and out, when not the ad's own ends.
        var pickup: RidePlace?
        var dropoff: RidePlace?
        /// The asker's phone, if they give one (the ad's author gives theirs with the ad).
        var phone: String? = nil

        /// Trimmed, at most 30 characters, nil when blank: as an ad's phone is kept.
        var keptPhone: String? {
            let phone = (phone ?? "").trimmingCharacters(in: .whitespaces).prefix(30)
            return phone.isEmpty ? nil : String(phone)
        }
    }

    /// Opens an ask on `opening.ad` by `person`: a passenger asks a driver's ad, a driver proposes
    /// on a passenger's ad. One open ask per ride, day, leg and pair (a unique index).
    /// `notify`: the cooperative's slug, to tell the other side in the same transaction (a write
    /// outside it could slip between another transaction's read and write on SQLite).
    static func open(_ opening: Opening, by person: UUID, settings: CarpoolSettings, now: Date = Date(),
                     zone: LocalZone = .paris, notify slug: String? = nil, on db: any Database) async throws -> RideAskRow {
        let ad = opening.ad
        guard ad.author_id != person else { throw CarpoolErrors.ownAd }
        guard ad.withdrawn_at == nil else { throw Problem.notFound(CarpoolAds.adWord) }
        guard opening.date >= zone.localDate(at: now),
              let time = try await CarpoolAds.time(of: ad.id, on: opening.date, leg: opening.leg, on: db) else { throw CarpoolErrors.notTravelling }
        let departure = zone.instant(on: opening.date, hour: time.minute / 60, minute: time.minute % 60)
        guard departure.addingTimeInterval(Double(time.margin) * 60) >= now else { throw CarpoolErrors.past("travel_date") }
        guard (1...ad.seats).contains(opening.seats) else { throw CarpoolErrors.seats }
        // The author drives unless the ad is a passenger's; "both" is driven by its author.
        let authorDrives = ad.rideRole.drives
        let (driver, passenger) = authorDrives ? (ad.author_id, person) : (person, ad.author_id)
        let askedBy: RideSide = authorDrives ? .passenger : .driver
        let (adFrom, adTo) = opening.leg == .outward ? (ad.origin_name, ad.destination_name) : (ad.destination_name, ad.origin_name)
        let sharedKm = opening.pickup.flatMap { pickup in opening.dropoff.map { CarpoolAds.estimator.estimate(from: pickup.point, to: $0.point).distanceKm } }
            ?? ad.distance_km
        let contribution = settings.contribution.suggestedCents(km: sharedKm, seats: opening.seats)
        let id = UUID(), status: AskStatus = opening.askSeat ? .pending : .initiated
        do {
            try await db.writeTransaction { tx in
                try await tx.sql.insert(into: "carpool_asks").columns(columns.map { SQLColumn($0) })
                    .values(SQLBind(id), SQLBind(ad.cooperative_id), SQLBind(ad.id), SQLBind(opening.date.iso), SQLBind(opening.leg.rawValue),
                            SQLBind(driver), SQLBind(passenger), SQLBind(askedBy.rawValue), SQLBind(status.rawValue), SQLBind(opening.seats),
                            SQLBind(opening.pickup?.name ?? adFrom), SQLBind(opening.dropoff?.name ?? adTo), SQLBind(sharedKm),
                            SQLBind(contribution), SQLLiteral.null, SQLBind(now), SQLBind(now), SQLBind(opening.keptPhone))
                    .run()
                try await event(id, status, by: person, reason: "", at: now, on: tx)
                if let slug { try await CarpoolNotices.tellOtherSide(of: try await find(id, in: ad.cooperative_id, on: tx), by: person, slug: slug, on: tx) }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw CarpoolErrors.alreadyAsked
        }
        return try await find(id, in: ad.cooperative_id, on: db)
    }

    static func find(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> RideAskRow {
        guard let id, let row = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_asks")
            .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).first(decoding: RideAskRow.self)
        else { throw Problem.notFound(askWord) }
        return row
    }

    /// The ask if `person` is one of its two sides; otherwise not found (its existence is nobody else's business).
    static func find(_ id: UUID?, in coop: UUID, for person: UUID, on db: any Database) async throws -> RideAskRow {
        let row = try await find(id, in: coop, on: db)
        guard row.side(of: person) != nil else { throw Problem.notFound(askWord) }
        return row
    }

    /// Moves an ask on, checked by Core's `AskRules`. Accepting takes the seats with one
    /// conditional update (`taken + n <= capacity`) and the ask with another (`status = current`)
    /// in one transaction: two acceptances of the last seat, or two clicks, cannot both pass.
    static func act(_ action: AskAction, on id: UUID, by person: UUID, in coop: UUID, reason: String = "",
                    now: Date = Date(), zone: LocalZone = .paris, notify slug: String? = nil, on db: any Database) async throws -> RideAskRow {
        let ask = try await find(id, in: coop, for: person, on: db)
        guard let side = ask.side(of: person), let date = ask.date else { throw Problem.notFound(askWord) }
        let waitingFor = ask.askStatus == .pending ? AskRules.waitingFor(askedBy: ask.askedBy) : nil
        let started = zone.start(of: date) <= now
        // A contact becomes a request made by whoever asks now.
        let askedBy = ask.askStatus == .initiated && action == .ask ? side : ask.askedBy
        let next = try AskRules.next(from: ask.askStatus, action, by: side, waitingFor: waitingFor,
                                     reason: reason, tripHasStarted: started)
        let reason = String(reason.trimmingCharacters(in: .whitespacesAndNewlines).prefix(TextLimits.reason))
        try await db.writeTransaction { tx in
            if next.holdsSeats && !ask.askStatus.holdsSeats {
                let ad = try await CarpoolAds.find(ask.ad_id, in: coop, on: tx)
                guard try await CarpoolSeats.take(ask.seats, ad: ask.ad_id, date: ask.travel_date, leg: ask.leg, capacity: ad.seats, on: tx)
                else { throw CarpoolErrors.full }
            } else if ask.askStatus.holdsSeats && !next.holdsSeats && next != .completed {
                try await CarpoolSeats.give(ask.seats, ad: ask.ad_id, date: ask.travel_date, leg: ask.leg, on: tx)
            }
            let moved = try await tx.sql.update("carpool_asks").set("status", to: SQLBind(next.rawValue))
                .set("asked_by", to: SQLBind(askedBy.rawValue)).set("updated_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(ask.id)).where("status", .equal, SQLBind(ask.status))
                .returning("id").all()
            guard !moved.isEmpty else { throw CarpoolErrors.wrongState(ask.askStatus) }
            try await event(ask.id, next, by: person, reason: reason, at: now, on: tx)
            if let slug { try await CarpoolNotices.tellOtherSide(of: try await find(id, in: coop, on: tx), by: person, slug: slug, reason: reason, on: tx) }
        }
        return try await find(id, in: coop, on: db)
    }

    /// A step of the ask's history: a new state, or "paid" when the contribution went through the accounts.
    static func event(_ ask: UUID, _ status: AskStatus, by person: UUID?, reason: String, at: Date, on db: any Database) async throws {
        try await event(ask, status.rawValue, by: person, reason: reason, at: at, on: db)
    }

    static func event(_ ask: UUID, _ step: String, by person: UUID?, reason: String, at: Date, on db: any Database) async throws {
        try await db.sql.insert(into: "carpool_ask_events").columns("id", "ask_id", "status", "by_id", "reason", "at")
            .values(SQLBind(UUID()), SQLBind(ask), SQLBind(step), SQLBind(person), SQLBind(reason), SQLBind(at)).run()
    }

    static let paidStep = "paid"

    /// The words of a history step.
    static func label(of step: String) -> Localized {
        step == paidStep ? Localized(fr: "Participation réglée par le compte", en: "Contribution paid through the account")
                         : (AskStatus(rawValue: step) ?? .initiated).label
    }

    static func history(of ask: UUID, on db: any Database) async throws -> [RideAskEvent] {
        try await db.sql.select().columns("status", "by_id", "reason", "at").from("carpool_ask_events")
            .where("ask_id", .equal, SQLBind(ask)).orderBy("at").all(decoding: RideAskEvent.self)
    }

    /// The person's asks, as driver or passenger, from `since` on, soonest first.
    static func mine(_ person: UUID, in coop: UUID, since: LocalDate, on db: any Database) async throws -> [RideAskRow] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_asks")
            .where("cooperative_id", .equal, SQLBind(coop))
            .where { $0.where("driver_id", .equal, SQLBind(person)).orWhere("passenger_id", .equal, SQLBind(person)) }
            .where("travel_date", .greaterThanOrEqual, SQLBind(since.iso))
            .orderBy("travel_date").orderBy("created_at").all(decoding: RideAskRow.self)
    }

    /// The asks on one ad, for its author.
    static func on(ad: UUID, on db: any Database) async throws -> [RideAskRow] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_asks")
            .where("ad_id", .equal, SQLBind(ad)).orderBy("travel_date").orderBy("created_at").all(decoding: RideAskRow.self)
    }

    /// Seats taken on an ad, by day and leg.
    static func seatsTaken(on ad: UUID, on db: any Database) async throws -> [String: Int] {
        struct Row: Decodable { var travel_date: String; var leg: String; var taken: Int }
        let rows = try await db.sql.select().columns("travel_date", "leg", "taken").from("carpool_seats")
            .where("ad_id", .equal, SQLBind(ad)).all(decoding: Row.self)
        return Dictionary(rows.map { ("\($0.travel_date)/\($0.leg)", $0.taken) }, uniquingKeysWith: +)
    }
}
