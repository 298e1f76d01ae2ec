/// One recount per method: names to indices, count (per college if any), rank, report.
extension Tally {
    public static func majorityJudgment(_ file: TallyFile<MajorityJudgmentBallots>) throws(DomainError) -> TallyReport.MajorityJudgment {
        let options = try Options(file.options)
        let firstTallies = file.votes?.tallies ?? file.colleges?.first?.votes.tallies
        let grades = file.grades ?? firstTallies?.first?.count ?? GradeScale.standard.count
        let counted = try count(file, each: { votes throws(DomainError) -> MeritProfile in
            switch (votes.ballots, votes.tallies) {
            case (let ballots?, nil): return try MeritProfile(grades: grades, options: options.names.count, ballots: ballots)
            case (nil, let tallies?):
                guard tallies.count == options.names.count else {
                    throw .tallyRows(found: tallies.count, expected: options.names.count)
                }
                return try MeritProfile(grades: grades, tallies: tallies)
            default:
                throw DomainError(.invalid, code: "ballots_or_tallies", field: "ballots",
                                  fr: "Donnez soit « ballots », soit « tallies » (un seul des deux).",
                                  en: "Give either “ballots” or “tallies” (exactly one of them).")
            }
        }, combining: MeritProfile.combining, base: \.judges, participants: \.judges)
        let result = MajorityJudgment.rank(counted.count)
        let scale = GradeScale.named(grades: grades)
        let rows = options.names.indices.map { i in
            let gauge = result.gauge(i)
            return TallyReport.MajorityJudgment.Option(
                name: options.names[i], tally: result.profile.tallies[i], majorityGrade: result.majorityGrades[i],
                majorityGradeLabel: result.majorityGrades[i].flatMap { scale?.labels[$0] },
                above: gauge.above, below: gauge.below)
        }
        let judges = counted.colleges?.reduce(0) { $0 + $1.ballots } ?? result.profile.judges
        return TallyReport.MajorityJudgment(
            ranking: result.ranking.named(options.names), grades: grades, judges: judges, options: rows,
            colleges: counted.colleges, turnout: try turnout(file, participants: judges))
    }

    public static func schulze(_ file: TallyFile<SchulzeBallots>) throws(DomainError) -> TallyReport.Schulze {
        let options = try Options(file.options)
        let counted = try count(file, each: { votes throws(DomainError) -> Preferences in
            var ballots: [RankedBallot] = []
            ballots.reserveCapacity(votes.ballots.count)
            for (index, ballot) in votes.ballots.enumerated() {
                var seen = Set<Int>()
                var ranking: [[Int]] = []
                for group in ballot.ranking { ranking.append(try options.indices(group, ballot: index, seen: &seen)) }
                ballots.append(RankedBallot(ranking: ranking, count: ballot.count ?? 1))
            }
            return try Preferences(options: options.names.count, ballots: ballots)
        }, combining: Preferences.combining, base: \.ballots, participants: \.ballots)
        let result = Schulze.rank(counted.count)
        let participants = counted.colleges?.reduce(0) { $0 + $1.ballots } ?? counted.count.ballots
        return TallyReport.Schulze(
            ranking: result.ranking.named(options.names), options: options.names, ballots: participants,
            preferences: result.preferences.d.rows, strongestPaths: result.strongestPaths.rows,
            condorcetWinner: Schulze.condorcetWinner(result.preferences.d).map { options.names[$0] },
            colleges: counted.colleges, turnout: try turnout(file, participants: participants))
    }

    public static func approval(_ file: TallyFile<ApprovalBallots>) throws(DomainError) -> TallyReport.Votes {
        let options = try Options(file.options)
        let counted = try count(file, each: { votes throws(DomainError) -> OptionVotes in
            var ballots: [[Int]] = []
            for (index, names) in votes.ballots.enumerated() {
                var seen = Set<Int>()
                ballots.append(try options.indices(names, ballot: index, seen: &seen))
            }
            return try Approval.count(options: options.names.count, ballots: ballots)
        }, combining: OptionVotes.combining, base: \.expressed, participants: \.ballots)
        return try votesReport(.approval, file, options, counted, majority: nil)
    }

    public static func singleChoice(_ file: TallyFile<SingleChoiceBallots>) throws(DomainError) -> TallyReport.Votes {
        let options = try Options(file.options)
        let counted = try count(file, each: { votes throws(DomainError) -> OptionVotes in
            var ballots: [Int?] = []
            for (index, name) in votes.ballots.enumerated() {
                ballots.append(try name.map { name throws(DomainError) in try options(name, ballot: index) })
            }
            return try SingleChoice.count(options: options.names.count, ballots: ballots)
        }, combining: OptionVotes.combining, base: \.expressed, participants: \.ballots)
        return try votesReport(.singleChoice, file, options, counted, majority: file.majority ?? .simple)
    }

    static func votesReport<Votes>(_ method: TallyMethod, _ file: TallyFile<Votes>, _ options: Options,
                                   _ counted: (count: OptionVotes, colleges: [TallyReport.College]?),
                                   majority: RequiredMajority?) throws(DomainError) -> TallyReport.Votes {
        let votes = counted.count
        return TallyReport.Votes(
            method: method.rawValue, ranking: votes.ranking.named(options.names),
            options: zip(options.names, votes.votes).map { TallyReport.Votes.Option(name: $0, votes: $1) },
            ballots: votes.ballots, expressed: votes.expressed, majority: majority,
            majorityReached: majority.map { SingleChoice.majorityReached(votes, required: $0) },
            colleges: counted.colleges, turnout: try turnout(file, participants: votes.ballots))
    }

    public static func consent(_ file: TallyFile<ConsentBallots>) throws(DomainError) -> TallyReport.Consent {
        let counted = try count(file, each: { votes throws(DomainError) in Consent.count(votes.ballots) },
                                combining: Consent.combining, base: { $0.agree + $0.disagree }, participants: \.ballots)
        let c = counted.count
        let majority = file.majority ?? .simple
        let positions = ConsentPosition.allCases
        return TallyReport.Consent(
            ranking: Ranking.byScore(positions.map(c.count)).named(positions.map(\.rawValue)),
            outcome: Consent.outcome(c, majority: majority), majority: majority, ballots: c.ballots,
            counts: Dictionary(uniqueKeysWithValues: positions.map { ($0.rawValue, c.count(of: $0)) }),
            blocks: c.blocks, colleges: counted.colleges, turnout: try turnout(file, participants: c.ballots))
    }

    public static func meetingTime(_ file: TallyFile<MeetingTimeBallots>) throws(DomainError) -> TallyReport.MeetingTime {
        let options = try Options(file.options)
        let counted = try count(file, each: { votes throws(DomainError) in
            try MeetingTime.count(slots: options.names.count, ballots: votes.ballots)
        }, combining: MeetingTime.combining, base: \.ballots, participants: \.ballots)
        let a = counted.count
        return TallyReport.MeetingTime(
            ranking: a.ranking.named(options.names),
            options: options.names.indices.map { TallyReport.MeetingTime.Slot(name: options.names[$0], yes: a.yes[$0], maybe: a.maybe[$0], no: a.no[$0]) },
            ballots: a.ballots, colleges: counted.colleges, turnout: try turnout(file, participants: a.ballots))
    }
}
