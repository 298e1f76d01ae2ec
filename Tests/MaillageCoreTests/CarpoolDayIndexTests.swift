import Foundation
@testable import MaillageCore
import Testing

/// The ride index returns exactly the rows a scan of every row would keep, in departure order,
/// and an index changed ad by ad answers as one built afresh from the same rows.
@Suite struct CarpoolDayIndexTests {
    let estimator = StraightLineEstimator.standard
    let community = UUID()

    /// The generated ads as the index holds them (one leg each; every tenth in a community).
    func rows(_ ads: [CarpoolAdGenerator.GeneratedAd]) -> [CarpoolDayIndex.Row] {
        ads.enumerated().flatMap { n, ad -> [CarpoolDayIndex.Row] in
            let geometry = CarpoolMatching.prefilter(ad.trip, estimator: estimator)
            let minutes = estimator.estimate(from: ad.trip.origin, to: ad.trip.destination).minutes
            func row(_ days: CarpoolDayIndex.Row.Days, _ window: CarpoolTimeWindows.DepartureWindow) -> CarpoolDayIndex.Row {
                CarpoolDayIndex.Row(ad: ad.id, leg: .outward, days: days, time: RideTime(minute: window.minute, margin: window.margin),
                                    role: RideRole(rawValue: ad.role) ?? .driver, community: n % 10 == 0 ? community : nil, author: nil,
                                    origin: ad.trip.origin, destination: ad.trip.destination, geometry: geometry, minutes: minutes)
            }
            if let date = ad.departureDate, let window = ad.window { return [row(.on(date), window)] }
            guard let pattern = ad.pattern, let from = ad.from, let until = ad.until else { return [] }
            return pattern.days.map { weekday, window in row(.weekly(weekday: weekday, from: from, until: until), window) }
        }
    }

    func queries() -> [CarpoolDayIndex.Query] {
        CarpoolAdGenerator.searches(count: 80, seed: 5).enumerated().map { n, search in
            CarpoolDayIndex.Query(searcher: search.trip, window: n % 4 == 3 ? RideTime(minute: 720, margin: 720) : RideTime(minute: search.window.minute, margin: 60),
                                  wantsDrivers: n % 3 != 0, date: search.date, communities: n % 2 == 0 ? [community] : [], estimator: estimator)
        }
    }

    func key(_ row: CarpoolDayIndex.Row) -> String { "\(row.ad) \(row.leg) \(row.days)" }

    @Test func theIndexKeepsWhatAScanOfEveryRowKeeps() {
        let all = rows(CarpoolAdGenerator.ads(count: 4_000, seed: 9))
        let index = CarpoolDayIndex(all)
        #expect(index.rowCount == all.count)
        var kept = 0
        for query in queries() {
            let found = index.candidates(query)
            let scanned = all.filter { row in
                row.travels(on: query.date) && query.admits(row) && query.departures.contains(row.time.minute)
                    && GeoPoint.bearingDifference(row.geometry.bearing, query.mine.bearing) <= CarpoolMatching.bearingTolerance
            }
            #expect(Set(found.map(key)) == Set(scanned.map(key)))
            #expect(found.count == scanned.count, "no row is returned twice")
            #expect(zip(found, found.dropFirst()).allSatisfy { $0.time.minute <= $1.time.minute }, "earliest departure first")
            kept += found.count
        }
        #expect(kept > 500, "the queries keep enough rows to mean something (\(kept))")
    }

    @Test func anIndexChangedAdByAdAnswersAsOneBuiltAfresh() {
        let all = rows(CarpoolAdGenerator.ads(count: 2_000, seed: 10))
        let byAd = Dictionary(grouping: all, by: \.ad)
        let ads = byAd.keys.sorted { $0.uuidString < $1.uuidString }
        // Half built at once, the rest published one by one; a third withdrawn; some republished.
        var changed = CarpoolDayIndex(ads.prefix(1_000).flatMap { byAd[$0]! })
        for ad in ads.dropFirst(1_000) { changed.replace(ad: ad, with: byAd[ad]!) }
        let withdrawn = Set(ads.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
        for ad in withdrawn { changed.replace(ad: ad, with: []) }
        for ad in ads.enumerated().filter({ $0.offset % 6 == 1 }).map(\.element) { changed.replace(ad: ad, with: byAd[ad]!) }
        let afresh = CarpoolDayIndex(all.filter { !withdrawn.contains($0.ad) })
        #expect(changed.adCount == afresh.adCount && changed.rowCount == afresh.rowCount)
        for query in queries() {
            let a = changed.candidates(query), b = afresh.candidates(query)
            #expect(a.map(key).sorted() == b.map(key).sorted())
            #expect(a.map(\.time.minute) == b.map(\.time.minute), "both in departure order")
        }
    }
}
