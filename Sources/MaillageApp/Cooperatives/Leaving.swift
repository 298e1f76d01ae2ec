import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Leaving a cooperative: the member themself, from the cooperative's page, or the staff (the
/// board, for a member of the board or staff) recording a departure announced otherwise (a
/// letter, the assembly), with a reason sent to the person. The departure goes into
/// the register; paying the shares back follows the share-capital rules (`ShareCapitalBooking`,
/// run by its job: at once, or later if the capital floor makes it wait).
enum Leaving {
    static let notAllowed = DomainError(.forbidden, code: "forbidden", field: "membership",
                                        fr: "Seul·e le ou la sociétaire, ou l’équipe de la coopérative, peut enregistrer ce départ.",
                                        en: "Only the member, or the cooperative's staff, can record this departure.")

    @discardableResult
    static func leave(_ membershipID: UUID, by actor: User, reason: String? = nil, coop: Cooperative, on db: any Database,
                      now: Date = Date()) async throws -> Membership {
        let coopID = try coop.requireID(), actorID = try actor.requireID()
        let (membership, recordedReason) = try await db.writeTransaction { db -> (Membership, String?) in
            // Touching the cooperative's row first serialises departures and role changes within one
            // cooperative, so the last two board members cannot both leave at the same instant.
            try await db.sql.update(Cooperative.schema).set("slug", to: SQLColumn("slug"))
                .where("id", .equal, SQLBind(coopID)).run()
            guard let membership = try await Membership.query(on: db).filter(\.$id == membershipID)
                .filter(\.$cooperative.$id == coopID).with(\.$user).with(\.$college).first()
            else { throw Problem.notFound(Cooperatives.membershipWord) }
            var recordedReason: String?
            if membership.$user.id != actorID {
                let mine = try await Cooperatives.membership(of: actorID, in: coopID, on: db)
                guard let mine, mine.memberStatus == .active else { throw notAllowed }
                recordedReason = try MembershipRules.recordDeparture(by: mine.memberRole, of: membership.memberRole, reason: reason ?? "")
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
                return (membership, nil)
            }
            try await MembershipDepartures.record(membership, recordedBy: actorID, reason: recordedReason, at: now, on: db)
            membership.status = MembershipStatus.left.rawValue
            membership.role = MemberRole.member.rawValue
            return (membership, recordedReason)
        }
        let text = membership.$user.id == actorID
            ? Localized(fr: "\(membership.user.displayName) a quitté \(coop.name).", en: "\(membership.user.displayName) left \(coop.name).")
            : Localized(fr: "Votre départ de \(coop.name) a été enregistré. Raison notée : « \(recordedReason ?? "") ».",
                        en: "Your departure from \(coop.name) was recorded. Reason given: “\(recordedReason ?? "")”.")
        await Modules.membershipsChanged(in: coop, on: db)
        if membership.$user.id == actorID {
            try await Cooperatives.notifyBoard(of: coop, on: db, link: "/c/\(coop.slug)/manage", kind: .membership, text)
        } else {
            try await Inbox.notify(membership.$user.id, text, link: "/c/\(coop.slug)", kind: .membership, on: db)
        }
        return membership
    }
}
