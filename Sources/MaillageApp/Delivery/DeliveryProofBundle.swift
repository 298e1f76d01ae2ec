import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// `/c/<slug>/delivery/stores/<store>/proofs?from=YYYY-MM-DD&to=YYYY-MM-DD`: the proofs of
/// delivery of a store's deliveries finished in a period (delivered or failed), as a tar archive:
/// per delivery a JSON file with its stops, the recipient, the time it was handed over and every
/// change of status (who, when, from which channel), and a CSV index. For the store's people and
/// the staff; only the staff's copy carries the network address each change came from (the
/// store's people have no need of the cooperative's staff's addresses).
enum DeliveryProofBundle {
    @Sendable static func download(_ req: Request) async throws -> Response {
        let access = try await DeliveryAccess(req, signedIn: true)
        let store = try await access.store(req.parameters.get("store", as: UUID.self), on: req.db)
        let period = try DeliveryProofPeriod(from: (try? req.query.get(String.self, at: "from")) ?? "",
                                             to: (try? req.query.get(String.self, at: "to")) ?? "")
        let archive = try await bundle(of: store, period: period, withAddresses: access.isStaff, on: req.db)
        let response = Response(status: .ok, body: .init(data: archive))
        response.headers.replaceOrAdd(name: .contentType, value: "application/x-tar")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(folder(store, period)).tar\"")
        return response
    }

    static func folder(_ store: DeliveryStoreRow, _ period: DeliveryProofPeriod) -> String {
        "preuves-\(DeliveryProofPeriod.pathName(store.name))-\(period.from.iso)-\(period.to.iso)"
    }

    static func bundle(of store: DeliveryStoreRow, period: DeliveryProofPeriod, withAddresses: Bool, on db: any Database) async throws -> Data {
        let zone = DeliveryInvoices.zone
        let deliveries = try await db.sql.select().column("*").from("deliveries").where("store_id", .equal, SQLBind(store.id))
            .where("status", .in, SQLBind.group(DeliveryInvoices.billed))
            .where("updated_at", .greaterThanOrEqual, SQLBind(zone.start(of: period.from)))
            .where("updated_at", .lessThan, SQLBind(zone.start(of: period.end)))
            .orderBy("updated_at").all(decoding: DeliveryRow.self)
        let ids = deliveries.map(\.id)
        var tasks: [UUID: [DeliveryTaskRow]] = [:], events: [UUID: [DeliveryEventRow]] = [:]
        if !ids.isEmpty {
            tasks = Dictionary(grouping: try await db.sql.select().column("*").from("delivery_tasks").where("delivery_id", .in, SQLBind.group(ids))
                .orderBy("position").all(decoding: DeliveryTaskRow.self), by: \.delivery_id)
            events = Dictionary(grouping: try await db.sql.select().column("*").from("delivery_events").where("delivery_id", .in, SQLBind.group(ids))
                .orderBy("at").all(decoding: DeliveryEventRow.self), by: \.delivery_id)
        }
        let names = try await DeliveryAccess.names(Set(events.values.joined().compactMap(\.actor_id)), on: db)
        let root = folder(store, period)
        var tar = TarWriter()
        var index: [[CSV.Field]] = [["livraison", "référence", "état", "terminée le", "destinataire", "remise à", "raison de l’échec",
                                     "changements d’état", "fichier"].map(CSV.Field.text)]
        for delivery in deliveries {
            let stops = tasks[delivery.id] ?? [], history = events[delivery.id] ?? []
            let dropoffs = stops.filter { $0.kind == DeliveryTaskKind.dropoff.rawValue }
            let reference = dropoffs.map(\.reference).filter { !$0.isEmpty }.joined(separator: " ; ")
            let handedOver = history.last { $0.to_status == DeliveryStatus.done.rawValue }?.at
            let file = "livraisons/\(delivery.id.uuidString.lowercased().prefix(8))\(reference.isEmpty ? "" : "-" + DeliveryProofPeriod.pathName(reference)).json"
            let document: [String: Any] = [
                "livraison": delivery.id.uuidString.lowercased(),
                "magasin": store.name,
                "reference": reference,
                "etat": delivery.status,
                "raison_echec": delivery.failure_reason ?? NSNull(),
                "prix_ttc_centimes": delivery.price_cents,
                "destinataire": dropoffs.map(\.contact_name).filter { !$0.isEmpty }.joined(separator: " ; "),
                "remise_a": handedOver.map(iso) ?? NSNull(),
                "etapes": stops.map { stop -> [String: Any] in
                    ["type": stop.kind, "adresse": stop.address, "contact": stop.contact_name, "reference": stop.reference,
                     "apres": stop.after_at.map(iso) ?? NSNull(), "avant": stop.before_at.map(iso) ?? NSNull(), "devant_la_porte": stop.doorstep]
                },
                "historique": history.map { event -> [String: Any] in
                    var line: [String: Any] = ["a": iso(event.at), "de": event.from_status ?? NSNull(), "vers": event.to_status,
                                               "par": event.actor_id.flatMap { names[$0] } ?? NSNull(), "canal": event.channel,
                                               "raison": event.reason ?? NSNull()]
                    if withAddresses { line["adresse_reseau"] = event.client_address }
                    return line
                },
                // Photos and signatures come with the couriers' app; none is stored yet.
                "photos_et_signatures": [String](),
            ]
            tar.add("\(root)/\(file)", try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]))
            index.append([.text(delivery.id.uuidString.lowercased()), .text(reference), .text(delivery.deliveryStatus.words.fr),
                          .text(iso(delivery.updated_at)), .text(dropoffs.map(\.contact_name).filter { !$0.isEmpty }.joined(separator: " ; ")),
                          .text(handedOver.map(iso) ?? ""), .text(delivery.failure_reason ?? ""), .text("\(history.count)"), .text(file)])
        }
        tar.add("\(root)/index.csv", Data(("\u{FEFF}" + CSV.render(index)).utf8))
        tar.add("\(root)/LISEZMOI.txt", Data("""
            Preuves de livraison de \(store.name), du \(period.from.iso) au \(period.to.iso) (livraisons faites ou échouées).
            index.csv : une ligne par livraison ; livraisons/ : un fichier JSON par livraison avec ses étapes, la personne
            livrée, l’heure de remise et chaque changement d’état (qui, quand, par quel canal). Heures en UTC (ISO 8601).

            Proofs of delivery of \(store.name), from \(period.from.iso) to \(period.to.iso) (delivered or failed).
            index.csv: one line per delivery; livraisons/: one JSON file per delivery with its stops, the recipient,
            the time it was handed over and every change of status (who, when, through which channel). Times in UTC.

            """.utf8))
        return tar.finish()
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
