import MaillageCore
import Vapor

/// Every state-changing form carries a token tied to the session; a forged cross-site post has none.
/// The JSON API is exempt: it authenticates by bearer token, which a browser never sends on its own.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"
    /// The largest form a page accepts (a product photo upload).
    static let largestForm = 6 * 1024 * 1024
    static let refused = DomainError(.forbidden, code: "csrf_failed",
                                     fr: "Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et réessayez.",
                                     en: "The form has expired or did not come from this site. Reload the page and try again.")

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if [.POST, .PUT, .PATCH, .DELETE].contains(request.method) {
            // A body that arrived in several reads (a photo, a CSV file) is still streaming here:
            // collect it (within the size the routes allow) so the token field can be read.
            if request.body.data == nil, request.headers.contentType != nil {
                _ = try await request.body.collect(max: Self.largestForm).get()
            }
            let sent = (try? request.content.get(String.self, at: Self.field)) ?? request.headers.first(name: "X-CSRF-Token")
            guard let expected = request.session.data["csrf"], let sent, constantTimeEquals(sent, expected) else {
                throw Self.refused
            }
        }
        return try await next.respond(to: request)
    }

    private func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Request {
    /// The session's CSRF token, made on first use (which also starts the session).
    var csrfToken: String {
        if let token = session.data["csrf"] { return token }
        let token = [UInt8].random(count: 32).base64
        session.data["csrf"] = token
        return token
    }
}
