import Foundation
import MaillageCore

/// Rows of the food tables as SQLKit decodes them, and the core types they make.
/// (The core already names `Product`, `Variant`, `OrderCycle`, `FoodOrder`: rows are `…Row`.)
struct ProducerRow: Codable, Sendable, Hashable {
    var id: UUID
    var cooperativeID: UUID
    var userID: UUID
    var name: String
    var description: String
    var commune: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, description, commune
        case cooperativeID = "cooperative_id", userID = "user_id", createdAt = "created_at"
    }
}

struct ProductRow: Codable, Sendable, Hashable {
    var id: UUID
    var cooperativeID: UUID
    var producerID: UUID
    var name: String
    var category: String
    var description: String
    var vatBasisPoints: Int64
    var unit: String
    var photoType: String?
    var createdAt: Date
    var updatedAt: Date
    var archivedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, name, category, description, unit
        case cooperativeID = "cooperative_id", producerID = "producer_id", vatBasisPoints = "vat_basis_points"
        case photoType = "photo_type", createdAt = "created_at", updatedAt = "updated_at", archivedAt = "archived_at"
    }

    /// Every column but the photo bytes, which only the photo route reads.
    static let columns = ["id", "cooperative_id", "producer_id", "name", "category", "description", "vat_basis_points", "unit",
                          "photo_type", "created_at", "updated_at", "archived_at"]
}

struct VariantRow: Codable, Sendable, Hashable {
    var id: UUID
    var productID: UUID
    var label: String
    var quantityThousandths: Int64
    var priceCents: Int64
    var stock: Int64?
    var reserved: Int64
    var sold: Int64
    var position: Int64

    enum CodingKeys: String, CodingKey {
        case id, label, stock, reserved, sold, position
        case productID = "product_id", quantityThousandths = "quantity_thousandths", priceCents = "price_cents"
    }

    var available: Int64? { stock.map { $0 - reserved - sold } }

    var variant: Variant {
        Variant(id: id, label: label, quantity: Measure(thousandths: quantityThousandths), priceCents: priceCents,
                stock: Stock(limit: stock.map { Int($0) }))
    }
}

extension Product {
    init(_ row: ProductRow, variants: [VariantRow]) {
        self.init(id: row.id, producerID: row.producerID, name: row.name, category: row.category, description: row.description,
                  vatRate: VATRate(rawValue: row.vatBasisPoints) ?? .standard, unit: ProductUnit(rawValue: row.unit) ?? .piece,
                  variants: variants.sorted { $0.position < $1.position }.map(\.variant))
    }
}

struct PickupPointRow: Codable, Sendable, Hashable {
    var id: UUID
    var cooperativeID: UUID
    var name: String
    var address: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, address
        case cooperativeID = "cooperative_id", createdAt = "created_at"
    }
}

struct SlotRow: Codable, Sendable, Hashable {
    var id: UUID
    var cycleID: UUID
    var pickupPointID: UUID
    var startsAt: Date
    var endsAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case cycleID = "cycle_id", pickupPointID = "pickup_point_id", startsAt = "starts_at", endsAt = "ends_at"
    }
}

struct CycleRow: Codable, Sendable, Hashable {
    var id: UUID
    var cooperativeID: UUID
    var name: String
    var opensAt: Date
    var closesAt: Date
    var published: Bool
    var cancelledAt: Date?
    var feeBasisPoints: Int64
    var feeFixedCents: Int64
    var deliveryFeeCents: Int64?
    var lastNumber: Int64
    var createdBy: UUID?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, published
        case cooperativeID = "cooperative_id", opensAt = "opens_at", closesAt = "closes_at", cancelledAt = "cancelled_at"
        case feeBasisPoints = "fee_basis_points", feeFixedCents = "fee_fixed_cents", deliveryFeeCents = "delivery_fee_cents"
        case lastNumber = "last_number", createdBy = "created_by", createdAt = "created_at"
    }

    var fee: FeeRule {
        (try? FeeRule(basisPoints: feeBasisPoints, fixed: feeFixedCents > 0 ? .euros(cents: feeFixedCents) : nil)) ?? .free
    }

    func phase(at now: Date) -> CyclePhase { cycle(offers: [], points: []).phase(at: now) }

    /// The core cycle with the offers and pickup points given (a checkout loads only the offers
    /// of the basket's variants: a cycle may sell 10,000).
    func cycle(offers: [CycleOffer], points: [PickupPoint]) -> OrderCycle {
        OrderCycle(id: id, name: name, opensAt: opensAt, closesAt: closesAt, isPublished: published, cancelledAt: cancelledAt,
                   offers: offers, pickupPoints: points, homeDelivery: deliveryFeeCents.map(HomeDelivery.init(feeCents:)), fee: fee)
    }
}

struct CycleOfferRow: Codable, Sendable, Hashable {
    var cycleID: UUID
    var variantID: UUID
    var productID: UUID
    var producerID: UUID
    var priceCents: Int64?
    var hasStock: Bool
    var stock: Int64?
    var reserved: Int64
    var sold: Int64

    enum CodingKeys: String, CodingKey {
        case stock, reserved, sold
        case cycleID = "cycle_id", variantID = "variant_id", productID = "product_id", producerID = "producer_id"
        case priceCents = "price_cents", hasStock = "has_stock"
    }

    var offer: CycleOffer {
        CycleOffer(variantID: variantID, productID: productID, producerID: producerID, priceCents: priceCents,
                   stock: hasStock ? Stock(limit: stock.map { Int($0) }) : nil)
    }
}

struct OrderRow: Codable, Sendable {
    var id: UUID
    var cooperativeID: UUID
    var cycleID: UUID
    var number: Int64
    var shopperID: UUID
    var shopperName: String
    var status: String
    var placedAt: Date
    var expiresAt: Date
    var payment: String
    var pickupPointID: UUID?
    var slotID: UUID?
    var address: String?
    var goodsCents: Int64
    var deliveryCents: Int64
    var feeCents: Int64
    var totalCents: Int64
    var cart: String
    var idempotencyKey: String?
    /// The basket `cart` holds, when this process has just priced it (a checkout): answering
    /// with it spares decoding the JSON just written. Not a column.
    var knownCart: PricedCart? = nil

    enum CodingKeys: String, CodingKey {
        case id, number, status, payment, address, cart
        case cooperativeID = "cooperative_id", cycleID = "cycle_id", shopperID = "shopper_id", shopperName = "shopper_name"
        case placedAt = "placed_at", expiresAt = "expires_at", pickupPointID = "pickup_point_id", slotID = "slot_id"
        case goodsCents = "goods_cents", deliveryCents = "delivery_cents", feeCents = "fee_cents", totalCents = "total_cents"
        case idempotencyKey = "idempotency_key"
    }

    var orderStatus: OrderStatus { OrderStatus(rawValue: status) ?? .cancelled }
    var paymentMethod: PaymentMethod { PaymentMethod(rawValue: payment) ?? .atPickup }

    var fulfilment: Fulfilment {
        if let pickupPointID, let slotID { return .pickup(point: pickupPointID, slot: slotID) }
        return .homeDelivery(address: address ?? "")
    }

    func pricedCart() throws -> PricedCart { try knownCart ?? JSONDecoder().decode(PricedCart.self, from: Data(cart.utf8)) }

    /// The core order, for the rules (cancel, collect) and the reports.
    func order() throws -> FoodOrder {
        FoodOrder(id: id, number: Int(number), cycleID: cycleID, shopperID: shopperID, shopperName: shopperName, placedAt: placedAt,
                  expiresAt: expiresAt, fulfilment: fulfilment, payment: paymentMethod, cart: try pricedCart(), status: orderStatus)
    }
}
