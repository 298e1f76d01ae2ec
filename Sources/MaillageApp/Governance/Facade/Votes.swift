import Fluent
import MaillageCore
import SQLKit
import Vapor

/// The effects of voting: create, open (electorate snapshot), cast, close (tally). Rules come from Core.
enum Votes {
    static let proposalWord = Localized(fr: "Vote", en: "Vote")
    static let notOpen = DomainError(.conflict, code: "vote_not_open", fr: "Ce vote n’est pas ouvert.", en: "This vote is not open.")
    static let notInElectorate = DomainError(.forbidden, code: "not_in_electorate",
                                             fr: "Vous ne faisiez pas partie des sociétaires à l’ouverture de ce vote.",
                                             en: "You were not among the members when this vote opened.")
    static let alreadyVotedSecretly = DomainError(.conflict, code: "already_voted",
                                                  fr: "Vous avez déjà voté ; un bulletin secret ne se modifie pas.",
                                                  en: "You have already voted; a secret ballot cannot be changed.")

    static let tooManyProposals = DomainError(.tooManyRequests, code: "too_many_proposals",
        fr: "Vous avez déjà \(pendingProposalsPerMember) propositions qui attendent le conseil : attendez qu’il les examine.",
        en: "You already have \(pendingProposalsPerMember) proposals waiting for the board: wait until it looks at them.")
    static let notProposed = DomainError(.conflict, code: "not_proposed",
        fr: "Ce vote n’attend pas le conseil : il est déjà ouvert, programmé ou clos.",
        en: "This vote is not waiting for the board: it is already open, scheduled or closed.")

    static func find(_ id: UUID, in coop: Cooperative, on db: any Database) async throws -> Proposal {
        guard let proposal = try await Proposal.query(on: db).filter(\.$id == id).filter(\.$cooperative.$id == coop.requireID()).first()
        else { throw Problem.notFound(proposalWord) }
        return proposal
    }

    /// The fewest members a college has in a secret vote weighted by college.
    static let minimumSecretCollege = 3

    /// How many proposals a member may have waiting for the board at once, in one cooperative.
    static let pendingProposalsPerMember = 3

    /// What every vote meets, whether put to the vote or changed before it opens: a clean draft,
    /// the floors, and colleges that can carry a weighted (and secret) count.
    static func checked(_ draft: ProposalDraft, in coop: Cooperative, floors: VoteFloors, on db: any Database,
                        now: Date) async throws -> ProposalDraft {
        let clean = try draft.validated(now: now)
        var problems = ValidationErrors()
        for problem in floors.problems(clean, now: now) { problems.add(problem) }
        try problems.throwIfAny()
        if clean.weightedByCollege {
            let colleges = try await coop.$colleges.get(on: db)
            _ = try VotingColleges(colleges.map { VotingCollege(name: $0.name, weight: $0.weight ?? 0) })
            if clean.secret {
                // A secret vote counted by college shows each college's ballots: a college of one
                // or two members would show theirs.
                let members = try await Cooperatives.members(of: coop, status: .active, on: db)
                let sizes = Dictionary(grouping: members.compactMap { $0.$college.id }, by: { $0 }).mapValues(\.count)
                if let small = colleges.first(where: { (sizes[$0.id ?? UUID()] ?? 0) < minimumSecretCollege }) {
                    throw DomainError(.invalid, code: "college_too_small_for_secret", field: "secret",
                                      fr: "Le collège « \(small.name) » compte moins de \(minimumSecretCollege) sociétaires : un vote secret pondéré par collège y révélerait les bulletins.",
                                      en: "The college “\(small.name)” has fewer than \(minimumSecretCollege) members: a secret vote weighted by college would reveal their ballots.")
                }
            }
        }
        return clean
    }

    /// Puts a question to the vote. The board opens it (now or at its opening time); a member's
    /// proposal waits for the board (`open(proposed:)`), which is told. Either way it must meet
    /// the floors: a decision is the members', not a handful's in an hour.
    static func create(_ draft: ProposalDraft, by user: User, in coop: Cooperative, floors: VoteFloors, on db: any Database,
                       now: Date = Date(), fixedTerms: Bool = false) async throws -> Proposal {
        let membership = try await Cooperatives.require(.member, user, in: coop, on: db)
        let clean = try await checked(draft, in: coop, floors: floors, on: db, now: now)
        let byBoard = membership.memberRole == .board
        if !byBoard {
            let waiting = try await Proposal.query(on: db).filter(\.$cooperative.$id == coop.requireID())
                .filter(\.$author.$id == user.requireID()).filter(\.$awaitingBoard == true).count()
            guard waiting < pendingProposalsPerMember else { throw tooManyProposals }
        }
        let proposal = Proposal()
        proposal.$cooperative.id = try coop.requireID()
        proposal.$author.id = try user.requireID()
        proposal.title = clean.title
        proposal.body = clean.body
        proposal.method = clean.method.rawValue
        proposal.optionsJSON = String(decoding: try JSONEncoder().encode(clean.options), as: UTF8.self)
        proposal.grades = ProposalDraft.grades
        proposal.opensAt = max(clean.opensAt, now)
        proposal.closesAt = clean.closesAt
        proposal.secret = clean.secret
        proposal.quorum = clean.quorum
        proposal.majority = clean.majority.rawValue
        proposal.weighted = clean.weightedByCollege
        proposal.awaitingBoard = byBoard ? nil : true
        proposal.fixedTerms = fixedTerms ? true : nil
        try await proposal.create(on: db)
        if byBoard {
            if proposal.opensAt <= now { try await open(proposal, in: coop, on: db, now: now) }
        } else {
            try await Cooperatives.notifyBoard(of: coop, on: db, link: "/c/\(coop.slug)/votes/\(try proposal.requireID())", kind: .votes,
                Localized(fr: "\(user.displayName) propose un vote : « \(proposal.title) ». Au conseil de l’ouvrir.",
                          en: "\(user.displayName) proposes a vote: “\(proposal.title)”. The board opens it."))
        }
        return proposal
    }

    /// The board opens a vote a member proposed, once, with the closing time it sets (the
    /// proposal's own by default); the floors apply from now.
    static func open(proposed proposal: Proposal, closesAt: Date?, in coop: Cooperative, by user: User, floors: VoteFloors,
                     on db: any Database, now: Date = Date()) async throws {
        try await Cooperatives.require(.board, user, in: coop, on: db)
        guard proposal.awaitingBoard == true else { throw notProposed }
        let opensAt = max(proposal.opensAt, now), closes = closesAt ?? proposal.closesAt
        let draft = ProposalDraft(title: proposal.title, body: proposal.body, method: proposal.tallyMethod, options: proposal.options,
                                  opensAt: opensAt, closesAt: closes, secret: proposal.secret, quorum: proposal.quorum,
                                  majority: proposal.requiredMajority, weightedByCollege: proposal.weighted)
        var problems = ValidationErrors()
        if closes <= opensAt {
            problems.add(DomainError(.invalid, code: "closes_before_opening", field: "closes_at",
                                     fr: "La clôture doit suivre l’ouverture.", en: "The vote must close after it opens."))
        }
        for problem in floors.problems(draft, now: now) { problems.add(problem) }
        try problems.throwIfAny()
        let proposalID = try proposal.requireID()
        let won = try await db.sql.update(Proposal.schema).set("awaiting_board", to: SQLLiteral.null)
            .set("opens_at", to: SQLBind(opensAt)).set("closes_at", to: SQLBind(closes))
            .where("id", .equal, SQLBind(proposalID)).where("awaiting_board", .equal, SQLBind(true))
            .returning("id").all()
        guard !won.isEmpty else { throw notProposed }
        proposal.awaitingBoard = nil
        proposal.opensAt = opensAt
        proposal.closesAt = closes
        if opensAt <= now { try await open(proposal, in: coop, on: db, now: now) }
    }

    /// Takes the electorate snapshot once (the conditional update decides which process does it).
    static func open(_ proposal: Proposal, in coop: Cooperative, on db: any Database, now: Date = Date()) async throws {
        let proposalID = try proposal.requireID()
        let opened = try await db.writeTransaction { db -> Bool in
            // The weights are taken with the electorate: a weight the board changes while the vote
            // runs applies to the next vote, never to this one.
            var weights: String? = nil
            if proposal.weighted {
                let colleges = try await College.query(on: db).filter(\.$cooperative.$id == coop.requireID()).sort(\.$position).all()
                weights = String(decoding: try JSONEncoder().encode(try colleges.map { CollegeWeight(id: try $0.requireID(), name: $0.name, weight: $0.weight ?? 0) }),
                                 as: UTF8.self)
            }
            let won = try await db.sql.update(Proposal.schema).set("electorate_taken_at", to: SQLBind(now))
                .set("college_weights", to: SQLBind(weights))
                .where("id", .equal, SQLBind(proposalID)).where("electorate_taken_at", .is, SQLLiteral.null)
                .where("cancelled_at", .is, SQLLiteral.null)
                .returning("id").all()
            guard !won.isEmpty else { return false }
            proposal.collegeWeightsJSON = weights
            let members = try await Membership.query(on: db).filter(\.$cooperative.$id == coop.requireID())
                .filter(\.$status == MembershipStatus.active.rawValue).all()
            for member in members {
                let voter = ProposalVoter()
                voter.$proposal.id = proposalID
                voter.$user.id = member.$user.id
                voter.$college.id = member.$college.id
                try await voter.create(on: db)
            }
            return true
        }
        proposal.electorateTakenAt = now
        guard opened else { return }
        let voters = try await ProposalVoter.query(on: db).filter(\.$proposal.$id == proposalID).all()
        for voter in voters {
            try await Inbox.notify(voter.$user.id, Localized(fr: "Vote ouvert dans \(coop.name) : « \(proposal.title) ».",
                                                              en: "Vote open in \(coop.name): “\(proposal.title)”."),
                                   link: "/c/\(coop.slug)/votes/\(proposalID)", kind: .votes, on: db)
        }
    }

    /// Records a ballot. An open vote only; one counted ballot per voter, enforced by the database.
    static func cast(_ ballot: Data, on proposal: Proposal, by user: User, on db: any Database, now: Date = Date()) async throws {
        guard proposal.phase(at: now) == .open, proposal.electorateTakenAt != nil else { throw notOpen }
        let proposalID = try proposal.requireID(), userID = try user.requireID()
        guard let voter = try await ProposalVoter.query(on: db).filter(\.$proposal.$id == proposalID).filter(\.$user.$id == userID).first()
        else { throw notInElectorate }
        let canonical = try BallotRules.canonical(method: proposal.tallyMethod, options: proposal.options, grades: proposal.grades, ballot: ballot)
        let content = String(decoding: canonical, as: UTF8.self)
        try await db.writeTransaction { db in
            // Locks the proposal row: closing waits for ballots in flight, and none lands after it.
            let stillOpen = try await db.sql.update(Proposal.schema).set("title", to: SQLColumn("title"))
                .where("id", .equal, SQLBind(proposalID)).where("closed_at", .is, SQLLiteral.null)
                .where("cancelled_at", .is, SQLLiteral.null)
                .where("closes_at", .greaterThan, SQLBind(now)).returning("id").all()
            guard !stillOpen.isEmpty else { throw notOpen }
            let firstTime = try await db.sql.update(ProposalVoter.schema).set("voted_at", to: SQLBind(now))
                .where("proposal_id", .equal, SQLBind(proposalID)).where("user_id", .equal, SQLBind(userID))
                .where("voted_at", .is, SQLLiteral.null).returning("id").all()
            if proposal.secret {
                guard !firstTime.isEmpty else { throw alreadyVotedSecretly }
                // Sealed until the close, then written among all the others in a shuffled batch:
                // no row id, heap position, transaction id or time ties a counted ballot to its voter.
                try await db.sql.update(ProposalVoter.schema)
                    .set("sealed_ballot", to: SQLBind(try InstanceSeal.seal(content, context: proposalID.uuidString)))
                    .where("proposal_id", .equal, SQLBind(proposalID)).where("user_id", .equal, SQLBind(userID)).run()
            } else {
                try await db.sql.insert(into: Ballot.schema).columns("id", "proposal_id", "voter_id", "college_id", "content", "cast_at")
                    .values(SQLBind(UUID()), SQLBind(proposalID), SQLBind(userID), SQLBind(voter.$college.id), SQLBind(content), SQLBind(now))
                    .onConflict(with: ["proposal_id", "voter_id"]) { $0.set(excludedValueOf: "content").set(excludedValueOf: "cast_at") }
                    .run()
                try await db.sql.insert(into: "ballot_history").columns("id", "proposal_id", "voter_id", "content", "cast_at")
                    .values(SQLBind(UUID()), SQLBind(proposalID), SQLBind(userID), SQLBind(content), SQLBind(now)).run()
            }
        }
    }

    /// Closes a vote once and publishes its result in one transaction: a tally that fails leaves the
    /// vote open, and the next run of the job closes it.
    static func close(_ proposal: Proposal, in coop: Cooperative, on db: any Database, now: Date = Date()) async throws {
        let proposalID = try proposal.requireID()
        let (coopName, coopSlug, title) = (coop.name, coop.slug, proposal.title)
        let method = proposal.tallyMethod
        let needsElectorate = proposal.electorateTakenAt == nil
        let result: String? = try await db.writeTransaction { tx in
            let won = try await tx.sql.update(Proposal.schema).set("closed_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(proposalID)).where("closed_at", .is, SQLLiteral.null)
                .where("cancelled_at", .is, SQLLiteral.null)
                .returning("id").all()
            guard !won.isEmpty else { return nil }
            guard let fresh = try await Proposal.find(proposalID, on: tx) else { return nil }
            if needsElectorate { try await open(fresh, in: coop, on: tx, now: now) }
            if fresh.secret { try await unseal(fresh, on: tx) }
            let file = try await BallotFile.build(for: fresh, on: tx)
            let report = String(decoding: try Tally.run(method: method, json: file), as: UTF8.self)
            try await tx.sql.update(Proposal.schema).set("result", to: SQLBind(report)).where("id", .equal, SQLBind(proposalID)).run()
            let voters = try await ProposalVoter.query(on: tx).filter(\.$proposal.$id == proposalID).all()
            for voter in voters {
                try await Inbox.notify(voter.$user.id, Localized(fr: "Vote clos dans \(coopName) : « \(title) ». Le résultat est publié.",
                                                                  en: "Vote closed in \(coopName): “\(title)”. The result is published."),
                                       link: "/c/\(coopSlug)/votes/\(proposalID)", kind: .votes, on: tx)
            }
            return report
        }
        guard let result else { return }
        proposal.closedAt = now
        proposal.result = result
    }

    /// A secret vote's sealed ballots, opened and written to `ballots` shuffled, in one
    /// statement a few hundred at a time (one transaction: on PostgreSQL one `xmin` for all), each
    /// dated at the opening; then the sealed copies are wiped. A ballot names a college only
    /// when the vote is weighted by college, where the count needs it.
    static func unseal(_ proposal: Proposal, on tx: any Database) async throws {
        let proposalID = try proposal.requireID()
        struct Sealed: Decodable { var college_id: UUID?; var sealed_ballot: String }
        let sealed = try await tx.sql.select().columns("college_id", "sealed_ballot").from(ProposalVoter.schema)
            .where("proposal_id", .equal, SQLBind(proposalID)).where("sealed_ballot", .isNot, SQLLiteral.null)
            .all(decoding: Sealed.self)
        var ballots = try sealed.map { (college: proposal.weighted ? $0.college_id : nil,
                                        content: try InstanceSeal.open($0.sealed_ballot, context: proposalID.uuidString)) }
        ballots.shuffle()
        for start in stride(from: 0, to: ballots.count, by: 500) {
            var insert = tx.sql.insert(into: Ballot.schema).columns("id", "proposal_id", "voter_id", "college_id", "content", "cast_at")
            for ballot in ballots[start..<min(start + 500, ballots.count)] {
                insert = insert.values(SQLBind(UUID()), SQLBind(proposalID), SQLLiteral.null, SQLBind(ballot.college), SQLBind(ballot.content),
                                       SQLBind(proposal.opensAt))
            }
            try await insert.run()
        }
        try await tx.sql.update(ProposalVoter.schema).set("sealed_ballot", to: SQLLiteral.null)
            .where("proposal_id", .equal, SQLBind(proposalID)).run()
    }

    /// The scheduled job: open what is due, close what is due, in every cooperative.
    static func openAndCloseDue(on db: any Database, now: Date = Date()) async throws {
        let toOpen = try await Proposal.query(on: db).filter(\.$electorateTakenAt == nil).filter(\.$opensAt <= now)
            .filter(\.$closedAt == nil).filter(\.$cancelledAt == nil).filter(\.$awaitingBoard == nil).with(\.$cooperative).all()
        for proposal in toOpen { try await open(proposal, in: proposal.cooperative, on: db, now: now) }
        // A proposal the board never opened is never counted: it decided nothing.
        let toClose = try await Proposal.query(on: db).filter(\.$closedAt == nil).filter(\.$closesAt <= now)
            .filter(\.$cancelledAt == nil).filter(\.$awaitingBoard == nil).with(\.$cooperative).all()
        // One vote whose tally fails does not hold up the others; it stays open and is tried again.
        var failures: [any Error] = []
        for proposal in toClose {
            do { try await close(proposal, in: proposal.cooperative, on: db, now: now) } catch { failures.append(error) }
        }
        if let first = failures.first { throw first }
    }
}
