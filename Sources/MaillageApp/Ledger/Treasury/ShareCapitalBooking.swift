import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Books share subscriptions and redemptions from the kernel's register of members: each period
/// of membership subscribes the shares held then (the money comes in through the clearing
/// account), and each departure recorded in the register is paid back — unless the capital would
/// fall below a quarter of the highest it reached, in which case that redemption waits for new
/// subscriptions. A person who left with a redemption waiting and comes back gets both: the new
/// period's subscription, then the old period's payback (`ShareCapital.due`). Run by a job every
/// few minutes, and idempotent: each booking's key counts the ones before it for that membership.
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
        // Every status: a person who left and asked to come back (pending) is still owed their payback.
        let memberships = try await Membership.query(on: db).filter(\.$cooperative.$id == coopID).all()
        let counts = try await bookedCounts(coopID, on: db)
        let departures = try await MembershipDepartures.all(in: coopID, on: db)
        // Subscriptions first, for everyone: a newcomer's shares can lift the capital above the
        // floor that a waiting payback needs, in the same run. Then paybacks, oldest departure first.
        var redemptions: [(id: UUID, since: Date, bookings: [ShareCapital.Booking])] = []
        for membership in memberships {
            let id = try membership.requireID()
            let subs = counts[id]?.subscriptions ?? 0, reds = counts[id]?.redemptions ?? 0
            let due = ShareCapital.due(history(membership, departures: departures[id] ?? [], redemptionsBooked: reds),
                                       subscriptionsBooked: subs, redemptionsBooked: reds)
            let prefix = "shares:\(id.uuidString.lowercased())"
            for booking in due.subscriptions {
                let transfer = try capital.subscription(shares: booking.shares, from: clearing, time: now,
                                                        idempotencyKey: "\(prefix):subscription:\(booking.index)")
                try await LedgerStore.post(Posting(transfer: transfer, cooperative: coopID, category: .subscription,
                                                   tag: id.uuidString.lowercased(), createdBy: nil), on: db)
                outcome.subscribed += 1
            }
            if !due.redemptions.isEmpty {
                redemptions.append((id, departures[id]?.first?.left_at ?? .distantPast, due.redemptions))
            }
        }
        for (id, _, bookings) in redemptions.sorted(by: { $0.since < $1.since }) {
            let prefix = "shares:\(id.uuidString.lowercased())"
            for booking in bookings {
                let current = try await AccountBook.open(.capital, cooperative: coopID, on: db)
                do {
                    let transfer = try capital.redemption(shares: booking.shares, held: booking.shares, to: clearing,
                                                          capital: .euros(cents: current.posted),
                                                          highestCapital: .euros(cents: try await highestCapital(current, on: db)),
                                                          time: now, idempotencyKey: "\(prefix):redemption:\(booking.index)")
                    try await LedgerStore.post(Posting(transfer: transfer, cooperative: coopID, category: .redemption,
                                                       tag: id.uuidString.lowercased(), createdBy: nil), on: db)
                    outcome.redeemed += 1
                } catch let error as DomainError where error.code == "capital_below_minimum" {
                    // Paid back in order: a later departure of this membership waits behind this one.
                    outcome.waiting += 1
                    break
                }
            }
        }
        return outcome
    }

    /// A membership's periods as the register tells them. A departure the register does not hold
    /// (a status set before departures were recorded, an erased account) is read from the row
    /// itself: a person marked as left, or already paid back, has left at least that often.
    static func history(_ membership: Membership, departures: [MembershipDepartures.Row], redemptionsBooked: Int) -> ShareCapital.MembershipHistory {
        var ended = departures.map { Int64($0.shares) }
        let endedAtLeast = max(redemptionsBooked, membership.memberStatus == .left ? 1 : 0)
        if ended.count < endedAtLeast {
            ended.insert(contentsOf: Array(repeating: Int64(membership.shares), count: endedAtLeast - ended.count), at: 0)
        }
        let active = membership.memberStatus == .active && membership.shares > 0
        return ShareCapital.MembershipHistory(departures: ended.filter { $0 > 0 }, current: active ? Int64(membership.shares) : nil)
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
