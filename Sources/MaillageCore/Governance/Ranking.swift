/// The options of a vote from best to worst. Options that tie share a group; inside a group they
/// keep the order in which the vote lists them, so the same ballots always print the same result.
public struct Ranking: Sendable, Hashable {
    /// Indices into the vote's options, best group first.
    public let groups: [[Int]]

    public init(groups: [[Int]]) {
        self.groups = groups
    }

    /// The option(s) in first place; more than one means a tie for first.
    public var winners: [Int] { groups.first ?? [] }

    /// The same ranking with option names, as the recount file prints it.
    public func named(_ options: [String]) -> [[String]] {
        groups.map { $0.map { options[$0] } }
    }

    /// Ranks by a score where higher is better; equal scores share a group.
    public static func byScore<Score: Comparable>(_ scores: [Score]) -> Ranking {
        byOrder(count: scores.count) { scores[$0] == scores[$1] ? 0 : (scores[$0] > scores[$1] ? 1 : -1) }
    }

    /// Ranks with a comparison that answers > 0 when the first option is better, 0 when they tie.
    /// The comparison must be a total preorder (true of every score and of majority values).
    static func byOrder(count: Int, _ compare: (Int, Int) -> Int) -> Ranking {
        let order = (0..<count).sorted { a, b in
            let c = compare(a, b)
            return c != 0 ? c > 0 : a < b
        }
        var groups: [[Int]] = []
        for option in order {
            if let last = groups.last?.last, compare(last, option) == 0 {
                groups[groups.count - 1].append(option)
            } else {
                groups.append([option])
            }
        }
        return Ranking(groups: groups)
    }
}

/// Exact comparisons of products of counts, free of overflow: weighted counts reach 10^17.
enum Exact {
    /// The sign of a·b − c·d, computed on 128 bits.
    static func compareProducts(_ a: Int64, _ b: Int64, _ c: Int64, _ d: Int64) -> Int {
        let left = a.multipliedFullWidth(by: b), right = c.multipliedFullWidth(by: d)
        if left.high != right.high { return left.high < right.high ? -1 : 1 }
        if left.low != right.low { return left.low < right.low ? -1 : 1 }
        return 0
    }

    static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (x, y) = (abs(a), abs(b))
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }
}
