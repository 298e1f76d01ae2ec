import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Volunteer drivers' availability, and their load as the matcher and the fairness view read it.
enum SolidarityVolunteers {
    struct Row: Decodable, Sendable {
        var user_id: UUID
        var slots: String
        var home_commune: String
        var max_km: Int
        var vehicle: String
        var paused: Bool
        var monthly_limit: Int

        var profile: VolunteerProfile {
            VolunteerProfile(slots: VolunteerProfile.slots(from: slots), homeCommune: home_commune, maxKm: max_km, vehicle: vehicle,
                             paused: paused, monthlyLimit: monthly_limit)
        }
    }

    static let columns = ["user_id", "slots", "home_commune", "max_km", "vehicle", "paused", "monthly_limit"]

    static func of(_ user: UUID, in coop: UUID, on db: any Database) async throws -> Row? {
        try await db.sql.select().columns(columns).from(Solidarity.volunteersTable)
            .where("cooperative_id", .equal, SQLBind(coop)).where("user_id", .equal, SQLBind(user)).first(decoding: Row.self)
    }

    static func all(in coop: UUID, on db: any Database) async throws -> [Row] {
        try await db.sql.select().columns(columns).from(Solidarity.volunteersTable)
            .where("cooperative_id", .equal, SQLBind(coop)).all(decoding: Row.self)
    }

    static func save(_ profile: VolunteerProfile, of user: UUID, in coop: UUID, on db: any Database) async throws {
        try await db.sql.insert(into: Solidarity.volunteersTable)
            .columns("id", "cooperative_id", "user_id", "slots", "home_commune", "max_km", "vehicle", "paused", "monthly_limit", "updated_at")
            .values(SQLBind(UUID()), SQLBind(coop), SQLBind(user), SQLBind(profile.slotCodes), SQLBind(profile.homeCommune), SQLBind(profile.maxKm),
                    SQLBind(profile.vehicle), SQLBind(profile.paused), SQLBind(profile.monthlyLimit), SQLBind(Date()))
            .onConflict(with: ["cooperative_id", "user_id"]) {
                $0.set(excludedValueOf: "slots").set(excludedValueOf: "home_commune").set(excludedValueOf: "max_km").set(excludedValueOf: "vehicle")
                    .set(excludedValueOf: "paused").set(excludedValueOf: "monthly_limit").set(excludedValueOf: "updated_at")
            }.run()
    }

    /// Trips a volunteer holds or made in a calendar month ("2026-03"): what their limit counts.
    static func tripsIn(month: String, in coop: UUID, on db: any Database) async throws -> [UUID: Int] {
        struct Count: Decodable { var volunteer_id: UUID; var trips: Int }
        let rows = try await db.sql.select().column("volunteer_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "trips")
            .from(Solidarity.requestsTable).where("cooperative_id", .equal, SQLBind(coop))
            .where("status", .in, SQLBind.group([SolidarityStatus.found.rawValue, SolidarityStatus.done.rawValue]))
            .where("first_day", .like, SQLBind(month + "%")).where("volunteer_id", .isNot, SQLLiteral.null)
            .groupBy("volunteer_id").all(decoding: Count.self)
        return Dictionary(rows.map { ($0.volunteer_id, $0.trips) }, uniquingKeysWith: +)
    }

    /// Kilometres driven since `day` (ISO), per volunteer.
    static func kmSince(_ day: String, in coop: UUID, on db: any Database) async throws -> [UUID: Double] {
        struct Sum: Decodable { var volunteer_id: UUID; var tenths: Int? }
        let rows = try await db.sql.select().column("volunteer_id").column(SQLRaw("CAST(SUM(km_tenths) AS BIGINT)"), as: "tenths")
            .from(Solidarity.requestsTable).where("cooperative_id", .equal, SQLBind(coop))
            .where("status", .equal, SQLBind(SolidarityStatus.done.rawValue)).where("done_on", .greaterThanOrEqual, SQLBind(day))
            .where("volunteer_id", .isNot, SQLLiteral.null).groupBy("volunteer_id").all(decoding: Sum.self)
        return Dictionary(rows.map { ($0.volunteer_id, Double($0.tenths ?? 0) / 10) }, uniquingKeysWith: +)
    }

    /// The matcher's proposals for a request, with the load it weighs; a volunteer who left the
    /// cooperative is not proposed (their availability stays, should they come back).
    static func proposals(for request: SolidarityRequests.Row, pickup: GeoPoint, in cooperative: Cooperative, today: LocalDate,
                          on db: any Database) async throws -> [SolidarityMatcher.Proposal] {
        guard let destination = Communes.coordinates(of: request.destination_commune).flatMap({ GeoPoint(lat: $0.lat, lon: $0.lon) })
        else { return [] }
        let coop = try cooperative.requireID()
        let members = Set(try await Cooperatives.members(of: cooperative, status: .active, on: db).map { $0.$user.id })
        let volunteers = try await all(in: coop, on: db).filter { members.contains($0.user_id) }
        let trips = try await tripsIn(month: Solidarity.month(of: request.first_day), in: coop, on: db)
        let recent = try await kmSince(today.adding(days: -30)?.iso ?? today.iso, in: coop, on: db)
        let candidates = volunteers.map {
            SolidarityMatcher.Candidate(volunteer: $0.user_id, profile: $0.profile, tripsThisMonth: trips[$0.user_id] ?? 0, recentKm: recent[$0.user_id] ?? 0)
        }
        return SolidarityMatcher.propose(for: SolidarityMatcher.Trip(pickup: pickup, destination: destination, slots: request.timing.slots),
                                         among: candidates, estimator: Solidarity.estimator)
    }
}
