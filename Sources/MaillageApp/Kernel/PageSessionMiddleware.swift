import Vapor

/// Loads the session and the signed-in person for pages, and only for pages.
struct PageSessionMiddleware: AsyncMiddleware {
    let sessions: any Middleware
    let authenticator: any Middleware

    static let sessionless = ["/api/", "/assets/", "/healthz", "/metrics"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        if Self.sessionless.contains(where: { path.hasPrefix($0) }) {
            return try await next.respond(to: request)
        }
        let chain = [sessions, authenticator].makeResponder(chainingTo: AsyncBasicResponder { try await next.respond(to: $0) })
        return try await chain.respond(to: request).get()
    }
}
