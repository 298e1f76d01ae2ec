import Fluent
import MaillageCore
import Vapor

/// An offer or want's thread: any member writes to its author there (the listing form promises
/// "être contacté·e par le site"); the author is told of each message. No address is shown.
enum ExchangeThread {
    static let kindName = "offer-want"

    static func access(_ access: LendingAccess, _ row: OfferWantRow) -> ThreadAccess {
        MemberThreads.access(ThreadSubject(kind: kindName, id: row.id, cooperativeID: row.cooperativeID), slug: access.coop.slug,
                             isMember: access.isMember,
                             closed: row.withdrawnAt == nil ? nil : Localized(fr: "Cette annonce est retirée : on n’y écrit plus.",
                                                                             en: "This listing is withdrawn: no more messages."),
                             participants: [row.authorID], page: "/c/\(access.coop.slug)/exchange/\(row.id)",
                             about: Localized(fr: "l’annonce « \(row.title) »", en: "the listing “\(row.title)”"))
    }

    static let kind = ThreadKind(kind: kindName, access: { req, id in
        let lending = try await ExchangePages.access(req)
        return access(lending, try await ExchangeStore.find(id, in: lending.coopID, on: req.db))
    }, page: { req, id, state, status in
        try await ExchangePages.showView(req, id: id, state: state, status: status)
    }, path: { slug, id in "/c/\(slug)/exchange/\(id)" })
}
