import MaillageCore
import Plot
import Vapor

/// The frame of every page: skip link, header with navigation and language switcher, main, footer.
enum Layout {
    static func page(_ req: Request, title: String, status: HTTPResponseStatus = .ok,
                     _ content: Node<HTML.BodyContext>...) -> Response {
        let t = req.t
        let here = returnPath(req)
        let html = HTML(
            .lang(req.language == .fr ? .french : .english),
            .head(
                .meta(.charset(.utf8)),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .title("\(title) · Maillage"),
                .link(.rel(.stylesheet), .href("/assets/maillage.css")),
                .link(.rel(.icon), .href("/assets/favicon.svg"), .attribute(named: "type", value: "image/svg+xml"))
            ),
            .body(
                .a(.class("skip"), .href("#main"), .text(t("Aller au contenu", "Skip to content"))),
                header(req, here: here),
                .main(.id("main"), .unwrap(req.takeFlash()) { .p(.class("notice flash"), .attribute(named: "role", value: "status"), .text($0)) },
                      .group(content)),
                .footer(
                    .class("site-footer"),
                    .p(
                        .text(t("Maillage est un logiciel libre (AGPL-3.0) pour les coopératives d’un territoire. ",
                                "Maillage is free software (AGPL-3.0) for the cooperatives of a territory. ")),
                        .a(.href("/api/docs"), .text(t("API ouverte", "Open API"))),
                        .text(" · "),
                        .a(.href("/about/privacy"), .text(t("Données personnelles", "Personal data"))),
                        .text(" · "),
                        .a(.href("/open-data"), .text(t("Données ouvertes", "Open data")))
                    )
                )
            )
        )
        let response = Response(status: status)
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.body = .init(string: html.render())
        return response
    }

    /// Where the language switcher comes back to: this page, or for a page answering a form
    /// (its address only takes POST) the page the form was on.
    static func returnPath(_ req: Request) -> String {
        if req.method == .GET { return req.url.path + (req.url.query.map { "?" + $0 } ?? "") }
        guard let referer = req.headers.first(name: .referer).flatMap(URLComponents.init(string:)),
              referer.host == nil || referer.host == req.headers.first(name: .host)?.split(separator: ":").first.map(String.init)
        else { return "/" }
        return LanguageSwitch.safeReturnPath(referer.path + (referer.query.map { "?" + $0 } ?? ""))
    }

    private static func header(_ req: Request, here: String) -> Node<HTML.BodyContext> {
        let t = req.t
        let other: Language = req.language == .fr ? .en : .fr
        return .header(
            .class("site-header"),
            .a(.class("brand"), .href("/"), .text("Maillage")),
            .nav(
                .attribute(named: "aria-label", value: t("Navigation principale", "Main navigation")),
                .ul(
                    .li(.a(.href("/"), .text(t("Annuaire", "Directory")))),
                    // A plain conditional, not Plot's `.if`: both branches of `.if` are built, and the
                    // logout form would start a session for every anonymous visitor.
                    req.user != nil
                        ? .group(
                            .li(.a(.href("/cooperatives/new"), .text(t("Créer une coopérative", "Create a cooperative")))),
                            .li(.a(.href("/account"), .text(t("Mon compte", "My account")), .unreadBadge(req))),
                            .li(Form.post(req, action: "/logout", .button(.class("link"), .type(.submit), .text(t("Se déconnecter", "Log out")))))
                        )
                        : .group(
                            .li(.a(.href("/login"), .text(t("Se connecter", "Log in")))),
                            .li(.a(.href("/signup"), .text(t("Créer un compte", "Sign up"))))
                        ),
                    .li(.a(
                        .href("/lang/\(other.rawValue)?back=\(here.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=?+"))) ?? "/")"),
                        .attribute(named: "lang", value: other.rawValue),
                        .attribute(named: "hreflang", value: other.rawValue),
                        .text(other == .en ? "English" : "Français")
                    ))
                )
            )
        )
    }
}

extension Node where Context == HTML.AnchorContext {
    /// "(3)" after "My account" when notifications wait, with words for screen readers.
    static func unreadBadge(_ req: Request) -> Node {
        guard let unread = req.storage[UnreadCountKey.self], unread > 0 else { return .empty }
        return .span(.class("badge"), .attribute(named: "aria-label", value: req.t("\(unread) notifications non lues", "\(unread) unread notifications")), .text("\(unread)"))
    }
}

struct UnreadCountKey: StorageKey { typealias Value = Int }

/// An error page in the same frame, in the person's language.
enum ErrorPage {
    static func render(_ req: Request, status: HTTPResponseStatus, message: String) -> Response {
        let t = req.t
        let title = status == .notFound ? t("Page introuvable", "Page not found") : t("Impossible de continuer", "Cannot continue")
        return Layout.page(req, title: title, status: status,
            .h1(.text(title)),
            .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(message)),
            .p(.a(.href("/"), .text(t("Retour à l’annuaire", "Back to the directory"))))
        )
    }
}
