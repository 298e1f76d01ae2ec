import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// `/api/v1/cooperatives/{slug}/food/dfc/orders`: Open Food Network hubs (or any DFC platform)
/// order from the cooperative's producers with a producer's or a coordinator's token (a `dfc`
/// token is enough), read the order back, change its quantities and cancel it — and a producer's
/// other platform reads any of our orders as DFC.
enum FoodDFCOrders {
    /// A producer (their own offers) or a coordinator (any).
    static func caller(_ req: Request) async throws -> FoodAccess {
        let access = try await FoodAccess(req)
        guard access.isCoordinator || access.producer != nil else { throw FoodAccess.producersOnly }
        return access
    }

    static func document(_ req: Request) throws -> DFCOrder {
        guard let body = req.body.data, body.readableBytes > 0 else {
            throw DomainError(.invalid, code: "empty_body", fr: "Envoyez une commande DFC (JSON-LD).", en: "Send a DFC order (JSON-LD).")
        }
        return try DFCOrder(data: Data(buffer: body))
    }

    static func api(_ req: Request) -> String {
        PublicAddress.baseURL(req).trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/api/v1/cooperatives/\(req.parameters.get("slug") ?? "")/food"
    }

    /// The order as DFC: each line's offer under the IRI our catalog gives it, the cycle as the sale session.
    static func answer(_ row: OrderRow, status: HTTPStatus, only producer: UUID? = nil, _ req: Request) throws -> Response {
        let cart = try row.pricedCart()
        let summary = DFCOrderSummary(
            iri: "\(api(req))/dfc/orders/\(row.id.uuidString.lowercased())", number: row.number, placedAt: row.placedAt,
            saleSession: "\(api(req))/cycles/\(row.cycleID.uuidString.lowercased())", orderedBy: nil, status: row.orderStatus,
            lines: cart.lines.filter { producer == nil || $0.producerID == producer }.map { line in
                .init(offer: "\(FoodDFC.base(req))/enterprises/\(line.producerID.uuidString.lowercased())/supplied_products/\(line.variantID.uuidString.lowercased())/offer",
                      quantity: line.quantity, unitPriceCents: line.unitPriceCents, vatRate: line.vatRate)
            })
        return jsonLD(summary.jsonObject(), status: status)
    }

    static func jsonLD(_ object: [String: Any], status: HTTPStatus) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        let response = Response(status: status, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: "application/ld+json; charset=utf-8")
        return response
    }

    /// Refused lines: 409 when only stock or the cycle's dates stand in the way (the same order may
    /// go through later), 422 when the document must change.
    static func refusal(_ order: DFCOrder, _ refused: [DFCOrderMapping.Refusal], _ req: Request) -> Response {
        let namespace = PublicAddress.baseURL(req).trimmingCharacters(in: CharacterSet(charactersIn: "/")) + "/api/openapi.json#dfc-"
        return jsonLD(DFCOrderMapping.refusalDocument(order, refused: refused, namespace: namespace, language: req.language),
                      status: refused.allSatisfy(\.problem.isConflict) ? .conflict : .unprocessableEntity)
    }

    static func respond(_ outcome: FoodDFCOrderStore.Outcome, to order: DFCOrder, _ req: Request) throws -> Response {
        switch outcome {
        case let .placed(row, created): try answer(row, status: created ? .created : .ok, req)
        case .refused(let refused): refusal(order, refused, req)
        }
    }

    @Sendable static func place(_ req: Request) async throws -> Response {
        let access = try await caller(req)
        let order = try document(req)
        return try respond(try await FoodDFCOrderStore.place(order, access: access, on: req.db), to: order, req)
    }

    /// The order named in the path, if this caller may see it: a coordinator any order of the
    /// cooperative, its shopper their own, a producer one holding their products (their lines only).
    static func visible(_ req: Request) async throws -> (FoodAccess, OrderRow, producer: UUID?) {
        let access = try await caller(req)
        guard let id = req.parameters.get("order", as: UUID.self) else { throw Problem.notFound(FoodCheckout.orderWord) }
        let row = try await FoodCheckout.order(id, on: req.db)
        guard row.cooperativeID == access.coopID else { throw Problem.notFound(FoodCheckout.orderWord) }
        if access.isCoordinator || row.shopperID == access.userID { return (access, row, nil) }
        guard let producer = access.producer?.id, try row.pricedCart().lines.contains(where: { $0.producerID == producer }) else {
            throw Problem.notFound(FoodCheckout.orderWord)
        }
        return (access, row, producer)
    }

    @Sendable static func read(_ req: Request) async throws -> Response {
        let (_, row, producer) = try await visible(req)
        return try answer(row, status: .ok, only: producer, req)
    }

    static let notDFC = DomainError(.conflict, code: "not_a_dfc_order",
        fr: "Cette commande a été passée sur la boutique : elle se modifie depuis la boutique, pas par DFC.",
        en: "This order was placed in the shop: it is changed there, not by DFC.")

    /// An order placed by DFC, which this caller placed or coordinates.
    static func changeable(_ req: Request) async throws -> (FoodAccess, OrderRow) {
        let (access, row, producer) = try await visible(req)
        guard producer == nil else { throw Problem.notFound(FoodCheckout.orderWord) }
        guard FoodDFCOrderStore.isDFC(row) else { throw notDFC }
        return (access, row)
    }

    static func change(_ req: Request, replacing: Bool) async throws -> Response {
        let (access, row) = try await changeable(req)
        let order = try document(req)
        if order.isCancellation { return try await cancel(access, row, req) }
        return try respond(try await FoodDFCOrderStore.change(row, to: order, replacing: replacing, access: access, on: req.db), to: order, req)
    }

    @Sendable static func replace(_ req: Request) async throws -> Response { try await change(req, replacing: true) }
    @Sendable static func amend(_ req: Request) async throws -> Response { try await change(req, replacing: false) }

    @Sendable static func cancel(_ req: Request) async throws -> Response {
        let (access, row) = try await changeable(req)
        return try await cancel(access, row, req)
    }

    /// The checkout's own cancellation: one conditional claim, so two cancels racing give the
    /// stock back once (the second is told the order is already cancelled).
    static func cancel(_ access: FoodAccess, _ row: OrderRow, _ req: Request) async throws -> Response {
        let actor: OrderActor = row.shopperID == access.userID && !access.isCoordinator ? .shopper : .coordinator
        return try answer(try await FoodCheckout.cancel(row.id, by: actor, user: access.userID, on: req.db), status: .ok, req)
    }
}
