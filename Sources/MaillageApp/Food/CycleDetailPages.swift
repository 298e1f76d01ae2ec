import Fluent
import Foundation
import MaillageCore
import Plot
import SQLKit
import Vapor

/// One cycle seen by its coordinators: its page, publishing, cancelling (after saying what it
/// would undo), adjusting an offer's stock, and handing out the baskets.
extension CyclePages {
    static func cycleRow(_ req: Request, access: FoodAccess) async throws -> CycleRow {
        guard let id = req.parameters.get("cycle", as: UUID.self) else { throw Problem.notFound(FoodCycles.cycleWord) }
        return try await FoodCycles.row(id, in: access.coopID, on: req.db)
    }

    @Sendable static func cycle(_ req: Request) async throws -> Response {
        let access = try await context(req)
        return try await cycleView(req, access: access, cycle: try await cycleRow(req, access: access), problem: nil)
    }

    static func cycleView(_ req: Request, access: FoodAccess, cycle: CycleRow, problem: DomainError?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, coop = access.coop, now = Date(), phase = cycle.phase(at: now)
        let base = "/c/\(coop.slug)/food/manage/cycles/\(cycle.id)"
        let points = try await FoodCycles.points(of: cycle, on: req.db)
        let figures = try await FoodReports.figures(of: cycle, at: now, on: req.db)
        struct OfferLine: Decodable { var variant_id: UUID; var name: String; var label: String; var price: Int64; var own_price: Int64?; var has_stock: Bool; var stock: Int64?; var left: Int64? }
        // The stock count and what is left of it are the row's (shared with the producer's other
        // cycles unless this cycle has its own); held and sold are this cycle's orders only.
        let offers = try await req.db.sql.raw("""
            SELECT o.variant_id, p.name, v.label, v.price_cents AS price, o.price_cents AS own_price, o.has_stock,
            CASE WHEN o.has_stock = \(bind: true) THEN o.stock ELSE v.stock END AS stock,
            CASE WHEN o.has_stock = \(bind: true) THEN o.stock - o.reserved - o.sold ELSE v.stock - v.reserved - v.sold END AS "left"
            FROM food_cycle_offers o JOIN food_variants v ON v.id = o.variant_id JOIN food_products p ON p.id = o.product_id
            WHERE o.cycle_id = \(bind: cycle.id) ORDER BY p.sort_name, p.name, v.position LIMIT 500
            """).all(decoding: OfferLine.self)
        return Layout.page(req, title: cycle.name, status: status,
            .p(.a(.href("/c/\(coop.slug)/food/manage"), .text("← " + t("Coordination", "Coordination")))),
            .h1(.text(cycle.name), .text(" "), FoodViews.phaseBadge(phase, t)),
            .unwrap(problem) { .div(.class("form-errors"), .attribute(named: "role", value: "alert"), .p(.text(t($0.message)))) },
            .dl(.class("figures"),
                .dt(.text(t("Ouverture", "Opens"))), .dd(.text(DateText.short(cycle.opensAt, language))),
                .dt(.text(t("Clôture", "Closes"))), .dd(.text(DateText.short(cycle.closesAt, language))),
                .dt(.text(t("Frais", "Fee"))), .dd(.text(t.percent(Double(cycle.feeBasisPoints) / 100, digits: 2))),
                .dt(.text(t("Retrait", "Pickup"))), .dd(.text(points.map(\.name).joined(separator: " · ") + (cycle.deliveryFeeCents.map { " · " + t("livraison ", "delivery ") + FoodViews.euros($0, language) } ?? ""))),
                .dt(.text(t("Commandes", "Orders"))),
                .dd(.text(t("\(Plural.count(figures.totals.orderCount, "confirmée", "confirmées", .fr)) ou \(Plural.word(figures.totals.orderCount, "retirée", "retirées", .fr))", "\(figures.totals.orderCount) confirmed or collected")
                          + figures.byStatus.filter { !$0.status.countsAsSold }.map { " · \(t($0.status.label)) : \($0.count)" }.joined())),
                .dt(.text(t("Ventes TTC", "Sales incl. VAT"))), .dd(.text(FoodViews.euros(figures.totals.goodsCents, language)))),
            .p(.a(.class("button"), .href("\(base)/pickup"), .text(t("Liste de retrait", "Pickup list"))), .text(" "),
               .a(.class("button"), .href("\(base)/harvest"), .text(t("À préparer par producteur", "To prepare per producer"))), .text(" "),
               .a(.class("button"), .href("\(base)/totals"), .text(t("Totaux et reversements", "Totals and payouts"))), .text(" "),
               .a(.href("/c/\(coop.slug)/food/cycles/\(cycle.id)"), .text(t("Voir la boutique", "See the shopfront")))),
            .when(phase == .draft, Form.post(req, action: "\(base)/publish", Form.submit(t("Publier le cycle", "Publish the cycle")))),
            .when(phase != .closed && phase != .cancelled,
                .p(Confirmation.ask(t("Annuler le cycle (les commandes sont annulées et remboursées)", "Cancel the cycle (orders are cancelled and refunded)"),
                                    at: "\(base)/cancel"))),
            .section(.h2(.text(t("Offres du cycle", "Cycle offers"))),
                .p(.class("hint"), .text(t("Un prix ou un stock propre à ce cycle remplace celui du producteur. Stock vide = partagé avec les autres cycles ; « illimité » = sur commande.",
                                           "A price or stock of this cycle replaces the producer's. Empty stock = shared with other cycles; “unlimited” = made to order."))),
                StackedTable.node(.table(.thead(.tr(.th(.text(t("Produit", "Product"))), .th(.class("num"), .text(t("Prix", "Price"))), .th(.class("num"), .text(t("Stock", "Stock"))),
                                  .th(.class("num"), .text(t("Reste", "Left"))),
                                  .th(.class("num"), .text(t("Paniers en cours", "Baskets in progress"))), .th(.class("num"), .text(t("Vendu", "Sold"))), .th(.text(t("Ajuster", "Adjust"))))),
                       .tbody(.forEach(offers) { offer in
                           let id = offer.variant_id.uuidString.prefix(8)
                           return .tr(.td(.text("\(offer.name) — \(offer.label)")),
                               .td(.class("num"), .text(FoodViews.euros(offer.own_price ?? offer.price, language))),
                               .td(.class("num"), .text(offer.stock.map(String.init) ?? "∞"), .when(!offer.has_stock && offer.stock != nil,
                                   .span(.class("hint"), .text(t(" (partagé)", " (shared)"))))),
                               .td(.class("num"), .text(offer.left.map { String(max(0, $0)) } ?? "∞")),
                               .td(.class("num"), .text("\(figures.held[offer.variant_id] ?? 0)")),
                               .td(.class("num"), .text("\(figures.sold[offer.variant_id] ?? 0)")),
                               .td(Form.post(req, action: "\(base)/offers/\(offer.variant_id)",
                                   .label(.for("price-\(id)"), .class("visually-hidden"), .text(t("Prix pour ce cycle", "Price for this cycle"))),
                                   .input(.type(.text), .id("price-\(id)"), .name("price"), .class("qty"),
                                          .value(offer.own_price.map { language == .fr ? UnitOfAccount.eur.plain($0).replacingOccurrences(of: ".", with: ",") : UnitOfAccount.eur.plain($0) } ?? ""),
                                          .placeholder(t("prix", "price"))),
                                   .label(.for("stock-\(id)"), .class("visually-hidden"), .text(t("Stock pour ce cycle", "Stock for this cycle"))),
                                   .input(.type(.text), .id("stock-\(id)"), .name("stock"), .class("qty"), .value(offer.has_stock ? (offer.stock.map(String.init) ?? t("illimité", "unlimited")) : ""),
                                          .placeholder(t("stock", "stock"))),
                                   // Sixty "OK" buttons say nothing to a screen reader: each names its product.
                                   .button(.type(.submit), .text(t("OK", "OK")),
                                           .span(.class("visually-hidden"), .text(" — \(offer.name) — \(offer.label)"))))))
                       })))))
    }

    @Sendable static func publish(_ req: Request) async throws -> Response {
        let access = try await context(req)
        let cycle = try await cycleRow(req, access: access)
        try await FoodCycles.publish(cycle, on: req.db)
        return req.done(Localized(fr: "Cycle publié : les sociétaires le voient.", en: "Cycle published: members can see it."),
                        goTo: "/c/\(access.coop.slug)/food/manage/cycles/\(cycle.id)")
    }

    /// What cancelling the cycle does, in figures: the orders it cancels, the credit given back.
    static func cancelConsequences(_ cycle: CycleRow, on db: any Database, _ t: Translator, _ language: Language) async throws -> [String] {
        let impact = try await FoodCycles.cancellationImpact(cycle.id, at: Date(), on: db)
        var out: [String] = []
        if impact.confirmed == 0 {
            out.append(t("Aucune commande confirmée : personne n’a rien à récupérer.", "No confirmed order: nobody has anything to collect."))
        } else {
            let goods = FoodViews.euros(impact.confirmedCents, language)
            out.append(t(Plural.isSingular(impact.confirmed, .fr) ? "La commande confirmée (\(goods)) sera annulée ; personne ne retirera rien." : "Les \(impact.confirmed) commandes confirmées (\(goods)) seront annulées ; les sociétaires ne retireront rien.",
                         Plural.isSingular(impact.confirmed, .en) ? "The confirmed order (\(goods)) will be cancelled; nobody will collect anything." : "The \(impact.confirmed) confirmed orders (\(goods)) will be cancelled; members will collect nothing."))
            out.append(impact.refundCents > 0
                ? t("\(FoodViews.euros(impact.refundCents, language)) payés avec l’avoir seront remboursés à \(Plural.count(impact.refunded, "sociétaire", "sociétaires", .fr)).",
                    "\(FoodViews.euros(impact.refundCents, language)) paid from member credit will be refunded to \(Plural.count(impact.refunded, "member", "members", .en)).")
                : t("Aucune n’a été payée avec l’avoir (paiement au retrait) : rien à rembourser.", "None was paid from member credit (payment at pickup): nothing to refund."))
        }
        if impact.pending > 0 {
            out.append(t(Plural.isSingular(impact.pending, .fr) ? "\(impact.pending) panier en cours de validation sera abandonné." : "\(impact.pending) paniers en cours de validation seront abandonnés.", "\(Plural.count(impact.pending, "basket", "baskets", .en)) being checked out will be abandoned."))
        }
        out.append(t("Le cycle ne prendra plus de commande ; l’annulation est définitive.", "The cycle will take no more orders; the cancellation is final."))
        return out
    }

    @Sendable static func cancelQuestion(_ req: Request) async throws -> Response {
        let access = try await context(req)
        let cycle = try await cycleRow(req, access: access)
        return try await cancelQuestionPage(req, access: access, cycle: cycle, problem: nil)
    }

    static func cancelQuestionPage(_ req: Request, access: FoodAccess, cycle: CycleRow, problem: DomainError?,
                                   status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, base = "/c/\(access.coop.slug)/food/manage/cycles/\(cycle.id)"
        return Confirmation.page(req, title: t("Annuler le cycle « \(cycle.name) » ?", "Cancel the cycle “\(cycle.name)”?"),
                                 consequences: try await cancelConsequences(cycle, on: req.db, t, req.language),
                                 action: base + "/cancel", button: t("Annuler le cycle", "Cancel the cycle"), back: base,
                                 status: status, problem: problem)
    }

    @Sendable static func cancel(_ req: Request) async throws -> Response {
        let access = try await context(req)
        let cycle = try await cycleRow(req, access: access)
        let base = "/c/\(access.coop.slug)/food/manage/cycles/\(cycle.id)"
        guard req.isConfirmed else { return req.askFirst(base + "/cancel") }
        do {
            let impact = try await FoodCycles.cancel(cycle, by: access.userID, on: req.db)
            let refund = (fr: FoodViews.euros(impact.refundCents, .fr), en: FoodViews.euros(impact.refundCents, .en))
            return req.done(Localized(fr: "Cycle annulé : \(Plural.count(impact.confirmed, "commande confirmée", "commandes confirmées", .fr)) \(Plural.word(impact.confirmed, "annulée", "annulées", .fr)), \(refund.fr) remboursés sur l’avoir des sociétaires.",
                                      en: "Cycle cancelled: \(Plural.count(impact.confirmed, "confirmed order", "confirmed orders", .en)) cancelled, \(refund.en) refunded to members' credit."),
                            goTo: base)
        } catch let error as DomainError {
            return try await cancelQuestionPage(req, access: access, cycle: cycle, problem: error, status: .conflict)
        }
    }

    struct OfferForm: Content { var price: String?; var stock: String? }

    @Sendable static func adjustOffer(_ req: Request) async throws -> Response {
        let access = try await context(req)
        let cycle = try await cycleRow(req, access: access)
        let form = try req.content.decode(OfferForm.self)
        do {
            guard let variant = req.parameters.get("variant", as: UUID.self) else { throw DomainError.variantNotInCycle }
            let priceText = (form.price ?? "").trimmingCharacters(in: .whitespaces)
            var price: Int64?
            if !priceText.isEmpty {
                guard let cents = Euros.parseCents(priceText) else { throw DomainError.invalidPrice(field: "price") }
                price = cents
            }
            let stockText = (form.stock ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            var stock: Stock?
            if ["illimité", "illimite", "unlimited", "∞"].contains(stockText) { stock = .onDemand }
            else if !stockText.isEmpty {
                guard let count = Int(stockText), count >= 0 else { throw DomainError.invalidStock(field: "stock") }
                stock = .tracked(count)
            }
            try await FoodCycles.adjustOffer(cycle: cycle.id, variant: variant, priceCents: price, stock: stock, on: req.db)
            let name = try await FoodStock.left(variant: variant, cycle: cycle.id, on: req.db)?.name ?? ""
            let stockWords: Localized = switch stock {
            case nil: Localized(fr: "stock partagé du producteur", en: "the producer's shared stock")
            case .onDemand?: Localized(fr: "sur commande (illimité)", en: "made to order (unlimited)")
            case .tracked(let count)?: Localized(fr: "stock de \(count) pour ce cycle", en: "a stock of \(count) for this cycle")
            }
            let priceWords = (fr: price.map { FoodViews.euros($0, .fr) } ?? "prix du producteur", en: price.map { FoodViews.euros($0, .en) } ?? "the producer's price")
            return req.done(Localized(fr: "« \(name) » : \(priceWords.fr), \(stockWords.fr).", en: "“\(name)”: \(priceWords.en), \(stockWords.en)."),
                            goTo: "/c/\(access.coop.slug)/food/manage/cycles/\(cycle.id)")
        } catch let error as DomainError {
            return try await cycleView(req, access: access, cycle: cycle, problem: error, status: error.kind == .notFound ? .notFound : .unprocessableEntity)
        }
    }

    @Sendable static func collect(_ req: Request) async throws -> Response {
        let access = try await context(req)
        let order = try await ShopPages.visibleOrder(req, access: access)
        do {
            _ = try await FoodCheckout.collect(order.id, by: access.userID, on: req.db)
        } catch let error as DomainError {
            return try await ShopPages.orderView(req, access: access, order: order, problem: error, status: .conflict)
        }
        let total = (fr: FoodViews.euros(order.totalCents, .fr), en: FoodViews.euros(order.totalCents, .en))
        let cash = order.paymentMethod == .atPickup
        return req.done(Localized(fr: "Commande n° \(order.number) remise à \(order.shopperName)" + (cash ? " ; \(total.fr) encaissés." : " (déjà payée)."),
                                  en: "Order no. \(order.number) handed out to \(order.shopperName)" + (cash ? "; \(total.en) received." : " (already paid).")),
                        goTo: "/c/\(access.coop.slug)/food/manage/cycles/\(order.cycleID)/pickup#o-\(order.number)")
    }
}
