import Fluent
import Foundation
import MaillageCore
import SQLKit

/// People without a car registered by the structure, with their answers to its eligibility form.
/// Only coordinators read them, and each opening of a record is written down.
enum SolidarityBeneficiaries {
    enum Status: String { case pending, accepted, refused

        var label: Localized {
            switch self {
            case .pending: Localized(fr: "En attente de décision", en: "Awaiting a decision")
            case .accepted: Localized(fr: "Acceptée", en: "Accepted")
            case .refused: Localized(fr: "Refusée", en: "Refused")
            }
        }
    }

    struct Row: Decodable, Sendable {
        var id: UUID
        var cooperative_id: UUID
        var user_id: UUID?
        var name: String
        var phone: String
        var commune: String
        var address: String
        var answers: String
        var status: String
        var refusal_reason: String
        var created_at: Date
        var decided_at: Date?

        var state: Status { Status(rawValue: status) ?? .pending }
        var answerList: [String: String] { (try? JSONDecoder().decode([String: String].self, from: Data(answers.utf8))) ?? [:] }
        var place: GeoPoint? { Communes.coordinates(of: commune).flatMap { GeoPoint(lat: $0.lat, lon: $0.lon) } }
    }

    static let columns = ["id", "cooperative_id", "user_id", "name", "phone", "commune", "address", "answers", "status",
                          "refusal_reason", "created_at", "decided_at"]

    struct Draft {
        var name: String
        var phone: String
        var commune: String
        var address: String
        var answers: [String: String]
        var account: String
    }

    /// Checks the coordinator's form against the structure's eligibility form, every problem at once.
    static func check(_ draft: Draft, settings: SolidaritySettings) throws -> (Draft, [String: String]) {
        var errors = ValidationErrors()
        var clean = draft
        clean.name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        clean.phone = draft.phone.trimmingCharacters(in: .whitespacesAndNewlines)
        clean.address = draft.address.trimmingCharacters(in: .whitespacesAndNewlines)
        if clean.name.isEmpty || clean.name.count > 120 {
            errors.add(DomainError(.invalid, code: "invalid_name", field: "name", fr: "Indiquez le nom (120 caractères au plus).", en: "Give the name (120 characters at most)."))
        }
        if clean.phone.filter(\.isNumber).count < 6 || clean.phone.count > 30 {
            errors.add(DomainError(.invalid, code: "invalid_phone", field: "phone",
                                   fr: "Indiquez un numéro de téléphone, par exemple 02 40 12 34 56.", en: "Give a phone number, for example 02 40 12 34 56."))
        }
        if let place = Communes.coordinates(of: draft.commune) { clean.commune = place.name } else { errors.add(CarpoolErrors.unknownPlace("commune")) }
        if clean.address.count > 200 {
            errors.add(DomainError(.invalid, code: "too_long", field: "address", fr: "200 caractères au plus.", en: "200 characters at most."))
        }
        let answers = try errors.collect { try Eligibility.check(draft.answers, against: settings.fields) } ?? [:]
        try errors.throwIfAny()
        return (clean, answers)
    }

    static func register(_ draft: Draft, answers: [String: String], account: UUID?, in coop: UUID, by person: UUID,
                         on db: any Database) async throws -> UUID {
        let id = UUID()
        let answerText = String(decoding: try JSONEncoder().encode(answers), as: UTF8.self)
        try await db.sql.insert(into: Solidarity.beneficiariesTable).columns(columns.filter { $0 != "decided_at" } + ["created_by"])
            .values(SQLBind(id), SQLBind(coop), SQLBind(account), SQLBind(draft.name), SQLBind(draft.phone), SQLBind(draft.commune),
                    SQLBind(draft.address), SQLBind(answerText), SQLBind(Status.pending.rawValue), SQLBind(""), SQLBind(Date()), SQLBind(person))
            .run()
        return id
    }

    static func find(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> Row {
        guard let id, let row = try await db.sql.select().columns(columns).from(Solidarity.beneficiariesTable)
            .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).first(decoding: Row.self)
        else { throw Solidarity.notFound }
        return row
    }

    static func all(in coop: UUID, on db: any Database) async throws -> [Row] {
        try await db.sql.select().columns(columns).from(Solidarity.beneficiariesTable).where("cooperative_id", .equal, SQLBind(coop))
            .orderBy("name").all(decoding: Row.self)
    }

    /// Writes down that `actor` opened the record: in the structure's own list (the person may have
    /// no account) and, when they have one, in the access log they read on their account page.
    static func opened(_ row: Row, by actor: User, coop: Cooperative, on db: any Database) async throws {
        try await db.sql.insert(into: Solidarity.openingsTable).columns("id", "beneficiary_id", "cooperative_id", "actor_id", "at")
            .values(SQLBind(UUID()), SQLBind(row.id), SQLBind(row.cooperative_id), SQLBind(actor.id), SQLBind(Date())).run()
        if let account = row.user_id {
            try await AccessLog.record(actor: actor, subjects: [account], what: "solidarity-beneficiary", coop: coop, on: db)
        }
    }

    struct Opening: Decodable { var actor_id: UUID?; var at: Date }

    static func openings(of id: UUID, on db: any Database) async throws -> [Opening] {
        try await db.sql.select().columns("actor_id", "at").from(Solidarity.openingsTable).where("beneficiary_id", .equal, SQLBind(id))
            .orderBy(SQLOrderBy(expression: SQLColumn("at"), direction: SQLDirection.descending)).limit(20).all(decoding: Opening.self)
    }

    /// Accepts or refuses; a refusal says why (the person is told on the phone, and may ask again).
    static func decide(_ id: UUID, accept: Bool, reason: String, in coop: UUID, on db: any Database) async throws {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if !accept && why.isEmpty {
            throw DomainError(.invalid, code: "reason_required", field: "reason",
                              fr: "Dites pourquoi la demande est refusée.", en: "Say why the application is refused.")
        }
        try await db.sql.update(Solidarity.beneficiariesTable)
            .set("status", to: SQLBind(accept ? Status.accepted.rawValue : Status.refused.rawValue))
            .set("refusal_reason", to: SQLBind(accept ? "" : String(why.prefix(500)))).set("decided_at", to: SQLBind(Date()))
            .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).run()
    }
}
