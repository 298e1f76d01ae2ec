import Fluent
import Foundation
import MaillageCore
import Vapor

/// Who is looking at a delivery cooperative: anyone reads its public prices; a store's people
/// order for their store; staff and board set the stores, zones, prices and move deliveries on.
struct DeliveryAccess {
    let coop: Cooperative
    let coopID: UUID
    let user: User?
    let membership: Membership?

    /// `signedIn: true` asks for an account (401 otherwise); `minimum: .staff` for the staff (403).
    init(_ req: Request, signedIn: Bool = false, minimum: MemberRole? = nil) async throws {
        let coop = try await Cooperatives.host(slug: req.parameters.get("slug") ?? "", on: req.db)
        self.coop = coop
        self.coopID = try coop.requireID()
        self.user = req.user
        if let minimum {
            let user = try req.requireUser()
            self.membership = try await Cooperatives.require(minimum, user, in: coop, on: req.db)
        } else if let user = req.user, let id = user.id {
            if signedIn { _ = try req.requireUser() }
            let found = try await Cooperatives.membership(of: id, in: coopID, on: req.db)
            self.membership = found?.memberStatus == .active ? found : nil
        } else {
            if signedIn { _ = try req.requireUser() }
            self.membership = nil
        }
        guard coop.activityList.contains(.delivery) else { throw DeliveryWords.notDelivery }
    }

    var isStaff: Bool { (membership?.memberRole ?? .member) >= .staff }
    var base: String { "/c/\(coop.slug)/delivery" }

    /// The store, if this person may order for it (its people, or the cooperative's staff).
    func store(_ id: UUID?, on db: any Database) async throws -> DeliveryStoreRow {
        let store = try await DeliverySettings.store(id, in: coopID, on: db)
        guard let user = user?.id else { throw Problem.signInRequired }
        // Someone outside the store is told it does not exist: store names are the cooperative's business.
        if isStaff { return store }
        guard try await DeliverySettings.isMember(user, of: store.id, on: db) else { throw Problem.notFound(DeliveryWords.store) }
        return store
    }

    /// The delivery, if this person may see it (its store's people, or staff).
    func delivery(_ id: UUID?, on db: any Database) async throws -> (DeliveryRow, DeliveryStoreRow) {
        let delivery = try await DeliveryOrders.delivery(id, in: coopID, on: db)
        do {
            return (delivery, try await store(delivery.store_id, on: db))
        } catch let error as DomainError where error.kind == .notFound {
            throw Problem.notFound(DeliveryWords.delivery)
        }
    }

    func actor(_ req: Request, channel: String = "web") -> DeliveryOrders.Actor {
        DeliveryOrders.Actor(user: user?.id, channel: channel, clientAddress: ClientAddress.of(req))
    }

    static func names(_ ids: Set<UUID>, on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let users = try await User.query(on: db).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(users.compactMap { user in user.id.map { ($0, user.displayName) } }, uniquingKeysWith: { a, _ in a })
    }
}
