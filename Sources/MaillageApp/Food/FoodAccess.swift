import Fluent
import Foundation
import MaillageCore
import Vapor

/// Who is asking, in a food cooperative: an active member (to order), a producer (their
/// products), a coordinator (staff or board: cycles, pickup points, reports).
struct FoodAccess {
    let coop: Cooperative
    let coopID: UUID
    let user: User
    let userID: UUID
    let membership: Membership
    let producer: ProducerRow?

    static let notFood = DomainError(.notFound, code: "not_food_cooperative",
        fr: "Cette coopérative ne vend pas de produits alimentaires.", en: "This cooperative does not sell food.")
    static let producersOnly = DomainError(.forbidden, code: "producers_only",
        fr: "Réservé aux producteurs de la coopérative : demandez à l’équipe de vous inscrire comme producteur.",
        en: "For the cooperative's producers only: ask the staff to register you as a producer.")

    init(_ req: Request, minimum: MemberRole = .member) async throws {
        let (coop, user, membership) = try await Cooperatives.memberContext(req, minimum: minimum)
        guard coop.activityList.contains(.food) else { throw Self.notFood }
        self.coop = coop
        self.coopID = try coop.requireID()
        self.user = user
        self.userID = try user.requireID()
        self.membership = membership
        self.producer = try await FoodCatalogStore.producer(user: userID, in: coopID, on: req.db)
    }

    var isCoordinator: Bool { membership.memberRole >= .staff }

    func requireProducer() throws -> ProducerRow {
        guard let producer else { throw Self.producersOnly }
        return producer
    }

    /// The producer whose products are at stake: oneself, or any for a coordinator.
    func producer(_ id: UUID?, on db: any Database) async throws -> ProducerRow {
        if let id, id != producer?.id {
            guard isCoordinator else { throw Problem.forbidden }
            return try await FoodCatalogStore.producer(id, in: coopID, on: db)
        }
        return try requireProducer()
    }

    /// A cooperative page open to anyone (the shopfront): the cooperative, if it sells food.
    static func publicCooperative(_ req: Request) async throws -> Cooperative {
        let coop = try await Cooperatives.host(slug: req.parameters.get("slug") ?? "", on: req.db)
        guard coop.activityList.contains(.food) else { throw notFood }
        return coop
    }
}
