/// The Schulze method (M. Schulze, "A new monotonic, clone-independent, reversal symmetric, and
/// Condorcet-consistent single-winner election method", Social Choice and Welfare 36, 2011).
/// The strength of a link i → j is d[i, j] when d[i, j] > d[j, i] ("winning votes"), else none;
/// p[i, j] is the strength of the strongest path, found as a widest path (Floyd–Warshall).
/// i beats j when p[i, j] > p[j, i]; Schulze proves this relation transitive (§4.1).
public enum Schulze {
    public struct Result: Sendable, Hashable {
        public let ranking: Ranking
        public let preferences: Preferences
        /// p[i, j]: the strength of the strongest path from i to j.
        public let strongestPaths: PairwiseMatrix
    }

    /// Counts ranked ballots and ranks.
    public static func rank(options: Int, ballots: [RankedBallot]) throws(DomainError) -> Result {
        rank(try Preferences(options: options, ballots: ballots))
    }

    /// Ranks in layers: first the options no option beats, then those beaten only by the first
    /// layer, and so on. Options within a layer tie (none beats another); with strict ballots and
    /// no equal strengths the layers hold one option each — Schulze's linear order.
    public static func rank(_ preferences: Preferences) -> Result {
        let p = strongestPaths(preferences.d)
        let n = p.options
        var remaining = Array(0..<n)
        var groups: [[Int]] = []
        while !remaining.isEmpty {
            let unbeaten = remaining.filter { j in !remaining.contains { i in p[i, j] > p[j, i] } }
            // A transitive relation always leaves someone unbeaten; the guard only ends the loop.
            let layer = unbeaten.isEmpty ? remaining : unbeaten
            groups.append(layer)
            remaining.removeAll { layer.contains($0) }
        }
        return Result(ranking: Ranking(groups: groups), preferences: preferences, strongestPaths: p)
    }

    /// The widest paths between every pair of options, O(options³).
    public static func strongestPaths(_ d: PairwiseMatrix) -> PairwiseMatrix {
        let n = d.options
        var p = PairwiseMatrix(options: n, cells: [Int64](repeating: 0, count: n * n))
        for i in 0..<n {
            for j in 0..<n where i != j && d[i, j] > d[j, i] { p[i, j] = d[i, j] }
        }
        for k in 0..<n {
            for i in 0..<n where i != k {
                let ik = p[i, k]
                guard ik > 0 else { continue }
                for j in 0..<n where j != i && j != k {
                    p[i, j] = max(p[i, j], min(ik, p[k, j]))
                }
            }
        }
        return p
    }

    /// The option that beats every other one head to head, if there is one.
    public static func condorcetWinner(_ d: PairwiseMatrix) -> Int? {
        (0..<d.options).first { i in
            (0..<d.options).allSatisfy { j in i == j || d[i, j] > d[j, i] }
        }
    }
}
