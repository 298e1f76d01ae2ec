import Foundation
@testable import MaillageCore
import Testing

/// Road distances and times from a table, so the limits can be tested to the kilometre (and
/// duration apart from distance, as a routing engine would give them).
struct TableEstimator: RouteEstimator {
    let legs: [[GeoPoint]: RouteEstimate]
    func estimate(from: GeoPoint, to: GeoPoint) -> RouteEstimate {
        legs[[from, to]] ?? legs[[to, from]] ?? RouteEstimate(distanceKm: from.distanceKm(to: to), minutes: from.distanceKm(to: to))
    }
}

@Suite struct CarpoolMatchingTests {
    typealias M = CarpoolMatching
    let standard = StraightLineEstimator.standard
    func place(_ name: String) -> GeoPoint { GeoPoint(commune: name)! }
    func trip(_ from: String, _ to: String) -> M.Trip { M.Trip(origin: place(from), destination: place(to)) }

    @Test func aPassengerFromSavenayRidesWithADriverFromNantesToSaintNazaire() throws {
        let match = try #require(M.check(driver: trip("Nantes", "Saint-Nazaire"), passenger: trip("Savenay", "Saint-Nazaire"), estimator: standard))
        #expect(match.pickup == place("Savenay") && match.dropoff == place("Saint-Nazaire"))
        #expect(abs(match.driverKm - 65) < 1.5)
        #expect((0.10...0.25).contains(match.detourShare))   // Savenay is a little north of the line
        #expect(match.isNoticeable)
        #expect(abs(match.commonKm - standard.estimate(from: place("Savenay"), to: place("Saint-Nazaire")).distanceKm) < 1e-9)
        #expect(abs(match.pickupAfterMinutes - standard.estimate(from: place("Nantes"), to: place("Savenay")).minutes) < 1e-9)
        #expect(match.walkToPickupKm == 0 && match.walkingMinutes == 0)
        // The same trip as the driver's is a perfect match.
        let same = try #require(M.check(driver: trip("Nantes", "Saint-Nazaire"), passenger: trip("Nantes", "Saint-Nazaire"), estimator: standard))
        #expect(same.detourKm < 1e-9 && !same.isNoticeable && same.pickupAfterMinutes == 0)
    }

    @Test func passengersGoingElsewhereDoNotMatch() {
        let driver = trip("Nantes", "Saint-Nazaire")
        #expect(M.check(driver: driver, passenger: trip("Saint-Nazaire", "Savenay"), estimator: standard) == nil)
        #expect(M.check(driver: driver, passenger: trip("Saint-Nazaire", "Nantes"), estimator: standard) == nil)
        #expect(M.check(driver: driver, passenger: trip("Nantes", "Clisson"), estimator: standard) == nil)
        #expect(M.check(driver: driver, passenger: trip("Savenay", "Clisson"), estimator: standard) == nil)
        // Too short a common part: Nantes → Saint-Herblain is 15 % of the driver's trip.
        #expect(M.check(driver: driver, passenger: trip("Nantes", "Saint-Herblain"), estimator: standard) == nil)
        // A driver going nowhere carries nobody.
        #expect(M.check(driver: trip("Nantes", "Nantes"), passenger: trip("Nantes", "Nantes"), estimator: standard) == nil)
        let prefilter = M.prefilter(driver, estimator: standard)
        #expect(!M.passesPrefilter(driver: prefilter, passenger: M.prefilter(trip("Saint-Nazaire", "Nantes"), estimator: standard)))
        #expect(!M.passesPrefilter(driver: prefilter, passenger: M.prefilter(trip("Nantes", "Clisson"), estimator: standard)))
        #expect(M.passesPrefilter(driver: prefilter, passenger: M.prefilter(trip("Saint-Herblain", "Saint-Nazaire"), estimator: standard)))
    }

    /// A passenger 900 m off the driver's road walks to a relay point on it: no detour at all.
    @Test func aRelayPointWithinWalkingDistanceIsChosenWhenItShortensTheDetour() throws {
        let driver = trip("Nantes", "Saint-Nazaire")
        let heading = driver.origin.bearing(to: driver.destination)
        let onTheRoad = driver.origin.moved(km: 20, bearing: heading)
        let home = onTheRoad.moved(km: 0.9, bearing: heading - 90)
        let passenger = M.Trip(origin: home, destination: driver.destination)
        let tooFar = onTheRoad.moved(km: 0.3, bearing: heading + 90)   // 1.2 km from home
        let direct = try #require(M.check(driver: driver, passenger: passenger, estimator: standard))
        let relayed = try #require(M.check(driver: driver, passenger: passenger, relayPoints: [tooFar, onTheRoad], estimator: standard))
        #expect(direct.pickup == home && relayed.pickup == onTheRoad && relayed.dropoff == driver.destination)
        #expect(relayed.detourKm < 0.01 && relayed.detourKm < direct.detourKm)
        #expect(abs(relayed.walkToPickupKm - 0.9) < 1e-6 && relayed.walkFromDropoffKm == 0)
        #expect(abs(relayed.walkingMinutes - 12) < 1e-3)   // 900 m at 4.5 km/h
        // A relay farther than the walking radius is never used, even if it would help.
        let only = try #require(M.check(driver: driver, passenger: passenger, relayPoints: [tooFar], estimator: standard))
        #expect(only.pickup == home)
    }

    // The limits, on a table of kilometres: the driver A → B is 100 km and 100 minutes.
    let a = GeoPoint(lat: 0, lon: 0)!, p = GeoPoint(lat: 0, lon: 0.1)!, q = GeoPoint(lat: 0, lon: 0.2)!, b = GeoPoint(lat: 0, lon: 0.3)!
    func table(toPickup: Double, common: Double, fromDropoff: Double, minutes: Double? = nil) -> TableEstimator {
        TableEstimator(legs: [[a, b]: .init(distanceKm: 100, minutes: 100), [a, p]: .init(distanceKm: toPickup, minutes: toPickup),
                              [p, q]: .init(distanceKm: common, minutes: minutes ?? common),
                              [q, b]: .init(distanceKm: fromDropoff, minutes: fromDropoff)])
    }
    func check(_ estimator: TableEstimator) -> M.Match? {
        M.check(driver: .init(origin: a, destination: b), passenger: .init(origin: p, destination: q), estimator: estimator)
    }

    @Test func aDetourOfAQuarterIsTheMostAccepted() throws {
        let edge = try #require(check(table(toPickup: 10, common: 60, fromDropoff: 55)))
        #expect(edge.detourKm == 25 && edge.detourShare == 0.25)
        #expect(check(table(toPickup: 10, common: 60, fromDropoff: 55.01)) == nil)
        // Duration is checked on its own: a short road that is slow (a ferry, a jam) is refused.
        #expect(check(table(toPickup: 10, common: 60, fromDropoff: 40, minutes: 76)) == nil)
        #expect(check(table(toPickup: 10, common: 60, fromDropoff: 40, minutes: 75)) != nil)
    }

    @Test func theCommonPartIsAtLeast35PerCent() {
        #expect(check(table(toPickup: 30, common: 35, fromDropoff: 35)) != nil)
        #expect(check(table(toPickup: 30, common: 34.99, fromDropoff: 35.01)) == nil)
    }

    @Test func aDetourIsNoticeableFromTenPerCent() throws {
        #expect(try #require(check(table(toPickup: 10, common: 60, fromDropoff: 40))).isNoticeable)
        #expect(try #require(check(table(toPickup: 10, common: 60, fromDropoff: 39.99))).isNoticeable == false)
        // Minutes alone can make it noticeable.
        #expect(try #require(check(table(toPickup: 10, common: 60, fromDropoff: 30, minutes: 70))).isNoticeable)
    }

    @Test func bearingsWrapAroundNorth() {
        #expect(M.bearingRanges(around: 180) == [170...190])
        #expect(M.bearingRanges(around: 355) == [345...360, 0...5])
        #expect(M.bearingRanges(around: 5) == [0...15, 355...360])
        func prefilter(_ bearing: Double) -> M.Prefilter {
            let box = GeoBoundingBox(minLat: 47, maxLat: 47.1, minLon: -1.6, maxLon: -1.5)
            return M.Prefilter(bearing: bearing, distanceKm: 20, box: box, extendedBox: box)
        }
        #expect(!M.passesPrefilter(driver: prefilter(350), passenger: prefilter(5)))
        #expect(M.passesPrefilter(driver: prefilter(355), passenger: prefilter(3)))
        #expect(M.passesPrefilter(driver: prefilter(3), passenger: prefilter(355)))
        // The SQL ranges and the rule agree everywhere.
        var random = SplitMix64(seed: 3)
        for _ in 0..<5_000 {
            let d = Double.random(in: 0..<360, using: &random), p = Double.random(in: 0..<360, using: &random)
            let inRanges = M.bearingRanges(around: d).contains { $0.contains(p) }
            #expect(inRanges == (GeoPoint.bearingDifference(d, p) <= M.bearingTolerance))
        }
    }

    /// The heart of the prefilter: whatever passes the exact check — pick-up and drop-off
    /// anywhere near the driver's road, relay points included — starts and ends inside the
    /// driver's extended rectangle, so the SQL never drops a real match.
    @Test func theExtendedBoxHoldsEveryAcceptedPassenger() {
        var random = SplitMix64(seed: 2026)
        var accepted = 0, tried = 0
        var tightest = 0.0
        while accepted < 2_500 && tried < 40_000 {
            tried += 1
            let origin = GeoPoint(lat: .random(in: 46.8...47.8, using: &random), lon: .random(in: -2.6 ... -0.9, using: &random))!
            let heading = Double.random(in: 0..<360, using: &random), length = Double.random(in: 3...100, using: &random)
            let driver = M.Trip(origin: origin, destination: origin.moved(km: length, bearing: heading))
            func around(_ t: Double) -> GeoPoint {
                origin.moved(km: t * length, bearing: heading)
                    .moved(km: .random(in: -0.4...0.4, using: &random) * length, bearing: heading + 90)
            }
            let t = Double.random(in: -0.15...1.1, using: &random)
            let pickup = around(t), dropoff = around(.random(in: t...1.15, using: &random))
            func walker(_ at: GeoPoint) -> GeoPoint {
                Bool.random(using: &random) ? at : at.moved(km: .random(in: 0...0.999, using: &random), bearing: .random(in: 0..<360, using: &random))
            }
            let passenger = M.Trip(origin: walker(pickup), destination: walker(dropoff))
            guard let match = M.check(driver: driver, passenger: passenger, relayPoints: [pickup, dropoff], estimator: standard) else { continue }
            accepted += 1
            let d = M.prefilter(driver, estimator: standard), p = M.prefilter(passenger, estimator: standard)
            #expect(d.extendedBox.contains(passenger.origin) && d.extendedBox.contains(passenger.destination))
            #expect(d.extendedBox.contains(match.pickup) && p.box.intersects(d.extendedBox))
            if GeoPoint.bearingDifference(d.bearing, p.bearing) <= M.bearingTolerance,
               p.distanceKm >= M.minimumPassengerShare * d.distanceKm {
                #expect(M.passesPrefilter(driver: d, passenger: p))
            }
            // How far outside the driver's own rectangle accepted passengers start, as a share of
            // the margin: near 1 means the extended box is not wastefully large.
            let o = passenger.origin, margin = d.box.minLat - d.extendedBox.minLat
            tightest = max(tightest, max(0, d.box.minLat - o.lat, o.lat - d.box.maxLat) / margin)
        }
        #expect(accepted >= 2_000)
        #expect(tightest > 0.8)
    }

    @Test func matchesAreRankedByDepartureThenDetourThenId() throws {
        let near = try #require(M.check(driver: trip("Nantes", "Saint-Nazaire"), passenger: trip("Nantes", "Saint-Nazaire"), estimator: standard))
        let far = try #require(M.check(driver: trip("Nantes", "Saint-Nazaire"), passenger: trip("Savenay", "Saint-Nazaire"), estimator: standard))
        let t0 = Date(timeIntervalSince1970: 1_800_000_000), t1 = t0.addingTimeInterval(600)
        let id1 = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!, id2 = UUID(uuidString: "00000000-0000-4000-8000-000000000002")!
        let rows: [(id: UUID, departure: Date, match: M.Match)] = [(id2, t0, near), (id1, t1, near), (id1, t0, far), (id1, t0, near)]
        let ranked = M.ranked(rows)
        #expect(ranked.map(\.id) == [id1, id2, id1, id1])
        #expect(ranked.map(\.departure) == [t0, t0, t0, t1])
        #expect(ranked[2].match == far)
    }
}

@Suite struct CarpoolTimeAndGeneratorTests {
    typealias W = CarpoolTimeWindows
    func at(_ hour: Int, _ minute: Int, _ margin: Int) -> W.DepartureWindow { W.DepartureWindow(minute: hour * 60 + minute, margin: margin)! }

    /// The driver leaves at 8:00 ± 10 and reaches the pick-up 20 minutes later: 8:10…8:30.
    @Test func windowsMeetAtThePickup() {
        let driver = at(8, 0, 10)
        #expect(W.overlaps(driver: driver, pickupAfterMinutes: 20, passenger: at(8, 40, 10)))   // 8:30…8:50, edges touch
        #expect(!W.overlaps(driver: driver, pickupAfterMinutes: 20, passenger: at(8, 41, 10)))
        #expect(W.overlaps(driver: driver, pickupAfterMinutes: 20, passenger: at(8, 0, 10)))    // 7:50…8:10
        #expect(!W.overlaps(driver: driver, pickupAfterMinutes: 20, passenger: at(7, 59, 10)))
        #expect(!W.overlaps(driver: driver, pickupAfterMinutes: 20.5, passenger: at(8, 0, 10)))
        #expect(W.overlaps(driver: at(8, 0, 0), pickupAfterMinutes: 0, passenger: at(8, 0, 0)))
        // No matching across midnight: 23:50 + 20 min is not 00:10 of the same day.
        #expect(!W.overlaps(driver: at(23, 50, 0), pickupAfterMinutes: 20, passenger: at(0, 10, 30)))
        #expect(W.DepartureWindow(minute: 1440, margin: 0) == nil && W.DepartureWindow(minute: -1, margin: 0) == nil)
        #expect(W.DepartureWindow(minute: 60, margin: -5)?.margin == 0)
    }

    @Test func regularTripsMatchOnTheWeekdaysTheyShare() throws {
        let driver = W.WeeklyPattern(days: [1: at(7, 30, 15), 2: at(7, 30, 15), 3: at(7, 30, 15), 5: at(9, 0, 10), 8: at(7, 30, 15)])
        let passenger = W.WeeklyPattern(days: [1: at(7, 45, 10), 3: at(7, 45, 10), 4: at(7, 45, 10), 5: at(7, 45, 10)])
        #expect(driver.days.keys.sorted() == [1, 2, 3, 5])
        #expect(W.overlaps(driver: driver, pickupAfterMinutes: 10, passenger: passenger) == [1, 3])
        let monday = try #require(LocalDate(iso: "2026-03-30")), thursday = try #require(LocalDate(iso: "2026-04-02"))
        #expect(W.overlaps(driver: driver, pickupAfterMinutes: 10, passengerOn: monday, window: at(7, 50, 0)))
        #expect(!W.overlaps(driver: driver, pickupAfterMinutes: 10, passengerOn: thursday, window: at(7, 50, 0)))
    }

    @Test func theSQLMinuteRangeStaysInTheDay() {
        #expect(W.minuteRange(for: at(8, 0, 15), widenedBy: 30) == 435...525)
        #expect(W.minuteRange(for: at(0, 20, 15), widenedBy: 30) == 0...65)
        #expect(W.minuteRange(for: at(23, 50, 30), widenedBy: 30) == 1370...1439)
        #expect(W.minuteRange(for: at(12, 0, 0), widenedBy: -5) == 720...720)
    }

    @Test func theSameSeedGivesTheSameAds() {
        let first = CarpoolAdGenerator.ads(count: 500, seed: 9), again = CarpoolAdGenerator.ads(count: 500, seed: 9)
        #expect(first == again)
        #expect(first != CarpoolAdGenerator.ads(count: 500, seed: 10))
        #expect(Set(first.map(\.id)).count == 500)
        #expect(CarpoolAdGenerator.searches(count: 50, seed: 1) == CarpoolAdGenerator.searches(count: 50, seed: 1))
        #expect(CarpoolAdGenerator.ads(count: 0).isEmpty)
    }

    @Test func generatedAdsLookLikeATerritorysAds() {
        let start = LocalDate(iso: "2026-09-07")!
        let ads = CarpoolAdGenerator.ads(count: 5_000, seed: 44, startingOn: start)
        func share(_ rule: (CarpoolAdGenerator.GeneratedAd) -> Bool) -> Double { Double(ads.filter(rule).count) / Double(ads.count) }
        #expect(abs(share { $0.role == "driver" } - 0.7) < 0.03)
        #expect(abs(share { $0.role == "passenger" } - 0.2) < 0.03)
        #expect(abs(share { $0.pattern != nil } - 0.5) < 0.03)
        let nantes = GeoPoint(commune: "Nantes")!, saintNazaire = GeoPoint(commune: "Saint-Nazaire")!
        #expect(share { ad in [ad.trip.origin, ad.trip.destination].contains { min($0.distanceKm(to: nantes), $0.distanceKm(to: saintNazaire)) <= 8 } } > 0.6)
        var communesReached = Set<String>()
        for ad in ads {
            let road = StraightLineEstimator.standard.estimate(from: ad.trip.origin, to: ad.trip.destination).distanceKm
            #expect(CarpoolAdGenerator.tripKm.contains(road))
            let closest = Communes.known.min { GeoPoint(lat: $0.lat, lon: $0.lon)!.distanceKm(to: ad.trip.origin) < GeoPoint(lat: $1.lat, lon: $1.lon)!.distanceKm(to: ad.trip.origin) }!
            communesReached.insert(closest.name)
            #expect((ad.departureDate == nil) == (ad.window == nil) && (ad.pattern == nil) != (ad.window == nil))
            if let date = ad.departureDate { #expect((0..<30).contains(start.days(to: date))) }
            if let pattern = ad.pattern, let from = ad.from, let until = ad.until {
                #expect(from < until && !pattern.days.isEmpty && pattern.days.keys.allSatisfy { (1...6).contains($0) })
                let minute = pattern.days.values.first!.minute
                #expect(CarpoolAdGenerator.morning.contains(minute) || CarpoolAdGenerator.evening.contains(minute))
            }
            let margin = ad.window?.margin ?? ad.pattern!.days.values.first!.margin
            #expect(CarpoolAdGenerator.margins.contains(margin) && (1...4).contains(ad.seats))
        }
        #expect(communesReached.count == Communes.known.count)
    }
}
