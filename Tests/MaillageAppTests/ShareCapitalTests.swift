import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

@Suite("Share capital: subscriptions and redemptions booked once, above the capital floor", .serialized)
struct ShareCapitalTests {
    /// A SCIC whose shares are worth 20 €, founded by one person (who holds 1 share).
    func scic(_ app: Application) async throws -> (Cooperative, User) {
        let founder = User(email: "fondatrice@example.org", passwordHash: "x", displayName: "Fondatrice")
        try await founder.create(on: app.db)
        let draft = CooperativeDraft(name: "Épicerie des Tests", slug: "epicerie-des-tests", legalForm: .scic, commune: "Nantes",
                                     description: "Une épicerie coopérative pour les tests du capital.", activities: [.food],
                                     colleges: ["Mangeurs", "Producteurs", "Salariés"], shareNominalCents: 2_000, charter: [])
        let coop = try await Cooperatives.create(draft, creator: founder, review: .approved, on: app.db)
        return (try await Cooperatives.find(slug: coop.slug, on: app.db), founder)
    }

    /// Asks to join with `shares` and is approved by the founder, as on the board page.
    func join(_ app: Application, _ coop: Cooperative, founder: User, name: String, shares: Int) async throws -> UUID {
        let user = User(email: "\(name.lowercased())@example.org", passwordHash: "x", displayName: name)
        try await user.create(on: app.db)
        let college = try #require(try await coop.$colleges.get(on: app.db).first?.id)
        let membership = try await Joining.ask(Joining.Request(college: college, shares: shares, message: nil), user: user, coop: coop, on: app.db)
        _ = try await Joining.decide(membership.requireID(), approve: true, by: founder, coop: coop, on: app.db)
        return try membership.requireID()
    }

    /// The SCIC with Ana (5 shares) and Ben (10) approved and every subscription booked:
    /// 1 + 5 + 10 = 16 shares, 320 €.
    func withAnaAndBen(_ app: Application) async throws -> (coop: Cooperative, coopID: UUID, founder: User, ana: UUID, ben: UUID) {
        let (coop, founder) = try await scic(app)
        let ana = try await join(app, coop, founder: founder, name: "Ana", shares: 5)
        let ben = try await join(app, coop, founder: founder, name: "Ben", shares: 10)
        try await ShareCapitalBooking.reconcile(coop, on: app.db)
        return (coop, try coop.requireID(), founder, ana, ben)
    }

    /// A member leaving, as the register records it (status `left`, shares kept for the redemption).
    func leave(_ app: Application, _ membership: UUID) async throws {
        try await app.db.sql.update(Membership.schema).set("status", to: SQLBind(MembershipStatus.left.rawValue))
            .where("id", .equal, SQLBind(membership)).run()
    }

    struct Booked: Decodable, Equatable { var tag: String?; var category: String; var amount: Int64 }

    func bookings(_ coop: UUID, on db: any Database) async throws -> [Booked] {
        try await db.sql.raw("""
            SELECT tag, category, amount FROM ledger_transfers WHERE cooperative_id = \(bind: coop)
            AND category IN ('subscription', 'redemption') ORDER BY time, id
            """).all(decoding: Booked.self)
    }

    func capital(_ coop: UUID, on db: any Database) async throws -> Int64 {
        try await AccountBook.open(.capital, cooperative: coop, on: db).posted
    }

    @Test func anApprovedMembershipSubscribesItsSharesOnceHoweverOftenTheJobRuns() async throws {
        try await withMaillage { app in
            // setup
            let (coop, founder) = try await scic(app)
            let coopID = try coop.requireID()
            let ana = try await join(app, coop, founder: founder, name: "Ana", shares: 5)
            let ben = try await join(app, coop, founder: founder, name: "Ben", shares: 10)
            // A request not yet approved subscribes nothing.
            let pending = User(email: "cleo@example.org", passwordHash: "x", displayName: "Cléo")
            try await pending.create(on: app.db)
            let college = try #require(try await coop.$colleges.get(on: app.db).first?.id)
            _ = try await Joining.ask(Joining.Request(college: college, shares: 3, message: nil), user: pending, coop: coop, on: app.db)

            // act: the job twice at once, then once more
            let outcomes = try await withThrowingTaskGroup(of: ShareCapitalBooking.Outcome.self) { group in
                for _ in 0..<2 { group.addTask { try await ShareCapitalBooking.reconcile(coop, on: app.db) } }
                var all: [ShareCapitalBooking.Outcome] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            let third = try await ShareCapitalBooking.reconcile(coop, on: app.db)

            // check: founder 1 share, Ana 5, Ben 10, at 20 € each
            let booked = try await bookings(coopID, on: app.db)
            #expect(booked.count == 3, "one subscription per approved membership: \(booked)")
            #expect(Set(booked.compactMap(\.tag)) .isSuperset(of: [ana, ben].map { $0.uuidString.lowercased() }))
            #expect(booked.map(\.amount).sorted() == [2_000, 10_000, 20_000])
            #expect(try await capital(coopID, on: app.db) == 32_000)
            #expect(outcomes.allSatisfy { $0.redeemed == 0 && $0.waiting == 0 })
            #expect(third == ShareCapitalBooking.Outcome(), "nothing left to book")
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
        }
    }

    @Test func aMemberWhoLeftIsRedeemedOnceUnlessCapitalWouldFallBelowAQuarterOfItsHighest() async throws {
        try await withMaillage { app in
            // setup: capital 320 €; its floor is a quarter, 80 €
            let (coop, coopID, founder, ana, ben) = try await withAnaAndBen(app)
            #expect(try await capital(coopID, on: app.db) == 32_000)

            // act: Ben leaves (200 €): 120 € remain, above 80 €
            try await leave(app, ben)
            let first = try await ShareCapitalBooking.reconcile(coop, on: app.db)
            let again = try await ShareCapitalBooking.reconcile(coop, on: app.db)

            // check
            #expect(first.redeemed == 1 && first.waiting == 0)
            #expect(again == ShareCapitalBooking.Outcome(), "redeemed once")
            #expect(try await capital(coopID, on: app.db) == 12_000)
            let redemptions = try await bookings(coopID, on: app.db).filter { $0.category == "redemption" }
            #expect(redemptions == [Booked(tag: ben.uuidString.lowercased(), category: "redemption", amount: 20_000)])

            // act: Ana leaves (100 €): only 20 € would remain, under 80 € — her redemption waits
            try await leave(app, ana)
            let waiting = try await ShareCapitalBooking.reconcile(coop, on: app.db)
            #expect(waiting.redeemed == 0 && waiting.waiting == 1)
            #expect(try await capital(coopID, on: app.db) == 12_000, "nothing paid back below the floor")
            #expect(try await bookings(coopID, on: app.db).filter { $0.category == "redemption" }.count == 1)

            // act: a newcomer subscribes 10 shares; her approval books it and pays Ana back at once
            // (320 € − 100 € ≥ 80 €): the job that follows finds nothing left to do
            _ = try await join(app, coop, founder: founder, name: "Dora", shares: 10)
            #expect(try await capital(coopID, on: app.db) == 12_000 + 20_000 - 10_000)
            #expect(try await ShareCapitalBooking.reconcile(coop, on: app.db) == ShareCapitalBooking.Outcome())
            let final = try await bookings(coopID, on: app.db).filter { $0.category == "redemption" }
            #expect(final.count == 2 && final.contains(Booked(tag: ana.uuidString.lowercased(), category: "redemption", amount: 10_000)))
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
        }
    }

    @Test func aMemberWhoComesBackSubscribesAgain() async throws {
        try await withMaillage { app in
            let (coop, coopID, founder, ana, _) = try await withAnaAndBen(app)
            try await leave(app, ana)
            try await ShareCapitalBooking.reconcile(coop, on: app.db)
            #expect(try await capital(coopID, on: app.db) == 22_000)
            // Back in: asked again and approved; a second subscription, then nothing more.
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "ana@example.org").first())
            let college = try #require(try await coop.$colleges.get(on: app.db).first?.id)
            let again = try await Joining.ask(Joining.Request(college: college, shares: 5, message: nil), user: user, coop: coop, on: app.db)
            #expect(try again.requireID() == ana, "the same membership row comes back")
            _ = try await Joining.decide(ana, approve: true, by: founder, coop: coop, on: app.db)
            #expect(try await capital(coopID, on: app.db) == 32_000, "booked as the board approves")
            #expect(try await ShareCapitalBooking.reconcile(coop, on: app.db) == ShareCapitalBooking.Outcome())
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)
        }
    }

    @Test func aMemberWhoLeftWithAPaybackWaitingAndComesBackGetsTheNewSubscriptionAndThePayback() async throws {
        try await withMaillage { app in
            // setup: capital 320 € (floor 80 €); Ben leaves and is paid back: 120 €
            let (coop, coopID, founder, ana, ben) = try await withAnaAndBen(app)
            let users = try await User.query(on: app.db).all()
            let anaUser = try #require(users.first { $0.email == "ana@example.org" })
            let benUser = try #require(users.first { $0.email == "ben@example.org" })
            try await Leaving.leave(ben, by: benUser, coop: coop, on: app.db)
            #expect(try await capital(coopID, on: app.db) == 12_000, "paid back as the departure is recorded")
            #expect(try await ShareCapitalBooking.reconcile(coop, on: app.db).redeemed == 0)
            // Ana leaves through the same action: 100 € back would leave 20 €, under 80 € — it waits
            try await Leaving.leave(ana, by: anaUser, coop: coop, on: app.db)
            let waiting = try await ShareCapitalBooking.reconcile(coop, on: app.db)
            #expect(waiting.redeemed == 0 && waiting.waiting == 1)

            // act: Ana comes back with 3 shares (60 €) and is approved
            let college = try #require(try await coop.$colleges.get(on: app.db).first?.id)
            let again = try await Joining.ask(Joining.Request(college: college, shares: 3, message: nil), user: anaUser, coop: coop, on: app.db)
            #expect(try again.requireID() == ana)
            _ = try await Joining.decide(ana, approve: true, by: founder, coop: coop, on: app.db)
            let settled = try await ShareCapitalBooking.reconcile(coop, on: app.db)

            // check: the approval booked the new period (60 €), then the old one's payback (100 €):
            // 120 + 60 − 100 = 80 €, the floor itself; the job finds nothing more
            #expect(settled == ShareCapitalBooking.Outcome(), "nothing booked twice")
            #expect(try await capital(coopID, on: app.db) == 8_000)
            let hers = try await bookings(coopID, on: app.db).filter { $0.tag == ana.uuidString.lowercased() }
            #expect(hers.filter { $0.category == "subscription" }.map(\.amount).sorted() == [6_000, 10_000], "\(hers)")
            #expect(hers.filter { $0.category == "redemption" }.map(\.amount) == [10_000], "\(hers)")
            #expect(try await LedgerAudit.run(on: app.db).isEmpty)

            // act: she leaves again: the 3 shares of her second period are owed, and wait on the floor
            try await Leaving.leave(ana, by: anaUser, coop: coop, on: app.db)
            let third = try await ShareCapitalBooking.reconcile(coop, on: app.db)
            #expect(third.redeemed == 0 && third.waiting == 1)
            #expect(try await capital(coopID, on: app.db) == 8_000)
        }
    }
}
