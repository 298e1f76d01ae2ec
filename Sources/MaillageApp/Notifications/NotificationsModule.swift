import Fluent
import MaillageCore
import SQLKit
import Plot
import Vapor

struct NotificationsModule: MaillageModule {
    let name = "notifications"
    var migrations: [any Migration] { [CreateNotifications(), CreateNotificationChoices()] }
    var jobs: [ScheduledJob] { [DailyDigest.job] }
    var mailTemplates: [MailTemplate] { NoticeMails.templates }

    func pages(_ routes: any RoutesBuilder) {
        routes.grouped(RequireLoginMiddleware()).post("account", "notifications", "read", use: NotificationsPages.markRead)
        routes.grouped(RequireLoginMiddleware()).get("notifications", ":id", "open", use: NotificationsPages.open)
        routes.grouped(RequireLoginMiddleware()).get("account", "notifications", use: PreferencePages.show)
        routes.grouped(RequireLoginMiddleware()).post("account", "notifications", use: PreferencePages.save)
        // No login: the signed link is the proof. The POST is a mail program's one-click (RFC 8058),
        // sent without cookies, hence without a CSRF token.
        routes.get("unsubscribe", ":token", use: UnsubscribePages.show)
        routes.post("unsubscribe", ":token", use: UnsubscribePages.apply).withoutCSRF()
    }

    func accountSection(_ req: Request, user: User) async throws -> Node<HTML.BodyContext>? {
        try await NotificationsPages.accountSection(req, user: user)
    }

    /// Notices to others that quote the person's name now quote their pseudonym (the person's own
    /// notices are deleted by the account's erasure).
    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws {
        try await db.sql.delete(from: NoticeChoices.table).where("user_id", .equal, SQLBind(user)).run()
        try await db.sql.delete(from: DailyDigest.table).where("user_id", .equal, SQLBind(user)).run()
        guard !name.isEmpty else { return }
        for column in ["text_fr", "text_en"] {
            try await db.sql.update(Notice.schema)
                .set(SQLIdentifier(column), to: SQLFunction("REPLACE", args: SQLIdentifier(column), SQLBind(name), SQLBind(pseudonym)))
                .where(SQLIdentifier(column), .like, SQLBind("%" + name + "%")).run()
        }
    }

    func api(_ routes: any RoutesBuilder) {
        routes.get("me", "notifications", use: NotificationsAPI.notifications)
        routes.post("me", "notifications", "read", use: NotificationsAPI.markNotificationsRead)
        routes.get("me", "notification-preferences", use: PreferencesAPI.show)
        routes.put("me", "notification-preferences", use: PreferencesAPI.update)
    }

    var openAPI: OpenAPIFragment {
        let choices = OAS.object(["data": OAS.array(OAS.ref("NotificationChoice"))], required: ["data"])
        return OpenAPIFragment(
            paths: [
                "/api/v1/me/notifications": ["get": OAS.operation("myNotifications", "What concerns me, newest first", tag: "Notifications", secured: true,
                    responses: OAS.ok("Notifications", OAS.object(["data": OAS.array(OAS.ref("Notification"))], required: ["data"])), errorCodes: [401])],
                "/api/v1/me/notifications/read": ["post": OAS.operation("markNotificationsRead", "Mark all my notifications read", tag: "Notifications", secured: true,
                    responses: ["204": ["description": "Done"]], errorCodes: [401])],
                "/api/v1/me/notification-preferences": [
                    "get": OAS.operation("myNotificationPreferences", "How I am told of each kind of notification", tag: "Notifications", secured: true,
                        responses: OAS.ok("Choices", choices), errorCodes: [401]),
                    "put": OAS.operation("setNotificationPreferences", "Choose the channel of some kinds (the others stay as they are)", tag: "Notifications", secured: true,
                        body: OAS.object(Dictionary(uniqueKeysWithValues: NoticeKind.allCases.map { ($0.rawValue, OAS.string(enum: $0.channels.map(\.rawValue))) }), required: []),
                        responses: OAS.ok("Choices", choices), errorCodes: [401])],
            ],
            schemas: [
                "Notification": OAS.object(["id": OAS.uuid, "text": OAS.string(), "link": OAS.string(),
                                            "createdAt": OAS.nullable(OAS.dateTime), "readAt": OAS.nullable(OAS.dateTime)],
                                           required: ["id", "text", "link"]),
                "NotificationChoice": OAS.object(["kind": OAS.string(enum: NoticeKind.allCases.map(\.rawValue)),
                                                  "channel": OAS.string(enum: NoticeChannel.allCases.map(\.rawValue)),
                                                  "defaultChannel": OAS.string(enum: NoticeChannel.allCases.map(\.rawValue)),
                                                  "channels": OAS.array(OAS.string(enum: NoticeChannel.allCases.map(\.rawValue)))],
                                                 required: ["kind", "channel", "defaultChannel", "channels"]),
            ])
    }
}
