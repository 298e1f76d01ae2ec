import Fluent
import MaillageCore
import SQLKit
import Vapor

/// "Delete my account": the person disappears behind a pseudonym at once; the cooperatives'
/// records (memberships, ballots, attendance, decisions) stay whole.
enum Erasure {
    /// Reasons the account cannot go yet, asked of every module.
    static func openObligations(of user: User, on db: any Database) async throws -> [Localized] {
        var reasons: [Localized] = []
        for module in Modules.all { reasons += try await module.openObligations(of: user, on: db) }
        return reasons
    }

    static func pseudonym(for userID: UUID) -> String {
        "Ancien·ne sociétaire " + String(userID.uuidString.prefix(6))
    }

    static func erase(_ user: User, on db: any Database) async throws {
        let reasons = try await openObligations(of: user, on: db)
        if let first = reasons.first {
            throw DomainError(.conflict, code: "open_obligation", fr: first.fr, en: first.en)
        }
        let userID = try user.requireID()
        let oldEmail = user.email, oldName = user.displayName
        let left = try await db.writeTransaction { db -> [UUID] in
            try await db.sql.update(User.schema)
                .set("email", to: SQLBind("deleted-\(userID.uuidString.lowercased())@invalid"))
                .set("display_name", to: SQLBind(pseudonym(for: userID)))
                .set("password_hash", to: SQLBind(User.erasedPassword))
                .set("language", to: SQLLiteral.null)
                .where("id", .equal, SQLBind(userID)).run()
            try await db.sql.delete(from: AccessToken.schema).where("user_id", .equal, SQLBind(userID)).run()
            try await db.sql.delete(from: Notice.schema).where("user_id", .equal, SQLBind(userID)).run()
            try await db.sql.delete(from: LoginAttempts.table).where("email", .equal, SQLBind(oldEmail)).run()
            try await Outbox.forget(destination: oldEmail, on: db)
            try await InvitationErasure.forget(email: oldEmail, on: db)
            // Leaving: the membership row stays in the register of members, marked as left, and the
            // departure is recorded so the shares are paid back.
            let active = try await Membership.query(on: db).filter(\.$user.$id == userID)
                .filter(\.$status == MembershipStatus.active.rawValue).all()
            for membership in active {
                try await MembershipDepartures.record(membership, recordedBy: userID, at: Date(), on: db)
            }
            try await db.sql.update(Membership.schema).set("status", to: SQLBind(MembershipStatus.left.rawValue))
                .set("message", to: SQLBind(""))
                .where("user_id", .equal, SQLBind(userID)).run()
            for module in Modules.all {
                try await module.erasePersonalData(of: userID, name: oldName, pseudonym: pseudonym(for: userID), on: db)
                try await module.forgetAddress(oldEmail, on: db)
            }
            // Sessions are stored by opaque id; the person's id appears in their data.
            try await db.sql.delete(from: DatabaseSessions.table).where("data", .like, SQLBind("%\(userID.uuidString)%")).run()
            return active.map { $0.$cooperative.id }
        }
        for coop in try await Cooperative.query(on: db).filter(\.$id ~~ left).all() {
            await Modules.membershipsChanged(in: coop, on: db)
        }
    }
}
