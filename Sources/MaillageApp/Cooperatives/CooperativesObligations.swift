import Foundation
import Fluent
import MaillageCore
import SQLKit

extension CooperativesModule {
    /// The only board member of a cooperative with other members must hand over first:
    /// otherwise nobody could approve members or convene the assembly.
    func openObligations(of user: User, on db: any Database) async throws -> [Localized] {
        var reasons: [Localized] = []
        let userID = try user.requireID()
        let seats = try await Membership.query(on: db).filter(\.$user.$id == userID).filter(\.$status == MembershipStatus.active.rawValue)
            .filter(\.$role == MemberRole.board.rawValue).with(\.$cooperative).all()
        for seat in seats {
            let coopID = seat.$cooperative.id
            let others = Membership.query(on: db).filter(\.$cooperative.$id == coopID).filter(\.$user.$id != userID)
                .filter(\.$status == MembershipStatus.active.rawValue)
            let otherBoard = try await others.copy().filter(\.$role == MemberRole.board.rawValue).count()
            if !MembershipRules.mayLeave(isBoard: true, otherBoardMembers: otherBoard, otherMembers: try await others.count()) {
                reasons.append(Localized(fr: "Vous êtes le seul membre du conseil de \(seat.cooperative.name) : confiez ce rôle à un·e autre sociétaire d’abord.",
                                         en: "You are the only board member of \(seat.cooperative.name): hand the role to another member first."))
            }
        }
        return reasons
    }
}

extension CooperativesModule {
    /// Invitations the person accepted, whatever address they went to.
    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws {
        try await db.sql.update(Invitation.schema).set("email", to: SQLBind("")).set("message", to: SQLBind(""))
            .where("accepted_by", .equal, SQLBind(user)).run()
    }
}
