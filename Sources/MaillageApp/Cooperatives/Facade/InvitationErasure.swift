import Fluent
import Foundation
import MaillageCore
import SQLKit

/// "Delete my account" reaches the invitations sent to the person's address (Privacy's erasure
/// knows the address; the invitations know no account until one is accepted).
enum InvitationErasure {
    /// Pending invitations to the address are withdrawn, and the address and the board's words
    /// to that person leave every invitation.
    static func forget(email: String, on db: any Database) async throws {
        let address = email.lowercased()
        try await db.sql.update(Invitation.schema).set("status", to: SQLBind(InvitationState.withdrawn.rawValue))
            .set("withdrawn_at", to: SQLBind(Date()))
            .where("email", .equal, SQLBind(address)).where("status", .equal, SQLBind(InvitationState.pending.rawValue)).run()
        try await db.sql.update(Invitation.schema).set("email", to: SQLBind("")).set("message", to: SQLBind(""))
            .where("email", .equal, SQLBind(address)).run()
    }
}
