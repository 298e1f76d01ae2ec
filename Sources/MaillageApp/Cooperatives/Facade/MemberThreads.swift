import Fluent
import MaillageCore
import Vapor

/// Threads open to a cooperative's members (a listing, a vote's discussion): every active member
/// reads and writes there, and may be named with `@`.
enum MemberThreads {
    static func activeMembers(of coopID: UUID, on db: any Database) async throws -> [UUID] {
        try await Membership.query(on: db).filter(\.$cooperative.$id == coopID)
            .filter(\.$status == MembershipStatus.active.rawValue).all().map { $0.$user.id }
    }

    /// `isMember`: the person asking is an active member. `closed`: why nobody writes any more
    /// (a withdrawn listing), or nil while the thread is open.
    static func access(_ subject: ThreadSubject, slug: String, isMember: Bool, closed: Localized? = nil, participants: [UUID],
                       page: String, about: Localized) -> ThreadAccess {
        let coopID = subject.cooperativeID
        return ThreadAccess(subject: subject, slug: slug, canRead: isMember, canPost: isMember && closed == nil, whyNot: closed,
                            participants: participants, page: page, about: about,
                            mentionable: { db in try await activeMembers(of: coopID, on: db) })
    }
}
