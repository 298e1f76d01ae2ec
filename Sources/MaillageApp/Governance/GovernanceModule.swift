import Fluent
import MaillageCore
import Vapor

struct GovernanceModule: MaillageModule {
    let name = "governance"
    var threadKinds: [ThreadKind] { [VoteThread.kind] }
    var migrations: [any Migration] { [CreateGovernance(), CreateAssemblies(), GovernanceProposedVotes(), GovernanceCollegeWeights(), GovernanceSealedBallots(),
                                            GovernanceCancelledVotes()] }

    var jobs: [ScheduledJob] {
        [ScheduledJob("open-and-close-votes", every: 30) { app in try await Votes.openAndCloseDue(on: app.db) }]
    }

    func pages(_ routes: any RoutesBuilder) {
        let members = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug")
        members.get("votes", use: VotePages.list)
        members.get("votes", "new", use: VotePages.newPage)
        members.post("votes", use: VotePages.create)
        members.get("votes", ":id", use: VotePages.show)
        members.post("votes", ":id", "ballot", use: VotePages.cast)
        members.post("votes", ":id", "statement", use: VotePages.statement)
        members.post("votes", ":id", "open", use: VotePages.openProposed)
        members.get("votes", ":id", "edit", use: VoteBoardPages.editPage)
        members.post("votes", ":id", "edit", use: VoteBoardPages.edit)
        members.get("votes", ":id", "cancel", use: VoteBoardPages.cancelPage)
        members.post("votes", ":id", "cancel", use: VoteBoardPages.cancel)
        members.get("votes", ":id", "ballots.json", use: DecisionLog.ballots)
        members.get("assemblies", use: AssemblyPages.list)
        members.get("assemblies", "new", use: AssemblyPages.newPage)
        members.post("assemblies", use: AssemblyPages.create)
        members.get("assemblies", ":id", use: AssemblyAttendancePages.show)
        members.post("assemblies", ":id", "attendance", use: AssemblyAttendancePages.record)
        members.get("assemblies", ":id", "minutes", use: AssemblyAttendancePages.minutes)
        members.get("colleges", use: CollegeWeightsPage.show)
        members.post("colleges", use: CollegeWeightsPage.save)
        members.get("decisions", use: DecisionLog.page)
        members.get("decisions.csv", use: DecisionLog.csv)
        members.get("decisions.json", use: DecisionLog.json)
    }

    func api(_ routes: any RoutesBuilder) {
        let coop = routes.grouped("cooperatives", ":slug")
        coop.get("proposals", use: GovernanceAPI.list)
        coop.post("proposals", use: GovernanceAPI.create)
        coop.get("proposals", ":id", use: GovernanceAPI.show)
        coop.put("proposals", ":id", "ballot", use: GovernanceAPI.cast)
        coop.patch("proposals", ":id", use: GovernanceAPI.edit)
        coop.post("proposals", ":id", "cancel", use: GovernanceAPI.cancel)
        coop.get("decisions", use: GovernanceAPI.decisions)
        coop.get("assemblies", use: AssemblyAPI.list)
        coop.post("assemblies", use: AssemblyAPI.convene)
        coop.get("assemblies", ":id", use: AssemblyAPI.show)
        coop.put("assemblies", ":id", "attendance", use: AssemblyAPI.attendance)
    }

    var openAPI: OpenAPIFragment { GovernanceOpenAPI.fragment }

    func seedDemo(_ demo: DemoTerritory) async throws { try await GovernanceDemo.seed(demo) }
}
