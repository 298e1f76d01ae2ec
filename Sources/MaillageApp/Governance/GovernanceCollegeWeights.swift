import Fluent
import Foundation

/// `proposals.college_weights`: the colleges and their weights when a weighted vote opened
/// (JSON), so that a weight changed while it runs does not change how it is counted.
struct GovernanceCollegeWeights: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Proposal.schema).field("college_weights", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Proposal.schema).deleteField("college_weights").update()
    }
}

/// One college of a weighted vote as it stood at opening.
struct CollegeWeight: Codable, Sendable, Hashable {
    var id: UUID
    var name: String
    var weight: Int
}
