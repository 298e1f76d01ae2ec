import Fluent
import MaillageCore
import Vapor

/// `/api/v1/accounts` and `/api/v1/me…`.
enum AccountAPI {
    @Sendable static func signUp(_ req: Request) async throws -> Response {
        let input = try req.content.decode(Accounts.SignUp.self)
        try await Accounts.signUp(input, language: req.language, on: req)
        // The same answer whether or not the address already had an account: the mail says which.
        struct Accepted: Content { var email: String; var message: String }
        let response = Response(status: .accepted)
        try response.content.encode(Accepted(email: input.email.trimmingCharacters(in: .whitespaces).lowercased(),
                                             message: req.t(AccountPages.checkYourMail)))
        return response
    }

    @Sendable static func me(_ req: Request) async throws -> User.DTO {
        try req.requireUser().dto()
    }

    @Sendable static func tokens(_ req: Request) async throws -> APIPage<AccessToken.DTO> {
        let user = try req.requireUser()
        let tokens = try await AccessToken.query(on: req.db).filter(\.$user.$id == user.requireID()).sort(\.$createdAt, .descending).all()
        return .init(data: try tokens.map { try $0.dto() })
    }

    @Sendable static func revokeToken(_ req: Request) async throws -> HTTPStatus {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound(Localized(fr: "Jeton", en: "Token")) }
        try await Tokens.revoke(id, of: user, on: req.db)
        return .noContent
    }
}
