import Fluent
import MaillageCore
import SQLKit
import Vapor

/// Asking to join, and the board's answer.
enum Joining {
    struct Request: Content {
        var college: UUID?
        var shares: Int
        var message: String?
    }

    static let alreadyMember = DomainError(.conflict, code: "already_member",
                                           fr: "Vous êtes déjà sociétaire de cette coopérative.",
                                           en: "You are already a member of this cooperative.")
    static let alreadyRequested = DomainError(.conflict, code: "already_requested",
                                              fr: "Votre demande d’adhésion est déjà en attente de réponse du conseil.",
                                              en: "Your membership request is already awaiting the board’s answer.")
    static let unknownCollege = DomainError(.invalid, code: "unknown_college", field: "college",
                                            fr: "Ce collège n’existe pas dans cette coopérative.",
                                            en: "This college does not exist in this cooperative.")

    static func ask(_ input: Request, user: User, coop: Cooperative, on db: any Database) async throws -> Membership {
        try Accounts.requireConfirmedEmail(user)
        let colleges = try await coop.$colleges.get(on: db)
        if let chosen = input.college, !colleges.contains(where: { $0.id == chosen }) { throw unknownCollege }
        try MembershipRules.validateRequest(shares: input.shares, hasShareCapital: coop.form.hasShareCapital,
                                            collegeChosen: input.college != nil, hasColleges: !colleges.isEmpty)
        let message = try Validate.text(input.message, field: "message", label: Localized(fr: "Message", en: "Message"), range: 0...1000)
        let userID = try user.requireID(), coopID = try coop.requireID()

        let membership = Membership()
        membership.$cooperative.id = coopID
        membership.$user.id = userID
        membership.$college.id = input.college
        membership.shares = input.shares
        membership.role = MemberRole.member.rawValue
        membership.status = MembershipStatus.pending.rawValue
        membership.message = message
        do {
            try await membership.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // One row per person and cooperative (unique key): a declined or departed person may ask again,
            // which turns their row back to pending only if it is still declined or left.
            let reopened = try await db.sql.update(Membership.schema)
                .set("status", to: SQLBind(MembershipStatus.pending.rawValue))
                .set("college_id", to: SQLBind(input.college))
                .set("shares", to: SQLBind(input.shares))
                .set("message", to: SQLBind(message))
                .set("requested_at", to: SQLBind(Date()))
                .set("decided_at", to: SQLLiteral.null)
                .set("decided_by", to: SQLLiteral.null)
                .where("cooperative_id", .equal, SQLBind(coopID)).where("user_id", .equal, SQLBind(userID))
                .where("status", .in, SQLBind.group([MembershipStatus.declined.rawValue, MembershipStatus.left.rawValue]))
                .returning("id").all()
            guard reopened.isEmpty else {
                return try await Cooperatives.membership(of: userID, in: coopID, on: db)!
            }
            let existing = try await Cooperatives.membership(of: userID, in: coopID, on: db)
            throw existing?.memberStatus == .active ? alreadyMember : alreadyRequested
        }
        try await Cooperatives.notifyBoard(of: coop, on: db, link: "/c/\(coop.slug)/manage", kind: .membership,
            Localized(fr: "\(user.displayName) demande à rejoindre \(coop.name).",
                      en: "\(user.displayName) asks to join \(coop.name)."))
        return membership
    }

    /// Approve or decline a pending request. The conditional update decides once, even if two
    /// board members click at the same moment.
    static func decide(_ membershipID: UUID, approve: Bool, by board: User, coop: Cooperative, on db: any Database) async throws -> Membership {
        try await Cooperatives.require(.board, board, in: coop, on: db)
        let coopID = try coop.requireID()
        let status: MembershipStatus = approve ? .active : .declined
        let changed = try await db.sql.update(Membership.schema)
            .set("status", to: SQLBind(status.rawValue))
            .set("decided_at", to: SQLBind(Date()))
            .set("decided_by", to: SQLBind(try board.requireID()))
            .where("id", .equal, SQLBind(membershipID)).where("cooperative_id", .equal, SQLBind(coopID))
            .where("status", .equal, SQLBind(MembershipStatus.pending.rawValue))
            .returning("id").all()
        guard let membership = try await Membership.query(on: db).filter(\.$id == membershipID)
            .filter(\.$cooperative.$id == coopID).with(\.$user).with(\.$college).first()
        else { throw Problem.notFound(Cooperatives.membershipWord) }
        if changed.isEmpty { try MembershipRules.decide(current: membership.memberStatus) }
        let text = approve
            ? Localized(fr: "Bienvenue ! Votre adhésion à \(coop.name) a été acceptée.", en: "Welcome! Your membership of \(coop.name) was approved.")
            : Localized(fr: "Votre demande d’adhésion à \(coop.name) n’a pas été acceptée.", en: "Your membership request to \(coop.name) was declined.")
        try await Inbox.notify(membership.$user.id, text, link: "/c/\(coop.slug)", kind: .membership, on: db)
        if approve && !changed.isEmpty { await Modules.membershipsChanged(in: coop, on: db) }
        return membership
    }

    /// Changes a member's role; the cooperative always keeps a board member.
    static func changeRole(_ membershipID: UUID, to role: MemberRole, by board: User, coop: Cooperative, on db: any Database) async throws -> Membership {
        try await Cooperatives.require(.board, board, in: coop, on: db)
        let coopID = try coop.requireID()
        let membership = try await db.writeTransaction { db -> Membership in
            // Touching the cooperative's row first serialises role changes within one cooperative,
            // so two board members cannot demote each other at the same instant.
            try await db.sql.update(Cooperative.schema).set("slug", to: SQLColumn("slug"))
                .where("id", .equal, SQLBind(coopID)).run()
            guard let membership = try await Membership.query(on: db).filter(\.$id == membershipID)
                .filter(\.$cooperative.$id == coopID).with(\.$user).with(\.$college).first(),
                membership.memberStatus == .active
            else { throw Problem.notFound(Cooperatives.membershipWord) }
            let boardCount = try await Membership.query(on: db).filter(\.$cooperative.$id == coopID)
                .filter(\.$status == MembershipStatus.active.rawValue).filter(\.$role == MemberRole.board.rawValue).count()
            try MembershipRules.changeRole(from: membership.memberRole, to: role, boardCount: boardCount)
            membership.role = role.rawValue
            try await membership.save(on: db)
            return membership
        }
        try await Inbox.notify(membership.$user.id,
            Localized(fr: "Votre rôle dans \(coop.name) est maintenant : \(role.label.fr).",
                      en: "Your role in \(coop.name) is now: \(role.label.en)."),
            link: "/c/\(coop.slug)", kind: .membership, on: db)
        return membership
    }
}
