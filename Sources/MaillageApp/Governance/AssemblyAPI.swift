import Fluent
import MaillageCore
import Vapor

/// `/api/v1/cooperatives/{slug}/assemblies…`.
enum AssemblyAPI {
    struct AttendanceDTO: Content { var userId: UUID; var displayName: String; var status: AttendanceStatus; var proxyHolder: UUID? }
    struct AssemblyDTO: Content {
        var id: UUID
        var title: String
        var kind: AssemblyKind
        var startsAt: Date
        var place: String
        var quorum: String
        var proxiesPerHolder: Int
        var members: Int64
        var present: Int64
        var represented: Int64
        var quorumReached: Bool
        var agenda: [UUID]
        var attendance: [AttendanceDTO]
    }
    struct ConveneInput: Content {
        var title: String
        var kind: AssemblyKind?
        var startsAt: Date
        var place: String
        var proxiesPerHolder: Int?
        var agenda: [UUID]?
    }
    struct AttendanceInput: Content { var member: UUID?; var status: AttendanceStatus; var proxyHolder: UUID? }

    static func dto(_ assembly: Assembly, coop: Cooperative, on db: any Database) async throws -> AssemblyDTO {
        let summary = try await Assemblies.summary(assembly, coop: coop, on: db)
        return AssemblyDTO(id: try assembly.requireID(), title: assembly.title, kind: assembly.assemblyKind, startsAt: assembly.startsAt,
                           place: assembly.place, quorum: assembly.quorum, proxiesPerHolder: assembly.proxiesPerHolder,
                           members: summary.quorum.members, present: summary.quorum.present, represented: summary.quorum.represented,
                           quorumReached: summary.quorum.reached, agenda: try summary.agenda.map { try $0.requireID() },
                           attendance: summary.attendance.map { AttendanceDTO(userId: $0.$user.id, displayName: $0.user.displayName,
                                                                               status: $0.attendanceStatus, proxyHolder: $0.$proxyHolder.id) })
    }

    @Sendable static func list(_ req: Request) async throws -> APIPage<AssemblyDTO> {
        let (coop, _, _) = try await Cooperatives.memberContext(req)
        let assemblies = try await Assembly.query(on: req.db).filter(\.$cooperative.$id == coop.requireID()).sort(\.$startsAt, .descending).all()
        var out: [AssemblyDTO] = []
        for assembly in assemblies { out.append(try await dto(assembly, coop: coop, on: req.db)) }
        return .init(data: out)
    }

    @Sendable static func show(_ req: Request) async throws -> AssemblyDTO {
        let (coop, _, _) = try await Cooperatives.memberContext(req)
        return try await dto(try await Assemblies.find(try assemblyID(req), in: coop, on: req.db), coop: coop, on: req.db)
    }

    @Sendable static func convene(_ req: Request) async throws -> Response {
        let (coop, user, _) = try await Cooperatives.memberContext(req, minimum: .board)
        let input = try req.content.decode(ConveneInput.self)
        let assembly = try await Assemblies.convene(.init(title: input.title, kind: input.kind ?? .ordinary, startsAt: input.startsAt, place: input.place,
                                                          proxiesPerHolder: input.proxiesPerHolder ?? AssemblyRules.defaultProxiesPerHolder,
                                                          agenda: input.agenda ?? []), by: user, in: coop, on: req.db)
        let response = Response(status: .created)
        try response.content.encode(try await dto(assembly, coop: coop, on: req.db))
        return response
    }

    @Sendable static func attendance(_ req: Request) async throws -> AssemblyDTO {
        let (coop, user, membership) = try await Cooperatives.memberContext(req)
        let assembly = try await Assemblies.find(try assemblyID(req), in: coop, on: req.db)
        let input = try req.content.decode(AttendanceInput.self)
        let me = try user.requireID()
        let subject = input.member ?? me
        guard subject == me || membership.memberRole == .board else { throw Problem.forbidden }
        try await Assemblies.record(input.status, for: subject, holder: input.proxyHolder, in: assembly, coop: coop, on: req.db)
        return try await dto(assembly, coop: coop, on: req.db)
    }

    private static func assemblyID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound(Assemblies.assemblyWord) }
        return id
    }
}
