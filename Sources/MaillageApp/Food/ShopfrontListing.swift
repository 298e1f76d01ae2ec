import Foundation
import MaillageCore
import Plot
import Synchronization
import Vapor

/// The product list of a shopfront page — filters, count, cards with their variants, pager — rendered once
/// and kept for `lifetime` for every visitor asking for the same page, filters and language.
/// Reading 48 products and rendering them is most of what a shopfront page costs; at the opening
/// of a cycle many people load the same first pages at once. What a visitor sees may be up to
/// `lifetime` old (a stock figure a second late); what they can order is never decided here: the
/// checkout takes stock with a conditional update. The per-session CSRF token of the add-to-basket
/// forms is put in per request, in place of a marker rendered into the cached text.
enum ShopfrontListing {
    static let lifetime: TimeInterval = 1
    static let maximumEntries = 512

    struct Key: Hashable {
        var cycle: UUID
        var query: FoodShopfront.Query
        var language: Language
        var canOrder: Bool
    }

    struct Rendered: Sendable {
        var html: String
        var total: Int
    }

    /// Stands for the session's CSRF token in a cached listing; letters only, so escaping leaves it whole.
    static let tokenMarker = "csrfmarker" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()

    /// The kept listings of this process.
    static let shared = Store()

    /// After a product, price or offer changed in this process: the next visit reads afresh.
    static func forgetAll() { shared.forgetAll() }

    final class Store: Sendable {
        private struct Entry {
            var rendered: Rendered
            var until: Date
            /// One visitor is already reading and rendering this listing afresh.
            var refreshing = false
        }

        private let entries = Mutex([Key: Entry]())

        /// The kept listing, if fresh. When it has just expired, the first visitor to ask gets nil
        /// (and renders it anew) while everyone arriving meanwhile still gets the expired one: without
        /// that, every visitor of the second the listing expires renders it at once, and the busiest
        /// moment pays the full cost many times over (the slowest answers of the page).
        func cached(_ key: Key, now: Date = Date()) -> Rendered? {
            entries.withLock { entries in
                guard var entry = entries[key] else { return nil }
                if entry.until > now || entry.refreshing { return entry.rendered }
                entry.refreshing = true
                entries[key] = entry
                return nil
            }
        }

        func remember(_ rendered: Rendered, for key: Key, now: Date = Date()) {
            entries.withLock { entries in
                if entries.count >= ShopfrontListing.maximumEntries { entries = entries.filter { $0.value.until > now } }
                if entries.count >= ShopfrontListing.maximumEntries { entries.removeAll() }
                entries[key] = Entry(rendered: rendered, until: now.addingTimeInterval(ShopfrontListing.lifetime))
            }
        }

        /// The visitor who took on a refresh could not finish it (the database failed): the next may.
        func refreshFailed(_ key: Key) {
            entries.withLock { entries in entries[key]?.refreshing = false }
        }

        /// After a product, price or offer changed in this process: the next visit reads afresh.
        func forgetAll() { entries.withLock { $0.removeAll() } }
    }

    /// The listing as the visitor should see it: from the cache, or read, rendered and kept.
    static func html(_ req: Request, coop slug: String, cycle: UUID, query: FoodShopfront.Query, canOrder: Bool) async throws -> String {
        let key = Key(cycle: cycle, query: query, language: req.language, canOrder: canOrder)
        let rendered: Rendered
        if let known = shared.cached(key) {
            rendered = known
        } else {
            let page: FoodShopfront.Page, facets: FoodShopfront.Facets
            do {
                page = try await FoodShopfront.page(cycle: cycle, query, on: req.db)
                facets = try await FoodShopfront.facets(cycle: cycle, on: req.db)
            } catch {
                shared.refreshFailed(key)
                throw error
            }
            let base = "/c/\(slug)/food/cycles/\(cycle)"
            let html = Node<HTML.BodyContext>.group(
                filters(base: base, query: query, facets: facets, t: req.t),
                render(page, base: base, photos: "/c/\(slug)/food/photos/", query: query, canOrder: canOrder, t: req.t, language: req.language)
            ).render()
            rendered = Rendered(html: html,
                                total: page.total)
            shared.remember(rendered, for: key)
        }
        return canOrder ? rendered.html.replacingOccurrences(of: tokenMarker, with: req.csrfToken) : rendered.html
    }

    static func link(base: String, query: FoodShopfront.Query, page number: Int) -> String {
        var items = [URLQueryItem(name: "page", value: String(number))]
        if !query.text.isEmpty { items.append(URLQueryItem(name: "q", value: query.text)) }
        if let producer = query.producer { items.append(URLQueryItem(name: "producer", value: producer.uuidString)) }
        if let category = query.category { items.append(URLQueryItem(name: "category", value: category)) }
        var components = URLComponents()
        components.path = base
        components.queryItems = items
        return components.string ?? base
    }

    /// The search and filter form above the list (a GET form: nothing per session in it).
    static func filters(base: String, query: FoodShopfront.Query, facets: FoodShopfront.Facets, t: Translator) -> Node<HTML.BodyContext> {
        .form(.class("filters"), .method(.get), .action(base),
              .div(.class("field"), .label(.for("q"), .text(t("Rechercher", "Search"))),
                   .input(.type(.search), .id("q"), .name("q"), .value(query.text))),
              .div(.class("field"), .label(.for("producer"), .text(t("Producteur", "Producer"))),
                   .select(.id("producer"), .attribute(named: "name", value: "producer"),
                           Form.option("", t("Tous", "All"), selected: query.producer == nil),
                           .forEach(facets.producers) { Form.option($0.0.uuidString, $0.1, selected: query.producer == $0.0) })),
              .div(.class("field"), .label(.for("category"), .text(t("Catégorie", "Category"))),
                   .select(.id("category"), .attribute(named: "name", value: "category"),
                           Form.option("", t("Toutes", "All"), selected: query.category == nil),
                           .forEach(facets.categories) { Form.option($0, $0, selected: query.category == $0) })),
              .button(.type(.submit), .text(t("Filtrer", "Filter"))))
    }

    static func render(_ page: FoodShopfront.Page, base: String, photos: String, query: FoodShopfront.Query, canOrder: Bool,
                       t: Translator, language: Language) -> Node<HTML.BodyContext> {
        let back = link(base: base, query: query, page: page.page)
        return .group(
            .p(.attribute(named: "role", value: "status"),
               .text(t.count(page.total, "produit", "produits", "product", "products") + t(" — page \(page.page) sur \(page.pageCount)", " — page \(page.page) of \(page.pageCount)"))),
            .ul(.class("cards products"), .forEach(page.items) { item in
                .li(.class("card"), .article(.id("p-\(item.id)"),
                    .when(item.has_photo == 1, .img(.src(photos + "\(item.id)"), .alt(item.name), .class("product-photo"),
                                                    .attribute(named: "loading", value: "lazy"), .attribute(named: "width", value: "320"),
                                                    .attribute(named: "height", value: "240"))),
                    .h2(.text(item.name)),
                    .p(.class("hint"), .text("\(item.producer_name) · \(item.category)")),
                    .when(!item.description.isEmpty, .p(.class("keep-lines"), .text(String(item.description.prefix(240))))),
                    .ul(.class("variants"), .forEach(page.offers[item.id] ?? []) { offer in
                        variantLine(offer, product: item.name, canOrder: canOrder, cartAction: base + "/cart", back: back + "#p-\(item.id)", t: t, language: language)
                    })))
            }),
            .nav(.attribute(named: "aria-label", value: t("Pages", "Pages")), .class("pager"),
                 .when(page.page > 1, .a(.href(link(base: base, query: query, page: page.page - 1)), .attribute(named: "rel", value: "prev"),
                                         .text("← " + t("Précédente", "Previous")))),
                 .text(" "),
                 .when(page.page < page.pageCount, .a(.href(link(base: base, query: query, page: page.page + 1)), .attribute(named: "rel", value: "next"),
                                                      .text(t("Suivante", "Next") + " →")))))
    }

    static func variantLine(_ offer: FoodShopfront.Offer, product: String = "", canOrder: Bool, cartAction: String, back: String,
                            t: Translator, language: Language) -> Node<HTML.ListContext> {
        let availability: String = switch offer.available {
        case nil: t("sur commande", "made to order")
        case let left? where left <= 0: t("épuisé", "sold out")
        case let left?: t("\(left) " + Plural.word(Int(left), "disponible", "disponibles", .fr), "\(left) available")
        }
        let soldOut = (offer.available ?? 1) <= 0
        let field = "q-\(offer.id)"
        // Each form names its product and variant, so a screen reader's list of fields tells them apart.
        let named = product.isEmpty ? offer.label : product + " " + offer.label
        return .li(
            .span(.class("variant"), .text("\(offer.label) — "), .strong(.text(FoodViews.euros(offer.price_cents, language))), .text(" · " + availability)),
            .when(canOrder && !soldOut, Form.post(token: tokenMarker, action: cartAction, [
                .input(.type(.hidden), .name("variant"), .value(offer.id.uuidString)),
                .input(.type(.hidden), .name("mode"), .value("add")),
                .input(.type(.hidden), .name("back"), .value(back)),
                .label(.for(field), .class("visually-hidden"), .text(t("Quantité de ", "Quantity of ") + named)),
                .input(.type(.number), .id(field), .name("quantity"), .value("1"), .attribute(named: "min", value: "1"),
                       .attribute(named: "max", value: String(min(offer.available ?? 999, 999))), .class("qty")),
                .button(.type(.submit), .attribute(named: "aria-label", value: t("Ajouter \(named) au panier", "Add \(named) to the basket")),
                        .text(t("Ajouter", "Add")))])))
    }
}
