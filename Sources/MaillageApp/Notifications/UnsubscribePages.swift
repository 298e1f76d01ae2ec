import Fluent
import MaillageCore
import Plot
import Vapor

/// `/unsubscribe/<token>`: the link in every notification mail (RFC 8058). It needs no login: the
/// token, signed with the instance's secret, names the person and the kinds, and all it can do
/// is put those kinds back in the site only — nothing is lost, the notices stay in the site.
enum UnsubscribePages {
    static let invalidLink = DomainError(.notFound, code: "unsubscribe_link_invalid",
        fr: "Ce lien de désabonnement n’est pas valide : il a été modifié, ou il ne vient pas de ce site. Connectez-vous pour choisir vos notifications dans votre compte.",
        en: "This unsubscribe link is not valid: it was changed, or it does not come from this site. Log in to choose your notifications in your account.")

    /// What the link would do, and a button to do it (a mail scanner that follows links changes nothing).
    @Sendable static func show(_ req: Request) async throws -> Response {
        let (link, _) = try await verified(req)
        let t = req.t
        let title = t("Ne plus recevoir ces courriels", "Stop these mails")
        let token = req.parameters.get("token") ?? ""
        return Layout.page(req, title: title,
            .h1(.text(title)),
            .p(.text(t("Ces notifications ne vous seront plus envoyées par courriel ; elles resteront dans le site, sur votre compte :",
                       "These notifications will no longer be mailed to you; they stay in the site, on your account:"))),
            .ul(.forEach(link.kinds) { kind in .li(.text(t(kind.label) + " — " + t(kind.explanation))) }),
            // The same request a mail program sends (RFC 8058): no session, no CSRF token; the
            // signed link is the proof.
            .form(.action("/unsubscribe/" + token), .method(.post),
                  .input(.type(.hidden), .name("List-Unsubscribe"), .value("One-Click")),
                  .button(.type(.submit), .text(t("Ne plus les recevoir par courriel", "Stop mailing them")))),
            .p(.a(.href(PreferencePages.path), .text(t("Tout régler dans mon compte", "All my settings")))))
    }

    /// The one-click itself, from a mail program (body `List-Unsubscribe=One-Click`, no cookie)
    /// or from the button above. Doing it twice changes nothing more. Answers 200 with a page.
    @Sendable static func apply(_ req: Request) async throws -> Response {
        let (link, _) = try await verified(req)
        try await NoticeChoices.turnOff(link.kinds, of: link.user, on: req.db)
        let t = req.t
        let title = t("C’est fait", "Done")
        let names = link.kinds.map { t($0.label) }.joined(separator: ", ")
        return Layout.page(req, title: title,
            .h1(.text(title)),
            .p(.attribute(named: "role", value: "status"),
               .text(t("Plus de courriel pour : \(names). Ces notifications restent dans le site.",
                       "No more mail for: \(names). These notifications stay in the site."))),
            .p(.a(.href(PreferencePages.path), .text(t("Tout régler dans mon compte", "All my settings")))))
    }

    /// The link and its person, or a 404 page that says why (a forged, changed or foreign link,
    /// or an account since deleted).
    static func verified(_ req: Request) async throws -> (UnsubscribeLink, User) {
        guard let link = NoticeMails.verified(req.parameters.get("token") ?? ""),
              let person = try await User.find(link.user, on: req.db), !person.isErased else { throw invalidLink }
        return (link, person)
    }
}
