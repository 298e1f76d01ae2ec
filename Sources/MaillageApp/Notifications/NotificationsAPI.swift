import Fluent
import MaillageCore
import Vapor

/// `/api/v1/me/notifications…`.
enum NotificationsAPI {
    @Sendable static func notifications(_ req: Request) async throws -> APIPage<Notice.DTO> {
        let user = try req.requireUser()
        return .init(data: try await Inbox.latest(for: user.requireID(), limit: 100, on: req.db).map { try $0.dto(req.language) })
    }

    @Sendable static func markNotificationsRead(_ req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        try await Inbox.markRead(nil, for: user.requireID(), on: req.db)
        return .noContent
    }
}

/// `/api/v1/me/notification-preferences`: the same choices as the account page.
enum PreferencesAPI {
    struct Choice: Content {
        var kind: String
        var channel: String
        var defaultChannel: String
        var channels: [String]
    }

    static func page(_ preferences: NoticePreferences) -> APIPage<Choice> {
        .init(data: preferences.all.map { row in
            Choice(kind: row.kind.rawValue, channel: row.channel.rawValue, defaultChannel: row.kind.defaultChannel.rawValue,
                   channels: row.kind.channels.map(\.rawValue))
        })
    }

    @Sendable static func show(_ req: Request) async throws -> APIPage<Choice> {
        let user = try req.requireUser()
        return page(try await NoticeChoices.preferences(of: user.requireID(), on: req.db))
    }

    /// Kinds named in the body change; the others keep their channel.
    @Sendable static func update(_ req: Request) async throws -> APIPage<Choice> {
        let user = try req.requireUser()
        let userID = try user.requireID()
        let given = try req.content.decode([String: String].self)
        let preferences = try PreferencePages.apply(given, to: try await NoticeChoices.preferences(of: userID, on: req.db), ignoringOthers: false)
        try await NoticeChoices.save(preferences, of: userID, on: req.db)
        return page(preferences)
    }
}
