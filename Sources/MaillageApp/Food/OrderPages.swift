import Fluent
import Foundation
import MaillageCore
import Plot
import SQLKit
import Vapor

/// The shopper's orders: one order, confirming it, cancelling it (after its question), and the
/// list of the orders a person made.
extension ShopPages {
    static func visibleOrder(_ req: Request, access: FoodAccess) async throws -> OrderRow {
        guard let id = req.parameters.get("order", as: UUID.self) else { throw Problem.notFound(FoodCheckout.orderWord) }
        let order = try await FoodCheckout.order(id, on: req.db)
        guard order.cooperativeID == access.coopID, order.shopperID == access.userID || access.isCoordinator else {
            throw Problem.notFound(FoodCheckout.orderWord)
        }
        return order
    }

    @Sendable static func order(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        return try await orderView(req, access: access, order: try await visibleOrder(req, access: access), problem: nil)
    }

    static func orderView(_ req: Request, access: FoodAccess, order: OrderRow, problem: DomainError?,
                          status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, coop = access.coop, now = Date()
        let cycleRow = try await FoodCycles.row(order.cycleID, on: req.db)
        let points = try await FoodCycles.points(of: cycleRow, on: req.db)
        let core = try order.order(), cycle = cycleRow.cycle(offers: [], points: points)
        let names = Dictionary(try await FoodCatalogStore.producers(of: access.coopID, on: req.db).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let mine = order.shopperID == access.userID
        let status = order.orderStatus
        let expired = status.standing(expiresAt: order.expiresAt, at: now) == .expired && status == .pending
        let base = "/c/\(coop.slug)/food/orders/\(order.id)"
        // Paying from credit that no longer covers the order: the way out is right here — give
        // the hold back and return to the basket (kept as it was) to choose another way to pay.
        let creditShort = mine && status == .pending && !expired && problem?.code == "insufficient_credit"
        return Layout.page(req, title: t("Commande n° \(order.number)", "Order no. \(order.number)"), status: status == .pending && problem != nil ? .conflict : .ok,
            .p(.a(.href("/c/\(coop.slug)/food/orders"), .text("← " + t("Mes commandes", "My orders")))),
            .h1(.text(t("Commande n° \(order.number)", "Order no. \(order.number)"))),
            .unwrap(problem) { .div(.class("form-errors"), .attribute(named: "role", value: "alert"), .p(.text(t($0.message)))) },
            .when(creditShort, Form.post(req, action: base + "/cancel",
                .input(.type(.hidden), .name(Confirmation.field), .value("yes")),
                .input(.type(.hidden), .name("then"), .value("cart")),
                Form.submit(t("Payer autrement : revenir au panier", "Pay another way: back to the basket")))),
            .dl(.class("figures"),
                .dt(.text(t("Cycle", "Cycle"))), .dd(.text(cycleRow.name)),
                .dt(.text(t("État", "Status"))), .dd(.strong(.text(expired ? t("Réservation expirée", "Hold expired") : t(status.label)))),
                .dt(.text(t("Au nom de", "For"))), .dd(.text(order.shopperName)),
                .dt(.text(t("Retrait", "Collection"))), .dd(.text(FoodViews.fulfilmentText(order.fulfilment, points: points, t, language))),
                .dt(.text(t("Paiement", "Payment"))), .dd(.text(t(order.paymentMethod.label)))),
            .if(status == .pending && !expired, .div(.class("notice"),
                .p(.text(t("Vos produits sont réservés jusqu’à ", "Your products are held until ") + DateText.time(order.expiresAt, language)
                          + t(". Vérifiez puis confirmez la commande.", ". Check, then confirm the order."))))),
            // A cancelled or abandoned order is nothing to pay and shares no money.
            FoodViews.lines(core.cart, t, language, payable: status.isPayable && !expired),
            .if(status.isPayable && !expired, FoodViews.moneySplit(core.cart, producerNames: names, t, language)),
            .when(mine && status == .pending && !expired,
                Form.post(req, action: base + "/confirm", Form.submit(t("Confirmer la commande", "Confirm the order")))),
            .when(core.mayCancel(by: mine ? .shopper : .coordinator, at: now, cycle: cycle) && !expired,
                .p(Confirmation.ask(status == .pending ? t("Abandonner", "Abandon") : t("Annuler la commande", "Cancel the order"), at: base + "/cancel"))))
    }

    @Sendable static func confirm(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let order = try await visibleOrder(req, access: access)
        do {
            let confirmed = try await FoodCheckout.confirm(order.id, shopper: access.user, receipt: FoodMails.Receipt(req), on: req.db)
            try await FoodCart.clear(user: access.userID, cycle: confirmed.cycleID, on: req.db)
            let total = (fr: FoodViews.euros(confirmed.totalCents, .fr), en: FoodViews.euros(confirmed.totalCents, .en))
            let paid = confirmed.paymentMethod == .memberCredit
            return req.done(Localized(fr: "Merci ! Votre commande est confirmée : n° \(confirmed.number), \(total.fr)"
                                          + (paid ? " payés avec votre avoir." : " à régler au retrait.") + " Le reçu vous est envoyé par courriel.",
                                      en: "Thank you! Your order is confirmed: no. \(confirmed.number), \(total.en)"
                                          + (paid ? " paid from your credit." : " to pay at pickup.") + " The receipt is on its way by email."),
                            goTo: "/c/\(access.coop.slug)/food/orders/\(order.id)")
        } catch let error as DomainError {
            return try await orderView(req, access: access, order: try await FoodCheckout.order(order.id, on: req.db), problem: error, status: .conflict)
        }
    }

    /// What cancelling this order does, in figures, for the person about to do it.
    static func cancelConsequences(_ order: OrderRow, mine: Bool, _ t: Translator, _ language: Language) -> [String] {
        let total = FoodViews.euros(order.totalCents, language)
        if order.orderStatus == .pending {
            return [t("Les produits retenus pour votre panier (\(total)) seront remis en vente.", "The products held for your basket (\(total)) go back on sale."),
                    t("Votre panier reste tel quel : vous pourrez repasser commande tant que le cycle est ouvert.",
                      "Your basket stays as it is: you may check out again while the cycle is open.")]
        }
        let paid = order.paymentMethod == .memberCredit
        var out = [mine ? t("Votre commande n° \(order.number) (\(total)) sera annulée.", "Your order no. \(order.number) (\(total)) will be cancelled.")
                        : t("La commande n° \(order.number) de \(order.shopperName) (\(total)) sera annulée.",
                            "Order no. \(order.number) of \(order.shopperName) (\(total)) will be cancelled.")]
        out.append(paid ? (mine ? t("Le montant payé avec votre avoir (\(total)) vous sera rendu.", "The amount paid from your credit (\(total)) is given back to you.")
                                : t("Le montant payé avec son avoir (\(total)) lui sera rendu.", "The amount paid from their credit (\(total)) is given back to them."))
                        : t("Rien n’a encore été payé (paiement au retrait) : il n’y a rien à rembourser.", "Nothing was paid yet (payment at pickup): there is nothing to refund."))
        out.append(t("Les produits sont remis en vente ; l’annulation est définitive.", "The products go back on sale; the cancellation is final."))
        return out
    }

    @Sendable static func cancelQuestion(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let order = try await visibleOrder(req, access: access)
        return cancelQuestionPage(req, access: access, order: order, problem: nil)
    }

    static func cancelQuestionPage(_ req: Request, access: FoodAccess, order: OrderRow, problem: DomainError?, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t, base = "/c/\(access.coop.slug)/food/orders/\(order.id)"
        let pending = order.orderStatus == .pending
        return Confirmation.page(req, title: pending ? t("Abandonner ce panier ?", "Abandon this basket?")
                                                     : t("Annuler la commande n° \(order.number) ?", "Cancel order no. \(order.number)?"),
                                 consequences: cancelConsequences(order, mine: order.shopperID == access.userID, t, req.language),
                                 action: base + "/cancel",
                                 button: pending ? t("Abandonner le panier", "Abandon the basket") : t("Annuler la commande", "Cancel the order"),
                                 back: base, status: status, problem: problem)
    }

    @Sendable static func cancel(_ req: Request) async throws -> Response {
        let access = try await FoodAccess(req)
        let order = try await visibleOrder(req, access: access)
        let base = "/c/\(access.coop.slug)/food/orders/\(order.id)"
        guard req.isConfirmed else { return req.askFirst(base + "/cancel") }
        do {
            let mine = order.shopperID == access.userID
            _ = try await FoodCheckout.cancel(order.id, by: mine ? .shopper : .coordinator, user: access.userID, on: req.db)
            if order.orderStatus == .pending {
                if mine && (try? req.content.get(String.self, at: "then")) == "cart" {
                    return req.done(Localized(fr: "Réservation levée ; votre panier est intact : choisissez une autre façon de payer.",
                                              en: "Hold released; your basket is intact: choose another way to pay."),
                                    goTo: "/c/\(access.coop.slug)/food/cycles/\(order.cycleID)/cart")
                }
                return req.done(Localized(fr: "Panier abandonné : les produits retenus sont remis en vente.", en: "Basket abandoned: the items held are back on sale."),
                                goTo: base)
            }
            let total = (fr: FoodViews.euros(order.totalCents, .fr), en: FoodViews.euros(order.totalCents, .en))
            let refunded = order.paymentMethod == .memberCredit
            return req.done(Localized(fr: "Commande n° \(order.number) annulée." + (refunded ? " \(total.fr) rendus sur l’avoir de sociétaire." : ""),
                                      en: "Order no. \(order.number) cancelled." + (refunded ? " \(total.en) given back to the member credit." : "")),
                            goTo: base)
        } catch let error as DomainError {
            return cancelQuestionPage(req, access: access, order: try await FoodCheckout.order(order.id, on: req.db), problem: error, status: .conflict)
        }
    }

    @Sendable static func myOrders(_ req: Request) async throws -> Response {
        guard let access = try await shopper(req) else { return try await notMemberPage(req) }
        let t = req.t, language = req.language
        // The orders the person made: not the baskets left at checkout (abandoned, or given up
        // before they were confirmed), which were never orders.
        let orders = try await req.db.sql.raw("""
            SELECT * FROM food_orders o WHERE o.shopper_id = \(bind: access.userID) AND o.cooperative_id = \(bind: access.coopID)
            AND o.status <> 'expired' AND NOT (o.status = 'pending' AND o.expires_at <= \(bind: Date()))
            AND NOT (o.status = 'cancelled' AND NOT EXISTS (SELECT 1 FROM food_order_events e WHERE e.order_id = o.id AND e.to_status = 'confirmed'))
            ORDER BY o.placed_at DESC LIMIT 200
            """).all(decoding: OrderRow.self)
        return Layout.page(req, title: t("Mes commandes", "My orders"),
            .p(.a(.href("/c/\(access.coop.slug)/food"), .text("← " + t("Épicerie", "Food shop")))),
            .h1(.text(t("Mes commandes", "My orders"))),
            orders.isEmpty ? .p(.text(t("Aucune commande pour l’instant.", "No order yet."))) : .table(
                .thead(.tr(.th(.text(t("N°", "No."))), .th(.text(t("Date", "Date"))), .th(.text(t("État", "Status"))), .th(.class("num"), .text(t("Total", "Total"))))),
                .tbody(.forEach(orders) { order in
                    .tr(.td(.a(.href("/c/\(access.coop.slug)/food/orders/\(order.id)"), .text("\(order.number)"))),
                        .td(.text(DateText.short(order.placedAt, language))), .td(.text(t(order.orderStatus.label))),
                        .td(.class("num"), .text(FoodViews.euros(order.totalCents, language))))
                })))
    }
}
