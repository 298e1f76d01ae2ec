import Fluent
import SQLKit
import Plot
import Vapor

struct NotificationsModule: MaillageModule {
    let name = "notifications"
    var migrations: [any Migration] { [CreateNotifications()] }

    func pages(_ routes: any RoutesBuilder) {
        routes.grouped(RequireLoginMiddleware()).post("account", "notifications", "read", use: NotificationsPages.markRead)
        routes.grouped(RequireLoginMiddleware()).get("notifications", ":id", "open", use: NotificationsPages.open)
    }

    func accountSection(_ req: Request, user: User) async throws -> Node<HTML.BodyContext>? {
        try await NotificationsPages.accountSection(req, user: user)
    }

    /// Notices to others that quote the person's name now quote their pseudonym (the person's own
    /// notices are deleted by the account's erasure).
    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws {
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
    }

    var openAPI: OpenAPIFragment {
        OpenAPIFragment(
            paths: [
                "/api/v1/me/notifications": ["get": OAS.operation("myNotifications", "What concerns me, newest first", tag: "Notifications", secured: true,
                    responses: OAS.ok("Notifications", OAS.object(["data": OAS.array(OAS.ref("Notification"))], required: ["data"])), errorCodes: [401])],
                "/api/v1/me/notifications/read": ["post": OAS.operation("markNotificationsRead", "Mark all my notifications read", tag: "Notifications", secured: true,
                    responses: ["204": ["description": "Done"]], errorCodes: [401])],
            ],
            schemas: [
                "Notification": OAS.object(["id": OAS.uuid, "text": OAS.string(), "link": OAS.string(),
                                            "createdAt": OAS.nullable(OAS.dateTime), "readAt": OAS.nullable(OAS.dateTime)],
                                           required: ["id", "text", "link"]),
            ])
    }
}
