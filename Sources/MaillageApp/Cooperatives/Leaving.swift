import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Leaving a cooperative: the member themself, from the cooperative's page, or the staff
/// recording a departure announced otherwise (a letter, the assembly). The departure goes into
/// the register; paying the shares back follows the share-capital rules (`ShareCapitalBooking`,
/// run by its job: at once, or later if the capital floor makes it wait).
enum Leaving {
    static let notAllowed = DomainError(.forbidden, code: "forbidden", field: "membership",
                                        fr: "Seul·e le ou la sociétaire, ou l’équipe de la coopérative, peut enregistrer ce départ.",
                                        en: "Only the member, or the cooperative's staff, can record this departure.")

    @discardableResult
    static func leave(_ membershipID: UUID, by actor: User, coop: Cooperative, on db: any Database, now: Date = Date()) async throws -> Membership {
        let coopID = try coop.requireID(), actorID = try actor.requireID()
        let membership = try await db.writeTransaction { db -> Membership in
            // Touching the cooperative's row first serialises departures and role changes within one
            // cooperative, so the last two board members cannot both leave at the same instant.
            try await db.sql.update(Cooperative.schema).set("slug", to: SQLColumn("slug"))
                .where("id", .equal, SQLBind(coopID)).run()
            guard let membership = try await Membership.query(on: db).filter(\.$id == membershipID)
                .filter(\.$cooperative.$id == coopID).with(\.$user).with(\.$college).first()
            else { throw Problem.notFound(Cooperatives.membershipWord) }
            if membership.$user.id != actorID {
                let mine = try await Cooperatives.membership(of: actorID, in: coopID, on: db)
                guard let mine, mine.memberStatus == .active, mine.memberRole >= .staff else { throw notAllowed }
            }
            let others = Membership.query(on: db).filter(\.$cooperative.$id == coopID).filter(\.$id != membershipID)
                .filter(\.$status == MembershipStatus.active.rawValue)
            try MembershipRules.leave(current: membership.memberStatus, isBoard: membership.memberRole == .board,
                                      otherBoardMembers: try await others.copy().filter(\.$role == MemberRole.board.rawValue).count(),
                                      otherMembers: try await others.count())
            // A person who comes back starts as a member again, whatever role they had.
            let changed = try await db.sql.update(Membership.schema)
                .set("status", to: SQLBind(MembershipStatus.left.rawValue))
                .set("role", to: SQLBind(MemberRole.member.rawValue))
                .where("id", .equal, SQLBind(membershipID)).where("status", .equal, SQLBind(MembershipStatus.active.rawValue))
                .returning("id").all()
            guard !changed.isEmpty else {
                try MembershipRules.leave(current: .left, isBoard: false, otherBoardMembers: 0, otherMembers: 0)
                return membership
            }
            try await MembershipDepartures.record(membership, recordedBy: actorID, at: now, on: db)
            membership.status = MembershipStatus.left.rawValue
            membership.role = MemberRole.member.rawValue
            return membership
        }
        let text = membership.$user.id == actorID
            ? Localized(fr: "\(membership.user.displayName) a quitté \(coop.name).", en: "\(membership.user.displayName) left \(coop.name).")
            : Localized(fr: "Votre départ de \(coop.name) a été enregistré par l’équipe.", en: "Your departure from \(coop.name) was recorded by the staff.")
        if membership.$user.id == actorID {
            try await Cooperatives.notifyBoard(of: coop, on: db, link: "/c/\(coop.slug)/manage", text)
        } else {
            try await Inbox.notify(membership.$user.id, text, link: "/c/\(coop.slug)", on: db)
        }
        return membership
    }
}
