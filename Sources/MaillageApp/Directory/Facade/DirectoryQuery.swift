import Fluent
import MaillageCore
import SQLKit
import Vapor

/// One cooperative as the directory shows it.
struct DirectoryCard: Sendable {
    var id: UUID
    var slug: String
    var name: String
    var legalForm: LegalForm
    var commune: String
    var postalCode: String
    var description: String
    var website: String
    var activities: [Activity]
    var latitude: Double?
    var longitude: Double?
    var createdAt: Date
    var members: Int
    var charter: CharterAssessment

    var source: DirectoryEntry.Source {
        DirectoryEntry.Source(name: name, slug: slug, legalForm: legalForm, commune: commune, postalCode: postalCode,
                              description: description, website: website, activities: activities,
                              createdAtUnix: Int(createdAt.timeIntervalSince1970), latitude: latitude, longitude: longitude)
    }
}

/// The directory's read path: three flat SQL queries, no per-row lookups (it is the home page).
enum DirectoryQuery {
    struct Filter: Sendable, Equatable {
        var activity: Activity?
        var commune: String?
        /// Words to find in the name, description or commune, accents and case folded ("ecole" finds "Écoles").
        var text: String = ""
    }

    private struct CoopRow: Decodable {
        var id: UUID, slug: String, name: String, legal_form: String, commune: String, postal_code: String
        var description: String, website: String, activities: String, latitude: Double?, longitude: Double?, created_at: Date?
    }
    private struct CharterRow: Decodable { var cooperative_id: UUID, characteristic: String, answer: String, evidence: String }
    private struct CountRow: Decodable { var cooperative_id: UUID, n: Int }

    static func cards(_ filter: Filter, on db: any Database) async throws -> [DirectoryCard] {
        var select = db.sql.select()
            .columns("id", "slug", "name", "legal_form", "commune", "postal_code", "description", "website", "activities",
                     "latitude", "longitude", "created_at")
            .from(Cooperative.schema)
            // Only the public ones: approved by the instance's operators and not archived.
            .where("review", .equal, SQLBind(CooperativeReview.approved.rawValue))
            .where("archived_at", .is, SQLLiteral.null)
        if let commune = filter.commune, !commune.isEmpty {
            select = select.where("commune", .equal, SQLBind(commune))
        }
        let words = SearchText.tokens(filter.text)
        // A territory's directory is small: its words and its French order are decided here, not in SQL.
        let rows = try await select.orderBy("name").all(decoding: CoopRow.self)
            .filter { row in filter.activity.map { Activity.list(from: row.activities).contains($0) } ?? true }
            .filter { row in words.isEmpty || SearchText.matches(tokens: words, indexed: SearchText.indexed([row.name, row.description, row.commune])) }
            .sorted { SearchText.sortKey($0.name) < SearchText.sortKey($1.name) }
        guard !rows.isEmpty else { return [] }
        let ids = rows.map(\.id)
        let charters = try await db.sql.select().columns("cooperative_id", "characteristic", "answer", "evidence")
            .from(CharterEntry.schema).where("cooperative_id", .in, SQLBind.group(ids)).all(decoding: CharterRow.self)
        let counts = try await db.sql.select().column("cooperative_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Membership.schema).where("cooperative_id", .in, SQLBind.group(ids))
            .where("status", .equal, SQLBind(MembershipStatus.active.rawValue))
            .groupBy("cooperative_id").all(decoding: CountRow.self)
        let charterByCoop = Dictionary(grouping: charters, by: \.cooperative_id)
        let countByCoop = Dictionary(counts.map { ($0.cooperative_id, $0.n) }, uniquingKeysWith: { $1 })
        return rows.map { row in
            let items = (charterByCoop[row.id] ?? []).compactMap { entry -> CharterItem? in
                guard let c = Characteristic(rawValue: entry.characteristic), let a = CharterAnswer(rawValue: entry.answer) else { return nil }
                return CharterItem(c, a, evidence: entry.evidence)
            }
            return DirectoryCard(id: row.id, slug: row.slug, name: row.name, legalForm: LegalForm(rawValue: row.legal_form) ?? .other,
                                 commune: row.commune, postalCode: row.postal_code, description: row.description, website: row.website,
                                 activities: Activity.list(from: row.activities), latitude: row.latitude, longitude: row.longitude,
                                 createdAt: row.created_at ?? Date(timeIntervalSince1970: 0), members: countByCoop[row.id] ?? 0,
                                 charter: CharterAssessment(items))
        }
    }

    static func communes(on db: any Database) async throws -> [String] {
        struct Row: Decodable { var commune: String }
        return try await db.sql.select().distinct().column("commune").from(Cooperative.schema).orderBy("commune")
            .all(decoding: Row.self).map(\.commune)
    }
}
