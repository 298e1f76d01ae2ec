import Foundation
import MaillageCore
import MaillageTestFixtures
import Testing

/// Tallies from the list of grades an option received.
func tally(_ grades: [Int], scale: Int) -> [Int64] {
    var counts = [Int64](repeating: 0, count: scale)
    for grade in grades { counts[grade] += 1 }
    return counts
}

/// Runs a file given as a JSON string and returns the decoded report.
func recount<Report: Decodable>(_ method: TallyMethod, _ json: String, as type: Report.Type) throws -> Report {
    try JSONDecoder().decode(type, from: try Tally.run(method: method, json: Data(json.utf8)))
}

/// The code of the domain error a recount throws, if any.
func errorCode(_ method: TallyMethod, _ json: String) -> String? {
    do {
        _ = try Tally.run(method: method, json: Data(json.utf8))
        return nil
    } catch {
        return error.code
    }
}

@Suite struct GovernanceFixtureTests {
    /// Every case of tally-vectors.json: the case minus its name and expected ranking is a ballot file.
    @Test func everySharedVectorGivesItsExpectedRanking() throws {
        let root = try #require(try JSONSerialization.jsonObject(with: Fixtures.data("governance/tally-vectors.json")) as? [String: Any])
        var checked = 0
        for (section, cases) in root.sorted(by: { $0.key < $1.key }) {
            let method = try #require(TallyMethod(rawValue: section.replacingOccurrences(of: "_", with: "-")), "unknown section \(section)")
            for case var vector as [String: Any] in try #require(cases as? [Any]) {
                let name = vector.removeValue(forKey: "name") as? String ?? "?"
                let expected = try #require(vector.removeValue(forKey: "expected_ranking") as? [[String]], "\(name)")
                let output = try Tally.run(method: method, json: JSONSerialization.data(withJSONObject: vector))
                let report = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
                #expect(report["method"] as? String == method.rawValue, "\(name)")
                #expect(report["ranking"] as? [[String]] == expected, "\(section): \(name)")
                checked += 1
            }
        }
        #expect(checked >= 2)
    }
}
