import Foundation

/// The verifiable recount: the same counting code the platform runs at close, fed a ballot file.
/// `maillage tally --method <method> FILE` prints `Tally.run(method:json:)`.
public enum Tally {
    /// Beyond this a vote is no longer a choice a person makes, and Schulze's O(n³) grows long.
    public static let maximumOptions = 1_000

    /// Recounts a ballot file and returns the result as JSON (sorted keys, pretty-printed).
    public static func run(method: TallyMethod, json: Data) throws(DomainError) -> Data {
        switch method {
        case .majorityJudgment: try encode(majorityJudgment(.decode(json)))
        case .schulze: try encode(schulze(.decode(json)))
        case .approval: try encode(approval(.decode(json)))
        case .singleChoice: try encode(singleChoice(.decode(json)))
        case .consent: try encode(consent(.decode(json)))
        case .meetingTime: try encode(meetingTime(.decode(json)))
        }
    }

    /// The same, with the method as typed on the command line.
    public static func run(method: String, json: Data) throws(DomainError) -> Data {
        guard let known = TallyMethod(rawValue: method) else {
            let names = TallyMethod.allCases.map(\.rawValue).joined(separator: ", ")
            throw DomainError(.invalid, code: "unknown_method", field: "method",
                              fr: "Méthode inconnue « \(method) » ; méthodes : \(names).",
                              en: "Unknown method “\(method)”; methods: \(names).")
        }
        return try run(method: known, json: json)
    }

    static func encode<Report: Encodable>(_ report: Report) throws(DomainError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do { return try encoder.encode(report) } catch { preconditionFailure("reports always encode: \(error)") }
    }

    /// The option names of a file: present, non-blank, each once; looked up by name.
    struct Options {
        let names: [String]
        private let index: [String: Int]

        init(_ names: [String]) throws(DomainError) {
            guard !names.isEmpty else { throw .noOptions }
            guard names.count <= Tally.maximumOptions else { throw .tooManyOptions(names.count) }
            var index: [String: Int] = [:]
            for (i, name) in names.enumerated() {
                guard !name.allSatisfy(\.isWhitespace) else { throw .blankOption(i) }
                guard index.updateValue(i, forKey: name) == nil else { throw .duplicateOption(name) }
            }
            self.names = names
            self.index = index
        }

        func callAsFunction(_ name: String, ballot: Int) throws(DomainError) -> Int {
            guard let i = index[name] else { throw .unknownOption(name, ballot: ballot) }
            return i
        }

        /// Names to indices for one ballot, refusing a name given twice.
        func indices(_ names: [String], ballot: Int, seen: inout Set<Int>) throws(DomainError) -> [Int] {
            var result: [Int] = []
            for name in names {
                let i = try self(name, ballot: ballot)
                guard seen.insert(i).inserted else { throw .optionTwiceInBallot(name, ballot: ballot) }
                result.append(i)
            }
            return result
        }
    }

    /// Counts the whole vote, or each college and then combines them by weight.
    /// `base` is what a college's shares are taken of (the same base its `combining` uses).
    static func count<Votes: BallotSection, Count>(
        _ file: TallyFile<Votes>,
        each: (Votes) throws(DomainError) -> Count,
        combining: ([Count], VotingColleges) throws(DomainError) -> Count,
        base: (Count) -> Int64,
        participants: (Count) -> Int64
    ) throws(DomainError) -> (count: Count, colleges: [TallyReport.College]?) {
        guard let parts = file.colleges else {
            guard let votes = file.votes else { throw .unreadable(nil) }
            return (try each(votes), nil)
        }
        let colleges = try VotingColleges(parts.map { VotingCollege(name: $0.name, weight: $0.weight) })
        var counts: [Count] = []
        for part in parts { counts.append(try each(part.votes)) }
        let factors = try colleges.factors(bases: counts.map(base))
        let report = zip(parts, zip(counts, factors)).map { part, pair in
            TallyReport.College(name: part.name, weight: part.weight, ballots: participants(pair.0), factor: pair.1)
        }
        return (try combining(counts, colleges), report)
    }

    static func turnout<Votes>(_ file: TallyFile<Votes>, participants: Int64) throws(DomainError) -> TallyReport.Turnout? {
        guard let electorate = file.electorate else { return nil }
        guard electorate >= 0 else { throw .negativeCount(field: "electorate") }
        let quorum = try file.quorum.map { text throws(DomainError) in try Fraction(parsing: text) } ?? .none
        return TallyReport.Turnout(electorate: electorate, participants: participants, quorum: quorum.description,
                                   quorumReached: quorum.isReached(by: participants, of: electorate))
    }
}
