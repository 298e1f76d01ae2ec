import Fluent
import Foundation
import MaillageCore
import Plot
import SQLKit
import Vapor

/// The shopper's side: the food home, a cycle's shopfront, the basket, checkout and orders.
enum ShopPages {
    @Sendable static func home(_ req: Request) async throws -> Response {
        let coop = try await FoodAccess.publicCooperative(req)
        let t = req.t, language = req.language, coopID = try coop.requireID(), now = Date()
        let cycles = try await FoodCycles.cycles(of: coopID, on: req.db).filter { $0.published }
        let open = cycles.filter { $0.phase(at: now) == .open }, upcoming = cycles.filter { $0.phase(at: now) == .upcoming }
        var member: Membership?, producer: ProducerRow?, standing: Membership?
        if let user = req.user, let userID = user.id {
            standing = try await Cooperatives.membership(of: userID, in: coopID, on: req.db)
            member = standing.flatMap { $0.memberStatus == .active ? $0 : nil }
            producer = try await FoodCatalogStore.producer(user: userID, in: coopID, on: req.db)
        }
        let producers = try await FoodCatalogStore.producers(of: coopID, on: req.db)
        return Layout.page(req, title: t("Épicerie — \(coop.name)", "Food shop — \(coop.name)"),
            .p(.a(.href("/c/\(coop.slug)"), .text("← " + coop.name))),
            .h1(.text(t("Produits locaux en circuit court", "Local food, short supply chain"))),
            .p(.class("lead"), .text(t("Commandez pendant le cycle de commande, retirez vos produits au point de retrait choisi. Les producteurs fixent leurs prix ; la coopérative prend des frais votés par ses sociétaires.",
                                       "Order while the order cycle is open, collect your products at the pickup point you chose. Producers set their prices; the cooperative takes a fee voted by its members."))),
            whyNotOrdering(req, coop: coop, standing: standing),
            .if(member != nil, .p(.a(.href("/c/\(coop.slug)/food/orders"), .text(t("Mes commandes", "My orders"))),
                                   .unwrap(producer) { _ in .group(.text(" · "), .a(.href("/c/\(coop.slug)/food/products"), .text(t("Mes produits", "My products")))) },
                                   .if((member?.memberRole ?? .member) >= .staff,
                                       .group(.text(" · "), .a(.href("/c/\(coop.slug)/food/manage"), .text(t("Coordination des cycles", "Cycle coordination"))))))),
            .section(.h2(.text(t("Cycles ouverts", "Open cycles"))),
                open.isEmpty ? .p(.text(t("Aucun cycle ouvert en ce moment.", "No cycle is open right now."))) : .ul(.class("cards"), .forEach(open) { cycle in
                    .li(.class("card"), .article(
                        .h3(.a(.href("/c/\(coop.slug)/food/cycles/\(cycle.id)"), .text(cycle.name))),
                        .p(.text(t("Commandes jusqu’au ", "Orders until ") + DateText.short(cycle.closesAt, language))),
                        .p(.a(.class("button"), .href("/c/\(coop.slug)/food/cycles/\(cycle.id)"), .text(t("Voir les produits", "See the products"))))))
                })),
            .if(!upcoming.isEmpty, .section(.h2(.text(t("Prochains cycles", "Next cycles"))), .ul(.forEach(upcoming) { cycle in
                .li(.text("\(cycle.name) — " + t("ouverture le ", "opens ") + DateText.short(cycle.opensAt, language)))
            }))),
            .section(.h2(.text(t("Nos producteurs", "Our producers"))),
                .ul(.forEach(producers) { producer in
                    .li(.strong(.text(producer.name)), .text(producer.commune.isEmpty ? "" : " (\(producer.commune))"),
                        .text(producer.description.isEmpty ? "" : " — \(producer.description)"), .text(" · "),
                        .a(.href("/c/\(coop.slug)/food/producers/\(producer.id)/catalog.jsonld"), .attribute(named: "title", value: t("Catalogue au format Data Food Consortium (DFC, JSON-LD)", "Catalog in the Data Food Consortium format (DFC, JSON-LD)")),
                           .text(t("son catalogue, à partager avec d’autres boutiques", "their catalog, to share with other shops"))))
                })))
    }

    // MARK: Shopfront

    static func shopfrontQuery(_ req: Request) -> FoodShopfront.Query {
        FoodShopfront.Query(text: String((req.query[String.self, at: "q"] ?? "").prefix(200)),
                            producer: req.query[String.self, at: "producer"].flatMap(UUID.init(uuidString:)),
                            category: req.query[String.self, at: "category"].flatMap { $0.isEmpty ? nil : String($0.prefix(60)) },
                            page: max(1, min(req.query[Int.self, at: "page"] ?? 1, 100_000)))
    }

    /// A published cycle of this cooperative (a draft only for its coordinators).
    static func visibleCycle(_ req: Request, coop: Cooperative) async throws -> CycleRow {
        guard let id = req.parameters.get("cycle", as: UUID.self) else { throw Problem.notFound(FoodCycles.cycleWord) }
        let cycle = try await FoodCycles.row(id, in: try coop.requireID(), on: req.db)
        if !cycle.published {
            guard let user = req.user, let membership = try await Cooperatives.membership(of: try user.requireID(), in: try coop.requireID(), on: req.db),
                  membership.memberStatus == .active, membership.memberRole >= .staff else { throw Problem.notFound(FoodCycles.cycleWord) }
        }
        return cycle
    }

    @Sendable static func shopfront(_ req: Request) async throws -> Response {
        let coop = try await FoodAccess.publicCooperative(req)
        return try await shopfrontView(req, coop: coop, cycle: try await visibleCycle(req, coop: coop))
    }

    /// The shopfront; `problem` is what was refused by the basket form just sent (said at the top,
    /// with the products still there to choose again).
    static func shopfrontView(_ req: Request, coop: Cooperative, cycle: CycleRow, problem: DomainError? = nil,
                              status: HTTPResponseStatus = .ok) async throws -> Response {
        let query = shopfrontQuery(req)
        let t = req.t, language = req.language, phase = cycle.phase(at: Date())
        var canOrder = false, basketCount = 0, standing: Membership?
        if let user = req.user, let userID = user.id {
            standing = try await Cooperatives.membership(of: userID, in: try coop.requireID(), on: req.db)
            if standing?.memberStatus == .active {
                canOrder = phase == .open
                basketCount = try await FoodCart.count(user: userID, cycle: cycle.id, on: req.db)
            }
        }
        let base = "/c/\(coop.slug)/food/cycles/\(cycle.id)"
        let listing = try await ShopfrontListing.html(req, coop: coop.slug, cycle: cycle.id, query: query, canOrder: canOrder)
        return Layout.page(req, title: "\(cycle.name) — \(coop.name)", status: status,
            .p(.a(.href("/c/\(coop.slug)/food"), .text("← " + t("Épicerie", "Food shop")))),
            .h1(.text(cycle.name), .text(" "), FoodViews.phaseBadge(phase, t)),
            .unwrap(problem) { problem in
                .div(.class("form-errors"), .attribute(named: "role", value: "alert"), .id("form-errors"),
                     .p(.text(t(problem.message))),
                     .when(canOrder, .p(.a(.href(base + "/cart"), .text(t("Voir mon panier", "See my basket"))))))
            },
            .p(.text(phase == .open ? t("Commandes jusqu’au ", "Orders until ") + DateText.short(cycle.closesAt, language)
                                    : t(phase.label)),
               .when(canOrder, .group(.text(" · "), .a(.class("button"), .href(base + "/cart"),
                                                        .text(t("Mon panier (\(basketCount))", "My basket (\(basketCount))")))))),
            .when(req.user == nil && phase == .open, .p(.a(.href("/login?next=\(base)"), .text(t("Connectez-vous", "Sign in"))),
                                                         .text(t(" pour commander (réservé aux sociétaires).", " to order (members only).")))),
            whyNotOrdering(req, coop: coop, standing: standing),
            .raw(listing))
    }

    /// For a signed-in person who is not an active member: why they cannot order, and the way to
    /// the cooperative's membership request. Nothing for a member or a visitor not signed in.
    static func whyNotOrdering(_ req: Request, coop: Cooperative, standing: Membership?) -> Node<HTML.BodyContext> {
        guard req.user != nil else { return .empty }
        return MembersOnly.why(req, coop: coop, membership: standing, action: Localized(fr: "commander", en: "order"))
    }

    /// The shopper's standing for the member-only shop pages: nil when the signed-in person is not
    /// an active member, who is then shown why (`notMemberPage`) instead of an error.
    static func shopper(_ req: Request) async throws -> FoodAccess? {
        let coop = try await FoodAccess.publicCooperative(req)
        let user = try req.requireUser()
        guard let membership = try await Cooperatives.membership(of: try user.requireID(), in: try coop.requireID(), on: req.db),
              membership.memberStatus == .active else { return nil }
        return try await FoodAccess(req)
    }

    static func notMemberPage(_ req: Request) async throws -> Response {
        let coop = try await FoodAccess.publicCooperative(req)
        let t = req.t
        let standing = try await Cooperatives.membership(of: try req.requireUser().requireID(), in: try coop.requireID(), on: req.db)
        return Layout.page(req, title: t("Réservé aux sociétaires — \(coop.name)", "Members only — \(coop.name)"), status: .forbidden,
            .p(.a(.href("/c/\(coop.slug)/food"), .text("← " + t("Épicerie", "Food shop")))),
            .h1(.text(t("Commander est réservé aux sociétaires", "Ordering is for members"))),
            whyNotOrdering(req, coop: coop, standing: standing))
    }

    // MARK: Basket

    struct CartForm: Content {
        var variant: String
        var quantity: String?
        var mode: String?
        var back: String?
    }

    @Sendable static func addToCart(_ req: Request) async throws -> Response {
        guard let access = try await shopper(req) else { return try await notMemberPage(req) }
        let cycle = try await visibleCycle(req, coop: access.coop)
        let form = try req.content.decode(CartForm.self)
        guard let variant = UUID(uuidString: form.variant),
              let left = try await FoodStock.left(variant: variant, cycle: cycle.id, on: req.db) else { throw DomainError.variantNotInCycle }
        let adding = form.mode == "add"
        let notice: Localized
        do {
            guard let quantity = Int(form.quantity?.trimmingCharacters(in: .whitespaces) ?? "1"), (0...OrderCycle.maximumQuantityPerLine).contains(quantity) else {
                throw DomainError.invalidQuantity(OrderCycle.maximumQuantityPerLine)
            }
            try cycle.cycle(offers: [], points: []).requireOpen(at: Date())
            let inBasket = try await FoodCart.lines(user: access.userID, cycle: cycle.id, on: req.db).first { $0.variantID == variant }?.quantity ?? 0
            let wanted = adding ? inBasket + quantity : quantity
            // Said now rather than at checkout; the checkout's conditional update still decides.
            if quantity > 0 { try BasketStock.check(left.name, wanted: wanted, inBasket: adding ? inBasket : 0, available: left.available) }
            try await FoodCart.set(user: access.userID, cycle: cycle.id, variant: variant, quantity: quantity, adding: adding, on: req.db)
            let total = min(wanted, OrderCycle.maximumQuantityPerLine)
            notice = adding
                ? Localized(fr: "Ajouté au panier : \(quantity) × « \(left.name) » (\(total) en tout).",
                            en: "Added to the basket: \(quantity) × “\(left.name)” (\(total) in all).")
                : total == 0
                    ? Localized(fr: "« \(left.name) » est retiré du panier.", en: "“\(left.name)” is removed from the basket.")
                    : Localized(fr: "Quantité de « \(left.name) » : \(total).", en: "Quantity of “\(left.name)”: \(total).")
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            // Nothing was changed: said on the page the form came from, with what to do.
            let status: HTTPResponseStatus = error.kind == .conflict ? .conflict : .unprocessableEntity
            if adding { return try await shopfrontView(req, coop: access.coop, cycle: cycle, problem: error, status: status) }
            return try await cartView(req, access: access, cycle: cycle, state: try FormState(refused: error, values: [:]), status: status)
        }
        let fallback = "/c/\(access.coop.slug)/food/cycles/\(cycle.id)/cart"
        let back = form.back.map { LanguageSwitch.safeReturnPath($0) } ?? fallback
        return req.done(notice, goTo: back == "/" ? fallback : back)
    }

    @Sendable static func cart(_ req: Request) async throws -> Response {
        guard let access = try await shopper(req) else { return try await notMemberPage(req) }
        let cycle = try await visibleCycle(req, coop: access.coop)
        return try await cartView(req, access: access, cycle: cycle, state: FormState())
    }

    static func cartView(_ req: Request, access: FoodAccess, cycle: CycleRow, state: FormState,
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, coop = access.coop
        let lines = try await FoodCart.lines(user: access.userID, cycle: cycle.id, on: req.db)
        let (core, catalog, _) = try await CheckoutReads.basket(cycle, variants: lines.map(\.variantID), on: req.db)
        let points = core.pickupPoints
        let choices: [(value: String, label: String)] = points.flatMap { point in
            point.slots.map { ("pickup:\(point.id.uuidString):\($0.id.uuidString)",
                               "\(point.name) — \(DateText.short($0.startsAt, language)) → \(DateText.time($0.endsAt, language)) (\(point.address))") }
        } + (core.homeDelivery.map { [("delivery", t("Livraison à domicile (+ ", "Home delivery (+ ") + FoodViews.euros($0.feeCents, language) + ")")] } ?? [])
        let chosen = state["fulfilment"].isEmpty ? (choices.first?.value ?? "") : state["fulfilment"]
        let fulfilment = parseFulfilment(chosen, address: state["address"].isEmpty ? "—" : state["address"])
        let priced = lines.isEmpty ? nil : try? core.price(lines, catalog: catalog, fulfilment: fulfilment ?? .homeDelivery(address: "—"))
        let names = Dictionary(try await FoodCatalogStore.producers(of: access.coopID, on: req.db).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let credit = try await LedgerFacade.availableCredit(of: access.userID, in: access.coopID, on: req.db)
        let base = "/c/\(coop.slug)/food/cycles/\(cycle.id)"
        // Member credit that cannot cover the basket is offered greyed out with the reason, and
        // never checked: after a refusal the form is ready to send with another way to pay.
        let creditCovers = priced.map { credit >= $0.totalCents } ?? (credit > 0)
        let asked = state["payment"].isEmpty ? PaymentMethod.atPickup.rawValue : state["payment"]
        let payment = asked == PaymentMethod.memberCredit.rawValue && !creditCovers ? PaymentMethod.atPickup.rawValue : asked
        let creditLabel = t("Avec mon avoir de sociétaire (disponible : ", "From my member credit (available: ") + FoodViews.euros(credit, language) + ")"
            + (creditCovers ? "" : priced.map { t(" — insuffisant pour ce panier de ", " — not enough for this basket of ") + FoodViews.euros($0.totalCents, language) } ?? "")
        return Layout.page(req, title: t("Mon panier — \(cycle.name)", "My basket — \(cycle.name)"), status: status,
            .p(.a(.href(base), .text("← " + t("Continuer mes achats", "Keep shopping")))),
            .h1(.text(t("Mon panier", "My basket"))),
            .p(.text(cycle.name + " · " + t("commandes jusqu’au ", "orders until ") + DateText.short(cycle.closesAt, language))),
            lines.isEmpty ? .p(.text(t("Votre panier est vide.", "Your basket is empty."))) : .group(
                .table(.caption(.text(t("Articles", "Items"))),
                    .thead(.tr(.th(.text(t("Produit", "Product"))), .th(.text(t("Quantité", "Quantity"))))),
                    .tbody(.forEach(lines) { line in
                        let entry = catalog.entry(variant: line.variantID)
                        let name = entry.map { "\($0.product.name) — \($0.variant.label)" } ?? t("Produit retiré de la vente", "Product no longer on sale")
                        let field = "c-\(line.variantID)"
                        return .tr(.td(.text(name)), .td(Form.post(req, action: base + "/cart",
                            .input(.type(.hidden), .name("variant"), .value(line.variantID.uuidString)),
                            .input(.type(.hidden), .name("mode"), .value("set")),
                            .label(.for(field), .class("visually-hidden"), .text(t("Quantité de ", "Quantity of ") + name)),
                            .input(.type(.number), .id(field), .name("quantity"), .value(String(line.quantity)), .attribute(named: "min", value: "0"),
                                   .attribute(named: "max", value: "999"), .class("qty")),
                            .button(.type(.submit), .attribute(named: "aria-label", value: t("Modifier la quantité de ", "Update the quantity of ") + name),
                                    .text(t("Modifier", "Update"))))))
                    })),
                .p(.class("hint"), .text(t("Mettez 0 pour retirer un article.", "Set 0 to remove an item."))),
                .unwrap(priced) { FoodViews.lines($0, t, language) },
                .unwrap(priced) { FoodViews.moneySplit($0, producerNames: names, t, language) },
                .section(.h2(.text(t("Retrait et paiement", "Pickup and payment"))),
                    Form.post(req, action: base + "/checkout",
                        Form.summary(state, t),
                        .fieldset(.element(named: "legend", nodes: [.text(t("Où et quand retirer ?", "Where and when to collect?"))]),
                                  .forEach(Array(choices.enumerated())) { index, choice in
                                      FoodViews.radio("fulfilment", value: choice.value, label: choice.label, checked: chosen == choice.value, id: "f-\(index)")
                                  }),
                        .if(core.homeDelivery != nil, Form.field("address", label: t("Adresse de livraison", "Delivery address"), state: state, t, required: false,
                                                                 hint: t("Seulement pour la livraison à domicile.", "Only for home delivery."), autocomplete: "street-address")),
                        .fieldset(.id("payment"), .element(named: "legend", nodes: [.text(t("Comment payer ?", "How to pay?"))]),
                                  .unwrap(state.errors.message(for: "payment")) { .p(.class("field-error"), .text(t($0))) },
                                  FoodViews.radio("payment", value: PaymentMethod.atPickup.rawValue, label: t("Au retrait (espèces, chèque, carte)", "At pickup (cash, cheque, card)"),
                                                  checked: payment == PaymentMethod.atPickup.rawValue, id: "pay-pickup"),
                                  FoodViews.radio("payment", value: PaymentMethod.memberCredit.rawValue, label: creditLabel,
                                                  checked: payment == PaymentMethod.memberCredit.rawValue, id: "pay-credit", disabled: !creditCovers)),
                        .p(.class("hint"), .text(t("Vos produits sont réservés 15 minutes pendant que vous vérifiez la commande.",
                                                   "Your products are held for 15 minutes while you check the order."))),
                        Form.submit(t("Réserver et vérifier", "Hold and review"))))))
    }

    static func parseFulfilment(_ raw: String, address: String) -> Fulfilment? {
        if raw == "delivery" { return .homeDelivery(address: address) }
        let parts = raw.split(separator: ":")
        guard parts.count == 3, parts[0] == "pickup", let point = UUID(uuidString: String(parts[1])), let slot = UUID(uuidString: String(parts[2])) else { return nil }
        return .pickup(point: point, slot: slot)
    }

    struct CheckoutForm: Content {
        var fulfilment: String?
        var address: String?
        var payment: String?
        var values: [String: String] { ["fulfilment": fulfilment ?? "", "address": address ?? "", "payment": payment ?? ""] }
    }

    static let chooseFulfilment = DomainError(.invalid, code: "fulfilment_missing", field: "fulfilment",
        fr: "Choisissez un point de retrait et un créneau, ou la livraison.", en: "Choose a pickup point and slot, or delivery.")

    @Sendable static func checkout(_ req: Request) async throws -> Response {
        guard let access = try await shopper(req) else { return try await notMemberPage(req) }
        let cycle = try await visibleCycle(req, coop: access.coop)
        let form = try req.content.decode(CheckoutForm.self)
        do {
            guard let fulfilment = parseFulfilment(form.fulfilment ?? "", address: form.address ?? "") else { throw chooseFulfilment }
            let lines = try await FoodCart.lines(user: access.userID, cycle: cycle.id, on: req.db)
            let order = try await FoodCheckout.place(FoodCheckout.Request(cycle: cycle, lines: lines, shopper: access.user, fulfilment: fulfilment,
                                                                          payment: PaymentMethod(rawValue: form.payment ?? "") ?? .atPickup), on: req.db)
            return req.done(Localized(fr: "Vos produits sont réservés jusqu’à \(DateText.time(order.expiresAt, .fr)) : vérifiez la commande puis confirmez-la.",
                                      en: "Your products are held until \(DateText.time(order.expiresAt, .en)): check the order, then confirm it."),
                            goTo: "/c/\(access.coop.slug)/food/orders/\(order.id)")
        } catch let error as DomainError where error.kind != .notFound {
            return try await cartView(req, access: access, cycle: cycle, state: try FormState(refused: error, values: form.values),
                                      status: error.kind == .conflict ? .conflict : .unprocessableEntity)
        }
    }
}
