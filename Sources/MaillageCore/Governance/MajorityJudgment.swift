/// Majority judgment (Balinski & Laraki, "A theory of measuring, electing, and ranking",
/// PNAS 104(21), 2007): every judge grades every option; an option's majority grade is its lower
/// median; ties are broken by the Balinski–Laraki rule — remove one median grade from each tied
/// option and compare again — which amounts to comparing majority values lexicographically.
/// Options still equal once every grade has been removed have identical profiles: they tie.
public enum MajorityJudgment {
    public struct Result: Sendable, Hashable {
        public let ranking: Ranking
        public let profile: MeritProfile
        /// Per option: the lower median grade, nil when nobody judged.
        public let majorityGrades: [Int?]

        /// The "majority gauge" of an option: how many judgments lie strictly above and strictly
        /// below its majority grade — what a results page shows beside the grade.
        public func gauge(_ option: Int) -> (above: Int64, below: Int64) {
            guard let grade = majorityGrades[option] else { return (0, 0) }
            let tally = profile.tallies[option]
            return (tally[(grade + 1)...].reduce(0, +), tally[..<grade].reduce(0, +))
        }
    }

    /// Ranks the options of a merit profile.
    public static func rank(_ profile: MeritProfile) -> Result {
        let tallies = profile.tallies
        let ranking = Ranking.byOrder(count: tallies.count) { compare(tallies[$0], tallies[$1]) }
        return Result(ranking: ranking, profile: profile, majorityGrades: tallies.map(majorityGrade))
    }

    /// Counts ballots (one grade per option) and ranks.
    public static func rank(grades: Int, options: Int, ballots: [[Int]]) throws(DomainError) -> Result {
        rank(try MeritProfile(grades: grades, options: options, ballots: ballots))
    }

    /// The lower median: with an even number of judges, the lower of the two middle grades, so a
    /// grade is "majority" only when a majority gives it or better (Balinski & Laraki 2011, ch. 13).
    public static func majorityGrade(_ tally: [Int64]) -> Int? {
        let n = tally.reduce(0, +)
        guard n > 0 else { return nil }
        let half = (n + 1) / 2
        var below: Int64 = 0
        for (grade, count) in tally.enumerated() {
            below += count
            if below >= half { return grade }
        }
        return nil
    }

    /// > 0 when the first tally is better, 0 when equal, < 0 when worse. Both tallies must count
    /// the same number of judges (a `MeritProfile` ensures it).
    public static func compare(_ x: [Int64], _ y: [Int64]) -> Int {
        MajorityValueWalk.compare(x, y)
    }

    /// The whole majority value, judge by judge: for explanations and tests, not for ranking.
    public static func majorityValue(_ tally: [Int64]) -> [Int] {
        var left = tally
        var value: [Int] = []
        while let grade = majorityGrade(left) {
            value.append(grade)
            left[grade] -= 1
        }
        return value
    }
}
