import Fluent

/// `proposal_voters.sealed_ballot`: a secret ballot while its vote runs, sealed with the
/// instance's key (`InstanceSeal`); at close, every one is opened, shuffled and written to
/// `ballots` in one statement, and the sealed copies are wiped.
struct GovernanceSealedBallots: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProposalVoter.schema).field("sealed_ballot", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProposalVoter.schema).deleteField("sealed_ballot").update()
    }
}
