import Vapor

/// A person whose cooperative asks for a second factor, signed in without one, sets it up before
/// anything else: every other page leads to the enrolment (logging out and the language stay open).
struct TwoFactorEnrolmentGate: AsyncMiddleware {
    static let open = ["/account/two-factor", "/logout", "/login", "/lang", "/assets/"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.hasSession, request.session.data[TwoFactorLogin.enrolmentDue] != nil, request.user != nil,
              !Self.open.contains(where: { request.url.path.hasPrefix($0) }) else {
            return try await next.respond(to: request)
        }
        return request.redirect(to: "/account/two-factor", redirectType: .normal)
    }
}
