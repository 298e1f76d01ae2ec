import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Requests for a trip and their case: every move is a conditional UPDATE on the request's row,
/// so two volunteers accepting at once, or two coordinators closing at once, make one move.
enum SolidarityRequests {
    struct Row: Decodable, Sendable {
        var id: UUID
        var cooperative_id: UUID
        var beneficiary_id: UUID
        var reason: String
        var destination: String
        var destination_commune: String
        var first_day: String
        var within_days: Int
        var period: String
        var return_code: String
        var status: String
        var volunteer_id: UUID?
        var km_tenths: Int?
        var allowance_cents: Int64?
        var hours_tenths: Int?
        var done_on: String?
        var created_at: Date
        var closed_at: Date?

        var state: SolidarityStatus { SolidarityStatus(rawValue: status) ?? .created }
        var timing: SolidarityTiming {
            SolidarityTiming(first: LocalDate(iso: first_day) ?? LocalDate(year: 2000, month: 1, day: 1)!, withinDays: within_days,
                             period: DayPeriod(rawValue: period) ?? .morning, back: SolidarityTiming.Return(code: return_code) ?? .none)
        }
    }

    static let columns = ["id", "cooperative_id", "beneficiary_id", "reason", "destination", "destination_commune", "first_day", "within_days",
                          "period", "return_code", "status", "volunteer_id", "km_tenths", "allowance_cents", "hours_tenths", "done_on",
                          "created_at", "closed_at"]

    static func find(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> Row {
        guard let id, let row = try await db.sql.select().columns(columns).from(Solidarity.requestsTable)
            .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).first(decoding: Row.self)
        else { throw Solidarity.notFound }
        return row
    }

    static func list(in coop: UUID, beneficiary: UUID? = nil, volunteer: UUID? = nil, on db: any Database) async throws -> [Row] {
        var query = db.sql.select().columns(columns).from(Solidarity.requestsTable).where("cooperative_id", .equal, SQLBind(coop))
        if let beneficiary { query = query.where("beneficiary_id", .equal, SQLBind(beneficiary)) }
        if let volunteer { query = query.where("volunteer_id", .equal, SQLBind(volunteer)) }
        return try await query.orderBy("first_day", .descending).limit(500).all(decoding: Row.self)
    }

    /// Records a request for an accepted beneficiary.
    static func create(for beneficiary: SolidarityBeneficiaries.Row, reason: String, destination: String, destinationCommune: String,
                       timing: SolidarityTiming, settings: SolidaritySettings, by person: UUID, on db: any Database) async throws -> UUID {
        guard beneficiary.state == .accepted else { throw Solidarity.notAccepted }
        var errors = ValidationErrors()
        if !settings.reasons.contains(reason) { errors.add(CarpoolErrors.unknownChoice("reason")) }
        let place = destination.trimmingCharacters(in: .whitespacesAndNewlines)
        if place.isEmpty || place.count > 200 {
            errors.add(DomainError(.invalid, code: "invalid_destination", field: "destination",
                                   fr: "Indiquez où la personne doit aller (200 caractères au plus).", en: "Say where the person needs to go (200 characters at most)."))
        }
        let commune = Communes.coordinates(of: destinationCommune)
        if commune == nil { errors.add(CarpoolErrors.unknownPlace("destination_commune")) }
        try errors.throwIfAny()
        let id = UUID(), now = Date()
        try await db.sql.insert(into: Solidarity.requestsTable)
            .columns("id", "cooperative_id", "beneficiary_id", "reason", "destination", "destination_commune", "first_day", "within_days", "period",
                     "return_code", "status", "created_by", "created_at", "updated_at")
            .values(SQLBind(id), SQLBind(beneficiary.cooperative_id), SQLBind(beneficiary.id), SQLBind(reason), SQLBind(place), SQLBind(commune!.name),
                    SQLBind(timing.first.iso), SQLBind(timing.withinDays), SQLBind(timing.period.rawValue), SQLBind(timing.back.code),
                    SQLBind(SolidarityStatus.created.rawValue), SQLBind(person), SQLBind(now), SQLBind(now))
            .run()
        try await SolidarityDiary.write(id, kind: .status, by: person, note: SolidarityStatus.created.label.fr, on: db)
        return id
    }

    /// Moves the case to `next` if it still stands where the move is allowed; else says why not.
    @discardableResult
    static func move(_ request: Row, to next: SolidarityStatus, by person: UUID, note: String = "", on db: any Database) async throws -> Row {
        var update = db.sql.update(Solidarity.requestsTable).set("status", to: SQLBind(next.rawValue)).set("updated_at", to: SQLBind(Date()))
        if next.isClosed { update = update.set("closed_at", to: SQLBind(Date())) }
        if next == .handling { update = update.set("volunteer_id", to: SQLLiteral.null) }
        let moved = try await update.where("id", .equal, SQLBind(request.id))
            .where("status", .in, SQLBind.group(SolidarityStatus.sources(of: next).map(\.rawValue))).returning("id").all()
        guard !moved.isEmpty else {
            throw Solidarity.wrongState(try await find(request.id, in: request.cooperative_id, on: db).state)
        }
        try await SolidarityDiary.write(request.id, kind: .status, by: person, note: [next.label.fr, note].filter { !$0.isEmpty }.joined(separator: " — "), on: db)
        return try await find(request.id, in: request.cooperative_id, on: db)
    }

    /// Asks volunteers: each is told (notification) and may accept from it. Asking twice is once.
    static func ask(_ volunteers: [UUID], for request: Row, slug: String, by person: UUID, on db: any Database) async throws {
        guard request.state == .created || request.state == .handling else { throw Solidarity.wrongState(request.state) }
        let known = Set(try await SolidarityVolunteers.all(in: request.cooperative_id, on: db).map(\.user_id))
        for volunteer in volunteers where known.contains(volunteer) {
            let added = try await db.sql.insert(into: Solidarity.asksTable).columns("id", "request_id", "volunteer_id", "asked_at")
                .values(SQLBind(UUID()), SQLBind(request.id), SQLBind(volunteer), SQLBind(Date())).ignoringConflicts().returning("id").all()
            guard !added.isEmpty else { continue }
            try await Inbox.notify(volunteer, Localized(
                fr: "Transport solidaire : pouvez-vous conduire quelqu’un à \(request.destination_commune) (\(request.timing.text(.fr))) ?",
                en: "Solidarity transport: can you drive someone to \(request.destination_commune) (\(request.timing.text(.en)))?"),
                link: "/c/\(slug)/carpool/solidarity/offers/\(request.id)", kind: .rides, on: db)
            try await SolidarityDiary.write(request.id, kind: .ask, by: person, about: volunteer, note: "", on: db)
        }
        if request.state == .created { try await move(request, to: .handling, by: person, on: db) }
    }

    /// The volunteer takes the trip: one UPDATE that succeeds only while nobody holds it and while
    /// the volunteer is below their monthly limit, so two acceptances at once assign one person.
    /// The volunteer's row is locked first (PostgreSQL; SQLite writes one at a time): two different
    /// trips taken by the same volunteer at once are counted one after the other, never both
    /// against the same month's count.
    static func assign(_ request: Row, to volunteer: UUID, by person: UUID, on outer: any Database) async throws {
        try await outer.writeTransaction { db in
            if db.isPostgres {
                _ = try await db.sql.raw("""
                    SELECT user_id FROM \(ident: Solidarity.volunteersTable)
                    WHERE cooperative_id = \(bind: request.cooperative_id) AND user_id = \(bind: volunteer) FOR UPDATE
                    """).all()
            }
            try await assignLocked(request, to: volunteer, by: person, on: db)
        }
    }

    private static func assignLocked(_ request: Row, to volunteer: UUID, by person: UUID, on db: any Database) async throws {
        guard let profile = try await SolidarityVolunteers.of(volunteer, in: request.cooperative_id, on: db) else { throw Solidarity.notFound }
        let now = Date(), month = Solidarity.month(of: request.first_day) + "%"
        let open = SolidarityStatus.sources(of: .found).map(\.rawValue)
        let taken = try await db.sql.raw("""
            UPDATE \(ident: Solidarity.requestsTable) SET status = \(bind: SolidarityStatus.found.rawValue), volunteer_id = \(bind: volunteer),
            updated_at = \(bind: now) WHERE id = \(bind: request.id) AND volunteer_id IS NULL AND status IN (\(bind: open[0]), \(bind: open[1]))
            AND (SELECT COUNT(*) FROM \(ident: Solidarity.requestsTable) held WHERE held.volunteer_id = \(bind: volunteer)
                 AND held.status IN ('found', 'done') AND held.first_day LIKE \(bind: month)) < \(bind: profile.monthly_limit)
            RETURNING id
            """).all()
        if !taken.isEmpty {
            try await db.sql.insert(into: Solidarity.asksTable).columns("id", "request_id", "volunteer_id", "asked_at", "answer", "answered_at")
                .values(SQLBind(UUID()), SQLBind(request.id), SQLBind(volunteer), SQLBind(now), SQLBind("accepted"), SQLBind(now))
                .onConflict(with: ["request_id", "volunteer_id"]) { $0.set(excludedValueOf: "answer").set(excludedValueOf: "answered_at") }.run()
            try await SolidarityDiary.write(request.id, kind: .answer, by: person, about: volunteer, note: SolidarityStatus.found.label.fr, on: db)
            return
        }
        let current = try await find(request.id, in: request.cooperative_id, on: db)
        if current.volunteer_id != nil { throw Solidarity.alreadyTaken }
        if current.state != .created && current.state != .handling { throw Solidarity.wrongState(current.state) }
        throw Solidarity.overLimit
    }

    /// A volunteer says no (from the notification, or on the phone to a coordinator).
    static func decline(_ request: Row, by volunteer: UUID, recordedBy person: UUID, on db: any Database) async throws {
        let now = Date()
        try await db.sql.insert(into: Solidarity.asksTable).columns("id", "request_id", "volunteer_id", "asked_at", "answer", "answered_at")
            .values(SQLBind(UUID()), SQLBind(request.id), SQLBind(volunteer), SQLBind(now), SQLBind("declined"), SQLBind(now))
            .onConflict(with: ["request_id", "volunteer_id"]) { $0.set(excludedValueOf: "answer").set(excludedValueOf: "answered_at") }.run()
        try await SolidarityDiary.write(request.id, kind: .answer, by: person, about: volunteer, note: "Pas disponible / not available", on: db)
    }

    /// The assigned volunteer gives the trip back: the case returns to "being handled" so the
    /// coordinator looks for someone else, told by a notification. The UPDATE holds only while the
    /// trip is still theirs and to be done, so a withdrawal never undoes a trip done or reassigned.
    static func withdraw(_ request: Row, volunteer: UUID, slug: String, on db: any Database) async throws {
        struct Moved: Decodable { var created_by: UUID? }
        try await db.writeTransaction { tx in
            let moved = try await tx.sql.update(Solidarity.requestsTable).set("status", to: SQLBind(SolidarityStatus.handling.rawValue))
                .set("volunteer_id", to: SQLLiteral.null).set("updated_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(request.id)).where("status", .equal, SQLBind(SolidarityStatus.found.rawValue))
                .where("volunteer_id", .equal, SQLBind(volunteer)).returning("created_by").all(decoding: Moved.self)
            guard let row = moved.first else {
                let current = try await find(request.id, in: request.cooperative_id, on: tx)
                throw current.state == .found ? Solidarity.notFound : Solidarity.wrongState(current.state)
            }
            // Marked declined, so the desk does not show them as still waiting to answer.
            try await tx.sql.update(Solidarity.asksTable).set("answer", to: SQLBind("declined")).set("answered_at", to: SQLBind(Date()))
                .where("request_id", .equal, SQLBind(request.id)).where("volunteer_id", .equal, SQLBind(volunteer)).run()
            try await SolidarityDiary.write(request.id, kind: .status, by: volunteer, about: volunteer,
                                            note: "\(SolidarityStatus.handling.label.fr) — le ou la bénévole se désiste", on: tx)
            if let coordinator = row.created_by {
                try await Inbox.notify(coordinator, Localized(
                    fr: "Transport solidaire : le ou la bénévole se désiste du trajet vers \(request.destination_commune) (\(request.timing.text(.fr))) ; cherchez quelqu’un d’autre.",
                    en: "Solidarity transport: the volunteer withdrew from the trip to \(request.destination_commune) (\(request.timing.text(.en))); find someone else."),
                    link: "/c/\(slug)/carpool/solidarity/requests/\(request.id)", kind: .rides, on: tx)
            }
        }
    }

    struct Asked: Decodable { var volunteer_id: UUID; var asked_at: Date; var answer: String? }

    static func asked(_ request: UUID, on db: any Database) async throws -> [Asked] {
        try await db.sql.select().columns("volunteer_id", "asked_at", "answer").from(Solidarity.asksTable)
            .where("request_id", .equal, SQLBind(request)).orderBy("asked_at").all(decoding: Asked.self)
    }
}
