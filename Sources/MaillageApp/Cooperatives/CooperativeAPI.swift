import Fluent
import MaillageCore
import Vapor

/// `/api/v1/cooperatives…`: the same actions as the pages, for programs.
enum CooperativeAPI {
    struct CharterDTO: Content { var characteristic: Characteristic; var answer: CharterAnswer; var evidence: String }
    struct CollegeDTO: Content { var id: UUID; var name: String }
    struct CooperativeDTO: Content {
        var id: UUID
        var slug: String
        var name: String
        var legalForm: LegalForm
        var commune: String
        var postalCode: String
        var description: String
        var website: String
        var activities: [Activity]
        var colleges: [CollegeDTO]
        var shareNominalCents: Int64
        var charter: [CharterDTO]
        var badge: CharterBadge
        var charterScore: Int
        var members: Int
        var createdAt: Date?
    }
    struct MembershipDTO: Content {
        var id: UUID
        var cooperative: String
        var userId: UUID
        var displayName: String?
        var college: CollegeDTO?
        var shares: Int
        var role: MemberRole
        var status: MembershipStatus
        /// One person = one vote: 1 when active, whatever the shares.
        var votes: Int
        var message: String
        var requestedAt: Date?
        var decidedAt: Date?
    }
    struct CreateInput: Content {
        var name: String
        var slug: String?
        var legalForm: LegalForm
        var commune: String
        var postalCode: String?
        var description: String
        var website: String?
        var activities: [Activity]
        var colleges: [String]?
        var shareNominalCents: Int64?
        var charter: [CharterDTO]?
    }
    struct RoleInput: Content { var role: MemberRole }
    struct LeaveInput: Content { var reason: String? }

    static func dto(_ coop: Cooperative, members: Int) throws -> CooperativeDTO {
        let charter = CharterAssessment(coop.charter.compactMap(\.item))
        return CooperativeDTO(
            id: try coop.requireID(), slug: coop.slug, name: coop.name, legalForm: coop.form, commune: coop.commune,
            postalCode: coop.postalCode, description: coop.description, website: coop.website, activities: coop.activityList,
            colleges: try coop.colleges.sorted { $0.position < $1.position }.map { CollegeDTO(id: try $0.requireID(), name: $0.name) },
            shareNominalCents: coop.shareNominalCents,
            charter: charter.ordered.map { CharterDTO(characteristic: $0.characteristic, answer: $0.answer, evidence: $0.evidence) },
            badge: charter.badge, charterScore: charter.score, members: members, createdAt: coop.createdAt)
    }

    static func dto(_ membership: Membership, slug: String) throws -> MembershipDTO {
        MembershipDTO(id: try membership.requireID(), cooperative: slug, userId: membership.$user.id,
                      displayName: membership.$user.value?.displayName,
                      college: try membership.college.map { CollegeDTO(id: try $0.requireID(), name: $0.name) },
                      shares: membership.shares, role: membership.memberRole, status: membership.memberStatus,
                      votes: MembershipRules.votes(shares: membership.shares, status: membership.memberStatus),
                      message: membership.message, requestedAt: membership.requestedAt, decidedAt: membership.decidedAt)
    }

    @Sendable static func list(_ req: Request) async throws -> APIPage<CooperativeDTO> {
        // Colleges and charters eager-loaded, members counted in one grouped query: no query per cooperative.
        let coops = try await Cooperative.query(on: req.db).filter(\.$review == CooperativeReview.approved.rawValue)
            .filter(\.$archivedAt == nil).with(\.$colleges).with(\.$charter).sort(\.$name).all()
        let members = try await CooperativeCounts.activeMembers(on: req.db)
        return APIPage(data: try coops.map { try dto($0, members: members[try $0.requireID()] ?? 0) })
    }

    @Sendable static func show(_ req: Request) async throws -> CooperativeDTO {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        return try dto(coop, members: try await Cooperatives.activeMemberCount(of: coop.requireID(), on: req.db))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let input = try req.content.decode(CreateInput.self)
        let draft = CooperativeDraft(
            name: input.name, slug: input.slug ?? "", legalForm: input.legalForm, commune: input.commune,
            postalCode: input.postalCode ?? "", description: input.description, website: input.website ?? "",
            activities: input.activities, colleges: input.colleges ?? [], shareNominalCents: input.shareNominalCents ?? 0,
            charter: (input.charter ?? []).map { CharterItem($0.characteristic, $0.answer, evidence: $0.evidence) })
        let created = try await Cooperatives.create(draft, creator: user, on: req.db)
        let coop = try await Cooperatives.find(slug: created.slug, on: req.db)
        let response = Response(status: .created)
        try response.content.encode(try dto(coop, members: 1))
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/cooperatives/\(coop.slug)")
        return response
    }

    @Sendable static func members(_ req: Request) async throws -> APIPage<MembershipDTO> {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        let actor = try req.requireUser()
        try await Cooperatives.require(.staff, actor, in: coop, on: req.db)
        let status = try req.query.get(String?.self, at: "status").map { raw -> MembershipStatus in
            guard let status = MembershipStatus(rawValue: raw) else {
                throw DomainError(.invalid, code: "invalid_status", field: "status",
                                  fr: "Statut inconnu : pending, active ou declined.", en: "Unknown status: pending, active or declined.")
            }
            return status
        }
        let members = try await Cooperatives.members(of: coop, status: status, on: req.db)
        try await AccessLog.record(actor: actor, subjects: members.map { $0.$user.id }, what: "members-api", coop: coop, on: req.db)
        return APIPage(data: try members.map { try dto($0, slug: coop.slug) })
    }

    @Sendable static func join(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        let input = try req.content.decode(Joining.Request.self)
        let membership = try await Joining.ask(input, user: user, coop: coop, on: req.db)
        let response = Response(status: .created)
        try response.content.encode(try dto(membership, slug: coop.slug))
        return response
    }

    @Sendable static func approve(_ req: Request) async throws -> MembershipDTO { try await decide(req, approve: true) }
    @Sendable static func decline(_ req: Request) async throws -> MembershipDTO { try await decide(req, approve: false) }

    static func decide(_ req: Request, approve: Bool) async throws -> MembershipDTO {
        let user = try req.requireUser()
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        let id = try membershipID(req)
        return try dto(try await Joining.decide(id, approve: approve, by: user, coop: coop, on: req.db), slug: coop.slug)
    }

    /// The member leaving, or the staff recording their departure.
    @Sendable static func leave(_ req: Request) async throws -> MembershipDTO {
        let user = try req.requireUser()
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        // The reason is required when someone else records the departure; a body is optional.
        let reason = req.body.data == nil ? nil : try req.content.decode(LeaveInput.self).reason
        return try dto(try await Leaving.leave(try membershipID(req), by: user, reason: reason, coop: coop, on: req.db), slug: coop.slug)
    }

    @Sendable static func changeRole(_ req: Request) async throws -> MembershipDTO {
        let user = try req.requireUser()
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        let id = try membershipID(req)
        let input = try req.content.decode(RoleInput.self)
        return try dto(try await Joining.changeRole(id, to: input.role, by: user, coop: coop, on: req.db), slug: coop.slug)
    }

    private static func membershipID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound(Cooperatives.membershipWord) }
        return id
    }

    /// `/api/v1/me/memberships`: the person's memberships in every cooperative.
    @Sendable static func myMemberships(_ req: Request) async throws -> APIPage<MembershipDTO> {
        let user = try req.requireUser()
        let memberships = try await Membership.query(on: req.db).filter(\.$user.$id == user.requireID())
            .with(\.$cooperative).with(\.$college).with(\.$user).all()
        return .init(data: try memberships.map { try dto($0, slug: $0.cooperative.slug) })
    }
}
