/// A ranked ballot: groups of options, best first; options in one group are tied, and options the
/// ballot leaves out share the last place together. `count` lets identical ballots be given once.
public struct RankedBallot: Sendable, Hashable {
    public var ranking: [[Int]]
    public var count: Int64

    public init(ranking: [[Int]], count: Int64 = 1) {
        self.ranking = ranking
        self.count = count
    }
}

/// A square table of counts between options: `self[i, j]` for the row of i and the column of j.
public struct PairwiseMatrix: Sendable, Hashable {
    public let options: Int
    public private(set) var cells: [Int64]

    public init(options: Int, cells: [Int64]) {
        precondition(cells.count == options * options, "a square table")
        self.options = options
        self.cells = cells
    }

    public subscript(i: Int, j: Int) -> Int64 {
        get { cells[i * options + j] }
        set { cells[i * options + j] = newValue }
    }

    /// Rows of the table, as the recount file prints it.
    public var rows: [[Int64]] {
        (0..<options).map { Array(cells[($0 * options)..<(($0 + 1) * options)]) }
    }
}

/// The pairwise preferences of a set of ranked ballots: d[i, j] is the number of voters who
/// rank option i strictly above option j (Schulze 2011, §2.1).
public struct Preferences: Sendable, Hashable {
    public let d: PairwiseMatrix
    /// Ballots counted (the sum of their counts); with colleges, in weighted units.
    public let ballots: Int64

    public init(d: PairwiseMatrix, ballots: Int64) {
        self.d = d
        self.ballots = ballots
    }

    /// Counts ballots in O(ballots × options²), with no allocation per ballot.
    public init(options: Int, ballots: [RankedBallot]) throws(DomainError) {
        guard options > 0 else { throw .noOptions }
        guard options <= Tally.maximumOptions else { throw .tooManyOptions(options) }
        var cells = [Int64](repeating: 0, count: options * options)
        var level = [Int](repeating: 0, count: options)
        var seenIn = [Int](repeating: -1, count: options)
        var total: Int64 = 0
        for (index, ballot) in ballots.enumerated() {
            guard ballot.count >= 0 else { throw .negativeCount(field: "ballots[\(index)].count") }
            let last = ballot.ranking.count
            for option in 0..<options { level[option] = last }
            for (rank, group) in ballot.ranking.enumerated() {
                for option in group {
                    guard option >= 0 && option < options else {
                        throw .optionOutOfRange(option, options: options, ballot: index)
                    }
                    guard seenIn[option] != index else {
                        throw .optionTwiceInBallot("\(option)", ballot: index)
                    }
                    seenIn[option] = index
                    level[option] = rank
                }
            }
            let (sum, overflow) = total.addingReportingOverflow(ballot.count)
            guard !overflow else { throw .countTooLarge(field: "ballots[\(index)].count") }
            total = sum
            guard ballot.count > 0 && last > 0 else { continue }
            let count = ballot.count
            level.withUnsafeBufferPointer { level in
                cells.withUnsafeMutableBufferPointer { d in
                    for i in 0..<options where level[i] < last {
                        let row = i * options, li = level[i]
                        for j in 0..<options where li < level[j] { d[row + j] &+= count }
                    }
                }
            }
        }
        self.d = PairwiseMatrix(options: options, cells: cells)
        self.ballots = total
    }

    /// Preferences of a vote held in colleges: each college's ballots count for its weight.
    /// d is a sum over ballots, so weighting each ballot by weight/college size is exact here.
    public static func combining(_ byCollege: [Preferences],
                                 colleges: VotingColleges) throws(DomainError) -> Preferences {
        guard let first = byCollege.first else { throw .noOptions }
        precondition(byCollege.count == colleges.colleges.count, "one table per college")
        let factors = try colleges.factors(bases: byCollege.map(\.ballots))
        let cells = try VotingColleges.combine(byCollege.map(\.d.cells), factors: factors)
        let total = try VotingColleges.combine(byCollege.map { [$0.ballots] }, factors: factors)[0]
        return Preferences(d: PairwiseMatrix(options: first.d.options, cells: cells), ballots: total)
    }
}
