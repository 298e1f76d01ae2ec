import Fluent
import Foundation
import MaillageCore
import Vapor

/// `/api/v1/cooperatives/{slug}/carpool/communities`: the cooperative's communities (public, with
/// the caller's place in each), creating and closing one (staff), joining one (members). The
/// list of admitted addresses is never shown: it holds other people's addresses.
enum CarpoolCommunityAPI {
    struct CommunityInput: Content {
        var name: String
        var description: String?
        var joining: String
        var domains: [String]?
        var addresses: [String]?
    }

    struct CommunityDTO: Content {
        var id: UUID
        var name: String
        var description: String
        var joining: String
        var domains: [String]
        var members: Int
        /// The caller's place: "manager", "member", "waiting", or nil.
        var myStatus: String?
        var createdAt: Date
    }

    struct JoinDTO: Content { var community: UUID; var status: String }

    static func dto(_ row: CommunityRow, members: Int, mine: String?) -> CommunityDTO {
        CommunityDTO(id: row.id, name: row.name, description: row.description, joining: row.joining, domains: row.domainList,
                     members: members, myStatus: mine, createdAt: row.created_at)
    }

    static func api(_ routes: any RoutesBuilder) {
        let communities = routes.grouped("cooperatives", ":slug", "carpool", "communities")
        communities.get(use: list)
        communities.post(use: create)
        communities.delete(":id", use: close)
        communities.post(":id", "members", use: join)
    }

    @Sendable static func list(_ req: Request) async throws -> APIPage<CommunityDTO> {
        let access = try await CarpoolAccess(req)
        let rows = try await CarpoolCommunities.all(in: access.coopID, on: req.db)
        let counts = try await CarpoolCommunities.counts(in: access.coopID, on: req.db)
        let mine = try await CarpoolCommunities.statuses(of: access.isMember ? access.user?.id : nil, on: req.db)
        return APIPage(data: rows.map { dto($0, members: counts[$0.id] ?? 0, mine: mine[$0.id]) })
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let input = try req.content.decode(CommunityInput.self)
        let draft = CommunityDraft(name: input.name, description: input.description ?? "", joining: input.joining,
                                   domains: (input.domains ?? []).joined(separator: ","), addresses: (input.addresses ?? []).joined(separator: ","))
        let id = try await CarpoolCommunities.create(draft, by: try access.memberID(), in: access.coopID, on: req.db)
        let row = try await CarpoolCommunities.find(id, in: access.coopID, on: req.db)
        return try await dto(row, members: 1, mine: "manager").encodeResponse(status: .created, for: req)
    }

    @Sendable static func close(_ req: Request) async throws -> HTTPStatus {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound(CarpoolCommunities.word) }
        try await CarpoolCommunities.close(id, in: access.coopID, on: req.db)
        return .noContent
    }

    @Sendable static func join(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let user = try req.requireUser()
        let community = try await CarpoolCommunities.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let outcome = try await CarpoolCommunities.join(community, person: try access.memberID(), email: user.email, emailConfirmed: user.emailConfirmed,
                                                        slug: access.coop.slug, on: req.db)
        return try await JoinDTO(community: community.id, status: outcome == .joined ? "member" : "waiting").encodeResponse(status: .created, for: req)
    }

    static var openAPI: OpenAPIFragment {
        let community = OAS.object([
            "id": OAS.uuid, "name": OAS.string(), "description": OAS.string(), "joining": OAS.string(enum: CommunityJoining.allCases.map(\.rawValue)),
            "domains": OAS.array(OAS.string()), "members": ["type": "integer", "description": "People who see its rides"],
            "myStatus": OAS.nullable(OAS.string("The caller's place", enum: ["manager", "member", "waiting"])), "createdAt": OAS.dateTime,
        ], required: ["id", "name", "description", "joining", "domains", "members", "createdAt"])
        let input = OAS.object([
            "name": OAS.string(min: CommunityDraft.nameLength.lowerBound, max: CommunityDraft.nameLength.upperBound),
            "description": OAS.string(max: CommunityDraft.descriptionLength.upperBound),
            "joining": OAS.string("open: anyone; approval: its managers accept; domain: account addresses at one of `domains`; list: the addresses in `addresses`",
                                  enum: CommunityJoining.allCases.map(\.rawValue)),
            "domains": ["type": "array", "maxItems": .int(CommunityDraft.mostEntries), "items": OAS.string("A mail domain, e.g. chantiers.fr"),
                        "description": "Required for domain joining"],
            "addresses": ["type": "array", "maxItems": .int(CommunityDraft.mostEntries), "items": ["type": "string", "format": "email"],
                          "description": "Required for list joining"],
        ], required: ["name", "joining"])
        let joined = OAS.object(["community": OAS.uuid, "status": OAS.string(enum: ["member", "waiting"])], required: ["community", "status"])
        let base = "/api/v1/cooperatives/{slug}/carpool/communities"
        let id = OAS.pathParameter("id", OAS.uuid)
        return OpenAPIFragment(
            paths: [
                base: [
                    "get": OAS.operation("carpoolCommunities", "The cooperative's open carpool communities, with the caller's place in each (public)",
                        tag: "Carpool", secured: false, parameters: [OAS.slug],
                        responses: OAS.ok("Communities", OAS.object(["data": OAS.array(OAS.ref("CarpoolCommunity"))], required: ["data"])),
                        errorCodes: [404]),
                    "post": OAS.operation("createCarpoolCommunity", "Create a community (staff); its creator manages it", tag: "Carpool", secured: true,
                        parameters: [OAS.slug], body: input,
                        responses: OAS.ok("Created", OAS.ref("CarpoolCommunity"), status: 201), errorCodes: [401, 403, 404, 409]),
                ],
                "\(base)/{id}": [
                    "delete": OAS.operation("closeCarpoolCommunity", "Close a community (staff): it leaves the lists and its rides are seen by their authors only",
                        tag: "Carpool", secured: true, parameters: [OAS.slug, id],
                        responses: ["204": ["description": "Closed"]], errorCodes: [401, 403, 404]),
                ],
                "\(base)/{id}/members": [
                    "post": OAS.operation("joinCarpoolCommunity",
                        "Join a community with the account's address (confirmed, for domain and list joining); approval joining waits for a manager",
                        tag: "Carpool", secured: true, parameters: [OAS.slug, id],
                        responses: OAS.ok("Joined or waiting", joined, status: 201), errorCodes: [401, 403, 404, 409]),
                ],
            ],
            schemas: ["CarpoolCommunity": community])
    }
}
