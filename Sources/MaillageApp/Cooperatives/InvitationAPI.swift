import Fluent
import MaillageCore
import Vapor

/// `/api/v1/cooperatives/:slug/invitations`: the board's invitations, for programs.
enum InvitationAPI {
    struct InvitationDTO: Content {
        var id: UUID
        var cooperative: String
        var email: String
        var college: CooperativeAPI.CollegeDTO?
        var shares: Int
        var message: String
        var language: Language
        var state: InvitationState
        var invitedBy: UUID
        var createdAt: Date
        var expiresAt: Date
        var acceptedAt: Date?
        var withdrawnAt: Date?
        var membershipId: UUID?
    }

    static func dto(_ invitation: Invitation, slug: String) throws -> InvitationDTO {
        InvitationDTO(id: try invitation.requireID(), cooperative: slug, email: invitation.email,
                      college: try invitation.$college.value.flatMap { $0 }.map { CooperativeAPI.CollegeDTO(id: try $0.requireID(), name: $0.name) },
                      shares: invitation.shares, message: invitation.message, language: invitation.mailLanguage,
                      state: invitation.state(), invitedBy: invitation.$invitedBy.id, createdAt: invitation.createdAt,
                      expiresAt: invitation.expiresAt, acceptedAt: invitation.acceptedAt, withdrawnAt: invitation.withdrawnAt,
                      membershipId: invitation.$membership.id)
    }

    /// The cooperative and its board member making the call: refused before anything is read.
    private static func board(_ req: Request) async throws -> (Cooperative, User) {
        let user = try req.requireUser()
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        try await Cooperatives.require(.board, user, in: coop, on: req.db)
        return (coop, user)
    }

    @Sendable static func list(_ req: Request) async throws -> APIPage<InvitationDTO> {
        let (coop, _) = try await board(req)
        return APIPage(data: try await Invitations.list(of: coop, on: req.db).map { try dto($0, slug: coop.slug) })
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let (coop, user) = try await board(req)
        let input = try req.content.decode(Invitations.Offer.self)
        let (invitation, _) = try await Invitations.invite(input, by: user, coop: coop, baseURL: PublicAddress.baseURL(req), on: req.db)
        let created = try await Invitations.one(try invitation.requireID(), in: try coop.requireID(), on: req.db)
        let response = Response(status: .created)
        try response.content.encode(try dto(created, slug: coop.slug))
        return response
    }

    @Sendable static func withdraw(_ req: Request) async throws -> InvitationDTO {
        let (coop, user) = try await board(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound(Invitations.word) }
        return try dto(try await Invitations.withdraw(id, by: user, coop: coop, on: req.db), slug: coop.slug)
    }

    static var paths: [String: JSONValue] {
        let invitation = OAS.ref("Invitation")
        return [
            "/api/v1/cooperatives/{slug}/invitations": [
                "get": OAS.operation("listInvitations", "The cooperative's invitations, newest first (board)", tag: "Memberships", secured: true,
                    parameters: [OAS.slug], responses: OAS.ok("Invitations", OAS.object(["data": OAS.array(invitation)], required: ["data"])),
                    errorCodes: [401, 403, 404]),
                "post": OAS.operation("invite", "Invite an address by email to join (board); the mail carries a link valid 14 days", tag: "Memberships", secured: true,
                    parameters: [OAS.slug],
                    body: OAS.object(["email": ["type": "string", "format": "email", "maxLength": 254, "description": "The address invited"],
                                      "college": ["anyOf": [OAS.uuid, ["type": "null"]], "description": "Required when the cooperative has colleges"],
                                      "shares": ["type": "integer", "minimum": 0, "maximum": 100000,
                                                 "description": "Suggested shares: at least 1 when the cooperative has share capital, 0 otherwise"],
                                      "message": OAS.nullable(OAS.string(max: InvitationRules.maximumMessage)),
                                      "language": OAS.nullable(OAS.string("Language of the mail", enum: Language.allCases.map(\.rawValue)))],
                                     required: ["email", "shares"]),
                    responses: OAS.ok("Invitation sent", invitation, status: 201), errorCodes: [401, 403, 404, 409, 422]),
            ],
            "/api/v1/cooperatives/{slug}/invitations/{id}": [
                "delete": OAS.operation("withdrawInvitation", "Withdraw a pending invitation (board): its link stops working", tag: "Memberships", secured: true,
                    parameters: [OAS.slug, OAS.pathParameter("id", OAS.uuid)], responses: OAS.ok("Withdrawn", invitation),
                    errorCodes: [401, 403, 404, 409]),
            ],
        ]
    }

    static let schema: JSONValue = OAS.object([
        "id": OAS.uuid, "cooperative": OAS.string("slug"), "email": OAS.string(), "college": OAS.nullable(OAS.ref("College")),
        "shares": ["type": "integer"], "message": OAS.string(), "language": OAS.string(enum: Language.allCases.map(\.rawValue)),
        "state": OAS.string(enum: InvitationState.allCases.map(\.rawValue)), "invitedBy": OAS.uuid,
        "createdAt": OAS.dateTime, "expiresAt": OAS.dateTime, "acceptedAt": OAS.nullable(OAS.dateTime),
        "withdrawnAt": OAS.nullable(OAS.dateTime), "membershipId": OAS.nullable(OAS.uuid),
    ], required: ["id", "cooperative", "email", "shares", "message", "language", "state", "invitedBy", "createdAt", "expiresAt"])
}
