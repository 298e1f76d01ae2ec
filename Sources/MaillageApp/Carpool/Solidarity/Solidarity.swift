import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// Solidarity transport: a structure's coordinators register people without a car, record their
/// requests and find them a volunteer driver, whose kilometres the structure pays back.
enum Solidarity {
    static let settingsTable = "carpool_solidarity_settings"
    static let beneficiariesTable = "carpool_solidarity_beneficiaries"
    static let openingsTable = "carpool_solidarity_openings"
    static let volunteersTable = "carpool_solidarity_volunteers"
    static let requestsTable = "carpool_solidarity_requests"
    static let diaryTable = "carpool_solidarity_diary"
    static let asksTable = "carpool_solidarity_asks"

    static let estimator: any RouteEstimator = CarpoolAds.estimator

    static let notFound = DomainError(.notFound, code: "not_found",
        fr: "Cette fiche n’existe pas ou ne vous est pas ouverte.", en: "This record does not exist or is not open to you.")
    static let coordinatorsOnly = DomainError(.forbidden, code: "coordinators_only",
        fr: "Seules les personnes qui coordonnent le transport solidaire ont accès à cette page.",
        en: "Only the solidarity transport's coordinators may open this page.")
    static func wrongState(_ status: SolidarityStatus) -> DomainError {
        DomainError(.conflict, code: "wrong_state", fr: "La demande est « \(status.label.fr) » : ce n’est plus possible.",
                    en: "The request is “\(status.label.en)”: this is no longer possible.")
    }
    static let alreadyTaken = DomainError(.conflict, code: "already_taken",
        fr: "Une autre personne a déjà accepté ce trajet. Merci quand même !", en: "Someone else already accepted this trip. Thank you all the same!")
    static let overLimit = DomainError(.conflict, code: "monthly_limit",
        fr: "Ce trajet dépasserait la limite de trajets par mois que la personne s’est fixée.",
        en: "This trip would go beyond the monthly limit of trips the person set.")
    static let notAccepted = DomainError(.conflict, code: "not_accepted",
        fr: "La personne n’a pas encore été acceptée : enregistrez d’abord la décision.", en: "The person has not been accepted yet: record the decision first.")

    // MARK: Settings

    private struct SettingsRow: Decodable { var reasons: String; var fields: String; var cents_per_km: Int64; var retention_years: Int }

    static func settings(of coop: UUID, on db: any Database) async throws -> SolidaritySettings {
        guard let row = try await db.sql.select().columns("reasons", "fields", "cents_per_km", "retention_years").from(settingsTable)
            .where("cooperative_id", .equal, SQLBind(coop)).first(decoding: SettingsRow.self) else { return .standard }
        let fields = (try? JSONDecoder().decode([EligibilityField].self, from: Data(row.fields.utf8))) ?? []
        return SolidaritySettings(reasons: row.reasons.split(separator: "\n").map(String.init), fields: fields,
                                  centsPerKm: row.cents_per_km, retentionYears: row.retention_years)
    }

    static func save(_ settings: SolidaritySettings, for coop: UUID, by person: UUID, on db: any Database) async throws {
        let fields = String(decoding: try JSONEncoder().encode(settings.fields), as: UTF8.self)
        try await db.sql.insert(into: settingsTable)
            .columns("cooperative_id", "reasons", "fields", "cents_per_km", "retention_years", "updated_at", "updated_by")
            .values(SQLBind(coop), SQLBind(settings.reasons.joined(separator: "\n")), SQLBind(fields), SQLBind(settings.centsPerKm),
                    SQLBind(settings.retentionYears), SQLBind(Date()), SQLBind(person))
            .onConflict(with: ["cooperative_id"]) {
                $0.set(excludedValueOf: "reasons").set(excludedValueOf: "fields").set(excludedValueOf: "cents_per_km")
                    .set(excludedValueOf: "retention_years").set(excludedValueOf: "updated_at").set(excludedValueOf: "updated_by")
            }.run()
    }

    // MARK: Who is looking

    /// The structure's coordinators are its staff and board: they alone see beneficiaries.
    static func coordinator(_ req: Request) async throws -> CarpoolAccess {
        try await CarpoolAccess(req, member: true, minimum: .staff)
    }

    static func month(of day: String) -> String { String(day.prefix(7)) }
}
