import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// The SQL prefilter of the ride search only saves work: on a territory's worth of generated
/// ads, every ride Core accepts (prefilter, detour check, departure windows) is found by
/// `CarpoolSearch.run`. The expected rides are computed here from the generated ads themselves,
/// without SQL.
@Suite("Carpool: the search finds every ride Core accepts", .serialized)
struct CarpoolSearchAgreementTests {
    static let slug = "covoiturage-de-l-accord"
    var today: LocalDate { LocalZone.paris.localDate(at: Date()) }

    /// The ad's leg that travels on `date` (generated ads have one leg): its trip and window.
    func leg(_ ad: CarpoolAdGenerator.GeneratedAd, on date: LocalDate) -> CarpoolTimeWindows.DepartureWindow? {
        if let day = ad.departureDate { return day == date ? ad.window : nil }
        guard let from = ad.from, let until = ad.until, from <= date, date <= until else { return nil }
        return ad.pattern?.days[date.weekday]
    }

    @Test func everyAcceptedRideIsFound() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 1, activity: .carpool, slug: Self.slug)
            let coop = try f.coop.requireID(), today = today
            let ads = CarpoolAdGenerator.ads(count: 3_000, seed: 7, startingOn: today)
            let stored = try await CarpoolBenchAds.store(ads, today: today, author: try f.users[0].requireID(), coop: coop, on: app.db)
            #expect(stored == ads.count, "the ad form accepts every generated ad")

            let estimator = CarpoolAds.estimator
            let margin = CarpoolBenchmarkCommand.searchMargin
            var expectedTotal = 0
            for search in CarpoolAdGenerator.searches(count: 120, seed: 8, startingOn: today) {
                let mine = CarpoolMatching.prefilter(search.trip, estimator: estimator)
                let passenger = try #require(CarpoolTimeWindows.DepartureWindow(minute: search.window.minute, margin: margin))
                // Brute force over every generated ad, in memory.
                let expected = Set(ads.compactMap { ad -> UUID? in
                    guard ad.role != "passenger", let driverWindow = leg(ad, on: search.date),
                          CarpoolMatching.passesPrefilter(driver: CarpoolMatching.prefilter(ad.trip, estimator: estimator), passenger: mine),
                          let match = CarpoolMatching.check(driver: ad.trip, passenger: search.trip, estimator: estimator),
                          CarpoolTimeWindows.overlaps(driver: driverWindow, pickupAfterMinutes: match.pickupAfterMinutes, passenger: passenger)
                    else { return nil }
                    return ad.id
                })
                let found = try await CarpoolSearch.run(CarpoolBenchmarkCommand.query(search), coop: coop, relayPoints: [],
                                                        limit: 10_000, index: app.carpoolSearchIndex, on: app.db)
                let foundIDs = Set(found.map(\.ad.id))
                #expect(expected.subtracting(foundIDs).isEmpty,
                        "search \(search.id) on \(search.date.iso): \(expected.subtracting(foundIDs).count) accepted rides missing of \(expected.count)")
                #expect(foundIDs.subtracting(expected).isEmpty, "search \(search.id): rides found that Core refuses")
                expectedTotal += expected.count
            }
            #expect(expectedTotal >= 100, "the searches meet enough rides to mean something (\(expectedTotal))")
        }
    }

    /// The search stops reading once it holds the rides it will show: what a page of 5 or 50
    /// shows is exactly the start of the whole ranked list, on searches that match many more.
    @Test func theFirstResultsAreTheStartOfTheWholeList() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 1, activity: .carpool, slug: Self.slug)
            let coop = try f.coop.requireID(), today = today
            let ads = CarpoolAdGenerator.ads(count: 3_000, seed: 11, startingOn: today)
            _ = try await CarpoolBenchAds.store(ads, today: today, author: try f.users[0].requireID(), coop: coop, on: app.db)
            var longerThanAPage = 0
            for search in CarpoolAdGenerator.searches(count: 60, seed: 12, startingOn: today) {
                var query = CarpoolBenchmarkCommand.query(search)
                for time in [query.time, nil] {
                    query.time = time
                    let whole = try await CarpoolSearch.run(query, coop: coop, relayPoints: [], limit: 10_000, index: app.carpoolSearchIndex, on: app.db)
                    for limit in [5, 50] {
                        let page = try await CarpoolSearch.run(query, coop: coop, relayPoints: [], limit: limit, index: app.carpoolSearchIndex, on: app.db)
                        #expect(page.map { "\($0.ad.id) \($0.leg)" } == whole.prefix(limit).map { "\($0.ad.id) \($0.leg)" },
                                "search \(search.id) at \(time.map { RideTime.clock($0.minute) } ?? "any time"), \(limit) shown of \(whole.count)")
                        if whole.count > limit { longerThanAPage += 1 }
                    }
                }
            }
            #expect(longerThanAPage >= 20, "enough searches match more than a page to mean something (\(longerThanAPage))")
        }
    }

    /// A seeded ad is stored exactly as the ad form's publication stores it.
    @Test func seededAdsAreStoredAsPublishedOnes() async throws {
        try await withMaillage { app in
            let f = try await LendingFixture.make(app, members: 1, activity: .carpool, slug: Self.slug)
            let coop = try f.coop.requireID(), author = try f.users[0].requireID()
            for generated in CarpoolAdGenerator.ads(count: 6, seed: 3, startingOn: today) {
                let ad = try #require(CarpoolBenchAds.rideAd(generated, today: today))
                let published = try await CarpoolAds.publish(ad, phone: nil, author: author, coop: coop, on: app.db)
                try await app.db.writeTransaction { tx in
                    try await CarpoolAdRows.insert([CarpoolAdRows(ad, phone: nil, author: author, coop: coop, id: generated.id)], on: tx.sql)
                }
                struct Row: Decodable, Equatable {
                    var leg: String; var on_date: String?; var weekday: Int?; var minute: Int; var margin: Int; var role: String
                    var bearing: Double; var distance_km: Double; var minutes: Double
                    var min_lat: Double; var max_lat: Double; var min_lon: Double; var max_lon: Double
                    var ext_min_lat: Double; var ext_max_lat: Double; var ext_min_lon: Double; var ext_max_lon: Double
                    var from_date: String; var until_date: String; var community_id: UUID?
                }
                func rows(_ id: UUID) async throws -> [Row] {
                    try await app.db.sql.select().columns(CarpoolAdRows.timeColumns.filter { $0 != "ad_id" && $0 != "cooperative_id" }.map { SQLColumn($0) })
                        .from("carpool_ad_times").where("ad_id", .equal, SQLBind(id)).orderBy("leg").orderBy("weekday").all(decoding: Row.self)
                }
                let expected = try await rows(published)
                #expect(!expected.isEmpty)
                #expect(try await rows(generated.id) == expected)
                #expect(try await CarpoolAds.find(generated.id, in: coop, on: app.db).role == ad.role.rawValue)
            }
        }
    }
}
