import MaillageCore
import Plot
import Vapor

/// The home page: the territory's cooperative platforms, filterable, each with its charter.
enum DirectoryViews {
    struct FilterQuery: Content { var activity: String?; var commune: String?; var q: String? }

    @Sendable static func home(_ req: Request) async throws -> Response {
        let query = try req.query.decode(FilterQuery.self)
        let filter = DirectoryQuery.Filter(activity: query.activity.flatMap(Activity.init(rawValue:)),
                                           commune: query.commune?.isEmpty == false ? query.commune : nil,
                                           text: String((query.q ?? "").prefix(200)))
        let cards = try await DirectoryQuery.cards(filter, on: req.db)
        let communes = try await DirectoryQuery.communes(on: req.db)
        let t = req.t
        var notices: [Notice] = []
        if let user = req.user { notices = try await Inbox.latest(for: user.requireID(), limit: 5, on: req.db).filter { $0.readAt == nil } }
        return Layout.page(req, title: t("Annuaire des plateformes coopératives", "Directory of cooperative platforms"),
            .if(!notices.isEmpty, .aside(
                .class("inbox-preview"), .attribute(named: "aria-labelledby", value: "inbox-preview-title"),
                .h2(.id("inbox-preview-title"), .text(t("Ce qui vous concerne", "What concerns you"))),
                .ul(.forEach(notices) { .li(.a(.href(Inbox.openPath($0)), .text(t($0.textFR, $0.textEN)))) }),
                .p(.a(.href("/account"), .text(t("Tout voir", "See all"))))
            )),
            .h1(.text(t("Les plateformes coopératives du territoire", "The territory’s cooperative platforms"))),
            .p(.class("lead"), .text(t("Alimentation, livraison, covoiturage, prêt, entraide, troc : des plateformes possédées et gouvernées par leurs membres.",
                                       "Food, delivery, carpooling, lending, mutual aid, barter: platforms owned and governed by their members."))),
            .form(
                .class("filters"), .action("/"), .method(.get),
                .attribute(named: "aria-label", value: t("Filtrer l’annuaire", "Filter the directory")),
                .div(.class("field"),
                     .label(.for("q"), .text(t("Rechercher", "Search"))),
                     .input(.type(.search), .id("q"), .name("q"), .value(filter.text),
                            .attribute(named: "placeholder", value: t("nom, commune, activité…", "name, town, activity…")))),
                .div(.class("field"),
                     .label(.for("activity"), .text(t("Activité", "Activity"))),
                     .select(.id("activity"), .attribute(named: "name", value: "activity"),
                             Form.option("", t("Toutes", "All"), selected: filter.activity == nil),
                             .forEach(Activity.allCases) { Form.option($0.rawValue, t($0.label), selected: filter.activity == $0) })),
                .div(.class("field"),
                     .label(.for("commune"), .text(t("Commune", "Town"))),
                     .select(.id("commune"), .attribute(named: "name", value: "commune"),
                             Form.option("", t("Toutes", "All"), selected: filter.commune == nil),
                             .forEach(communes) { Form.option($0, $0, selected: filter.commune == $0) })),
                .button(.type(.submit), .text(t("Filtrer", "Filter")))
            ),
            .p(.attribute(named: "role", value: "status"), .id("result-count"),
               .text(t.count(cards.count, "plateforme", "plateformes", "platform", "platforms"))),
            .if(cards.isEmpty, .p(.text(t("Aucune plateforme ne correspond à ces critères.", "No platform matches these criteria.")))),
            .ul(.class("cards"), .forEach(cards) { card(req, $0) }),
            .p(.class("feeds"), .text(t("Données ouvertes : ", "Open data: ")),
               .a(.href("/api/v1/directory"), .attribute(named: "title", value: t("Flux JSON au schéma Murmurations", "JSON feed in the Murmurations schema")),
                  .text(t("cet annuaire, à reprendre sur d’autres sites", "this directory, for other websites to reuse"))))
        )
    }

    static func card(_ req: Request, _ card: DirectoryCard) -> Node<HTML.ListContext> {
        let t = req.t
        return .li(
            .class("card"),
            .article(
                .attribute(named: "aria-labelledby", value: "card-\(card.slug)"),
                .h2(.id("card-\(card.slug)"), .a(.href("/c/\(card.slug)"), .text(card.name))),
                .p(.class("meta"), .text("\(card.legalForm.shortLabel) · \(card.commune) · " +
                   t("\(card.members) sociétaire\(card.members > 1 ? "s" : "")", "\(card.members) member\(card.members == 1 ? "" : "s")"))),
                .ul(.class("tags"), .forEach(card.activities) { .li(.text(t($0.label))) }),
                .p(.class("keep-lines"), .text(card.description.count > 220 ? String(card.description.prefix(217)) + "…" : card.description)),
                CharterViews.badge(card.charter, t),
                .details(.summary(.text(t("Auto-évaluation de la charte", "Charter self-assessment"))),
                         CharterViews.charterList(card.charter, t, detailed: false))
            )
        )
    }

}
