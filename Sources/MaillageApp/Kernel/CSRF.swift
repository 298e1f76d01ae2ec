import MaillageCore
import Vapor

/// Every state-changing form carries a token tied to the session; a forged cross-site post has none.
/// The JSON API is exempt: it authenticates by bearer token, which a browser never sends on its own.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"
    /// The largest upload a page accepts (a product photo, a CSV file), as multipart.
    static let largestForm = 6 * 1024 * 1024
    /// The largest plain form (url-encoded fields: a description, a statement).
    static let largestTextForm = 256 * 1024
    static let refused = DomainError(.forbidden, code: "csrf_failed",
                                     fr: "Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et réessayez.",
                                     en: "The form has expired or did not come from this site. Reload the page and try again.")

    /// Marks a route that acts without a session by design (`Route.withoutCSRF()`).
    static let exemptKey = "csrf-exempt"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.route?.userInfo[Self.exemptKey] as? Bool == true { return try await next.respond(to: request) }
        if [.POST, .PUT, .PATCH, .DELETE].contains(request.method) {
            // No token in the session, no form can match it: refused before reading the body, so
            // a stranger cannot make the server hold megabytes for nothing.
            guard request.session.data["csrf"] != nil else {
                // The session is gone (expired, or cookies cleared): a page form's text is kept all
                // the same — when it says it is a plain form's size; a larger body is not read.
                if request.headers.contentType == .urlEncodedForm,
                   let length = request.headers.first(name: .contentLength).flatMap(Int.init), length <= Self.largestTextForm {
                    if request.body.data == nil { _ = try await request.body.collect(max: Self.largestTextForm).get() }
                    if let recovery = ExpiredForm.page(request) { return recovery }
                }
                throw Self.refused
            }
            // A body that arrived in several reads (a photo, a CSV file) is still streaming here:
            // collect it so the token field can be read — an upload up to `largestForm`, any
            // other form up to `largestTextForm`.
            if request.body.data == nil, let type = request.headers.contentType {
                let limit = type.type == "multipart" ? Self.largestForm : Self.largestTextForm
                _ = try await request.body.collect(max: limit).get()
            }
            let sent = (try? request.content.get(String.self, at: Self.field)) ?? Self.plainField(request, named: Self.field)
                ?? request.headers.first(name: "X-CSRF-Token")
            guard let expected = request.session.data["csrf"], let sent, constantTimeEquals(sent, expected) else {
                // A page form: what was typed comes back with a fresh token, rather than a dead end.
                if let recovery = ExpiredForm.page(request) { return recovery }
                throw Self.refused
            }
        }
        return try await next.respond(to: request)
    }

    /// A field read from a url-encoded body as flat name=value pairs: Vapor's form decoder
    /// refuses a whole body for a name like `variants[0].label` (the product form's), and the
    /// token would be lost with it.
    static func plainField(_ request: Request, named name: String) -> String? {
        guard request.headers.contentType == .urlEncodedForm, let body = request.body.string else { return nil }
        let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, decode(parts[0]) == name { return decode(parts[1]) }
        }
        return nil
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

extension Route {
    /// Exempts this route from the CSRF check. Only for a POST a third party makes without the
    /// person's cookies on purpose, whose URL carries its own proof: a mail program's one-click
    /// unsubscribe (RFC 8058) posts to a link signed by the instance, with no session. A forged
    /// cross-site post could at most do what the signed link says (mail off for some kinds).
    @discardableResult
    func withoutCSRF() -> Route {
        userInfo[CSRFMiddleware.exemptKey] = true
        return self
    }
}
