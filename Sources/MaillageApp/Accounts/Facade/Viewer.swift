import Vapor

/// Who a request reads for, set once per request after sign-in (pages) or the bearer token (API):
/// records that are not public (a cooperative awaiting approval) are found only for those
/// allowed to see them. Jobs, commands and tests act for the instance itself (`system`).
enum Viewer: Sendable, Equatable {
    case system
    /// A person, or nil for someone not signed in.
    case person(UUID?)

    @TaskLocal static var current: Viewer = .system
}

struct ViewerMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        try await Viewer.$current.withValue(.person(request.auth.get(User.self)?.id)) {
            try await next.respond(to: request)
        }
    }
}
