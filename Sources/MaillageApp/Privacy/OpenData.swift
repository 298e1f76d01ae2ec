import Fluent
import MaillageCore
import Plot
import SQLKit
import Vapor

/// Aggregated, non-personal figures of each cooperative, under an open licence, with a data card.
enum OpenData {
    static let licence = "ODbL-1.0"

    struct Row: Content {
        var slug: String
        var name: String
        var legal_form: String
        var commune: String
        var activities: String
        var members: Int
        var colleges: Int
        var votes_closed: Int
        var assemblies: Int
        var charter_score: Int
    }

    static let columns: [(String, Localized)] = [
        ("slug", Localized(fr: "Identifiant de la coopérative dans l’adresse", en: "The cooperative's identifier in URLs")),
        ("name", Localized(fr: "Nom", en: "Name")),
        ("legal_form", Localized(fr: "Forme juridique (scic, scop, cooperative-association, association-1901, other)", en: "Legal form (scic, scop, cooperative-association, association-1901, other)")),
        ("commune", Localized(fr: "Commune du siège", en: "Town of the head office")),
        ("activities", Localized(fr: "Activités sur la plateforme, séparées par « | »", en: "Activities on the platform, separated by “|”")),
        ("members", Localized(fr: "Sociétaires actifs à la date de l’export", en: "Active members on the export date")),
        ("colleges", Localized(fr: "Nombre de collèges de vote", en: "Number of voting colleges")),
        ("votes_closed", Localized(fr: "Votes clos depuis l’ouverture", en: "Votes closed since the start")),
        ("assemblies", Localized(fr: "Assemblées générales convoquées", en: "General assemblies convened")),
        ("charter_score", Localized(fr: "Score d’auto-évaluation de la charte, sur 10", en: "Charter self-assessment score, out of 10")),
    ]

    /// A fixed number of queries however many cooperatives there are (this is public, unauthenticated).
    static func rows(on db: any Database) async throws -> [Row] {
        let cards = try await DirectoryQuery.cards(.init(), on: db)
        let colleges = try await CooperativeCounts.colleges(on: db)
        let votes = try await GovernanceCounts.closedVotes(on: db)
        let assemblies = try await GovernanceCounts.assemblies(on: db)
        return cards.map { card in
            Row(slug: card.slug, name: card.name, legal_form: card.legalForm.rawValue, commune: card.commune,
                activities: card.activities.map(\.rawValue).joined(separator: "|"), members: card.members,
                colleges: colleges[card.id] ?? 0, votes_closed: votes[card.id] ?? 0, assemblies: assemblies[card.id] ?? 0,
                charter_score: card.charter.score)
        }
    }

    @Sendable static func json(_ req: Request) async throws -> Response {
        struct Document: Content { var licence: String; var generated_at: Date; var data: [Row] }
        let response = Response(status: .ok)
        try response.content.encode(Document(licence: licence, generated_at: Date(), data: try await rows(on: req.db)))
        return response
    }

    @Sendable static func csv(_ req: Request) async throws -> Response {
        var lines = [columns.map(\.0).joined(separator: ",")]
        for row in try await rows(on: req.db) {
            let fields: [CSV.Field] = [.text(row.slug), .text(row.name), .text(row.legal_form), .text(row.commune), .text(row.activities),
                                       .figure(String(row.members)), .figure(String(row.colleges)), .figure(String(row.votes_closed)),
                                       .figure(String(row.assemblies)), .figure(String(row.charter_score))]
            lines.append(fields.map(CSV.escape).joined(separator: ","))
        }
        return CSVResponse.make(lines.joined(separator: "\r\n") + "\r\n", filename: "maillage-cooperatives.csv")
    }

    @Sendable static func card(_ req: Request) async throws -> Response {
        let t = req.t
        return Layout.page(req, title: t("Données ouvertes", "Open data"),
            .h1(.text(t("Données ouvertes", "Open data"))),
            .p(.text(t("Chiffres agrégés de chaque coopérative, sans aucune donnée personnelle, sous licence ", "Aggregated figures of each cooperative, with no personal data, under the ")),
               .a(.href("https://opendatacommons.org/licenses/odbl/1-0/"), .text("ODbL 1.0")), .text(".")),
            .p(.a(.href("/open-data/cooperatives.csv"), .text("cooperatives.csv")), .text(" · "), .a(.href("/open-data/cooperatives.json"), .text("cooperatives.json")),
               .text(" · "), .a(.href("/api/v1/directory"), .text(t("annuaire (Murmurations)", "directory (Murmurations)")))),
            .h2(.text(t("Fiche de données : colonnes", "Data card: columns"))),
            .dl(.forEach(columns) { column in .group(.dt(.code(.text(column.0))), .dd(.text(t(column.1)))) }),
            .p(.text(t("Mise à jour : à chaque téléchargement. Producteur : l’instance Maillage du territoire.", "Updated: on every download. Producer: the territory's Maillage instance."))))
    }
}
