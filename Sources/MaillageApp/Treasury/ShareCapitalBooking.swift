import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Books share subscriptions and redemptions from the kernel's register of members: an approved
/// membership subscribes its shares (the money comes in through the clearing account), a member
/// who left is paid back — unless the capital would fall below a quarter of the highest it
/// reached, in which case the redemption waits for new subscriptions. Run after each decision and
/// by a job, and idempotent: each booking's key counts the ones before it for that membership.
enum ShareCapitalBooking {
    struct Outcome: Sendable, Hashable {
        var subscribed = 0, redeemed = 0
        /// Redemptions that must wait (capital floor), for the board's page.
        var waiting = 0
    }

    @discardableResult
    static func reconcile(_ coop: Cooperative, on db: any Database, now: Date = Date()) async throws -> Outcome {
        var outcome = Outcome()
        guard coop.form.hasShareCapital, coop.shareNominalCents > 0 else { return outcome }
        let coopID = try coop.requireID()
        let capital = try ShareCapital(nominalValue: .euros(cents: coop.shareNominalCents),
                                       account: AccountID(try await AccountBook.open(.capital, cooperative: coopID, on: db).id))
        let clearing = AccountID(try await AccountBook.open(.clearing, cooperative: coopID, on: db).id)
        let memberships = try await Membership.query(on: db).filter(\.$cooperative.$id == coopID)
            .filter(\.$status ~~ [MembershipStatus.active.rawValue, MembershipStatus.left.rawValue]).all()
        let counts = try await bookedCounts(coopID, on: db)
        for membership in memberships where membership.shares > 0 {
            let id = try membership.requireID()
            let subs = counts[id]?.subscriptions ?? 0, reds = counts[id]?.redemptions ?? 0
            let prefix = "shares:\(id.uuidString.lowercased())"
            if membership.memberStatus == .active && subs == reds {
                let transfer = try capital.subscription(shares: Int64(membership.shares), from: clearing, time: now,
                                                        idempotencyKey: "\(prefix):subscription:\(subs)")
                try await LedgerStore.post(Posting(transfer: transfer, cooperative: coopID, category: .subscription,
                                                   tag: id.uuidString.lowercased(), createdBy: nil), on: db)
                outcome.subscribed += 1
            } else if membership.memberStatus == .left && subs > reds {
                let current = try await AccountBook.open(.capital, cooperative: coopID, on: db)
                do {
                    let transfer = try capital.redemption(shares: Int64(membership.shares), held: Int64(membership.shares), to: clearing,
                                                          capital: .euros(cents: current.posted),
                                                          highestCapital: .euros(cents: try await highestCapital(current, on: db)),
                                                          time: now, idempotencyKey: "\(prefix):redemption:\(reds)")
                    try await LedgerStore.post(Posting(transfer: transfer, cooperative: coopID, category: .redemption,
                                                       tag: id.uuidString.lowercased(), createdBy: nil), on: db)
                    outcome.redeemed += 1
                } catch let error as DomainError where error.code == "capital_below_minimum" {
                    outcome.waiting += 1
                }
            }
        }
        return outcome
    }

    /// For the job: every cooperative with share capital.
    static func reconcileAll(on db: any Database) async throws {
        for coop in try await Cooperative.query(on: db).filter(\.$shareNominalCents > 0).all() {
            try await reconcile(coop, on: db)
        }
    }

    private static func bookedCounts(_ coop: UUID, on db: any Database) async throws -> [UUID: (subscriptions: Int, redemptions: Int)] {
        struct Row: Decodable { var tag: String?; var category: String; var n: Int }
        let rows = try await db.sql.raw("""
            SELECT tag, category, COUNT(*) AS n FROM ledger_transfers WHERE cooperative_id = \(bind: coop)
            AND category IN ('subscription', 'redemption') GROUP BY tag, category
            """).all(decoding: Row.self)
        var counts: [UUID: (subscriptions: Int, redemptions: Int)] = [:]
        for row in rows {
            guard let id = row.tag.flatMap(UUID.init(uuidString:)) else { continue }
            var entry = counts[id] ?? (0, 0)
            if row.category == "subscription" { entry.subscriptions = row.n } else { entry.redemptions = row.n }
            counts[id] = entry
        }
        return counts
    }

    /// The highest balance the capital account ever had: the core statement of its whole life.
    static func highestCapital(_ account: LedgerAccountRow, on db: any Database) async throws -> Int64 {
        let statement = try await Statements.statement(account, period: Date.distantPast..<Date.distantFuture, on: db)
        return statement.lines.map(\.balance.minorUnits).max().map { max($0, 0) } ?? 0
    }
}
