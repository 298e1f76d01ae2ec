import Fluent
import SQLKit

struct CreateGovernance: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Proposal.schema)
            .id()
            .field("cooperative_id", .uuid, .required, .references(Cooperative.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid, .required, .references(User.schema, "id"))
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("method", .string, .required)
            .field("options", .string, .required)
            .field("grades", .int, .required)
            .field("opens_at", .datetime, .required)
            .field("closes_at", .datetime, .required)
            .field("secret", .bool, .required)
            .field("quorum", .string, .required)
            .field("majority", .string, .required)
            .field("weighted", .bool, .required)
            .field("electorate_taken_at", .datetime)
            .field("closed_at", .datetime)
            .field("result", .string)
            .field("outcome_statement", .string)
            .field("created_at", .datetime)
            .create()
        try await database.sql.create(index: "proposals_cooperative").on(Proposal.schema).column("cooperative_id").column("closes_at").run()
        try await database.schema(ProposalVoter.schema)
            .id()
            .field("proposal_id", .uuid, .required, .references(Proposal.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id"))
            .field("college_id", .uuid, .references(College.schema, "id"))
            // Took part: set once, never reset — the only trace of a secret ballot's voter.
            .field("voted_at", .datetime)
            .unique(on: "proposal_id", "user_id", name: "proposal_voters_once")
            .create()
        try await database.schema(Ballot.schema)
            .id()
            .field("proposal_id", .uuid, .required, .references(Proposal.schema, "id", onDelete: .cascade))
            .field("voter_id", .uuid, .references(User.schema, "id"))
            .field("college_id", .uuid, .references(College.schema, "id"))
            .field("content", .string, .required)
            .field("cast_at", .datetime, .required)
            // One counted ballot per voter (secret ballots have no voter, and cannot be changed).
            .unique(on: "proposal_id", "voter_id", name: "ballots_one_per_voter")
            .create()
        // Every version a voter cast, oldest first: a changed ballot keeps its history.
        try await database.schema("ballot_history")
            .id()
            .field("proposal_id", .uuid, .required, .references(Proposal.schema, "id", onDelete: .cascade))
            .field("voter_id", .uuid, .required, .references(User.schema, "id"))
            .field("content", .string, .required)
            .field("cast_at", .datetime, .required)
            .create()
        // Voting colleges get a weight (percent) for college-weighted votes.
        try await database.schema(College.schema).field("weight", .int).update()
    }

    func revert(on database: any Database) async throws {
        for schema in ["ballot_history", Ballot.schema, ProposalVoter.schema, Proposal.schema] {
            try await database.schema(schema).delete()
        }
        try await database.schema(College.schema).deleteField("weight").update()
    }
}

/// `proposals.cancelled_at`, `cancel_reason`: a vote the board stopped before it closed, and
/// why; `fixed_terms`: a vote whose text another part of the books wrote (it is not edited).
struct GovernanceCancelledVotes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Proposal.schema).field("cancelled_at", .datetime).update()
        try await database.schema(Proposal.schema).field("cancel_reason", .string).update()
        try await database.schema(Proposal.schema).field("fixed_terms", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Proposal.schema).deleteField("fixed_terms").update()
        try await database.schema(Proposal.schema).deleteField("cancel_reason").update()
        try await database.schema(Proposal.schema).deleteField("cancelled_at").update()
    }
}
