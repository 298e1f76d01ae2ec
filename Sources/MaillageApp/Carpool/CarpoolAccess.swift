import Fluent
import Foundation
import MaillageCore
import Vapor

/// Who is looking at a carpool cooperative: anyone may search its rides (places and times, no
/// names); members publish, ask and answer; staff and board set relay points and the money rule.
struct CarpoolAccess {
    let coop: Cooperative
    let coopID: UUID
    let user: User?
    let membership: Membership?

    /// `member: true` refuses anyone who is not an active member (403), or not signed in (401).
    init(_ req: Request, member: Bool = false, minimum: MemberRole = .member) async throws {
        let coop = try await Cooperatives.host(slug: req.parameters.get("slug") ?? "", on: req.db)
        self.coop = coop
        self.coopID = try coop.requireID()
        self.user = req.user
        if member {
            let user = try req.requireUser()
            self.membership = try await Cooperatives.require(minimum, user, in: coop, on: req.db)
        } else if let user = req.user, let id = user.id {
            let found = try await Cooperatives.membership(of: id, in: coopID, on: req.db)
            self.membership = found?.memberStatus == .active ? found : nil
        } else {
            self.membership = nil
        }
        guard coop.activityList.contains(.carpool) else { throw Self.notCarpool }
    }

    var isMember: Bool { membership != nil }
    var isStaff: Bool { (membership?.memberRole ?? .member) >= .staff }

    /// The signed-in member's id (only when `member: true` or `isMember`).
    func memberID() throws -> UUID {
        guard isMember, let id = user?.id else { throw Problem.forbidden }
        return id
    }

    var base: String { "/c/\(coop.slug)/carpool" }

    static let notCarpool = DomainError(.notFound, code: "not_carpool",
        fr: "Cette coopérative n’anime pas de covoiturage.", en: "This cooperative runs no carpooling.")

    static func names(_ ids: Set<UUID>, on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let users = try await User.query(on: db).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(users.compactMap { user in user.id.map { ($0, user.displayName) } }, uniquingKeysWith: { a, _ in a })
    }
}
