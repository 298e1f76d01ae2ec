import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// The ride index lives in each process's memory; these tests give a search an index of its own,
/// as a second process sharing the database would hold, and check it learns of every write made
/// elsewhere: a published ad, a withdrawn one, an erased author's, a bulk import, and changes it
/// missed because they were pruned.
@Suite("Carpool: every process's ride index follows the database", .serialized)
struct CarpoolSearchIndexTests {
    static let slug = "covoiturage-de-l-index"
    var today: LocalDate { LocalZone.paris.localDate(at: Date()) }

    /// A weekday commute Saint-Nazaire → Nantes at 07:30, a week ahead.
    func commute() throws -> (ad: RideAd, date: LocalDate) {
        var date = try #require(today.adding(days: 7))
        while date.weekday > 5 { date = try #require(date.adding(days: 1)) }
        let draft = RideDraft(role: "driver", frequency: "punctual", date: date.iso, time: "07:30", margin: "15", seats: "3")
        let ad = try draft.validated(origin: RidePlace(name: "Saint-Nazaire", point: try #require(GeoPoint(lat: 47.2736, lon: -2.2139))),
                                     destination: RidePlace(name: "Nantes", point: try #require(GeoPoint(lat: 47.2184, lon: -1.5536))),
                                     community: nil, now: Date())
        return (ad, date)
    }

    func search(_ date: LocalDate) throws -> CarpoolSearch.Query {
        CarpoolSearch.Query(origin: RidePlace(name: "Saint-Nazaire", point: try #require(GeoPoint(lat: 47.2736, lon: -2.2139))),
                            destination: RidePlace(name: "Nantes", point: try #require(GeoPoint(lat: 47.2184, lon: -1.5536))),
                            date: date, time: RideTime(minute: 450, margin: 60), lookingFor: .driver, person: nil)
    }

    func found(_ date: LocalDate, coop: UUID, index: CarpoolSearchIndex, on db: any Database) async throws -> Set<UUID> {
        Set(try await CarpoolSearch.run(try search(date), coop: coop, relayPoints: [], index: index, on: db).map(\.ad.id))
    }

    @Test func anotherProcessesIndexSeesPublishedAndWithdrawnAds() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 2, activity: .carpool, slug: Self.slug)
            let coop = try f.coop.requireID(), driver = try f.users[0].requireID()
            let (ad, date) = try commute()
            let other = CarpoolSearchIndex()
            #expect(try await found(date, coop: coop, index: other, on: app.db).isEmpty, "nothing published yet")

            let first = try await CarpoolAds.publish(ad, phone: nil, author: driver, coop: coop, on: app.db)
            #expect(try await found(date, coop: coop, index: other, on: app.db) == [first], "a ride published elsewhere is found at once")
            let second = try await CarpoolAds.publish(ad, phone: nil, author: try f.users[1].requireID(), coop: coop, on: app.db)
            try await CarpoolAds.withdraw(first, by: driver, in: coop, on: app.db)
            #expect(try await found(date, coop: coop, index: other, on: app.db) == [second], "a withdrawn ride is gone, a new one is there")
            #expect(try await found(date, coop: coop, index: app.carpoolSearchIndex, on: app.db) == [second], "the app's own index agrees")
        }
    }

    @Test func anErasedAuthorsRidesLeaveEveryIndex() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 2, activity: .carpool, slug: Self.slug)
            let coop = try f.coop.requireID()
            let (ad, date) = try commute()
            let kept = try await CarpoolAds.publish(ad, phone: nil, author: try f.users[1].requireID(), coop: coop, on: app.db)
            _ = try await CarpoolAds.publish(ad, phone: nil, author: try f.users[0].requireID(), coop: coop, on: app.db)
            let other = CarpoolSearchIndex()
            #expect(try await found(date, coop: coop, index: other, on: app.db).count == 2)
            try await app.db.writeTransaction { tx in
                try await CarpoolModule().erasePersonalData(of: try f.users[0].requireID(), name: "x", pseudonym: "Ancien membre", on: tx)
            }
            #expect(try await found(date, coop: coop, index: other, on: app.db) == [kept])
        }
    }

    /// A bulk write (over `CarpoolAdRows.bulk` ads) and changes pruned before a process read
    /// them both make that process read the rows whole: it then agrees with a fresh index.
    @Test func bulkWritesAndPrunedChangesAreReadWhole() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 1, activity: .carpool, slug: Self.slug)
            let coop = try f.coop.requireID(), author = try f.users[0].requireID(), today = today
            let other = CarpoolSearchIndex()
            _ = try await other.index(of: coop, on: app.db)
            let generated = CarpoolAdGenerator.ads(count: CarpoolAdRows.bulk + 100, seed: 21, startingOn: today)
            let stored = try await CarpoolBenchAds.store(generated, today: today, author: author, coop: coop, on: app.db)
            #expect(try await other.index(of: coop, on: app.db).adCount == stored, "a bulk import is read whole")

            let (ad, _) = try commute()
            var published: [UUID] = []
            for _ in 0..<3 { published.append(try await CarpoolAds.publish(ad, phone: nil, author: author, coop: coop, on: app.db)) }
            // Every change but the last is forgotten, as the daily pruning does to old ones.
            let current = try await CarpoolSearchChanges.current(coop: coop, on: app.db.sql)
            try await app.db.sql.delete(from: "carpool_search_changes").where("version", .lessThan, SQLBind(current)).run()
            let index = try await other.index(of: coop, on: app.db)
            #expect(index.adCount == stored + 3, "the rides whose changes were pruned are there too")
            let fresh = try await CarpoolSearchIndex().index(of: coop, on: app.db)
            #expect(index.rowCount == fresh.rowCount)
        }
    }

    /// Searches that arrive together on a cold index read the rows once and all find the ride.
    @Test func concurrentFirstSearchesAllFindTheRide() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 1, activity: .carpool, slug: Self.slug)
            let coop = try f.coop.requireID()
            let (ad, date) = try commute()
            let id = try await CarpoolAds.publish(ad, phone: nil, author: try f.users[0].requireID(), coop: coop, on: app.db)
            let index = CarpoolSearchIndex(), db = app.db, query = try search(date)
            let results = try await withThrowingTaskGroup(of: Set<UUID>.self) { group in
                for _ in 0..<16 {
                    group.addTask { Set(try await CarpoolSearch.run(query, coop: coop, relayPoints: [], index: index, on: db).map(\.ad.id)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 16 && results.allSatisfy { $0 == [id] })
        }
    }
}
