import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The registry's two tables: who chose to send their rides (with what it needs of them), and
/// one proof per completed ride.
struct CreateCarpoolProofs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("carpool_proof_consents")
            .field("cooperative_id", .uuid, .required)
            .field("person_id", .uuid, .required)
            .field("phone", .string, .required)
            .field("last_name", .string, .required)
            .field("text_version", .string, .required)
            .field("consented_at", .datetime, .required)
            .unique(on: "cooperative_id", "person_id")
            .create()
        try await database.schema("carpool_proofs")
            .field("id", .uuid, .identifier(auto: false))
            .field("cooperative_id", .uuid, .required)
            .field("ask_id", .uuid, .required)
            .field("driver_id", .uuid, .required)
            .field("passenger_id", .uuid, .required)
            .field("travel_date", .string, .required)
            .field("trip_id", .string, .required)
            .field("journey_id", .string, .required)
            .field("operator_class", .string, .required)
            .field("distance_m", .int, .required)
            .field("contribution_cents", .int64, .required)
            .field("status", .string, .required)
            .field("exclusion", .string)
            .field("registry_status", .int)
            .field("registry_message", .string)
            .field("outbox_id", .uuid)
            .field("created_at", .datetime, .required)
            .field("answered_at", .datetime)
            // One proof per ride, however many processes build them at once.
            .unique(on: "ask_id")
            .create()
        try await database.sql.create(index: "carpool_proofs_by_day").on("carpool_proofs").column("cooperative_id").column("travel_date").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("carpool_proofs").delete()
        try await database.schema("carpool_proof_consents").delete()
    }
}

/// What the proofs keep about people, for the data register, the export and erasure.
enum CarpoolProofRegister {
    static var tables: [TableRegister] {
        let people = Localized(fr: "Membres qui covoiturent et ont choisi d’envoyer leurs trajets au registre",
                               en: "Members who carpool and chose to send their rides to the registry")
        return [
            TableRegister(table: "carpool_proof_consents", subject: "person_id",
                          purpose: Localized(fr: "Envoyer la preuve des trajets au Registre de preuve de covoiturage, pour les incitations publiques",
                                             en: "Send proof of rides to the state's carpool proof registry, for public incentives"),
                          legalBasis: .consent, persons: people,
                          recipients: Localized(fr: "Personne ici ; le registre reçoit une empreinte (SHA-256) du numéro et du nom, et le numéro sans ses 2 derniers chiffres",
                                                en: "Nobody here; the registry receives a fingerprint (SHA-256) of the number and name, and the number without its last 2 digits"),
                          retention: .whileAccountExists,
                          personal: [PersonalField("phone", .contact), PersonalField("last_name", .identity)],
                          nonPersonal: ["cooperative_id", "person_id", "text_version", "consented_at"]),
            TableRegister(table: "carpool_proofs", subject: "passenger_id",
                          purpose: Localized(fr: "La preuve d’un trajet effectué, son envoi au registre et sa réponse",
                                             en: "The proof of a completed ride, its sending to the registry and its answer"),
                          legalBasis: .consent, persons: people,
                          recipients: Localized(fr: "Les deux personnes du trajet ; le Registre de preuve de covoiturage (État, ADEME)",
                                                en: "Both people of the ride; the carpool proof registry (the State, ADEME)"),
                          retention: .cooperativeRecords(years: 1),
                          personal: [PersonalField("driver_id", .economic), PersonalField("passenger_id", .economic),
                                     PersonalField("travel_date", .location), PersonalField("contribution_cents", .economic),
                                     PersonalField("registry_message", .communication), PersonalField("registry_reasons", .communication)],
                          nonPersonal: ["id", "cooperative_id", "ask_id", "trip_id", "journey_id", "operator_class", "distance_m", "status",
                                        "exclusion", "registry_status", "outbox_id", "created_at", "answered_at", "registry_state",
                                        "registry_checked_at"],
                          alsoAbout: ["driver_id"]),
        ]
    }

    /// "Delete my account": the phone, the last name and the consent go at once; a proof not
    /// sent yet is never sent (its message leaves the outbox). A proof the registry already holds
    /// keeps, under the pseudonym, only what answers for it: its ids (the registry's key to it),
    /// day, distance, amount, class and status — the operator must be able to answer the
    /// registry's checks on a ride it declared and to account for the money — never who the
    /// person was (the identity fingerprint left with the delivered message's body).
    static func erase(_ person: UUID, on db: any Database) async throws {
        try await CarpoolProofConsents.withdraw(person, in: nil, on: db)
        try await db.sql.update("carpool_proofs").set("registry_message", to: SQLLiteral.null).set("registry_reasons", to: SQLLiteral.null)
            .where { $0.where("driver_id", .equal, SQLBind(person)).orWhere("passenger_id", .equal, SQLBind(person)) }.run()
    }
}
