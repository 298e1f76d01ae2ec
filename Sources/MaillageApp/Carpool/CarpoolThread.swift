import Fluent
import MaillageCore
import Vapor

/// An ask's conversation is the Kernel thread of the ask: its two sides read and write there,
/// nobody else, not even to learn that it exists; a person blocked by the other cannot write.
enum CarpoolThread {
    static let kindName = "carpool-ask"

    static func access(_ ask: RideAskRow, slug: String) -> ThreadAccess {
        let sides = [ask.driver_id, ask.passenger_id]
        return ThreadAccess(subject: ThreadSubject(kind: kindName, id: ask.id, cooperativeID: ask.cooperative_id), slug: slug,
                            canRead: true, canPost: true, isPrivate: true, participants: sides,
                            page: CarpoolNotices.link(slug, ask: ask.id),
                            about: Localized(fr: "le trajet \(ask.pickup_name) → \(ask.dropoff_name)", en: "the ride \(ask.pickup_name) → \(ask.dropoff_name)"),
                            mentionable: { _ in sides })
    }

    static let kind = ThreadKind(kind: kindName, access: { req, id in
        let carpool = try await CarpoolAccess(req, member: true)
        let ask = try await CarpoolAsks.find(id, in: carpool.coopID, for: try carpool.memberID(), on: req.db)
        return access(ask, slug: carpool.coop.slug)
    }, page: { req, id, state, status in
        let carpool = try await CarpoolAccess(req, member: true)
        return try await CarpoolAskPages.view(req, access: carpool, id: id, state: state, status: status)
    }, path: { slug, id in CarpoolNotices.link(slug, ask: id) })
}
