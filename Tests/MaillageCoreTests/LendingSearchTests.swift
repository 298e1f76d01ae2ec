import Foundation
@testable import MaillageCore
import Testing

@Suite struct LendingSearchTests {
    typealias T = LendingTest
    let nantes = GeoPoint(commune: "Nantes")!
    let paris = GeoPoint(lat: 48.8566, lon: 2.3522)!   // Hôtel de Ville

    // MARK: distance

    /// Published great-circle distances between the town halls, within 1 %.
    @Test func knownDistances() {
        #expect(abs(nantes.distanceKm(to: paris) - 343) < 3)
        #expect(abs(nantes.distanceKm(to: GeoPoint(commune: "Rezé")!) - 3.9) < 0.1)
        #expect(abs(nantes.distanceKm(to: GeoPoint(commune: "saint-nazaire")!) - 50) < 1)
        #expect(nantes.distanceKm(to: nantes) == 0)
        #expect(abs(nantes.distanceKm(to: paris) - paris.distanceKm(to: nantes)) < 1e-9)
        // A quarter of the equator: π/2 · R.
        let q = GeoPoint(lat: 0, lon: 0)!.distanceKm(to: GeoPoint(lat: 0, lon: 90)!)
        #expect(abs(q - .pi / 2 * GeoPoint.earthRadiusKm) < 1e-6)
        // Antipodes do not produce NaN.
        #expect(GeoPoint(lat: 0, lon: 0)!.distanceKm(to: GeoPoint(lat: 0, lon: 180)!).isFinite)
    }

    @Test func coordinatesAreChecked() {
        #expect(GeoPoint(lat: 91, lon: 0) == nil)
        #expect(GeoPoint(lat: 0, lon: -180.5) == nil)
        #expect(GeoPoint(lat: .nan, lon: 0) == nil)
        #expect(GeoPoint(commune: "Atlantis") == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(GeoPoint.self, from: Data(#"{"lat":100,"lon":0}"#.utf8)) }
    }

    @Test func theBoundingBoxHoldsTheWholeCircle() {
        let box = GeoBoundingBox(around: nantes, radiusKm: 10)
        #expect(box.minLat < nantes.lat && nantes.lat < box.maxLat && box.minLon < nantes.lon && nantes.lon < box.maxLon)
        // 10 km of latitude is about 0.09°; of longitude at 47° N about 0.13°.
        #expect(abs((box.maxLat - box.minLat) / 2 - 0.0899) < 0.001)
        #expect(abs((box.maxLon - box.minLon) / 2 - 0.1325) < 0.002)
        #expect(box.contains(GeoPoint(commune: "Rezé")!))
        #expect(!box.contains(GeoPoint(commune: "Clisson")!))
    }

    /// Every point of a ring just inside the radius is in the box; the box is a superset.
    @Test(arguments: [0.5, 5.0, 50.0, 200.0])
    func noPointWithinTheRadiusFallsOutsideTheBox(radius: Double) {
        for centre in [nantes, GeoPoint(lat: 70, lon: 20)!, GeoPoint(lat: -33.9, lon: 151.2)!] {
            let box = GeoBoundingBox(around: centre, radiusKm: radius)
            for step in 0..<360 {
                let bearing = Double(step) * .pi / 180
                let δ = radius * 0.999 / GeoPoint.earthRadiusKm
                let φ1 = centre.lat * .pi / 180, λ1 = centre.lon * .pi / 180
                let φ2 = asin(sin(φ1) * cos(δ) + cos(φ1) * sin(δ) * cos(bearing))
                let λ2 = λ1 + atan2(sin(bearing) * sin(δ) * cos(φ1), cos(δ) - sin(φ1) * sin(φ2))
                let point = GeoPoint(lat: φ2 * 180 / .pi, lon: λ2 * 180 / .pi)!
                #expect(point.distanceKm(to: centre) <= radius)
                #expect(box.contains(point), "\(point) outside box around \(centre) r=\(radius)")
            }
        }
    }

    @Test func boxesNearAPoleOrTheAntimeridianSpanEveryLongitude() {
        let pole = GeoBoundingBox(around: GeoPoint(lat: 89.95, lon: 10)!, radiusKm: 20)
        #expect(pole.minLon == -180 && pole.maxLon == 180 && pole.maxLat == 90)
        let fiji = GeoBoundingBox(around: GeoPoint(lat: -17, lon: 179.95)!, radiusKm: 20)
        #expect(fiji.minLon == -180 && fiji.maxLon == 180)
    }

    // MARK: text

    @Test func foldingRemovesCaseAccentsAndLigatures() {
        #expect(SearchText.fold("Perceuse À Percussion") == "perceuse a percussion")
        #expect(SearchText.fold("ŒUVRE Été") == "oeuvre ete")
        #expect(SearchText.tokens("L'échelle télescopique, 3,8 m !") == ["echelle", "telescopique", "3", "8", "m"])
        #expect(SearchText.tokens("Perceuses et visseuses") == ["perceuse", "visseuse"])
        #expect(SearchText.tokens("Jeux de société") == ["jeu", "societe"])
        #expect(SearchText.tokens("vis bus") == ["vis", "bus"])   // three letters: kept whole
    }

    @Test func perceuseFindsPerceuseAPercussion() throws {
        let indexed = SearchText.indexed(["Perceuse à percussion", "Bosch 700 W"])
        #expect(indexed == " perceuse percussion bosch 700 w ")
        for query in ["perceuse", "PERCEUSE", "perceuses", "Perc", "percussion perceuse", "perceuse à percussion"] {
            #expect(SearchText.matches(tokens: try SearchQuery(text: query).tokens, indexed: indexed), "\(query)")
        }
        for query in ["ceuse", "perceuse scie", "drill"] {
            #expect(!SearchText.matches(tokens: try SearchQuery(text: query).tokens, indexed: indexed), "\(query)")
        }
    }

    @Test func categoryKeywordsMakeItemsFindableInBothLanguages() {
        let item = LendingItem(owner: T.uuid(1), title: "Visseuse sans fil", category: .tools, description: "",
                               condition: .good, depositCents: 0, maximumLoanDays: 7, pickup: .ownerHome)
        #expect(SearchText.matches(tokens: SearchText.tokens("drill"), indexed: item.searchText))
        #expect(SearchText.matches(tokens: SearchText.tokens("outillage"), indexed: item.searchText))
    }

    @Test func likePatternsEscapeWildcards() throws {
        #expect(try SearchQuery(text: "Perceuse à percussion").likePatterns == ["% perceuse%", "% percussion%"])
        #expect(SearchQuery.escapeLike(#"50%_\x"#) == #"50\%\_\\x"#)
        #expect(try SearchQuery(text: "% _").tokens.isEmpty)
    }

    @Test func queriesAreBounded() throws {
        #expect(T.code { _ = try SearchQuery(text: String(repeating: "a", count: 201)) } == "search_too_long")
        #expect(T.code { _ = try SearchQuery(radiusKm: 0) } == "invalid_radius")
        #expect(T.code { _ = try SearchQuery(radiusKm: .infinity) } == "invalid_radius")
        #expect(T.code { _ = try SearchQuery(radiusKm: 201) } == "invalid_radius")
        #expect(try SearchQuery(text: String(repeating: "mot ", count: 30)).tokens.count == 10)
    }

    @Test func rankingFiltersByWordsCategoryAndDistanceNearestFirst() throws {
        func candidate(_ n: UInt64, _ title: String, _ category: ItemCategory, _ commune: String?) -> SearchQuery.Candidate {
            SearchQuery.Candidate(id: T.uuid(n), searchText: SearchText.indexed([title]), category: category,
                                  position: commune.flatMap { GeoPoint(commune: $0) })
        }
        let candidates = [
            candidate(1, "Perceuse à percussion", .tools, "Vertou"),
            candidate(2, "Perceuse sans fil", .tools, "Rezé"),
            candidate(3, "Perceuse colonne", .tools, "Saint-Nazaire"),      // 50 km away
            candidate(4, "Perceuse jouet", .children, "Nantes"),            // other category
            candidate(5, "Scie sauteuse", .tools, "Nantes"),                // other words
            candidate(6, "Perceuse de Claude", .tools, nil),                // no position
        ]
        let query = try SearchQuery(text: "perceuse", category: .tools, centre: nantes, radiusKm: 10)
        let hits = query.rank(candidates)
        #expect(hits.map(\.id) == [T.uuid(2), T.uuid(1)])
        #expect(hits.allSatisfy { ($0.distanceKm ?? 99) <= 10 })
        // Every hit is inside the SQL prefilter box: the box never loses a result.
        let box = try #require(query.boundingBox)
        #expect(candidates.filter { query.matches($0) }.allSatisfy { box.contains($0.position!) })
        // Without a centre, position is not asked for.
        #expect(try SearchQuery(text: "perceuse", category: .tools).rank(candidates).count == 4)
        #expect(try SearchQuery(text: "perceuse").rank(candidates, limit: 2).count == 2)
    }
}
