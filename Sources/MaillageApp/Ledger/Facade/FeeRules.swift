import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Each activity's fee rule, set by the cooperative's board. Without one, an activity takes no
/// fee, except barter whose network commission is 5 % by default (the France Barter custom).
enum FeeRules {
    struct Stored: Codable, Sendable {
        var activity: String
        var basisPoints: Int64
        var fixedCents: Int64
        enum CodingKeys: String, CodingKey { case activity, basisPoints = "basis_points", fixedCents = "fixed_cents" }
    }

    static func defaultRule(for activity: Activity) -> FeeRule {
        // Both rates are within 0…10 000, which is all the initializer checks.
        (try? FeeRule(basisPoints: activity == .barter ? 500 : 0)) ?? .free
    }

    static func rule(for activity: Activity, in cooperative: UUID, on db: any Database) async throws -> FeeRule {
        try await all(cooperative, on: db)[activity] ?? defaultRule(for: activity)
    }

    static func all(_ cooperative: UUID, on db: any Database) async throws -> [Activity: FeeRule] {
        let rows = try await db.sql.select().columns("activity", "basis_points", "fixed_cents").from("fee_rules")
            .where("cooperative_id", .equal, SQLBind(cooperative)).all(decoding: Stored.self)
        var rules: [Activity: FeeRule] = [:]
        for row in rows {
            guard let activity = Activity(rawValue: row.activity) else { continue }
            rules[activity] = try? FeeRule(basisPoints: row.basisPoints, fixed: row.fixedCents > 0 ? .euros(cents: row.fixedCents) : nil)
        }
        return rules
    }

    static func save(_ rule: FeeRule, for activity: Activity, in cooperative: UUID, by user: UUID?, on db: any Database) async throws {
        try await db.sql.insert(into: "fee_rules").columns("id", "cooperative_id", "activity", "basis_points", "fixed_cents", "updated_at", "updated_by")
            .values(SQLBind(UUID()), SQLBind(cooperative), SQLBind(activity.rawValue), SQLBind(rule.basisPoints),
                    SQLBind(rule.fixed?.minorUnits ?? 0), SQLBind(Date()), SQLBind(user))
            .onConflict(with: ["cooperative_id", "activity"]) {
                $0.set(excludedValueOf: "basis_points").set(excludedValueOf: "fixed_cents")
                    .set(excludedValueOf: "updated_at").set(excludedValueOf: "updated_by")
            }
            .run()
    }
}
