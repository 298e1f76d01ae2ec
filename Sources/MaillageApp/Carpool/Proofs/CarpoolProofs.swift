import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// A proof as stored: what both people see of it.
struct ProofRow: Sendable, Decodable {
    var id: UUID
    var ask_id: UUID
    var driver_id: UUID
    var passenger_id: UUID
    var travel_date: String
    var operator_class: String
    var distance_m: Int
    var contribution_cents: Int64
    var status: String
    var exclusion: String?
    var registry_status: Int?
    var registry_message: String?
    var created_at: Date
    var answered_at: Date?
    /// The registry's later word, once it checked the journey (`CarpoolProofStatusChecks`).
    var registry_state: String?
    var registry_reasons: String?

    var proofStatus: ProofStatus { ProofStatus(rawValue: status) ?? .excluded }
    var excludedFor: ProofExclusion? { exclusion.flatMap(ProofExclusion.init(rawValue:)) }
}

/// Builds a proof for each completed ride: a job looks for rides completed and not yet proved
/// (the registry takes them up to 24 h after departure, so a run every few minutes is in time).
/// Each proof is checked by Core's rules and written, with its outbox message when it may go,
/// in one transaction; the unique key on the ride makes a second builder's insert a no-op.
enum CarpoolProofs {
    static let columns = ["id", "ask_id", "driver_id", "passenger_id", "travel_date", "operator_class", "distance_m", "contribution_cents",
                          "status", "exclusion", "registry_status", "registry_message", "created_at", "answered_at",
                          "registry_state", "registry_reasons"]

    static var jobs: [ScheduledJob] {
        [ScheduledJob("build-carpool-proofs", every: 600) { app in _ = try await buildDue(app) }]
    }

    /// Rides completed in the last days with no proof yet; returns how many proofs were written.
    @discardableResult
    static func buildDue(_ app: Application, now: Date = Date(), zone: LocalZone = .paris) async throws -> Int {
        let since = zone.localDate(at: now).adding(days: -3)?.iso ?? ""
        let asks = try await app.db.sql.select().columns(CarpoolAsks.columns.map { SQLColumn($0, table: "a") }).from(SQLAlias(SQLIdentifier("carpool_asks"), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier("carpool_proofs"), as: SQLIdentifier("p")), method: SQLJoinMethod.left, on: SQLColumn("ask_id", table: "p"), .equal, SQLColumn("id", table: "a"))
            .where(SQLColumn("status", table: "a"), .equal, SQLBind(AskStatus.completed.rawValue))
            .where(SQLColumn("id", table: "p"), .is, SQLLiteral.null)
            .where(SQLColumn("travel_date", table: "a"), .greaterThanOrEqual, SQLBind(since))
            .all(decoding: RideAskRow.self)
        var planned: [(RideAskRow, RideAdRow, Date)] = []
        for ask in asks {
            guard let date = ask.date, let ad = try? await CarpoolAds.find(ask.ad_id, in: ask.cooperative_id, on: app.db) else { continue }
            let time = try await CarpoolAds.time(of: ad.id, on: date, leg: ask.rideLeg, on: app.db)
            let minute = time?.minute ?? 12 * 60
            planned.append((ask, ad, zone.instant(on: date, hour: minute / 60, minute: minute % 60)))
        }
        // In departure order: the fifth trip of someone's day is the one left out.
        var written = 0
        for (ask, ad, departure) in planned.sorted(by: { $0.2 < $1.2 }) {
            if try await build(ask, ad: ad, departure: departure, registry: app.carpoolProofRegistry, now: now, on: app.db) { written += 1 }
        }
        return written
    }

    /// Where the passenger got in and out: the ride's own ends, a relay point or a commune by
    /// name, else the ride's ends.
    static func points(of ask: RideAskRow, ad: RideAdRow, on db: any Database) async throws -> (GeoPoint, GeoPoint) {
        let (from, to) = ask.rideLeg == .outward ? ((ad.origin_name, ad.origin), (ad.destination_name, ad.destination))
                                                 : ((ad.destination_name, ad.destination), (ad.origin_name, ad.origin))
        let relays = try await RelayPoint.all(of: ask.cooperative_id, on: db)
        func point(_ name: String, _ end: (String, GeoPoint)) -> GeoPoint {
            if name == end.0 { return end.1 }
            if let relay = relays.first(where: { $0.name == name })?.point { return relay }
            if let commune = Communes.coordinates(of: name), let point = GeoPoint(lat: commune.lat, lon: commune.lon) { return point }
            return end.1
        }
        return (point(ask.pickup_name, from), point(ask.dropoff_name, to))
    }

    static func build(_ ask: RideAskRow, ad: RideAdRow, departure: Date, registry: ProofRegistrySettings?, now: Date, on db: any Database) async throws -> Bool {
        let coop = ask.cooperative_id
        let (start, end) = try await points(of: ask, ad: ad, on: db)
        let metres = Int((ask.shared_km * 1_000).rounded())
        let minutes = CarpoolAds.estimator.estimate(from: start, to: end).minutes
        let arrival = departure.addingTimeInterval(max(1, minutes) * 60)
        let trip = ProofDocument.id(ask.ad_id.uuidString, ask.travel_date, ask.leg == RideLeg.outward.rawValue ? "o" : "r")
        let journey = ProofDocument.id(ask.id.uuidString)
        return try await db.writeTransaction { tx in
            func side(_ person: UUID) async throws -> (ProofRules.Side, ProofDocument.Identity?) {
                let consent = try await CarpoolProofConsents.find(person, in: coop, on: tx)
                let phone = consent.flatMap { ProofIdentity.phone($0.phone) }
                let name = consent.map { ProofIdentity.lastName($0.last_name) }.flatMap { $0.isEmpty ? nil : $0 }
                let others = try await tripsThatDay(of: person, in: coop, on: ask.travel_date, besides: trip, on: tx)
                let identity = phone.flatMap { phone in name.map { name in
                    ProofDocument.Identity(identityKey: identityKey(phone: phone, lastName: name), phoneTrunc: ProofIdentity.truncated(phone),
                                           operatorUserID: person.uuidString.lowercased())
                } }
                return (ProofRules.Side(optedIn: consent != nil, phone: phone, lastName: name, otherTripsThatDay: others), identity)
            }
            let (driverSide, driverIdentity) = try await side(ask.driver_id)
            let (passengerSide, passengerIdentity) = try await side(ask.passenger_id)
            var exclusion = ProofRules.exclusion(driver: driverSide, passenger: passengerSide, metres: metres, departure: departure, now: now)
            var document: ProofDocument?
            if exclusion == nil, let driverIdentity, let passengerIdentity {
                let proof = ProofDocument(
                    operatorJourneyID: journey, operatorTripID: trip, operatorClass: ProofClass.of(paidThroughLedger: ask.paid_at != nil),
                    start: .init(datetime: ProofDocument.datetime(departure), lat: start.lat, lon: start.lon),
                    end: .init(datetime: ProofDocument.datetime(arrival), lat: end.lat, lon: end.lon),
                    distance: metres,
                    driver: .init(identity: driverIdentity, revenue: ask.contribution_cents),
                    passenger: .init(identity: passengerIdentity, contribution: ask.contribution_cents, seats: ask.seats))
                if proof.problems.isEmpty { document = proof } else { exclusion = .invalid }
            }
            let status: ProofStatus = exclusion != nil ? .excluded : registry == nil ? .off : .waiting
            let id = UUID()
            let inserted = try await tx.sql.insert(into: "carpool_proofs")
                .columns("id", "cooperative_id", "ask_id", "driver_id", "passenger_id", "travel_date", "trip_id", "journey_id", "operator_class",
                         "distance_m", "contribution_cents", "status", "exclusion", "created_at")
                .values(SQLBind(id), SQLBind(coop), SQLBind(ask.id), SQLBind(ask.driver_id), SQLBind(ask.passenger_id), SQLBind(ask.travel_date),
                        SQLBind(trip), SQLBind(journey), SQLBind(document?.operatorClass.rawValue ?? ProofClass.A.rawValue), SQLBind(metres),
                        SQLBind(ask.contribution_cents), SQLBind(status.rawValue), SQLBind(exclusion?.rawValue), SQLBind(now))
                .ignoringConflicts().returning("id").all()
            guard !inserted.isEmpty else { return false }
            if status == .waiting, let document, let registry {
                let message = try await Outbox.enqueue(OutboxEnvelope(
                    channel: CarpoolProofChannel.channelName, destination: registry.journeys, destinationKey: registry.host,
                    summary: "carpool proof \(journey)", payload: document.json(), signer: nil), on: tx, now: now)
                try await tx.sql.update("carpool_proofs").set("outbox_id", to: SQLBind(message)).where("id", .equal, SQLBind(id)).run()
            }
            return true
        }
    }

    /// `identity_key`: SHA-256 of `+33…-LASTNAME`, in lower-case hexadecimal.
    static func identityKey(phone: String, lastName: String) -> String {
        ProofIdentity.hex(Array(SHA256.hash(data: Data(ProofIdentity.keySource(phone: phone, lastName: lastName).utf8))))
    }

    /// Trips (cars, days, legs) this person already has a proof for that day, not counting `trip`
    /// nor proofs left out.
    static func tripsThatDay(of person: UUID, in coop: UUID, on day: String, besides trip: String, on db: any Database) async throws -> Int {
        struct Count: Decodable { var n: Int }
        return try await db.sql.raw("""
            SELECT COUNT(DISTINCT trip_id) AS n FROM carpool_proofs
            WHERE cooperative_id = \(bind: coop) AND travel_date = \(bind: day) AND trip_id <> \(bind: trip)
              AND status <> \(bind: ProofStatus.excluded.rawValue) AND (driver_id = \(bind: person) OR passenger_id = \(bind: person))
            """).first(decoding: Count.self)?.n ?? 0
    }

    /// The person's proofs in a cooperative, newest first.
    static func mine(_ person: UUID, in coop: UUID, on db: any Database) async throws -> [ProofRow] {
        try await db.sql.select().columns(columns.map { SQLColumn($0) }).from("carpool_proofs")
            .where("cooperative_id", .equal, SQLBind(coop))
            .where { $0.where("driver_id", .equal, SQLBind(person)).orWhere("passenger_id", .equal, SQLBind(person)) }
            .orderBy("travel_date", .descending).orderBy("created_at", .descending).limit(200).all(decoding: ProofRow.self)
    }
}
