import Fluent
import Foundation
import MaillageCore
import Plot
import SQLKit
import Vapor

/// The orders a cycle's reports count — those whose status counts as sold (`OrderStatus.countsAsSold`:
/// confirmed and handed out) — and the figures the cycle's management page shows from them.
enum FoodReports {
    static func orders(of cycle: UUID, on db: any Database) async throws -> [OrderRow] {
        try await db.sql.select().column("*").from("food_orders").where("cycle_id", .equal, SQLBind(cycle))
            .where("status", .in, SQLBind.group(OrderStatus.sold.map(\.rawValue)))
            .orderBy("number").all(decoding: OrderRow.self)
    }

    /// A cycle's figures as its management page shows them, computed by the same rules as its
    /// reports (`HarvestReport`, `CycleTotals`) from the same orders, so a figure never differs
    /// between the two: sold per variant, the totals, baskets still held, orders per status.
    struct Figures: Sendable {
        var totals: CycleTotals
        var sold: [UUID: Int]
        /// Items held by baskets still within their hold, per variant.
        var held: [UUID: Int]
        /// Every order of the cycle by status as read now (a basket past its hold is abandoned).
        var byStatus: [(status: OrderStatus, count: Int)]
    }

    static func figures(of cycle: CycleRow, at now: Date, on db: any Database) async throws -> Figures {
        let orders = try await orders(of: cycle.id, on: db).map { try $0.order() }
        struct Held: Decodable { var variant_id: UUID; var n: Int64 }
        let held = try await db.sql.raw("""
            SELECT l.variant_id, CAST(SUM(l.quantity) AS BIGINT) AS n FROM food_order_lines l JOIN food_orders o ON o.id = l.order_id
            WHERE o.cycle_id = \(bind: cycle.id) AND o.status = \(bind: OrderStatus.pending.rawValue) AND o.expires_at > \(bind: now)
            GROUP BY l.variant_id
            """).all(decoding: Held.self)
        struct State: Decodable { var status: String; var expires_at: Date }
        let states = try await db.sql.select().column("status").column("expires_at").from("food_orders")
            .where("cycle_id", .equal, SQLBind(cycle.id)).all(decoding: State.self)
        var counts: [OrderStatus: Int] = [:]
        for state in states {
            counts[(OrderStatus(rawValue: state.status) ?? .cancelled).standing(expiresAt: state.expires_at, at: now), default: 0] += 1
        }
        return Figures(totals: CycleTotals(orders: orders, producerNames: [:]), sold: HarvestReport(orders: orders, producerNames: [:]).sold,
                       held: Dictionary(held.map { ($0.variant_id, Int($0.n)) }, uniquingKeysWith: +),
                       byStatus: OrderStatus.allCases.compactMap { status in counts[status].map { (status, $0) } })
    }
}

/// A cycle's reports for coordinators, printable and as CSV: what each producer harvests and
/// packs, the pickup list per point, totals with fees and producer payouts. The orders are
/// decoded and grouped off the event loop, so 2,000 orders never hold up other requests.
enum FoodReportPages {
    struct Loaded: Sendable {
        var cycle: OrderCycle
        var row: CycleRow
        var orders: [FoodOrder]
        var names: [UUID: String]
        var access: FoodAccess
    }

    static func load(_ req: Request) async throws -> Loaded {
        let access = try await CyclePages.context(req)
        let row = try await CyclePages.cycleRow(req, access: access)
        let points = try await FoodCycles.points(of: row, on: req.db)
        let rows = try await FoodReports.orders(of: row.id, on: req.db)
        let orders = try await req.application.threadPool.runIfActive { try rows.map { try $0.order() } }
        let names = Dictionary(try await FoodCatalogStore.producers(of: access.coopID, on: req.db).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return Loaded(cycle: row.cycle(offers: [], points: points), row: row, orders: orders, names: names, access: access)
    }

    static func page(_ req: Request, _ loaded: Loaded, title: String, csv: String, _ body: Node<HTML.BodyContext>) -> Response {
        let t = req.t, coop = loaded.access.coop
        return Layout.page(req, title: "\(title) — \(loaded.row.name)",
            .p(.class("no-print"), .a(.href("/c/\(coop.slug)/food/manage/cycles/\(loaded.row.id)"), .text("← " + loaded.row.name))),
            .h1(.text(title), .text(" — \(loaded.row.name)")),
            .p(.class("no-print"), .a(.href(csv), .text(t("Télécharger en CSV", "Download as CSV"))),
               .text(t(" · Imprimez la page avec votre navigateur (Ctrl+P).", " · Print the page with your browser (Ctrl+P)."))),
            body)
    }

    @Sendable static func harvest(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        let t = req.t, language = req.language
        let report = try await req.application.threadPool.runIfActive { HarvestReport(orders: loaded.orders, producerNames: loaded.names) }
        return page(req, loaded, title: t("À préparer par producteur", "To prepare per producer"), csv: "harvest.csv",
            report.producers.isEmpty ? .p(.text(t("Aucune commande confirmée.", "No confirmed order."))) : .group(report.producers.map { producer in
                .section(.class("report-block"), .h2(.text(producer.name)),
                    .table(.thead(.tr(.th(.text(t("Produit", "Product"))), .th(.class("num"), .text(t("Quantité", "Quantity"))), .th(.class("num"), .text(t("Montant", "Amount"))))),
                           .tbody(.forEach(producer.lines) { line in
                               .tr(.td(.text("\(line.productName) — \(line.variantLabel)")), .td(.class("num"), .text("\(line.quantity)")),
                                   .td(.class("num"), .text(FoodViews.euros(line.goodsCents, language))))
                           }),
                           .tfoot(.tr(.th(.attribute(named: "colspan", value: "2"), .text(t("Total", "Total"))), .td(.class("num"), .text(FoodViews.euros(producer.goodsCents, language)))))))
            }))
    }

    @Sendable static func pickup(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        let t = req.t, language = req.language, coop = loaded.access.coop
        let report = try await req.application.threadPool.runIfActive { PickupReport(cycle: loaded.cycle, orders: loaded.orders) }
        let statuses = Dictionary(loaded.orders.map { ($0.id, $0.status) }, uniquingKeysWith: { a, _ in a })
        let closed = loaded.cycle.phase(at: Date()) == .closed
        return page(req, loaded, title: t("Liste de retrait", "Pickup list"), csv: "pickup.csv",
            report.groups.isEmpty ? .p(.text(t("Aucune commande confirmée.", "No confirmed order."))) : .group(report.groups.map { group in
                .section(.class("report-block"),
                    .h2(.text(group.name), .unwrap(group.slot) { .text(" — " + DateText.short($0.startsAt, language) + " → " + DateText.time($0.endsAt, language)) }),
                    .p(.text(t.count(group.entries.count, "commande", "commandes", "order", "orders") + t(" · à encaisser : ", " · to collect: ") + FoodViews.euros(group.toCollectCents, language))),
                    StackedTable.node(.table(.thead(.tr(.th(.text(t("N°", "No."))), .th(.text(t("Nom", "Name"))), .th(.text(t("Articles", "Items"))),
                                      .th(.class("num"), .text(t("À encaisser", "To collect"))), .th(.text(t("Remise", "Handed out"))))),
                           .tbody(.forEach(group.entries) { entry in
                               .tr(.id("o-\(entry.number)"), .td(.text("\(entry.number)")), .td(.text(entry.shopperName), .unwrap(entry.address) { .text(" — " + $0) }),
                                   .td(.ul(.forEach(entry.items) { .li(.text($0)) })),
                                   .td(.class("num"), .text(entry.toCollectCents == 0 ? t("payé", "paid") : FoodViews.euros(entry.toCollectCents, language))),
                                   .td(statuses[entry.orderID] == .collected ? .text("✓ " + t("remise", "handed out"))
                                       : (closed ? Form.post(req, action: "/c/\(coop.slug)/food/orders/\(entry.orderID)/collect", .button(.type(.submit), .text(t("Remise", "Handed out"))))
                                                 : .text("☐"))))
                           }))))
            }))
    }

    @Sendable static func totals(_ req: Request) async throws -> Response {
        let loaded = try await load(req)
        let t = req.t, language = req.language
        let totals = try await req.application.threadPool.runIfActive { CycleTotals(orders: loaded.orders, producerNames: loaded.names) }
        return page(req, loaded, title: t("Totaux et reversements", "Totals and payouts"), csv: "totals.csv", .group(
            .dl(.class("figures"),
                .dt(.text(t("Commandes", "Orders"))), .dd(.text("\(totals.orderCount)")),
                .dt(.text(t("Produits TTC", "Goods incl. VAT"))), .dd(.text(FoodViews.euros(totals.goodsCents, language))),
                .dt(.text(t("Livraisons", "Deliveries"))), .dd(.text(FoodViews.euros(totals.deliveryCents, language))),
                .dt(.text(t("Frais de la coopérative", "Cooperative fee"))), .dd(.text(FoodViews.euros(totals.feeCents, language))),
                .dt(.text(t("Total payé par les sociétaires", "Total paid by members"))), .dd(.strong(.text(FoodViews.euros(totals.totalCents, language))))),
            Charts.bars(totals.producers.map { Charts.Bar(label: $0.name, value: $0.payoutCents, text: FoodViews.euros($0.payoutCents, language)) },
                        title: t("Reversement par producteur", "Payout per producer"), description: t("Ce que chaque producteur reçoit pour ce cycle", "What each producer receives for this cycle")),
            StackedTable.node(.table(.caption(.text(t("Par producteur", "Per producer"))),
                   .thead(.tr(.th(.text(t("Producteur", "Producer"))), .th(.class("num"), .text(t("Ventes", "Sales"))), .th(.class("num"), .text(t("Frais", "Fee"))),
                              .th(.class("num"), .text(t("Reversement", "Payout"))))),
                   .tbody(.forEach(totals.producers) { producer in
                       .tr(.td(.text(producer.name)), .td(.class("num"), .text(FoodViews.euros(producer.goodsCents, language))),
                           .td(.class("num"), .text(FoodViews.euros(producer.feeCents, language))), .td(.class("num"), .text(FoodViews.euros(producer.payoutCents, language))))
                   }))),
            StackedTable.node(.table(.caption(.text(t("TVA collectée", "VAT collected"))),
                   .thead(.tr(.th(.text(t("Taux", "Rate"))), .th(.class("num"), .text(t("Base HT", "Net"))), .th(.class("num"), .text(t("TVA", "VAT"))))),
                   .tbody(.forEach(totals.vat) { vat in
                       .tr(.td(.text(vat.rate.formatted(language))), .td(.class("num"), .text(FoodViews.euros(vat.netCents, language))),
                           .td(.class("num"), .text(FoodViews.euros(vat.vatCents, language))))
                   })))))
    }

    static func csv(_ req: Request, name: String, _ make: @escaping @Sendable (Loaded, Language) -> String) async throws -> Response {
        let loaded = try await load(req)
        let language = req.language
        let text = try await req.application.threadPool.runIfActive { make(loaded, language) }
        return CSVResponse.make(text, filename: "\(name)-\(loaded.row.id.uuidString.prefix(8)).csv", byteOrderMark: true)
    }

    @Sendable static func harvestCSV(_ req: Request) async throws -> Response {
        try await csv(req, name: "a-preparer") { HarvestReport(orders: $0.orders, producerNames: $0.names).csv($1) }
    }

    @Sendable static func pickupCSV(_ req: Request) async throws -> Response {
        try await csv(req, name: "retraits") { PickupReport(cycle: $0.cycle, orders: $0.orders).csv($1, zone: LocalZone(DateText.zone)) }
    }

    @Sendable static func totalsCSV(_ req: Request) async throws -> Response {
        try await csv(req, name: "totaux") { CycleTotals(orders: $0.orders, producerNames: $0.names).csv($1) }
    }
}
