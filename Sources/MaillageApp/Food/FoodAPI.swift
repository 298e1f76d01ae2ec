import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// `/api/v1/cooperatives/{slug}/food/…`: cycles, the shopfront, one-call checkout, orders.
enum FoodAPI {
    struct SlotDTO: Content { var id: UUID; var startsAt: Date; var endsAt: Date }
    struct PointDTO: Content { var id: UUID; var name: String; var address: String; var slots: [SlotDTO] }
    struct CycleDTO: Content {
        var id: UUID; var name: String; var opensAt: Date; var closesAt: Date; var phase: String
        var feeBasisPoints: Int64; var feeFixedCents: Int64; var deliveryFeeCents: Int64?; var pickupPoints: [PointDTO]
    }

    @Sendable static func cycles(_ req: Request) async throws -> APIPage<CycleDTO> {
        let coop = try await FoodAccess.publicCooperative(req)
        let now = Date()
        var out: [CycleDTO] = []
        for row in try await FoodCycles.cycles(of: try coop.requireID(), on: req.db) where row.published {
            let points = try await FoodCycles.points(of: row, on: req.db)
            out.append(CycleDTO(id: row.id, name: row.name, opensAt: row.opensAt, closesAt: row.closesAt, phase: row.phase(at: now).rawValue,
                                feeBasisPoints: row.feeBasisPoints, feeFixedCents: row.feeFixedCents, deliveryFeeCents: row.deliveryFeeCents,
                                pickupPoints: points.map { point in
                                    PointDTO(id: point.id, name: point.name, address: point.address,
                                             slots: point.slots.map { SlotDTO(id: $0.id, startsAt: $0.startsAt, endsAt: $0.endsAt) })
                                }))
        }
        return .init(data: out)
    }

    struct VariantDTO: Content { var id: UUID; var label: String; var quantity: String; var priceCents: Int64; var available: Int64? }
    struct ProducerRef: Content { var id: UUID; var name: String }
    struct ProductDTO: Content {
        var id: UUID; var name: String; var category: String; var description: String; var unit: String; var vatRate: String
        var producer: ProducerRef; var variants: [VariantDTO]
    }
    struct ProductsPage: Content { var data: [ProductDTO]; var page: Int; var pageCount: Int; var total: Int }

    @Sendable static func products(_ req: Request) async throws -> ProductsPage {
        let coop = try await FoodAccess.publicCooperative(req)
        guard let id = req.parameters.get("cycle", as: UUID.self) else { throw Problem.notFound(FoodCycles.cycleWord) }
        let cycle = try await FoodCycles.row(id, in: try coop.requireID(), on: req.db)
        guard cycle.published else { throw Problem.notFound(FoodCycles.cycleWord) }
        let page = try await FoodShopfront.page(cycle: cycle.id, ShopPages.shopfrontQuery(req), on: req.db)
        return ProductsPage(data: page.items.map { item in
            ProductDTO(id: item.id, name: item.name, category: item.category, description: item.description, unit: item.unit,
                       vatRate: (VATRate(rawValue: item.vat_basis_points) ?? .standard).percent,
                       producer: ProducerRef(id: item.producer_id, name: item.producer_name),
                       variants: (page.offers[item.id] ?? []).map {
                           VariantDTO(id: $0.id, label: $0.label, quantity: Measure(thousandths: $0.quantity_thousandths).plain,
                                      priceCents: $0.price_cents, available: $0.available.map { max(0, $0) })
                       })
        }, page: page.page, pageCount: page.pageCount, total: page.total)
    }

    struct LineInput: Content { var variantId: UUID; var quantity: Int }
    struct CheckoutInput: Content {
        var lines: [LineInput]
        var pickupPointId: UUID?
        var slotId: UUID?
        var deliveryAddress: String?
        var payment: String?
        var confirm: Bool?
    }

    struct OrderLineDTO: Content { var variantId: UUID; var productName: String; var variantLabel: String; var quantity: Int; var unitPriceCents: Int64; var totalCents: Int64 }
    struct OrderDTO: Content {
        var id: UUID; var number: Int64; var cycleId: UUID; var status: String; var placedAt: Date; var expiresAt: Date; var payment: String
        var pickupPointId: UUID?; var slotId: UUID?; var goodsCents: Int64; var deliveryCents: Int64; var feeCents: Int64; var totalCents: Int64
        var lines: [OrderLineDTO]
    }

    static func dto(_ row: OrderRow) throws -> OrderDTO {
        let cart = try row.pricedCart()
        return OrderDTO(id: row.id, number: row.number, cycleId: row.cycleID, status: row.status, placedAt: row.placedAt, expiresAt: row.expiresAt,
                        payment: row.payment, pickupPointId: row.pickupPointID, slotId: row.slotID, goodsCents: row.goodsCents,
                        deliveryCents: row.deliveryCents, feeCents: row.feeCents, totalCents: row.totalCents,
                        lines: cart.lines.map { OrderLineDTO(variantId: $0.variantID, productName: $0.productName, variantLabel: $0.variantLabel,
                                                              quantity: $0.quantity, unitPriceCents: $0.unitPriceCents, totalCents: $0.totalCents) })
    }

    static func response(_ row: OrderRow, status: HTTPStatus, _ req: Request) async throws -> Response {
        let response = try await dto(row).encodeResponse(for: req)
        response.status = status
        return response
    }

    static let badPayment = DomainError(.invalid, code: "invalid_payment", field: "payment",
        fr: "Mode de paiement attendu : atPickup ou memberCredit.", en: "Payment expected: atPickup or memberCredit.")

    /// One-call checkout: places the order and, unless `confirm` is false, confirms it in the
    /// same transaction. With an `Idempotency-Key`, a retry returns the first order (200).
    @Sendable static func checkout(_ req: Request) async throws -> Response {
        let shopper = try req.requireUser(), shopperID = try shopper.requireID()
        guard let id = req.parameters.get("cycle", as: UUID.self) else { throw Problem.notFound(FoodCycles.cycleWord) }
        let cycle = try await CheckoutReads.cycle(slug: req.parameters.get("slug") ?? "", id: id, user: shopperID, on: req.db)
        let input = try req.content.decode(CheckoutInput.self)
        let fulfilment: Fulfilment
        if let point = input.pickupPointId, let slot = input.slotId { fulfilment = .pickup(point: point, slot: slot) }
        else if let address = input.deliveryAddress { fulfilment = .homeDelivery(address: String(address.prefix(300))) }
        else { throw ShopPages.chooseFulfilment }
        guard let payment = PaymentMethod(rawValue: input.payment ?? PaymentMethod.atPickup.rawValue) else { throw badPayment }
        var key: String?
        if let raw = req.headers.first(name: "Idempotency-Key") {
            guard !raw.isEmpty, raw.count <= 150 else { throw DomainError.invalidIdempotencyKey(150) }
            key = "food:\(shopperID.uuidString.lowercased()):\(raw)"
        }
        let lines = input.lines.map { CartLine(variantID: $0.variantId, quantity: $0.quantity) }
        if let key, let earlier = try await FoodCheckout.find(key: key, on: req.db) {
            guard earlier.shopperID == shopperID else { throw FoodCheckout.keyReused }
            return try await response(earlier, status: .ok, req)
        }
        let request = FoodCheckout.Request(cycle: cycle, lines: lines, shopper: shopper, fulfilment: fulfilment,
                                           payment: payment, idempotencyKey: key, confirm: input.confirm ?? true,
                                           receipt: FoodMails.Receipt(req))
        let order = try await FoodCheckout.place(request, on: req.db)
        return try await response(order, status: order.id == request.orderID ? .created : .ok, req)
    }

    static func mine(_ req: Request) async throws -> (FoodAccess, OrderRow) {
        let access = try await FoodAccess(req)
        guard let id = req.parameters.get("order", as: UUID.self) else { throw Problem.notFound(FoodCheckout.orderWord) }
        let order = try await FoodCheckout.order(id, on: req.db)
        guard order.cooperativeID == access.coopID, order.shopperID == access.userID || access.isCoordinator else { throw Problem.notFound(FoodCheckout.orderWord) }
        return (access, order)
    }

    @Sendable static func orders(_ req: Request) async throws -> APIPage<OrderDTO> {
        let access = try await FoodAccess(req)
        let rows = try await req.db.sql.select().column("*").from("food_orders").where("shopper_id", .equal, SQLBind(access.userID))
            .where("cooperative_id", .equal, SQLBind(access.coopID)).orderBy("placed_at", .descending).limit(200).all(decoding: OrderRow.self)
        return .init(data: try rows.map(dto))
    }

    @Sendable static func order(_ req: Request) async throws -> OrderDTO { try dto(try await mine(req).1) }

    @Sendable static func confirm(_ req: Request) async throws -> OrderDTO {
        let (access, order) = try await mine(req)
        return try dto(try await FoodCheckout.confirm(order.id, shopper: access.user, receipt: FoodMails.Receipt(req), on: req.db))
    }

    @Sendable static func cancel(_ req: Request) async throws -> OrderDTO {
        let (access, order) = try await mine(req)
        return try dto(try await FoodCheckout.cancel(order.id, by: order.shopperID == access.userID ? .shopper : .coordinator, user: access.userID, on: req.db))
    }

    struct ImportIssueDTO: Content { var line: Int; var message: String }
    struct ImportDTO: Content { var created: Int; var updated: Int; var rows: Int; var issues: [ImportIssueDTO] }

    /// `text/csv` body: the producer's products created or updated, refused lines listed.
    @Sendable static func importCSV(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let producer = try await access.producer(req.parameters.get("producer", as: UUID.self), on: req.db)
        guard let body = req.body.data, body.readableBytes > 0 else { throw ProducerPages.noFile }
        let outcome = try await FoodImport.run(csv: String(decoding: Data(buffer: body), as: UTF8.self), producer: producer,
                                               maximumRows: FoodImport.maximumRowsOverHTTP, on: req.db)
        let dto = ImportDTO(created: outcome.created, updated: outcome.updated, rows: outcome.rows,
                            issues: outcome.issues.map { ImportIssueDTO(line: $0.line, message: $0.message(req.language)) })
        let response = try await dto.encodeResponse(for: req)
        response.status = outcome.issues.isEmpty ? .ok : .unprocessableEntity
        return response
    }
}
