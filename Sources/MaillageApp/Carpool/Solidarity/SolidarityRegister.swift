import Fluent
import Foundation
import MaillageCore
import SQLKit

/// What solidarity transport keeps about people, why, for how long; the retention of closed
/// cases each structure sets; what an erased account leaves behind.
enum SolidarityRegister {
    static var tables: [TableRegister] {
        let coordinators = Localized(fr: "Les coordinateur·rices de la structure (personnel de la coopérative)",
                                     en: "The structure's coordinators (the cooperative's staff)")
        let beneficiaries = Localized(fr: "Personnes sans voiture aidées par la structure", en: "People without a car helped by the structure")
        let volunteers = Localized(fr: "Conducteur·rices bénévoles", en: "Volunteer drivers")
        let closedCases = Retention.cooperativeRecords(years: SolidaritySettings.defaultRetentionYears)
        return [
            TableRegister(table: Solidarity.settingsTable, subject: nil,
                          purpose: Localized(fr: "Les choix de la structure (motifs, formulaire d’éligibilité, indemnité, conservation)",
                                             en: "The structure's choices (reasons, eligibility form, allowance, retention)"),
                          legalBasis: .contract, persons: Localized(fr: "Aucune (réglage)", en: "None (a setting)"), recipients: coordinators,
                          retention: .whileAccountExists, personal: [],
                          nonPersonal: ["cooperative_id", "reasons", "fields", "cents_per_km", "retention_years", "updated_at", "updated_by"]),
            TableRegister(table: Solidarity.beneficiariesTable, subject: "user_id",
                          purpose: Localized(fr: "Inscrire une personne au transport solidaire et vérifier qu’elle y a droit",
                                             en: "Register a person for solidarity transport and check they are eligible"),
                          legalBasis: .consent, persons: beneficiaries, recipients: coordinators,
                          retention: closedCases,
                          personal: [PersonalField("name", .identity), PersonalField("phone", .contact), PersonalField("commune", .location),
                                     PersonalField("address", .location), PersonalField("answers", .economic), PersonalField("refusal_reason", .communication)],
                          nonPersonal: ["id", "cooperative_id", "user_id", "status", "created_by", "created_at", "decided_at"]),
            TableRegister(table: Solidarity.openingsTable, subject: nil,
                          purpose: Localized(fr: "Savoir qui a ouvert la fiche d’une personne aidée, et quand", en: "Know who opened a helped person's record, and when"),
                          legalBasis: .legitimateInterest, persons: coordinators, recipients: coordinators,
                          retention: .days(365, column: "at"),
                          personal: [PersonalField("actor_id", .connection)], nonPersonal: ["id", "beneficiary_id", "cooperative_id", "at"]),
            TableRegister(table: Solidarity.volunteersTable, subject: "user_id",
                          purpose: Localized(fr: "Proposer des trajets aux bénévoles quand et où ils et elles sont disponibles",
                                             en: "Offer trips to volunteers when and where they are available"),
                          legalBasis: .consent, persons: volunteers, recipients: coordinators, retention: .whileAccountExists,
                          personal: [PersonalField("slots", .participation), PersonalField("home_commune", .location), PersonalField("vehicle", .identity)],
                          nonPersonal: ["id", "cooperative_id", "user_id", "max_km", "paused", "monthly_limit", "updated_at"]),
            TableRegister(table: Solidarity.requestsTable, subject: "volunteer_id",
                          purpose: Localized(fr: "Organiser un trajet, indemniser le ou la bénévole, établir son relevé annuel",
                                             en: "Arrange a trip, pay the volunteer's allowance, make their yearly statement"),
                          legalBasis: .contract, persons: Localized(fr: "Personnes aidées et bénévoles", en: "Helped people and volunteers"),
                          recipients: Localized(fr: "Les coordinateur·rices ; le ou la bénévole pour ses trajets", en: "The coordinators; the volunteer for their trips"),
                          retention: closedCases,
                          personal: [PersonalField("reason", .communication), PersonalField("destination", .location),
                                     PersonalField("destination_commune", .location), PersonalField("km_tenths", .economic),
                                     PersonalField("allowance_cents", .economic), PersonalField("hours_tenths", .economic)],
                          nonPersonal: ["id", "cooperative_id", "beneficiary_id", "first_day", "within_days", "period", "return_code", "status",
                                        "volunteer_id", "done_on", "created_by", "created_at", "updated_at", "closed_at"]),
            TableRegister(table: Solidarity.diaryTable, subject: "by_id",
                          purpose: Localized(fr: "Le journal d’un dossier : qui a appelé qui, quand, ce qui a été dit", en: "A case's diary: who called whom, when, what was said"),
                          legalBasis: .contract, persons: Localized(fr: "Personnes aidées, bénévoles, coordinateur·rices", en: "Helped people, volunteers, coordinators"),
                          recipients: coordinators, retention: closedCases,
                          personal: [PersonalField("with_whom", .identity), PersonalField("note", .communication)],
                          nonPersonal: ["id", "request_id", "by_id", "about_id", "kind", "at"]),
            TableRegister(table: Solidarity.asksTable, subject: "volunteer_id",
                          purpose: Localized(fr: "Savoir quels bénévoles ont été sollicité·es pour un trajet et ce qu’ils ont répondu",
                                             en: "Know which volunteers were asked for a trip and what they answered"),
                          legalBasis: .contract, persons: volunteers, recipients: coordinators, retention: closedCases,
                          personal: [PersonalField("answer", .participation)], nonPersonal: ["id", "request_id", "volunteer_id", "asked_at", "answered_at"]),
        ]
    }

    /// Deletes the cases closed longer ago than each structure's retention (their diary and asks
    /// go with them), then the beneficiaries left with no case who were decided before that limit.
    static func purge(now: Date = Date(), on db: any Database) async throws {
        struct Structure: Decodable { var cooperative_id: UUID; var retention_years: Int }
        let set = try await db.sql.select().columns("cooperative_id", "retention_years").from(Solidarity.settingsTable).all(decoding: Structure.self)
        let chosen = Dictionary(set.map { ($0.cooperative_id, $0.retention_years) }, uniquingKeysWith: { a, _ in a })
        struct Coop: Decodable { var cooperative_id: UUID }
        let coops = try await db.sql.select().distinct().column("cooperative_id").from(Solidarity.requestsTable).all(decoding: Coop.self).map(\.cooperative_id)
            + (try await db.sql.select().distinct().column("cooperative_id").from(Solidarity.beneficiariesTable).all(decoding: Coop.self).map(\.cooperative_id))
        for coop in Set(coops) {
            let years = chosen[coop] ?? SolidaritySettings.defaultRetentionYears
            let limit = now.addingTimeInterval(-Double(years) * 365.25 * 86_400)
            for child in [Solidarity.diaryTable, Solidarity.asksTable] {
                try await db.sql.raw("""
                    DELETE FROM \(ident: child) WHERE request_id IN (SELECT id FROM \(ident: Solidarity.requestsTable)
                    WHERE cooperative_id = \(bind: coop) AND closed_at < \(bind: limit))
                    """).run()
            }
            try await db.sql.delete(from: Solidarity.requestsTable).where("cooperative_id", .equal, SQLBind(coop))
                .where("closed_at", .lessThan, SQLBind(limit)).run()
            struct Gone: Decodable { var id: UUID }
            let gone = try await db.sql.raw("""
                SELECT id FROM \(ident: Solidarity.beneficiariesTable) b WHERE b.cooperative_id = \(bind: coop)
                AND COALESCE(b.decided_at, b.created_at) < \(bind: limit)
                AND NOT EXISTS (SELECT 1 FROM \(ident: Solidarity.requestsTable) r WHERE r.beneficiary_id = b.id)
                """).all(decoding: Gone.self).map(\.id)
            guard !gone.isEmpty else { continue }
            try await db.sql.delete(from: Solidarity.openingsTable).where("beneficiary_id", .in, SQLBind.group(gone)).run()
            try await db.sql.delete(from: Solidarity.beneficiariesTable).where("id", .in, SQLBind.group(gone)).run()
        }
    }

    /// An erased account: their volunteer profile goes; a beneficiary record linked to it loses
    /// its name, phone and address; the trips stay in the structure's books without a name.
    static func erase(_ user: UUID, on db: any Database) async throws {
        try await db.sql.delete(from: Solidarity.volunteersTable).where("user_id", .equal, SQLBind(user)).run()
        try await db.sql.update(Solidarity.beneficiariesTable).set("name", to: SQLBind("—")).set("phone", to: SQLBind(""))
            .set("address", to: SQLBind("")).set("answers", to: SQLBind("{}")).set("user_id", to: SQLLiteral.null)
            .where("user_id", .equal, SQLBind(user)).run()
        try await db.sql.update(Solidarity.asksTable).set("answer", to: SQLLiteral.null).where("volunteer_id", .equal, SQLBind(user)).run()
    }
}
