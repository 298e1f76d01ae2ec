import Fluent
import MaillageCore
import SQLKit
import Vapor

/// What the board does to a vote after putting it: change it before it opens, cancel it before
/// it closes; and who takes part, the one figure every page and API answer shows.
extension Votes {
    static let notEditable = DomainError(.conflict, code: "vote_already_open",
        fr: "Ce vote est déjà ouvert (ou clos, ou annulé) : sa question, ses options et ses dates ne se modifient plus. Le conseil peut l’annuler, avec une raison, tant qu’il n’est pas clos.",
        en: "This vote is already open (or closed, or cancelled): its question, options and dates can no longer change. The board may cancel it, with a reason, until it closes.")
    static let fixedTerms = DomainError(.conflict, code: "vote_terms_fixed",
        fr: "Ce vote porte sur l’affectation calculée par la trésorerie : il ne se modifie pas. Pour changer l’affectation, annulez ce vote et proposez-en une nouvelle depuis la trésorerie.",
        en: "This vote is on the allocation computed by the treasury: it cannot be changed. To change the allocation, cancel this vote and propose a new one from the treasury.")
    static let notCancellable = DomainError(.conflict, code: "vote_not_cancellable",
        fr: "Ce vote est déjà clos ou annulé : il ne s’annule plus.", en: "This vote has already closed or been cancelled: it can no longer be cancelled.")

    /// The board changes a vote nothing has fixed yet (no electorate taken). The same checks as
    /// putting it to the vote; the database refuses the change if it opened meanwhile.
    static func edit(_ proposal: Proposal, to draft: ProposalDraft, in coop: Cooperative, by user: User, floors: VoteFloors,
                     on db: any Database, now: Date = Date()) async throws {
        try await Cooperatives.require(.board, user, in: coop, on: db)
        guard proposal.schedule.isEditable(at: now, electorateTaken: proposal.electorateTakenAt != nil) else { throw notEditable }
        guard proposal.fixedTerms != true else { throw fixedTerms }
        let clean = try await checked(draft, in: coop, floors: floors, on: db, now: now)
        let opensAt = max(clean.opensAt, now)
        let options = String(decoding: try JSONEncoder().encode(clean.options), as: UTF8.self)
        let won = try await db.sql.update(Proposal.schema)
            .set("title", to: SQLBind(clean.title)).set("body", to: SQLBind(clean.body)).set("method", to: SQLBind(clean.method.rawValue))
            .set("options", to: SQLBind(options)).set("opens_at", to: SQLBind(opensAt)).set("closes_at", to: SQLBind(clean.closesAt))
            .set("secret", to: SQLBind(clean.secret)).set("quorum", to: SQLBind(clean.quorum))
            .set("majority", to: SQLBind(clean.majority.rawValue)).set("weighted", to: SQLBind(clean.weightedByCollege))
            .where("id", .equal, SQLBind(try proposal.requireID()))
            .where("electorate_taken_at", .is, SQLLiteral.null).where("closed_at", .is, SQLLiteral.null)
            .where("cancelled_at", .is, SQLLiteral.null)
            .where(group: { $0.where("awaiting_board", .equal, SQLBind(true)).orWhere("opens_at", .greaterThan, SQLBind(now)) })
            .returning("id").all()
        guard !won.isEmpty else { throw notEditable }
        proposal.title = clean.title
        proposal.body = clean.body
        proposal.method = clean.method.rawValue
        proposal.optionsJSON = options
        proposal.opensAt = opensAt
        proposal.closesAt = clean.closesAt
        proposal.secret = clean.secret
        proposal.quorum = clean.quorum
        proposal.majority = clean.majority.rawValue
        proposal.weighted = clean.weightedByCollege
        // Moved to now: it opens now, as a new vote would.
        if proposal.awaitingBoard != true && opensAt <= now { try await open(proposal, in: coop, on: db, now: now) }
    }

    /// The board cancels a vote before it closes, saying why. Nothing is counted: a secret
    /// ballot's sealed copy is wiped, since no count will ever open it. Returns how many had voted.
    @discardableResult
    static func cancel(_ proposal: Proposal, reason: String?, in coop: Cooperative, by user: User, on db: any Database,
                       now: Date = Date()) async throws -> Int {
        try await Cooperatives.require(.board, user, in: coop, on: db)
        let text = try Validate.text(reason, field: "reason", label: Localized(fr: "Raison de l’annulation", en: "Reason for cancelling"),
                                     range: 3...TextLimits.reason)
        guard proposal.schedule.isCancellable(at: now) else { throw notCancellable }
        let proposalID = try proposal.requireID()
        try await db.writeTransaction { tx in
            // The same row a ballot locks: a ballot in flight lands before, or is refused after.
            let won = try await tx.sql.update(Proposal.schema).set("cancelled_at", to: SQLBind(now)).set("cancel_reason", to: SQLBind(text))
                .where("id", .equal, SQLBind(proposalID)).where("closed_at", .is, SQLLiteral.null)
                .where("cancelled_at", .is, SQLLiteral.null).where("closes_at", .greaterThan, SQLBind(now))
                .returning("id").all()
            guard !won.isEmpty else { throw notCancellable }
            try await tx.sql.update(ProposalVoter.schema).set("sealed_ballot", to: SQLLiteral.null)
                .where("proposal_id", .equal, SQLBind(proposalID)).run()
        }
        proposal.cancelledAt = now
        proposal.cancelReason = text
        let voted = try await ProposalVoter.query(on: db).filter(\.$proposal.$id == proposalID).filter(\.$votedAt != nil).count()
        // Told: those who could vote (the electorate once taken, else today's members); a
        // member's proposal the board declines, its author.
        let recipients: [UUID]
        if proposal.awaitingBoard == true {
            recipients = [proposal.$author.id]
        } else if proposal.electorateTakenAt != nil {
            recipients = try await ProposalVoter.query(on: db).filter(\.$proposal.$id == proposalID).all().map(\.$user.id)
        } else {
            recipients = try await Cooperatives.members(of: coop, status: .active, on: db).map(\.$user.id)
        }
        for recipient in recipients {
            try await Inbox.notify(recipient, Localized(fr: "Vote annulé dans \(coop.name) : « \(proposal.title) ». Raison : \(text)",
                                                        en: "Vote cancelled in \(coop.name): “\(proposal.title)”. Reason: \(text)"),
                                   link: "/c/\(coop.slug)/votes/\(proposalID)", kind: .votes, on: db)
        }
        return voted
    }

    /// Who takes part: before the electorate is taken, the members who would vote today; after,
    /// who voted out of it. Pages and API answers read it here.
    static func participation(of proposal: Proposal, on db: any Database) async throws -> Participation {
        let proposalID = try proposal.requireID()
        guard proposal.electorateTakenAt != nil else {
            return .beforeOpening(eligibleNow: try await Cooperatives.activeMemberCount(of: proposal.$cooperative.id, on: db))
        }
        let voters = ProposalVoter.query(on: db).filter(\.$proposal.$id == proposalID)
        return .counted(voted: try await voters.copy().filter(\.$votedAt != nil).count(), electorate: try await voters.count())
    }

    /// Ballots already cast, for the question before cancelling.
    static func ballotsCast(_ proposal: Proposal, on db: any Database) async throws -> Int {
        try await ProposalVoter.query(on: db).filter(\.$proposal.$id == proposal.requireID()).filter(\.$votedAt != nil).count()
    }
}
