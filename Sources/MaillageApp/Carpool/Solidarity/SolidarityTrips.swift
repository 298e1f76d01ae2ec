import Fluent
import Foundation
import MaillageCore
import SQLKit

/// A trip done: the kilometres and hours given, the allowance paid to the volunteer through the
/// ledger at the structure's rate, in the same transaction as the case's last move.
enum SolidarityTrips {
    static let noVolunteer = DomainError(.conflict, code: "no_volunteer",
        fr: "Aucun·e bénévole n’est affecté·e à ce trajet.", en: "No volunteer is assigned to this trip.")

    static func reference(_ request: UUID) -> String { "solidarity-trip:\(request)" }

    /// Marks the trip done and pays `tenthsOfKm` × the rate to the volunteer's account. Two clicks
    /// pay once: the UPDATE from "volunteer found" succeeds once, and the ledger's key is the trip's.
    static func done(_ request: SolidarityRequests.Row, tenthsOfKm: Int, tenthsOfHours: Int, on day: LocalDate, by person: UUID,
                     settings: SolidaritySettings, on db: any Database) async throws {
        guard let volunteer = request.volunteer_id else { throw noVolunteer }
        let cents = MileageAllowance.cents(tenthsOfKm: tenthsOfKm, centsPerKm: settings.centsPerKm), now = Date()
        try await db.writeTransaction { tx in
            let marked = try await tx.sql.update(Solidarity.requestsTable).set("status", to: SQLBind(SolidarityStatus.done.rawValue))
                .set("km_tenths", to: SQLBind(tenthsOfKm)).set("hours_tenths", to: SQLBind(tenthsOfHours)).set("allowance_cents", to: SQLBind(cents))
                .set("done_on", to: SQLBind(day.iso)).set("closed_at", to: SQLBind(now)).set("updated_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(request.id)).where("status", .equal, SQLBind(SolidarityStatus.found.rawValue))
                .where("volunteer_id", .equal, SQLBind(volunteer)).returning("id").all()
            guard !marked.isEmpty else { throw Solidarity.wrongState(request.state) }
            try await LedgerFacade.pay([LedgerFacade.Part(payee: .member(volunteer), cents: cents, purpose: .costSharing, name: "volunteer")],
                                       from: .cashReceived(from: nil), cooperative: request.cooperative_id, reference: reference(request.id),
                                       memo: "Indemnité kilométrique, transport solidaire vers \(request.destination_commune), \(day.iso) (\(MileageAllowance.kmText(tenthsOfKm, .fr)) km)",
                                       activity: .carpool, at: now, inTransaction: tx)
            try await SolidarityDiary.write(request.id, kind: .status, by: person,
                                            note: "\(SolidarityStatus.done.label.fr) — \(MileageAllowance.kmText(tenthsOfKm, .fr)) km, \(Amount.euros(cents: cents).formatted(.fr))",
                                            on: tx)
        }
    }

    /// The trips a volunteer holds and has still to drive (last possible day today or later):
    /// someone counts on them, so the account cannot go before they withdraw.
    static func toCome(of volunteer: UUID, today: LocalDate, on db: any Database) async throws -> [SolidarityRequests.Row] {
        try await db.sql.select().columns(SolidarityRequests.columns).from(Solidarity.requestsTable)
            .where("volunteer_id", .equal, SQLBind(volunteer)).where("status", .equal, SQLBind(SolidarityStatus.found.rawValue))
            .orderBy("first_day").all(decoding: SolidarityRequests.Row.self)
            .filter { $0.timing.last >= today }
    }

    struct Line: Decodable, Sendable {
        var id: UUID
        var destination_commune: String
        var reason: String
        var done_on: String
        var km_tenths: Int
        var hours_tenths: Int?
        var allowance_cents: Int64
    }

    /// The volunteer's trips done in `year`, for their statement.
    static func statement(of volunteer: UUID, year: Int, in coop: UUID, on db: any Database) async throws -> [Line] {
        try await db.sql.select().columns("id", "destination_commune", "reason", "done_on", "km_tenths", "hours_tenths", "allowance_cents")
            .from(Solidarity.requestsTable).where("cooperative_id", .equal, SQLBind(coop)).where("volunteer_id", .equal, SQLBind(volunteer))
            .where("status", .equal, SQLBind(SolidarityStatus.done.rawValue)).where("done_on", .like, SQLBind("\(year)-%"))
            .orderBy("done_on").all(decoding: Line.self)
    }

    struct Load: Decodable, Sendable {
        var volunteer_id: UUID
        var trips: Int
        var tenths: Int?
        var hours: Int?
    }

    /// Trips, km and hours per volunteer since `day` (ISO), for the fairness view.
    static func load(since day: String, in coop: UUID, on db: any Database) async throws -> [UUID: Load] {
        let rows = try await db.sql.select().column("volunteer_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "trips")
            .column(SQLRaw("CAST(SUM(km_tenths) AS BIGINT)"), as: "tenths").column(SQLRaw("CAST(SUM(hours_tenths) AS BIGINT)"), as: "hours")
            .from(Solidarity.requestsTable).where("cooperative_id", .equal, SQLBind(coop))
            .where("status", .equal, SQLBind(SolidarityStatus.done.rawValue)).where("done_on", .greaterThanOrEqual, SQLBind(day))
            .where("volunteer_id", .isNot, SQLLiteral.null).groupBy("volunteer_id").all(decoding: Load.self)
        return Dictionary(rows.map { ($0.volunteer_id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Impact: trips made, people helped, km driven by volunteers (all time, this structure).
    struct Impact: Decodable { var trips: Int; var people: Int; var tenths: Int? }

    static func impact(in coop: UUID, on db: any Database) async throws -> Impact {
        try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "trips")
            .column(SQLRaw("COUNT(DISTINCT beneficiary_id)"), as: "people").column(SQLRaw("CAST(SUM(km_tenths) AS BIGINT)"), as: "tenths")
            .from(Solidarity.requestsTable).where("cooperative_id", .equal, SQLBind(coop))
            .where("status", .equal, SQLBind(SolidarityStatus.done.rawValue)).first(decoding: Impact.self) ?? Impact(trips: 0, people: 0, tenths: 0)
    }
}
