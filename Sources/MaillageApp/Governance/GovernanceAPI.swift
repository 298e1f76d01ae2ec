import Fluent
import MaillageCore
import Vapor

/// `/api/v1/cooperatives/{slug}/proposals…` and the decision log, for programs.
enum GovernanceAPI {
    struct ProposalDTO: Content {
        var id: UUID
        var title: String
        var body: String
        var method: TallyMethod
        var options: [String]
        var opensAt: Date
        var closesAt: Date
        /// When it stops (or stopped) taking ballots: `closesAt`, or earlier if closed or cancelled before.
        var endsAt: Date
        var phase: ProposalPhase
        var secret: Bool
        var quorum: String
        var majority: RequiredMajority
        var weighted: Bool
        /// Fixed at opening; before, the members who would vote if it opened now.
        var electorate: Int
        var electorateFixed: Bool
        var participants: Int
        var cancelledAt: Date?
        var cancelReason: String?
        /// The stored tally report (JSON object), once closed.
        var result: JSONValue?
        var statement: String?
    }
    struct CreateInput: Content {
        var title: String
        var body: String?
        var method: TallyMethod
        var options: [String]?
        var opensAt: Date?
        var closesAt: Date
        var secret: Bool?
        var quorum: String?
        var majority: RequiredMajority?
        var weighted: Bool?
    }
    struct BallotInput: Content { var ballot: JSONValue }
    /// A change before opening: what is left out stays as it is.
    struct EditInput: Content {
        var title: String?
        var body: String?
        var method: TallyMethod?
        var options: [String]?
        var opensAt: Date?
        var closesAt: Date?
        var secret: Bool?
        var quorum: String?
        var majority: RequiredMajority?
        var weighted: Bool?
    }
    struct CancelInput: Content { var reason: String }

    static func dto(_ proposal: Proposal, on db: any Database) async throws -> ProposalDTO {
        let id = try proposal.requireID()
        let participation = try await Votes.participation(of: proposal, on: db)
        let schedule = proposal.schedule
        return ProposalDTO(
            id: id, title: proposal.title, body: proposal.body, method: proposal.tallyMethod, options: proposal.options,
            opensAt: schedule.opensAt, closesAt: schedule.closesAt, endsAt: schedule.endsAt, phase: schedule.phase(at: Date()), secret: proposal.secret,
            quorum: proposal.quorum, majority: proposal.requiredMajority, weighted: proposal.weighted,
            electorate: participation.electorate, electorateFixed: participation.isFixed, participants: participation.voted,
            cancelledAt: proposal.cancelledAt, cancelReason: proposal.cancelReason,
            result: proposal.result.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) },
            statement: proposal.outcomeStatement)
    }

    @Sendable static func list(_ req: Request) async throws -> APIPage<ProposalDTO> {
        let (coop, _, _) = try await Cooperatives.memberContext(req)
        let proposals = try await Proposal.query(on: req.db).filter(\.$cooperative.$id == coop.requireID()).sort(\.$closesAt, .descending).all()
        var out: [ProposalDTO] = []
        for proposal in proposals { out.append(try await dto(proposal, on: req.db)) }
        return .init(data: out)
    }

    @Sendable static func show(_ req: Request) async throws -> ProposalDTO {
        let (coop, _, _) = try await Cooperatives.memberContext(req)
        return try await dto(try await Votes.find(try proposalID(req), in: coop, on: req.db), on: req.db)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let (coop, user, _) = try await Cooperatives.memberContext(req)
        let input = try req.content.decode(CreateInput.self)
        let draft = ProposalDraft(title: input.title, body: input.body ?? "", method: input.method, options: input.options ?? [],
                                  opensAt: input.opensAt ?? Date(), closesAt: input.closesAt, secret: input.secret ?? false,
                                  quorum: input.quorum ?? VoteFloors.standard.quorum.description, majority: input.majority ?? .simple,
                                  weightedByCollege: input.weighted ?? false)
        let proposal = try await Votes.create(draft, by: user, in: coop, floors: req.application.maillage.voteFloors, on: req.db)
        let response = Response(status: .created)
        try response.content.encode(try await dto(proposal, on: req.db))
        return response
    }

    @Sendable static func cast(_ req: Request) async throws -> HTTPStatus {
        let (coop, user, _) = try await Cooperatives.memberContext(req)
        let proposal = try await Votes.find(try proposalID(req), in: coop, on: req.db)
        let input = try req.content.decode(BallotInput.self)
        try await Votes.cast(try JSONEncoder().encode(input.ballot), on: proposal, by: user, on: req.db)
        return .noContent
    }

    /// The board changes a vote before it opens (a vote open, closed or cancelled is refused: 409).
    @Sendable static func edit(_ req: Request) async throws -> ProposalDTO {
        let (coop, user, _) = try await Cooperatives.memberContext(req, minimum: .board)
        let proposal = try await Votes.find(try proposalID(req), in: coop, on: req.db)
        let input = try req.content.decode(EditInput.self)
        let draft = ProposalDraft(title: input.title ?? proposal.title, body: input.body ?? proposal.body, method: input.method ?? proposal.tallyMethod,
                                  options: input.options ?? proposal.options, opensAt: input.opensAt ?? proposal.opensAt,
                                  closesAt: input.closesAt ?? proposal.closesAt, secret: input.secret ?? proposal.secret,
                                  quorum: input.quorum ?? proposal.quorum, majority: input.majority ?? proposal.requiredMajority,
                                  weightedByCollege: input.weighted ?? proposal.weighted)
        try await Votes.edit(proposal, to: draft, in: coop, by: user, floors: req.application.maillage.voteFloors, on: req.db)
        return try await dto(proposal, on: req.db)
    }

    /// The board cancels a vote before it closes, with a reason; nothing is counted.
    @Sendable static func cancel(_ req: Request) async throws -> ProposalDTO {
        let (coop, user, _) = try await Cooperatives.memberContext(req, minimum: .board)
        let proposal = try await Votes.find(try proposalID(req), in: coop, on: req.db)
        let input = try req.content.decode(CancelInput.self)
        try await Votes.cancel(proposal, reason: input.reason, in: coop, by: user, on: req.db)
        return try await dto(proposal, on: req.db)
    }

    @Sendable static func decisions(_ req: Request) async throws -> APIPage<DecisionLog.Entry> {
        let (coop, _, _) = try await Cooperatives.memberContext(req)
        return .init(data: try await DecisionLog.entries(coop, on: req.db))
    }

    private static func proposalID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound(Votes.proposalWord) }
        return id
    }
}
