import MaillageCore
import Vapor

extension MurmurationsProfile: Content {}

/// The directory as open data: Murmurations organization profiles.
enum DirectoryFeed {
    struct Feed: Content {
        struct Meta: Content { var count: Int; var schema: String; var licence: String }
        var data: [MurmurationsProfile]
        var meta: Meta
    }

    @Sendable static func list(_ req: Request) async throws -> Feed {
        let query = try req.query.decode(DirectoryViews.FilterQuery.self)
        var filter = DirectoryQuery.Filter(activity: nil, commune: query.commune?.isEmpty == false ? query.commune : nil)
        if let raw = query.activity, !raw.isEmpty {
            guard let activity = Activity(rawValue: raw) else {
                throw DomainError(.invalid, code: "invalid_activity", field: "activity",
                                  fr: "Activité inconnue : \(Activity.allCases.map(\.rawValue).joined(separator: ", ")).",
                                  en: "Unknown activity: \(Activity.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            filter.activity = activity
        }
        let base = PublicAddress.baseURL(req)
        let profiles = try await DirectoryQuery.cards(filter, on: req.db).map { DirectoryEntry.murmurations($0.source, baseURL: base) }
        return Feed(data: profiles, meta: .init(count: profiles.count, schema: MurmurationsProfile.schemaName, licence: "ODbL-1.0"))
    }

    @Sendable static func profile(_ req: Request) async throws -> MurmurationsProfile {
        let slug = req.parameters.get("slug") ?? ""
        guard let card = try await DirectoryQuery.cards(.init(), on: req.db).first(where: { $0.slug == slug }) else {
            throw Problem.notFound(Cooperatives.cooperativeWord)
        }
        return DirectoryEntry.murmurations(card.source, baseURL: PublicAddress.baseURL(req))
    }
}
