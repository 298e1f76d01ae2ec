/// A small, fast, seedable generator (Steele, Lea & Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014), so random ballots are the same on every machine and every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Times majority judgment and Schulze on random ballots — counting included, ballot generation
/// excluded — for `maillage` to print. Not a test: a figure to read next to the machine's others.
public enum TallyBenchmark {
    public struct Figures: Sendable, Hashable, CustomStringConvertible {
        public let ballots: Int, options: Int
        public let majorityJudgmentSeconds: Double
        public let schulzeSeconds: Double
        /// The winners, so the work cannot be optimised away and runs can be compared.
        public let majorityJudgmentWinners: [Int], schulzeWinners: [Int]

        public var description: String {
            func ms(_ s: Double) -> String { "\((s * 10_000).rounded() / 10) ms" }
            return "\(ballots) ballots × \(options) options: majority judgment \(ms(majorityJudgmentSeconds)), Schulze \(ms(schulzeSeconds))"
        }
    }

    public static func run(ballots: Int = 100_000, options: Int = 10, seed: UInt64 = 47_1775) -> Figures {
        precondition(ballots >= 0 && options >= 1)
        var random = SplitMix64(seed: seed)
        let grades = GradeScale.standard.count
        // Each option gets a leaning, so results are not a flat tie.
        let leaning = (0..<options).map { _ in Int.random(in: 0..<grades, using: &random) }
        let graded: [[Int]] = (0..<ballots).map { _ in
            leaning.map { lean in min(grades - 1, max(0, lean + Int.random(in: -3...3, using: &random))) }
        }
        let ranked: [RankedBallot] = (0..<ballots).map { _ in
            let appeal = leaning.map { $0 + Int.random(in: 0...4, using: &random) }
            let order = (0..<options).sorted { appeal[$0] != appeal[$1] ? appeal[$0] > appeal[$1] : $0 < $1 }
            let ranked = Int.random(in: 1...options, using: &random)   // the rest share last place
            var groups: [[Int]] = []
            for option in order.prefix(ranked) {
                if groups.isEmpty || Int.random(in: 0..<4, using: &random) > 0 { groups.append([option]) }
                else { groups[groups.count - 1].append(option) }
            }
            return RankedBallot(ranking: groups)
        }

        let clock = ContinuousClock()
        var mjWinners: [Int] = []
        let mj = clock.measure {
            mjWinners = (try? MajorityJudgment.rank(grades: grades, options: options, ballots: graded))?.ranking.winners ?? []
        }
        var schulzeWinners: [Int] = []
        let schulze = clock.measure {
            schulzeWinners = (try? Schulze.rank(options: options, ballots: ranked))?.ranking.winners ?? []
        }
        return Figures(ballots: ballots, options: options,
                       majorityJudgmentSeconds: seconds(mj), schulzeSeconds: seconds(schulze),
                       majorityJudgmentWinners: mjWinners, schulzeWinners: schulzeWinners)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (s, attoseconds) = duration.components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
