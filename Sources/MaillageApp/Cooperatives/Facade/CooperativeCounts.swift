import Foundation
import Fluent
import MaillageCore
import SQLKit

/// Figures of every cooperative at once, for lists (the API's list, open data).
enum CooperativeCounts {
    static func activeMembers(on db: any Database) async throws -> [UUID: Int] {
        try await CountsByCooperative.of(Membership.schema, on: db) {
            $0.where("status", .equal, SQLBind(MembershipStatus.active.rawValue))
        }
    }

    static func colleges(on db: any Database) async throws -> [UUID: Int] {
        try await CountsByCooperative.of(College.schema, on: db)
    }
}
