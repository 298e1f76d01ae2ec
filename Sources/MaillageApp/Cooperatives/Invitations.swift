import Fluent
import MaillageCore
import SQLKit
import Vapor

/// A board inviting people by email, and the invited person's answer. Each step is decided by
/// the database: one pending invitation per address (a partial unique index), a link used once
/// (a conditional update).
enum Invitations {
    struct Offer: Content {
        var email: String
        var college: UUID?
        var shares: Int
        var message: String?
        var language: Language?
    }

    enum Outcome {
        /// The invited address itself: a member at once.
        case member(Membership)
        /// Someone else with the link: an ordinary request for the board.
        case requested(Membership)
    }

    static let word = Localized(fr: "Invitation", en: "Invitation")
    static let messageLabel = Localized(fr: "Message personnel", en: "Personal message")
    static let archived = DomainError(.conflict, code: "cooperative_archived",
                                      fr: "Cette coopérative est archivée par son conseil : elle n’accueille plus de sociétaires.",
                                      en: "This cooperative is archived by its board: it no longer takes members.")

    /// Sends an invitation: validated, written with its mail in one transaction. Returns it and
    /// the link (the only place its secret exists outside the mail).
    @discardableResult
    static func invite(_ offer: Offer, by board: User, coop: Cooperative, baseURL: String, now: Date = Date(),
                       sendsMail: Bool = true, on db: any Database) async throws -> (Invitation, String) {
        try await Cooperatives.require(.board, board, in: coop, on: db)
        guard coop.archivedAt == nil else { throw archived }
        let colleges = try await coop.$colleges.get(on: db)
        var errors = ValidationErrors()
        let email = try errors.collect { try InvitationRules.normalisedEmail(offer.email) }
        if let chosen = offer.college, !colleges.contains(where: { $0.id == chosen }) {
            errors.add(Joining.unknownCollege)
        } else {
            _ = try errors.collect {
                try InvitationRules.validateOffer(shares: offer.shares, hasShareCapital: coop.form.hasShareCapital,
                                                  collegeChosen: offer.college != nil, hasColleges: !colleges.isEmpty)
            }
        }
        let message = try errors.collect {
            try Validate.text(offer.message, field: "message", label: messageLabel, range: 0...InvitationRules.maximumMessage)
        }
        try errors.throwIfAny()
        guard let email, let message else { throw Problem.notFound }
        let coopID = try coop.requireID()
        // Someone already in the cooperative is not invited: said plainly to the board, who sees
        // its members and requests anyway.
        if let account = try await User.query(on: db).filter(\.$email == email).first(),
           let existing = try await Cooperatives.membership(of: account.requireID(), in: coopID, on: db) {
            try InvitationRules.checkInvitee(existing: existing.memberStatus)
        }
        let token = SecretToken.make(bytes: 32)
        let link = baseURL + "/invitations/" + token
        let invitation = Invitation()
        invitation.$cooperative.id = coopID
        invitation.email = email
        invitation.$college.id = offer.college
        invitation.shares = offer.shares
        invitation.message = message
        invitation.tokenHash = SecretToken.hash(token)
        invitation.$invitedBy.id = try board.requireID()
        invitation.language = (offer.language ?? .fr).rawValue
        invitation.status = InvitationState.pending.rawValue
        invitation.createdAt = now
        invitation.expiresAt = InvitationRules.expiry(sentAt: now)
        let college = colleges.first { $0.id == offer.college }
        do {
            try await db.writeTransaction { tx in
                // An expired invitation to the same address gives its place to the new one.
                try await tx.sql.update(Invitation.schema).set("status", to: SQLBind(InvitationState.expired.rawValue))
                    .where("cooperative_id", .equal, SQLBind(coopID)).where("email", .equal, SQLBind(email))
                    .where("status", .equal, SQLBind(InvitationState.pending.rawValue)).where("expires_at", .lessThanOrEqual, SQLBind(now))
                    .run()
                try await invitation.create(on: tx)
                if sendsMail {
                    try await Mail.send(InvitationMails.invitation(invitation, coop: coop, college: college, inviter: board, link: link), on: tx)
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw InvitationRules.alreadyPending
        }
        return (invitation, link)
    }

    /// The board withdraws a pending invitation: its link stops working at once.
    static func withdraw(_ id: UUID, by board: User, coop: Cooperative, now: Date = Date(), on db: any Database) async throws -> Invitation {
        try await Cooperatives.require(.board, board, in: coop, on: db)
        let coopID = try coop.requireID()
        let changed = try await db.sql.update(Invitation.schema)
            .set("status", to: SQLBind(InvitationState.withdrawn.rawValue))
            .set("withdrawn_at", to: SQLBind(now)).set("withdrawn_by", to: SQLBind(try board.requireID()))
            .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coopID))
            .where("status", .equal, SQLBind(InvitationState.pending.rawValue)).where("expires_at", .greaterThan, SQLBind(now))
            .returning("id").all()
        let invitation = try await one(id, in: coopID, on: db)
        if changed.isEmpty { try InvitationRules.requireOpen(invitation.state(now: now)) }
        return invitation
    }

    static func one(_ id: UUID, in coopID: UUID, on db: any Database) async throws -> Invitation {
        guard let invitation = try await Invitation.query(on: db).filter(\.$id == id).filter(\.$cooperative.$id == coopID)
            .with(\.$cooperative).with(\.$college).with(\.$invitedBy).first()
        else { throw Problem.notFound(word) }
        return invitation
    }

    /// A cooperative's invitations, newest first.
    static func list(of coop: Cooperative, limit: Int = 200, on db: any Database) async throws -> [Invitation] {
        try await Invitation.query(on: db).filter(\.$cooperative.$id == coop.requireID())
            .with(\.$college).with(\.$invitedBy).with(\.$acceptedBy)
            .sort(\.$createdAt, .descending).limit(limit).all()
    }

    /// The invitation a mailed link names, with its cooperative; nil for a token nobody was sent.
    static func find(token: String, on db: any Database) async throws -> Invitation? {
        guard !token.isEmpty, token.count < 100 else { return nil }
        return try await Invitation.query(on: db).filter(\.$tokenHash == SecretToken.hash(token))
            .with(\.$cooperative) { $0.with(\.$colleges) }.with(\.$college).with(\.$invitedBy).first()
    }

    /// Why the link no longer opens anything, or nil while it does.
    static func closed(_ invitation: Invitation, now: Date = Date()) -> DomainError? {
        if invitation.cooperative.archivedAt != nil { return archived }
        do { try InvitationRules.requireOpen(invitation.state(now: now)) } catch { return error }
        return nil
    }

    /// The invited person answers. From the invited address (confirmed), the membership is active
    /// at once and the invitation used; from another account, an ordinary request.
    static func accept(_ invitation: Invitation, request input: Joining.Request, user: User, now: Date = Date(),
                       on db: any Database) async throws -> Outcome {
        if let refusal = closed(invitation, now: now) { throw refusal }
        let coop = invitation.cooperative
        try Accounts.requireConfirmedEmail(user)
        let acceptance = InvitationRules.acceptance(invitedEmail: invitation.email, accountEmail: user.email,
                                                    emailConfirmed: user.emailConfirmed,
                                                    collegeAsInvited: input.college == invitation.$college.id)
        guard acceptance == .approvedAtOnce else {
            return .requested(try await Joining.ask(input, user: user, coop: coop, on: db))
        }
        let colleges = try await coop.$colleges.get(on: db)
        if let chosen = input.college, !colleges.contains(where: { $0.id == chosen }) { throw Joining.unknownCollege }
        try MembershipRules.validateRequest(shares: input.shares, hasShareCapital: coop.form.hasShareCapital,
                                            collegeChosen: input.college != nil, hasColleges: !colleges.isEmpty)
        let message = try Validate.text(input.message, field: "message", label: Localized(fr: "Message", en: "Message"), range: 0...1000)
        let invitationID = try invitation.requireID(), userID = try user.requireID(), coopID = try coop.requireID()
        let membershipID: UUID
        do {
            membershipID = try await db.writeTransaction { tx in
                // Used once: of several acceptances at the same moment, one changes the row.
                let claimed = try await tx.sql.update(Invitation.schema)
                    .set("status", to: SQLBind(InvitationState.accepted.rawValue))
                    .set("accepted_at", to: SQLBind(now)).set("accepted_by", to: SQLBind(userID))
                    .where("id", .equal, SQLBind(invitationID)).where("status", .equal, SQLBind(InvitationState.pending.rawValue))
                    .where("expires_at", .greaterThan, SQLBind(now))
                    .returning("id").all()
                guard !claimed.isEmpty else {
                    let current = try await Invitation.find(invitationID, on: tx)
                    throw closedReason(current) ?? InvitationRules.alreadyUsed
                }
                let id = try await admit(userID: userID, coopID: coopID, input: input, message: message,
                                         decidedBy: invitation.$invitedBy.id, now: now, on: tx)
                try await tx.sql.update(Invitation.schema).set("membership_id", to: SQLBind(id))
                    .where("id", .equal, SQLBind(invitationID)).run()
                return id
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A request of the same person written at the same instant holds the one row.
            throw Joining.alreadyRequested
        }
        guard let membership = try await Membership.query(on: db).filter(\.$id == membershipID).with(\.$college).with(\.$user).first()
        else { throw Problem.notFound(Cooperatives.membershipWord) }
        await Modules.membershipsChanged(in: coop, on: db)
        try await Cooperatives.notifyBoard(of: coop, on: db, link: "/c/\(coop.slug)/invitations", kind: .membership,
            Localized(fr: "\(user.displayName) a accepté l’invitation envoyée à \(invitation.email) : \(user.displayName) est sociétaire de \(coop.name).",
                      en: "\(user.displayName) accepted the invitation sent to \(invitation.email): \(user.displayName) is a member of \(coop.name)."))
        return .member(membership)
    }

    private static func closedReason(_ invitation: Invitation?) -> DomainError? {
        guard let invitation else { return nil }
        do { try InvitationRules.requireOpen(invitation.state()) } catch { return error }
        return nil
    }

    /// The person's row in the register of members, active: a new one, or their earlier row
    /// (a request still pending, declined, or a departure) taken up again. Already active: refused.
    private static func admit(userID: UUID, coopID: UUID, input: Joining.Request, message: String, decidedBy: UUID,
                              now: Date, on tx: any Database) async throws -> UUID {
        if let existing = try await Cooperatives.membership(of: userID, in: coopID, on: tx) {
            guard existing.memberStatus != .active else { throw Joining.alreadyMember }
            try await tx.sql.update(Membership.schema)
                .set("status", to: SQLBind(MembershipStatus.active.rawValue)).set("role", to: SQLBind(MemberRole.member.rawValue))
                .set("college_id", to: SQLBind(input.college)).set("shares", to: SQLBind(input.shares))
                .set("message", to: SQLBind(message)).set("requested_at", to: SQLBind(now))
                .set("decided_at", to: SQLBind(now)).set("decided_by", to: SQLBind(decidedBy))
                .where("id", .equal, SQLBind(try existing.requireID())).run()
            return try existing.requireID()
        }
        let membership = Membership()
        membership.$cooperative.id = coopID
        membership.$user.id = userID
        membership.$college.id = input.college
        membership.shares = input.shares
        membership.role = MemberRole.member.rawValue
        membership.status = MembershipStatus.active.rawValue
        membership.message = message
        membership.decidedAt = now
        membership.$decidedBy.id = decidedBy
        try await membership.create(on: tx)
        return try membership.requireID()
    }
}
