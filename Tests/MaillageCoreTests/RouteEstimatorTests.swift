import Foundation
@testable import MaillageCore
import Testing

@Suite struct RouteEstimatorTests {
    let nantes = GeoPoint(commune: "Nantes")!
    let saintNazaire = GeoPoint(commune: "Saint-Nazaire")!
    let savenay = GeoPoint(commune: "Savenay")!

    /// Nantes → Saint-Nazaire is about 50 km as the crow flies; the default estimate is 65 km of
    /// road (×1.3) and 78 minutes (at 50 km/h). The real road is about 60–65 km.
    @Test func nantesToSaintNazaire() {
        let e = StraightLineEstimator.standard.estimate(from: nantes, to: saintNazaire)
        let straight = nantes.distanceKm(to: saintNazaire)
        #expect(abs(straight - 50) < 1)
        #expect(abs(e.distanceKm - straight * 1.3) < 1e-9)
        #expect(abs(e.distanceKm - 65) < 1.5)
        #expect(abs(e.minutes - e.distanceKm / 50 * 60) < 1e-9)
        #expect(StraightLineEstimator.standard.estimate(from: nantes, to: nantes) == .zero)
    }

    @Test func aTripThroughSeveralPointsIsTheSumOfItsLegs() {
        let estimator = StraightLineEstimator(circuity: 1.2, kmPerHour: 60)
        let legs = estimator.estimate(from: nantes, to: savenay) + estimator.estimate(from: savenay, to: saintNazaire)
        let through = estimator.estimate(through: [nantes, savenay, saintNazaire])
        #expect(abs(through.distanceKm - legs.distanceKm) < 1e-9 && abs(through.minutes - legs.minutes) < 1e-9)
        #expect(through.distanceKm > estimator.estimate(from: nantes, to: saintNazaire).distanceKm)
        #expect(estimator.estimate(through: [nantes]) == .zero)
        #expect(estimator.estimate(through: []) == .zero)
        #expect(abs(through.minutes - through.distanceKm) < 1e-9)   // 60 km/h: a km a minute
    }

    @Test func nonsenseSettingsFallBackToSensibleOnes() {
        #expect(StraightLineEstimator(circuity: 0.5).circuity == 1)
        #expect(StraightLineEstimator(kmPerHour: 0).kmPerHour == 50)
        #expect(StraightLineEstimator(circuity: .nan, kmPerHour: -3) == StraightLineEstimator.standard)
        #expect(StraightLineEstimator.standard.minimumCircuity == 1.3)
    }

    @Test func bearings() {
        let origin = GeoPoint(lat: 47, lon: -1.5)!
        #expect(abs(origin.bearing(to: GeoPoint(lat: 47.5, lon: -1.5)!) - 0) < 1e-9)
        #expect(abs(origin.bearing(to: GeoPoint(lat: 46.5, lon: -1.5)!) - 180) < 1e-9)
        #expect(abs(origin.bearing(to: GeoPoint(lat: 47, lon: -1)!) - 90) < 0.5)
        #expect(abs(origin.bearing(to: GeoPoint(lat: 47, lon: -2)!) - 270) < 0.5)
        #expect(origin.bearing(to: origin) == 0)
        // Nantes → Saint-Nazaire heads west, a little north; the way back east, a little south.
        let out = nantes.bearing(to: saintNazaire), back = saintNazaire.bearing(to: nantes)
        #expect((270...285).contains(out) && (90...105).contains(back))
        // Just west of north is in 0..<360, not negative.
        let nearlyNorth = origin.bearing(to: GeoPoint(lat: 47.5, lon: -1.501)!)
        #expect((359..<360).contains(nearlyNorth))
    }

    @Test func bearingDifferencesWrapAroundNorth() {
        #expect(GeoPoint.bearingDifference(350, 5) == 15)
        #expect(GeoPoint.bearingDifference(5, 350) == 15)
        #expect(GeoPoint.bearingDifference(0, 180) == 180)
        #expect(GeoPoint.bearingDifference(90, 90) == 0)
        #expect(GeoPoint.bearingDifference(10, 730) == 0)
        #expect(GeoPoint.normalisedBearing(-90) == 270 && GeoPoint.normalisedBearing(360) == 0)
    }

    @Test func movingAlongABearingCoversThatDistance() {
        var random = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let start = GeoPoint(lat: .random(in: 43...50, using: &random), lon: .random(in: -4...7, using: &random))!
            let km = Double.random(in: 0.01...100, using: &random), bearing = Double.random(in: 0..<360, using: &random)
            let end = start.moved(km: km, bearing: bearing)
            #expect(abs(start.distanceKm(to: end) - km) < 1e-6)
            #expect(GeoPoint.bearingDifference(start.bearing(to: end), bearing) < 1e-6)
        }
    }

    /// The grown rectangle holds every point within that distance of any point of the original,
    /// which is what makes the SQL rectangle test a superset.
    @Test func aGrownBoxHoldsEveryPointWithinTheMargin() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<2_000 {
            let a = GeoPoint(lat: .random(in: 42...51, using: &random), lon: .random(in: -5...8, using: &random))!
            let b = a.moved(km: .random(in: 0...100, using: &random), bearing: .random(in: 0..<360, using: &random))
            let box = GeoBoundingBox(enclosing: [a, b]), km = Double.random(in: 0...40, using: &random)
            let inside = GeoPoint(lat: .random(in: box.minLat...box.maxLat, using: &random),
                                  lon: .random(in: box.minLon...box.maxLon, using: &random))!
            let near = inside.moved(km: km * .random(in: 0...1, using: &random), bearing: .random(in: 0..<360, using: &random))
            #expect(box.grown(byKm: km).contains(near))
        }
        let box = GeoBoundingBox(minLat: 47, maxLat: 47.5, minLon: -2, maxLon: -1)
        #expect(box.grown(byKm: 0) == box)
        #expect(box.intersects(GeoBoundingBox(minLat: 47.5, maxLat: 48, minLon: -1, maxLon: 0)))   // a corner touches
        #expect(!box.intersects(GeoBoundingBox(minLat: 47.6, maxLat: 48, minLon: -2, maxLon: -1)))
        // Near a pole every longitude is in reach.
        let polar = GeoBoundingBox(minLat: 89.5, maxLat: 89.6, minLon: 0, maxLon: 1).grown(byKm: 60)
        #expect(polar.minLon == -180 && polar.maxLon == 180 && polar.maxLat == 90)
    }
}
