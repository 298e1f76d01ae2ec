import Vapor

/// Redirects a visitor to the login page, then back.
struct RequireLoginMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.user != nil else {
            if request.method == .GET {
                let back = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
                return request.redirect(to: "/login?next=\(back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")")
            }
            throw Problem.signInRequired
        }
        return try await next.respond(to: request)
    }
}
