import Fluent
import Foundation
import MaillageCore
import SQLKit

struct ProofConsentRow: Sendable, Decodable {
    var phone: String
    var last_name: String
    var text_version: String
    var consented_at: Date
}

/// Who chose to send their rides to the registry, in a cooperative.
enum CarpoolProofConsents {
    static func find(_ person: UUID, in coop: UUID, on db: any Database) async throws -> ProofConsentRow? {
        try await db.sql.select().columns("phone", "last_name", "text_version", "consented_at").from("carpool_proof_consents")
            .where("cooperative_id", .equal, SQLBind(coop)).where("person_id", .equal, SQLBind(person)).first(decoding: ProofConsentRow.self)
    }

    /// Records the consent (or new details), dated, with the version of the text the person read.
    static func give(_ consent: ProofConsent, by person: UUID, in coop: UUID, now: Date = Date(), on db: any Database) async throws {
        try await db.sql.insert(into: "carpool_proof_consents")
            .columns("cooperative_id", "person_id", "phone", "last_name", "text_version", "consented_at")
            .values(SQLBind(coop), SQLBind(person), SQLBind(consent.phone), SQLBind(consent.lastName), SQLBind(ProofConsent.textVersion), SQLBind(now))
            .onConflict(with: ["cooperative_id", "person_id"]) {
                $0.set(excludedValueOf: "phone").set(excludedValueOf: "last_name").set(excludedValueOf: "text_version").set(excludedValueOf: "consented_at")
            }.run()
    }

    /// Opting out (or leaving): the phone and last name are deleted with the consent, and the
    /// person's proofs still waiting are not sent — their messages, which carry the identity
    /// fingerprint, leave the outbox in the same transaction. `coop` nil: every cooperative.
    static func withdraw(_ person: UUID, in coop: UUID?, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            var delete = tx.sql.delete(from: "carpool_proof_consents").where("person_id", .equal, SQLBind(person))
            if let coop { delete = delete.where("cooperative_id", .equal, SQLBind(coop)) }
            try await delete.run()
            struct Waiting: Decodable { var id: UUID; var outbox_id: UUID? }
            var select = tx.sql.select().columns("id", "outbox_id").from("carpool_proofs")
                .where("status", .equal, SQLBind(ProofStatus.waiting.rawValue))
                .where { $0.where("driver_id", .equal, SQLBind(person)).orWhere("passenger_id", .equal, SQLBind(person)) }
            if let coop { select = select.where("cooperative_id", .equal, SQLBind(coop)) }
            let waiting = try await select.all(decoding: Waiting.self)
            guard !waiting.isEmpty else { return }
            let messages = waiting.compactMap(\.outbox_id)
            if !messages.isEmpty {
                try await tx.sql.delete(from: OutboxTables.messages).where("id", .in, SQLBind.group(messages))
                    .where("status", .notEqual, SQLBind(OutboxStatus.sent.rawValue)).run()
            }
            try await tx.sql.update("carpool_proofs").set("status", to: SQLBind(ProofStatus.excluded.rawValue))
                .set("exclusion", to: SQLBind(ProofExclusion.withdrawn.rawValue)).set("outbox_id", to: SQLLiteral.null)
                .where("id", .in, SQLBind.group(waiting.map(\.id))).where("status", .equal, SQLBind(ProofStatus.waiting.rawValue)).run()
        }
    }
}
