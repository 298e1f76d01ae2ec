import Fluent
import MaillageCore
import Vapor

/// A vote's discussion, beside its ballot and the board's statement: the cooperative's members
/// read and write there; the person who proposed it hears of each message, `@` names the others.
enum VoteThread {
    static let kindName = "vote"

    static func access(_ coop: Cooperative, _ proposal: Proposal) throws -> ThreadAccess {
        let id = try proposal.requireID()
        return MemberThreads.access(ThreadSubject(kind: kindName, id: id, cooperativeID: try coop.requireID()), slug: coop.slug, isMember: true,
                                    participants: [proposal.$author.id], page: "/c/\(coop.slug)/votes/\(id)",
                                    about: Localized(fr: "le vote « \(proposal.title) »", en: "the vote “\(proposal.title)”"))
    }

    /// Members only: `memberContext` refuses anyone else before the thread is read.
    static let kind = ThreadKind(kind: kindName, access: { req, id in
        let (coop, _, _) = try await Cooperatives.memberContext(req)
        return try access(coop, try await Votes.find(id, in: coop, on: req.db))
    }, page: { req, id, state, status in
        let (coop, user, membership) = try await Cooperatives.memberContext(req)
        return try await VotePages.showView(req, coop: coop, user: user, membership: membership, proposal: try await Votes.find(id, in: coop, on: req.db),
                                            problem: nil, discussion: state, status: status)
    }, path: { slug, id in "/c/\(slug)/votes/\(id)" })
}
