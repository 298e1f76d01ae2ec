import Fluent

/// `proposals.awaiting_board`: a vote a member proposed, waiting for the board to open it.
struct GovernanceProposedVotes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Proposal.schema).field("awaiting_board", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Proposal.schema).deleteField("awaiting_board").update()
    }
}
