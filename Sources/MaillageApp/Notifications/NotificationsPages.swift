import Fluent
import MaillageCore
import Plot
import Vapor

/// What concerns the person, on their account page, and marking it read.
enum NotificationsPages {
    static func accountSection(_ req: Request, user: User) async throws -> Node<HTML.BodyContext> {
        let t = req.t
        let notices = try await Inbox.latest(for: user.requireID(), on: req.db)
        let unread = notices.filter { $0.readAt == nil }.count
        return
        .section(
            .attribute(named: "aria-labelledby", value: "inbox-title"),
            .h2(.id("inbox-title"), .text(t("Ce qui vous concerne", "What concerns you")),
                .if(unread > 0, .span(.class("badge"), .text(" \(unread)")))),
            .if(notices.isEmpty,
                .p(.text(t("Rien de nouveau pour l’instant.", "Nothing new for now."))),
                else: .group(
                    .ul(.class("inbox"), .forEach(notices) { notice in
                        .li(.class(notice.readAt == nil ? "unread" : "read"),
                            .a(.href(notice.link), .text(t(notice.textFR, notice.textEN))),
                            .text(" "),
                            .span(.class("when"), .text(DateText.short(notice.createdAt, req.language))))
                    }),
                    .when(unread > 0, Form.post(req, action: "/account/notifications/read",
                                              .button(.type(.submit), .text(t("Tout marquer comme lu", "Mark all as read")))))
                ))
        )
    }

    @Sendable static func markRead(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await Inbox.markRead(nil, for: user.requireID(), on: req.db)
        return req.done(Localized(fr: "Notifications marquées comme lues.", en: "Notifications marked as read."), goTo: "/account")
    }
}
