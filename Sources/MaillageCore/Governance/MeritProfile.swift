/// How many times each option received each grade — Balinski and Laraki's "merit profile".
/// Majority judgment needs nothing else: counting grades is linear, and no ballot is ever sorted.
public struct MeritProfile: Sendable, Hashable {
    /// Number of grades of the scale; grade 0 is the worst (« À rejeter »).
    public let grades: Int
    /// `tallies[option][grade]`: how many judges gave that grade to that option.
    public let tallies: [[Int64]]

    public var options: Int { tallies.count }

    /// How many judgments each option received (the same for every option).
    public var judges: Int64 { tallies.first?.reduce(0, +) ?? 0 }

    /// Builds the profile from counts already made.
    /// An option judged by fewer people than another gets its missing judgments as grade 0
    /// (« À rejeter »): staying silent on an option must not lift it, and majority values are
    /// only comparable between options judged the same number of times.
    public init(grades: Int, tallies: [[Int64]]) throws(DomainError) {
        try GradeScale.validate(grades: grades)
        guard !tallies.isEmpty else { throw .noOptions }
        for (option, tally) in tallies.enumerated() {
            guard tally.count == grades else {
                throw .tallyLength(option: option, found: tally.count, expected: grades)
            }
            if let grade = tally.firstIndex(where: { $0 < 0 }) {
                throw .negativeCount(field: "tallies[\(option)][\(grade)]")
            }
            // The median walk doubles counts: keep every total far from overflow.
            var total: Int64 = 0
            for count in tally {
                let (sum, overflow) = total.addingReportingOverflow(count)
                guard !overflow, sum <= Int64.max / 4 else { throw .countTooLarge(field: "tallies[\(option)]") }
                total = sum
            }
        }
        let most = tallies.map { $0.reduce(0, +) }.max() ?? 0
        self.grades = grades
        self.tallies = tallies.map { tally in
            var padded = tally
            padded[0] += most - tally.reduce(0, +)
            return padded
        }
    }

    /// Counts ballots that give one grade per option, in the order of the options.
    public init(grades: Int, options: Int, ballots: [[Int]]) throws(DomainError) {
        try GradeScale.validate(grades: grades)
        guard options > 0 else { throw .noOptions }
        guard options <= Tally.maximumOptions else { throw .tooManyOptions(options) }
        var flat = [Int64](repeating: 0, count: options * grades)
        for (index, ballot) in ballots.enumerated() {
            guard ballot.count == options else {
                throw .ballotLength(ballot: index, found: ballot.count, expected: options)
            }
            for (option, grade) in ballot.enumerated() {
                guard grade >= 0 && grade < grades else {
                    throw .gradeOutOfRange(grade, grades: grades, ballot: index)
                }
                flat[option * grades + grade] += 1
            }
        }
        self.grades = grades
        self.tallies = (0..<options).map { Array(flat[($0 * grades)..<(($0 + 1) * grades)]) }
    }

    /// One profile for a vote held in colleges: each college's judgments count for its weight
    /// (see `VotingColleges.factors`). This is majority judgment on the weighted electorate, as if
    /// every ballot of a college were copied factor(c) times — medians of the mixed distribution.
    public static func combining(_ byCollege: [MeritProfile],
                                 colleges: VotingColleges) throws(DomainError) -> MeritProfile {
        guard let first = byCollege.first else { throw .noOptions }
        precondition(byCollege.count == colleges.colleges.count, "one profile per college")
        precondition(byCollege.allSatisfy { $0.grades == first.grades && $0.options == first.options },
                     "colleges grade the same options on the same scale")
        let factors = try colleges.factors(bases: byCollege.map(\.judges))
        let flat = try VotingColleges.combine(byCollege.map { $0.tallies.flatMap { $0 } }, factors: factors)
        let g = first.grades
        return try MeritProfile(grades: g, tallies: (0..<first.options).map { Array(flat[($0 * g)..<(($0 + 1) * g)]) })
    }
}
