import Foundation

/// The counting methods a vote can use, spelled as `maillage tally --method` spells them.
public enum TallyMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case majorityJudgment = "majority-judgment"
    case schulze
    case approval
    case singleChoice = "single-choice"
    case consent
    case meetingTime = "meeting-time"
}

/// The ballots of one electorate — the whole vote, or one college — in a method's own shape.
public protocol BallotSection: Codable, Sendable, Hashable {}

/// Majority judgment: one grade per option (0 = worst), or counts per grade already made.
public struct MajorityJudgmentBallots: BallotSection {
    public var ballots: [[Int]]?
    public var tallies: [[Int64]]?
    public init(ballots: [[Int]]? = nil, tallies: [[Int64]]? = nil) { (self.ballots, self.tallies) = (ballots, tallies) }
}

/// Schulze: each ballot ranks groups of option names, best first; `count` defaults to 1.
public struct SchulzeBallots: BallotSection {
    public struct Ballot: Codable, Sendable, Hashable {
        public var ranking: [[String]]
        public var count: Int64?
        public init(ranking: [[String]], count: Int64? = nil) { (self.ranking, self.count) = (ranking, count) }
    }
    public var ballots: [Ballot]
    public init(ballots: [Ballot]) { self.ballots = ballots }
}

/// Approval: the names each ballot approves.
public struct ApprovalBallots: BallotSection {
    public var ballots: [[String]]
    public init(ballots: [[String]]) { self.ballots = ballots }
}

/// Single choice: one name per ballot; `null` is a blank ballot.
public struct SingleChoiceBallots: BallotSection {
    public var ballots: [String?]
    public init(ballots: [String?]) { self.ballots = ballots }
}

/// Consent: a position per ballot, with a reason.
public struct ConsentBallots: BallotSection {
    public var ballots: [ConsentBallot]
    public init(ballots: [ConsentBallot]) { self.ballots = ballots }
}

/// Meeting time: yes / maybe / no for each slot, in the order of the options.
public struct MeetingTimeBallots: BallotSection {
    public var ballots: [[Availability]]
    public init(ballots: [[Availability]]) { self.ballots = ballots }
}

/// One college of a vote held in colleges: its name, weight and ballots.
public struct CollegeBallots<Votes: BallotSection>: Codable, Sendable, Hashable {
    public var name: String
    public var weight: Int
    public var votes: Votes

    public init(name: String, weight: Int, votes: Votes) { (self.name, self.weight, self.votes) = (name, weight, votes) }

    private enum Keys: String, CodingKey { case name, weight }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        name = try c.decode(String.self, forKey: .name)
        weight = try c.decode(Int.self, forKey: .weight)
        votes = try Votes(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(name, forKey: .name)
        try c.encode(weight, forKey: .weight)
        try votes.encode(to: encoder)
    }
}

/// The ballot file of a closed vote: what the platform exports and `maillage tally` recounts.
/// `{"options": [...], "ballots": ...}`, or `"colleges": [{"name", "weight", "ballots"}]` instead of
/// the ballots; optional `"grades"` (majority judgment), `"electorate"`, `"quorum"` ("1/4") and
/// `"majority"` ("simple" | "two-thirds").
public struct TallyFile<Votes: BallotSection>: Codable, Sendable, Hashable {
    public var options: [String]
    public var grades: Int?
    public var votes: Votes?
    public var colleges: [CollegeBallots<Votes>]?
    public var electorate: Int64?
    public var quorum: String?
    public var majority: RequiredMajority?

    public init(options: [String], grades: Int? = nil, votes: Votes? = nil, colleges: [CollegeBallots<Votes>]? = nil,
                electorate: Int64? = nil, quorum: String? = nil, majority: RequiredMajority? = nil) {
        (self.options, self.grades, self.votes, self.colleges) = (options, grades, votes, colleges)
        (self.electorate, self.quorum, self.majority) = (electorate, quorum, majority)
    }

    private enum Keys: String, CodingKey { case options, grades, colleges, electorate, quorum, majority }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        options = try c.decodeIfPresent([String].self, forKey: .options) ?? []
        grades = try c.decodeIfPresent(Int.self, forKey: .grades)
        colleges = try c.decodeIfPresent([CollegeBallots<Votes>].self, forKey: .colleges)
        votes = colleges == nil ? try Votes(from: decoder) : nil
        electorate = try c.decodeIfPresent(Int64.self, forKey: .electorate)
        quorum = try c.decodeIfPresent(String.self, forKey: .quorum)
        majority = try c.decodeIfPresent(RequiredMajority.self, forKey: .majority)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        if !options.isEmpty { try c.encode(options, forKey: .options) }
        try c.encodeIfPresent(grades, forKey: .grades)
        try c.encodeIfPresent(colleges, forKey: .colleges)
        try c.encodeIfPresent(electorate, forKey: .electorate)
        try c.encodeIfPresent(quorum, forKey: .quorum)
        try c.encodeIfPresent(majority, forKey: .majority)
        try votes?.encode(to: encoder)
    }

    /// Reads a file, turning every decoding failure into a message that names the place to fix.
    public static func decode(_ json: Data) throws(DomainError) -> TallyFile {
        do {
            return try JSONDecoder().decode(TallyFile.self, from: json)
        } catch let error as DecodingError {
            throw DomainError.unreadable(error)
        } catch {
            throw DomainError.unreadable(nil)
        }
    }
}

extension DomainError {
    static func unreadable(_ error: DecodingError?) -> DomainError {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context)?:
            let place = path(context.codingPath + [key])
            return DomainError(.invalid, code: "missing_field", field: place,
                               fr: "Champ manquant dans le fichier : « \(place) ».",
                               en: "Missing field in the file: “\(place)”.")
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?,
             .dataCorrupted(let context)? where !context.codingPath.isEmpty:
            let place = path(context.codingPath)
            return DomainError(.invalid, code: "invalid_value", field: place,
                               fr: "Valeur inattendue à « \(place) » : \(context.debugDescription)",
                               en: "Unexpected value at “\(place)”: \(context.debugDescription)")
        default:
            return DomainError(.invalid, code: "invalid_json",
                               fr: "Le fichier n’est pas un JSON lisible.",
                               en: "The file is not readable JSON.")
        }
    }
}
