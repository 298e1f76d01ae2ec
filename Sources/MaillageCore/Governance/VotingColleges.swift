/// One college of a SCIC's general assembly and its share of the votes, in percent.
public struct VotingCollege: Sendable, Hashable, Codable {
    public let name: String
    public let weight: Int

    public init(name: String, weight: Int) {
        self.name = name
        self.weight = weight
    }
}

/// The voting colleges of a SCIC. Results are computed in each college, then combined by weight.
///
/// Loi 47-1775, art. 19 octies: the statutes may group members in colleges, each holding a share
/// of the votes that is neither above 50 % nor below 10 % of the total. Without colleges the
/// law's default holds: one member = one vote (art. 9), and no combination is needed.
public struct VotingColleges: Sendable, Hashable {
    public let colleges: [VotingCollege]

    public static let minimumWeight = 10
    public static let maximumWeight = 50

    public init(_ colleges: [VotingCollege]) throws(DomainError) {
        var seen = Set<String>()
        for (index, college) in colleges.enumerated() {
            guard (Self.minimumWeight...Self.maximumWeight).contains(college.weight) else {
                throw DomainError(
                    .invalid, code: "college_weight_out_of_bounds", field: "colleges[\(index)].weight",
                    fr: "Le collège « \(college.name) » pèse \(college.weight) % : chaque collège doit peser entre 10 % et 50 % des voix.",
                    en: "The college “\(college.name)” weighs \(college.weight) %: each college must weigh between 10 % and 50 % of the votes.")
            }
            guard seen.insert(college.name).inserted else {
                throw DomainError(
                    .invalid, code: "duplicate_college", field: "colleges[\(index)].name",
                    fr: "Le collège « \(college.name) » apparaît deux fois.",
                    en: "The college “\(college.name)” appears twice.")
            }
        }
        let total = colleges.reduce(0) { $0 + $1.weight }
        guard total == 100 else {
            throw DomainError(
                .invalid, code: "college_weights_sum", field: "colleges",
                fr: "Les poids des collèges totalisent \(total) % au lieu de 100 %.",
                en: "The college weights add up to \(total) % instead of 100 %.")
        }
        self.colleges = colleges
    }

    public var weights: [Int] { colleges.map(\.weight) }

    /// How many times each ballot of each college counts, so that a college's ballots together
    /// count for its weight: factor(c) = weight(c) × D / base(c), with D the least common multiple
    /// of the bases reduced by their weights, then divided by their common divisor — whole
    /// numbers, so every comparison stays exact.
    /// `bases` is, per college, what its shares are taken of (its ballots, or its expressed votes).
    /// A college with no base gets factor 0: its weight goes to the others in proportion, since a
    /// ranking depends only on the ratios of the weighted counts.
    public func factors(bases: [Int64]) throws(DomainError) -> [Int64] {
        precondition(bases.count == colleges.count, "one base per college")
        var denominator: Int64 = 1
        for (base, weight) in zip(bases, weights) where base > 0 {
            let needed = base / Exact.gcd(base, Int64(weight))
            let step = needed / Exact.gcd(denominator, needed)
            let (product, overflow) = denominator.multipliedReportingOverflow(by: step)
            guard !overflow else { throw .notExact }
            denominator = product
        }
        // Headroom: a weighted total is 100 × D, and counts such as abstentions may exceed a base.
        guard denominator <= Int64.max / 100 / 64 else { throw .notExact }
        let factors = zip(bases, weights).map { base, weight -> Int64 in
            guard base > 0 else { return 0 }
            let g = Exact.gcd(base, Int64(weight))
            return Int64(weight) / g * (denominator / (base / g))
        }
        // The smallest whole factors in the same ratios, so printed counts stay readable.
        let common = factors.reduce(0, Exact.gcd)
        return common > 1 ? factors.map { $0 / common } : factors
    }

    /// Sums, entry by entry, each college's counts times its factor; checked, never wrapping.
    static func combine(_ counts: [[Int64]], factors: [Int64]) throws(DomainError) -> [Int64] {
        guard let width = counts.first?.count else { return [] }
        var sum = [Int64](repeating: 0, count: width)
        for (part, factor) in zip(counts, factors) {
            precondition(part.count == width, "colleges count the same things")
            for k in 0..<width {
                let (scaled, o1) = part[k].multipliedReportingOverflow(by: factor)
                let (added, o2) = sum[k].addingReportingOverflow(scaled)
                guard !o1, !o2 else { throw .notExact }
                sum[k] = added
            }
        }
        return sum
    }
}
