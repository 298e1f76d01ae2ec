import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// The registry's later word on a proof it accepted: it checks each journey (anomalies, fraud,
/// the terms of use) before it counts for incentives. A job asks `GET /journeys/{id}` for the
/// proofs still being checked, every few hours for a month at most (`RegistryStatusChecks`), and
/// keeps the state and its reasons on the proof row for both people to see.
struct CarpoolProofRegistryStates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite adds no more at once.
        try await database.schema("carpool_proofs").field("registry_state", .string).update()
        try await database.schema("carpool_proofs").field("registry_reasons", .string).update()
        try await database.schema("carpool_proofs").field("registry_checked_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        for column in ["registry_state", "registry_reasons", "registry_checked_at"] {
            try await database.schema("carpool_proofs").deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}

enum CarpoolProofStatusChecks {
    static var jobs: [ScheduledJob] {
        [ScheduledJob("check-carpool-proofs", every: 3_600) { app in _ = try await checkDue(app) }]
    }

    /// At most this many proofs are asked about in one run; the next run takes the rest.
    static let batch = 200

    struct Due: Decodable { var id: UUID; var journey_id: String; var registry_state: String?; var answered_at: Date?; var registry_checked_at: Date? }

    /// Asks the registry about the accepted proofs due a check; returns how many it answered.
    @discardableResult
    static func checkDue(_ app: Application, now: Date = Date()) async throws -> Int {
        guard let registry = app.carpoolProofRegistry else { return 0 }
        let candidates = try await app.db.sql.select().columns("id", "journey_id", "registry_state", "answered_at", "registry_checked_at")
            .from("carpool_proofs").where("status", .equal, SQLBind(ProofStatus.accepted.rawValue))
            .where("answered_at", .greaterThanOrEqual, SQLBind(now.addingTimeInterval(-RegistryStatusChecks.horizon)))
            .orderBy("answered_at").all(decoding: Due.self)
        let due = candidates.filter {
            RegistryStatusChecks.isDue(state: $0.registry_state.flatMap(RegistryJourneyState.init(rawValue:)), acceptedAt: $0.answered_at,
                                       checkedAt: $0.registry_checked_at, now: now)
        }.prefix(batch)
        guard !due.isEmpty else { return 0 }
        let fetcher = try await CarpoolProofChannel.fetcher(for: registry, app: app)
        var answered = 0
        for proof in due {
            guard case .token(let token) = await CarpoolProofChannel.token(for: registry, fetcher: fetcher) else { break }
            var headers: HTTPHeaders = ["Accept": "application/json"]
            headers.add(name: .authorization, value: "Bearer \(token)")
            let path = proof.journey_id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? proof.journey_id
            guard let answer = try? await fetcher.send(.GET, to: registry.journeys + "/" + path, headers: headers, body: nil) else { continue }
            if answer.status == 401 || answer.status == 403 { await CarpoolProofChannel.tokens.drop(CarpoolProofChannel.key(registry)); break }
            // A journey the registry does not find is an acquisition that did not happen there.
            let read: (state: RegistryJourneyState, reasons: String)? = answer.status == 404 ? (.acquisitionError, "not found")
                : (200..<300).contains(answer.status) ? state(of: String(buffer: answer.body)) : nil
            guard let read else { continue }
            try await app.db.sql.update("carpool_proofs").set("registry_state", to: SQLBind(read.state.rawValue))
                .set("registry_reasons", to: read.reasons.isEmpty ? SQLLiteral.null as any SQLExpression : SQLBind(String(read.reasons.prefix(300))))
                .set("registry_checked_at", to: SQLBind(now)).where("id", .equal, SQLBind(proof.id)).run()
            answered += 1
        }
        return answered
    }

    /// The state and reasons of a status answer; nil when it does not read as one.
    static func state(of text: String) -> (state: RegistryJourneyState, reasons: String)? {
        guard let json = try? SchemaJSON.read(text), let object = json.object,
              let state = object["status"]?.string.flatMap(RegistryJourneyState.init(rawValue:)) else { return nil }
        func labels(_ key: String) -> [String] {
            guard case .array(let items)? = object[key] else { return [] }
            return items.compactMap { $0.object?["label"]?.string ?? $0.string }
        }
        var terms: [String] = []
        if case .array(let items)? = object["terms_violation_details"] { terms = items.compactMap(\.string) }
        return (state, RegistryStatusChecks.reasons(fraud: labels("fraud_error_labels"), anomaly: labels("anomaly_error_details"), terms: terms))
    }
}
