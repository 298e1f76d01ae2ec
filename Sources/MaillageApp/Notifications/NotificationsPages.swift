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
                    .forEach(byDay(notices)) { day in
                        .group(
                            .h3(.class("inbox-day"), .text(DateText.dayHeading(day.day, req.language))),
                            .ul(.class("inbox"), .forEach(day.notices) { notice in
                                .li(.class(notice.readAt == nil ? "unread" : "read"),
                                    // Following the link marks the notice read, then leads to its page.
                                    .a(.href(Inbox.openPath(notice)), .text(t(notice.textFR, notice.textEN))),
                                    .text(" "),
                                    .if(notice.readAt == nil, .span(.class("visually-hidden"), .text(t(" (non lu)", " (unread)")))),
                                    .span(.class("when"), .text(notice.createdAt.map { DateText.time($0, req.language) } ?? "")))
                            }))
                    },
                    .when(unread > 0, Form.post(req, action: "/account/notifications/read",
                                              .button(.type(.submit), .text(t("Tout marquer comme lu", "Mark all as read")))))
                )),
            .p(.a(.href(PreferencePages.path), .text(t("Choisir comment être prévenu·e (courriel, résumé quotidien)",
                                                         "Choose how you are told (mail, daily digest)"))))
        )
    }

    /// Notices grouped by the day they came, newest day first (the notices come newest first).
    static func byDay(_ notices: [Notice]) -> [(day: Date, notices: [Notice])] {
        var days: [(day: Date, notices: [Notice])] = []
        for notice in notices {
            let day = DateText.dayStart(notice.createdAt ?? Date())
            if days.last?.day == day { days[days.count - 1].notices.append(notice) } else { days.append((day, [notice])) }
        }
        return days
    }

    /// Opening a notice: marks it read (only the person's own; doing it twice changes nothing) and
    /// leads to the page it speaks of.
    @Sendable static func open(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let userID = try user.requireID()
        guard let id = req.parameters.get("id", as: UUID.self),
              let notice = try await Notice.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == userID).first()
        else { throw Problem.notFound(Localized(fr: "Notification", en: "Notification")) }
        try await Inbox.markRead(id, for: userID, on: req.db)
        return req.redirect(to: LanguageSwitch.safeReturnPath(notice.link), redirectType: .normal)
    }

    @Sendable static func markRead(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        try await Inbox.markRead(nil, for: user.requireID(), on: req.db)
        return req.done(Localized(fr: "Notifications marquées comme lues.", en: "Notifications marked as read."), goTo: "/account")
    }
}
