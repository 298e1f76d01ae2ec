import Fluent
import Foundation
import MaillageCore
import SQLKit

/// Reads what a store's monthly invoice is made of: its delivered and failed deliveries, by the
/// day (Europe/Paris) they were delivered or failed, with their stops.
enum DeliveryInvoices {
    static let zone = LocalZone.paris
    static let billed = [DeliveryStatus.done, .failed].map(\.rawValue)

    /// The invoice of one month; a month without deliveries is an empty invoice, not an error.
    static func invoice(of store: DeliveryStoreRow, month: InvoiceMonth, on db: any Database) async throws -> DeliveryInvoice {
        let start = zone.start(of: month.firstDay), end = zone.start(of: month.next.firstDay)
        let rows = try await db.sql.select().column("*").from("deliveries").where("store_id", .equal, SQLBind(store.id))
            .where("status", .in, SQLBind.group(billed))
            .where("updated_at", .greaterThanOrEqual, SQLBind(start)).where("updated_at", .lessThan, SQLBind(end))
            .all(decoding: DeliveryRow.self)
        var tasks: [UUID: [DeliveryTaskRow]] = [:]
        if !rows.isEmpty {
            let all = try await db.sql.select().column("*").from("delivery_tasks").where("delivery_id", .in, SQLBind.group(rows.map(\.id)))
                .orderBy("position").all(decoding: DeliveryTaskRow.self)
            tasks = Dictionary(grouping: all, by: \.delivery_id)
        }
        let deliveries = rows.map { row in
            let stops = tasks[row.id] ?? []
            let pickups = stops.filter { $0.kind == DeliveryTaskKind.pickup.rawValue }.map(\.address)
            let dropoffs = stops.filter { $0.kind == DeliveryTaskKind.dropoff.rawValue }
            let references = dropoffs.map(\.reference).filter { !$0.isEmpty }
            return DeliveryInvoice.Delivery(
                day: zone.localDate(at: row.updated_at),
                // Without a reference of the store's, the start of the delivery's id names it.
                reference: references.isEmpty ? String(row.id.uuidString.prefix(8)) : references.joined(separator: " ; "),
                pickup: pickups.joined(separator: " ; "), dropoff: dropoffs.map(\.address).joined(separator: " ; "),
                status: row.deliveryStatus, grossCents: row.price_cents)
        }
        return DeliveryInvoice(store: store.id, month: month, deliveries: deliveries)
    }

    /// The months a store has billed deliveries in, newest first.
    static func months(of store: UUID, on db: any Database) async throws -> [InvoiceMonth] {
        struct Row: Decodable { var updated_at: Date }
        let rows = try await db.sql.select().column("updated_at").from("deliveries").where("store_id", .equal, SQLBind(store))
            .where("status", .in, SQLBind.group(billed)).all(decoding: Row.self)
        return Set(rows.map { InvoiceMonth(zone.localDate(at: $0.updated_at)) }).sorted(by: >)
    }
}
