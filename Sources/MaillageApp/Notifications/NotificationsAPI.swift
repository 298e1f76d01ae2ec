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
