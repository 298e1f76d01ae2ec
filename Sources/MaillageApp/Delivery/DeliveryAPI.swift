import Fluent
import Foundation
import MaillageCore
import Vapor

/// The store API, `/api/v1/cooperatives/<slug>/delivery/…`: a store's own software previews,
/// orders, reads and cancels its deliveries with a store token (`X-Delivery-Token`). It calls
/// the code the store's pages call (`DeliveryOrders`), so the rules, prices and events are the
/// same; a token reaches its own store's deliveries only (another's answer 404).
enum DeliveryAPI {
    static func routes(_ api: any RoutesBuilder) {
        let group = api.grouped("cooperatives", ":slug", "delivery")
        group.post("preview", use: preview)
        group.post("deliveries", use: create)
        group.get("deliveries", use: list)
        group.get("deliveries", ":id", use: show)
        group.post("deliveries", ":id", "cancel", use: cancel)
    }

    struct Caller {
        var access: DeliveryAccess
        var store: DeliveryStoreRow
        var baseURL: String
    }

    static func caller(_ req: Request) async throws -> Caller {
        let access = try await DeliveryAccess(req)
        let (_, store) = try await DeliveryAPITokens.store(for: req, coop: access.coopID)
        return Caller(access: access, store: store, baseURL: PublicAddress.baseURL(req))
    }

    static func actor(_ req: Request) -> DeliveryOrders.Actor {
        DeliveryOrders.Actor(user: nil, channel: "api", clientAddress: ClientAddress.of(req))
    }

    static func order(_ req: Request, _ caller: Caller) async throws -> DeliveryDraft {
        let order = try req.content.decode(DeliveryAPIOrder.self)
        let types = try await DeliverySettings.packageTypes(of: caller.access.coopID, on: req.db).map(\.type)
        return try order.draft(packageTypes: types)
    }

    @Sendable static func preview(_ req: Request) async throws -> DeliveryAPIPreview {
        let caller = try await caller(req)
        let assessment = try await DeliveryOrders.assess(try await order(req, caller), store: caller.store, on: req.db)
        let language = req.language
        return DeliveryAPIPreview(accepted: assessment.accepted,
                                  refusals: assessment.refusals.map { .init(code: $0.code, message: $0.message(language), field: $0.field) },
                                  distanceKm: (assessment.facts.distanceKm * 100).rounded() / 100,
                                  priceCents: assessment.quote?.totalCents,
                                  split: assessment.quote.map { .init(couriersCents: $0.split.couriersCents, cooperativeCents: $0.split.cooperativeCents,
                                                                      reservesCents: $0.split.reservesCents) },
                                  lines: assessment.quote?.lines.map { .init(label: $0.label, cents: $0.cents) } ?? [])
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let caller = try await caller(req)
        let delivery = try await DeliveryOrders.create(try await order(req, caller), store: caller.store, by: actor(req), on: req.db)
        let tasks = try await DeliveryOrders.tasks(of: delivery.id, on: req.db)
        let response = try await DeliveryAPIDelivery(delivery, tasks: tasks, baseURL: caller.baseURL).encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/cooperatives/\(caller.access.coop.slug)/delivery/deliveries/\(delivery.id)")
        return response
    }

    @Sendable static func list(_ req: Request) async throws -> [DeliveryAPIDelivery] {
        let caller = try await caller(req)
        return try await DeliveryOrders.deliveries(ofStore: caller.store.id, on: req.db).map { DeliveryAPIDelivery($0, tasks: nil, baseURL: caller.baseURL) }
    }

    /// The delivery, if it is this store's: another store's is as unknown as a made-up id.
    static func delivery(_ req: Request, _ caller: Caller) async throws -> DeliveryRow {
        let delivery = try await DeliveryOrders.delivery(req.parameters.get("id", as: UUID.self), in: caller.access.coopID, on: req.db)
        guard delivery.store_id == caller.store.id else { throw Problem.notFound(DeliveryWords.delivery) }
        return delivery
    }

    @Sendable static func show(_ req: Request) async throws -> DeliveryAPIDelivery {
        let caller = try await caller(req)
        let delivery = try await delivery(req, caller)
        return DeliveryAPIDelivery(delivery, tasks: try await DeliveryOrders.tasks(of: delivery.id, on: req.db), baseURL: caller.baseURL)
    }

    /// The store cancels while no courier has finished it; a second cancel is a 409 saying where it stands.
    @Sendable static func cancel(_ req: Request) async throws -> DeliveryAPIDelivery {
        let caller = try await caller(req)
        let delivery = try await delivery(req, caller)
        let moved = try await DeliveryOrders.move(delivery.id, in: caller.access.coopID, to: .cancelled, by: actor(req), on: req.db)
        return DeliveryAPIDelivery(moved, tasks: try await DeliveryOrders.tasks(of: moved.id, on: req.db), baseURL: caller.baseURL)
    }
}
