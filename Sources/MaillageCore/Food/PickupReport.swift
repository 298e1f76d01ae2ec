import Foundation

/// Per pickup point and slot, the orders to hand out, with what is left to pay at pickup.
/// Home deliveries come last, as their own group.
public struct PickupReport: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public let orderID: UUID
        public let number: Int
        public let shopperName: String
        /// "Pommes — 1 kg × 2", one per line of the order.
        public let items: [String]
        public let totalCents: Int64
        /// The total when paid at pickup, zero when paid from member credit.
        public let toCollectCents: Int64
        /// The address, for home deliveries.
        public let address: String?
    }

    public struct Group: Sendable, Hashable {
        /// Nil for home deliveries.
        public let pickupPointID: UUID?
        public let name: String
        public let slot: PickupSlot?
        /// By order number.
        public let entries: [Entry]
        public var toCollectCents: Int64 { entries.reduce(0) { $0 + $1.toCollectCents } }
    }

    /// By pickup point (in the cycle's order), slot start, then home delivery.
    public let groups: [Group]

    public init(cycle: OrderCycle, orders: [FoodOrder]) {
        struct Key: Hashable { let point: UUID?, slot: UUID? }
        var entries: [Key: [Entry]] = [:]
        for order in orders where order.countsInReports && order.cycleID == cycle.id {
            let key: Key, address: String?
            switch order.fulfilment {
            case let .pickup(point, slot): (key, address) = (Key(point: point, slot: slot), nil)
            case .homeDelivery(let text): (key, address) = (Key(point: nil, slot: nil), text)
            }
            let items = order.cart.lines.map { "\($0.productName) — \($0.variantLabel) × \($0.quantity)" }
            entries[key, default: []].append(Entry(
                orderID: order.id, number: order.number, shopperName: order.shopperName, items: items,
                totalCents: order.cart.totalCents, toCollectCents: order.payment == .atPickup ? order.cart.totalCents : 0,
                address: address))
        }
        var groups: [Group] = []
        func take(_ key: Key, name: String, slot: PickupSlot?) {
            guard let list = entries.removeValue(forKey: key) else { return }
            groups.append(Group(pickupPointID: key.point, name: name, slot: slot,
                                entries: list.sorted { ($0.number, $0.orderID.uuidString) < ($1.number, $1.orderID.uuidString) }))
        }
        for point in cycle.pickupPoints {
            for slot in point.slots.sorted(by: { $0.startsAt < $1.startsAt }) {
                take(Key(point: point.id, slot: slot.id), name: point.name, slot: slot)
            }
        }
        // Orders whose point or slot has since left the cycle are still handed out: listed, not lost.
        let leftovers = entries.keys.compactMap { key in key.point.map { (key: key, point: $0) } }
            .sorted { ($0.point.uuidString, $0.key.slot?.uuidString ?? "") < ($1.point.uuidString, $1.key.slot?.uuidString ?? "") }
        for (key, point) in leftovers {
            take(key, name: cycle.pickupPoint(point)?.name ?? point.uuidString, slot: nil)
        }
        take(Key(point: nil, slot: nil), name: "", slot: nil)
        self.groups = groups
    }

    /// One row per order, with its point, slot (ISO 8601 UTC, or given a `zone` its civil time,
    /// the zone named in the header) and items joined by " ; ".
    public func csv(_ language: Language, zone: LocalZone? = nil) -> String {
        let named = zone.map { " (\($0.identifier))" } ?? ""
        let header = language == .fr
            ? ["Point de retrait", "Début du créneau" + named, "Fin du créneau" + named, "N° de commande", "Client", "Articles", "Total TTC", "À encaisser", "Adresse"]
            : ["Pickup point", "Slot start" + named, "Slot end" + named, "Order number", "Shopper", "Items", "Total incl. VAT", "To collect", "Address"]
        let delivery = Localized(fr: "Livraison à domicile", en: "Home delivery")(language)
        let iso = CSVTime(zone: zone)
        var rows: [[CSV.Field]] = [header.map(CSV.Field.text)]
        for group in groups {
            for entry in group.entries {
                rows.append([.text(group.pickupPointID == nil ? delivery : group.name),
                             .text(group.slot.map { iso.format($0.startsAt) } ?? ""),
                             .text(group.slot.map { iso.format($0.endsAt) } ?? ""),
                             .figure(String(entry.number)), .text(entry.shopperName), .text(entry.items.joined(separator: " ; ")),
                             .figure(Amount.euros(cents: entry.totalCents).plain),
                             .figure(Amount.euros(cents: entry.toCollectCents).plain), .text(entry.address ?? "")])
            }
        }
        return CSV.render(rows)
    }
}
