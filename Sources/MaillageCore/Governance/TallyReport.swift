/// What `maillage tally` prints: `{"method", "ranking": [[best…], [next…], …], …details}`.
/// Options that tie share a group. Keys are snake_case and printed sorted, so a recount of the
/// same file is byte-for-byte the same everywhere.
public enum TallyReport {
    /// How a college's ballots were weighted: each counted `factor` times (see `VotingColleges`).
    public struct College: Codable, Sendable, Hashable {
        public let name: String
        public let weight: Int
        public let ballots: Int64
        public let factor: Int64
    }

    /// Present when the file gives the electorate.
    public struct Turnout: Codable, Sendable, Hashable {
        public let electorate: Int64
        public let participants: Int64
        public let quorum: String
        public let quorumReached: Bool

        enum CodingKeys: String, CodingKey {
            case electorate, participants, quorum
            case quorumReached = "quorum_reached"
        }
    }

    public struct MajorityJudgment: Codable, Sendable, Hashable {
        public struct Option: Codable, Sendable, Hashable {
            public let name: String
            public let tally: [Int64]
            public let majorityGrade: Int?
            public let majorityGradeLabel: Localized?
            public let above: Int64, below: Int64

            enum CodingKeys: String, CodingKey {
                case name, tally, above, below
                case majorityGrade = "majority_grade", majorityGradeLabel = "majority_grade_label"
            }
        }
        public var method = TallyMethod.majorityJudgment.rawValue
        public let ranking: [[String]]
        public let grades: Int
        public let judges: Int64
        public let options: [Option]
        public let colleges: [College]?
        public let turnout: Turnout?
    }

    public struct Schulze: Codable, Sendable, Hashable {
        public var method = TallyMethod.schulze.rawValue
        public let ranking: [[String]]
        public let options: [String]
        public let ballots: Int64
        /// d[i][j]: ballots ranking option i above option j (weighted with colleges).
        public let preferences: [[Int64]]
        /// p[i][j]: strength of the strongest path from i to j.
        public let strongestPaths: [[Int64]]
        public let condorcetWinner: String?
        public let colleges: [College]?
        public let turnout: Turnout?

        enum CodingKeys: String, CodingKey {
            case method, ranking, options, ballots, preferences, colleges, turnout
            case strongestPaths = "strongest_paths", condorcetWinner = "condorcet_winner"
        }
    }

    /// Approval and single choice.
    public struct Votes: Codable, Sendable, Hashable {
        public struct Option: Codable, Sendable, Hashable {
            public let name: String
            public let votes: Int64
        }
        public let method: String
        public let ranking: [[String]]
        public let options: [Option]
        public let ballots: Int64
        public let expressed: Int64
        /// Single choice: whether the leading option alone holds the required majority.
        public let majority: RequiredMajority?
        public let majorityReached: Bool?
        public let colleges: [College]?
        public let turnout: Turnout?

        enum CodingKeys: String, CodingKey {
            case method, ranking, options, ballots, expressed, majority, colleges, turnout
            case majorityReached = "majority_reached"
        }
    }

    public struct Consent: Codable, Sendable, Hashable {
        public var method = TallyMethod.consent.rawValue
        /// The positions, most held first.
        public let ranking: [[String]]
        public let outcome: MaillageCore.Consent.Outcome
        public let majority: RequiredMajority
        public let ballots: Int64
        public let counts: [String: Int64]
        /// The reason of every block, in ballot order.
        public let blocks: [String]
        public let colleges: [College]?
        public let turnout: Turnout?
    }

    public struct MeetingTime: Codable, Sendable, Hashable {
        public struct Slot: Codable, Sendable, Hashable {
            public let name: String
            public let yes: Int64, maybe: Int64, no: Int64
        }
        public var method = TallyMethod.meetingTime.rawValue
        public let ranking: [[String]]
        public let options: [Slot]
        public let ballots: Int64
        public let colleges: [College]?
        public let turnout: Turnout?
    }
}
