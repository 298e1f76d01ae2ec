import Foundation
import Fluent
import SQLKit

/// Governance figures of every cooperative at once, for open data.
enum GovernanceCounts {
    static func closedVotes(on db: any Database) async throws -> [UUID: Int] {
        try await CountsByCooperative.of(Proposal.schema, on: db) { $0.where("closed_at", .isNot, SQLLiteral.null) }
    }

    static func assemblies(on db: any Database) async throws -> [UUID: Int] {
        try await CountsByCooperative.of(Assembly.schema, on: db)
    }
}
