/// A member's answer for one proposed meeting slot.
public enum Availability: String, Sendable, Hashable, Codable, CaseIterable {
    case yes, maybe, no
}

/// Answers per slot.
public struct SlotAnswers: Sendable, Hashable {
    public let yes: [Int64], maybe: [Int64], no: [Int64]
    public let ballots: Int64

    /// The best slot has the most "yes", then the most "maybe"; slots equal on both share a group.
    public var ranking: Ranking {
        Ranking.byOrder(count: yes.count) { a, b in
            if yes[a] != yes[b] { return yes[a] > yes[b] ? 1 : -1 }
            if maybe[a] != maybe[b] { return maybe[a] > maybe[b] ? 1 : -1 }
            return 0
        }
    }
}

/// Finding a meeting time (a "date poll"): yes / maybe / no for every slot.
public enum MeetingTime {
    public static func count(slots: Int, ballots: [[Availability]]) throws(DomainError) -> SlotAnswers {
        guard slots > 0 else { throw .noOptions }
        var yes = [Int64](repeating: 0, count: slots), maybe = yes, no = yes
        for (index, ballot) in ballots.enumerated() {
            guard ballot.count == slots else {
                throw .ballotLength(ballot: index, found: ballot.count, expected: slots)
            }
            for (slot, answer) in ballot.enumerated() {
                switch answer {
                case .yes: yes[slot] += 1
                case .maybe: maybe[slot] += 1
                case .no: no[slot] += 1
                }
            }
        }
        return SlotAnswers(yes: yes, maybe: maybe, no: no, ballots: Int64(ballots.count))
    }

    /// Each college's answers as shares of its ballots, times its weight.
    public static func combining(_ byCollege: [SlotAnswers],
                                 colleges: VotingColleges) throws(DomainError) -> SlotAnswers {
        precondition(byCollege.count == colleges.colleges.count, "one count per college")
        let factors = try colleges.factors(bases: byCollege.map(\.ballots))
        let n = byCollege.first?.yes.count ?? 0
        let sum = try VotingColleges.combine(byCollege.map { $0.yes + $0.maybe + $0.no }, factors: factors)
        return SlotAnswers(yes: Array(sum[0..<n]), maybe: Array(sum[n..<(2 * n)]), no: Array(sum[(2 * n)...]),
                           ballots: byCollege.reduce(0) { $0 + $1.ballots })
    }
}
