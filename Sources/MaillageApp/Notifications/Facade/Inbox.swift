import Fluent
import MaillageCore
import SQLKit
import Vapor

/// A message in a person's in-app inbox. Modules write here; the person reads it on their home page.
final class Notice: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "text_fr") var textFR: String
    @Field(key: "text_en") var textEN: String
    @Field(key: "link") var link: String
    /// `NoticeKind`: which of the person's choices applies (nil for notices older than kinds).
    @OptionalField(key: "kind") var kind: String?
    /// The digest that listed it, once one did (`notification_digests`).
    @OptionalField(key: "digest_id") var digestID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}

    struct DTO: Content {
        var id: UUID
        var text: String
        var link: String
        var createdAt: Date?
        var readAt: Date?
    }

    func dto(_ language: Language) throws -> DTO {
        DTO(id: try requireID(), text: language == .fr ? textFR : textEN, link: link, createdAt: createdAt, readAt: readAt)
    }
}

enum Inbox {
    /// Tells a person something, in the site's inbox always, and by mail at once when that is
    /// their channel for this kind (the mail is written in `db`, the event's own transaction, so
    /// the outbox sends it once, and only if the event is kept). `kind` has no default: each call
    /// says what it is about, so the person's choice applies to it.
    static func notify(_ userID: UUID, _ text: Localized, link: String, kind: NoticeKind, on db: any Database) async throws {
        let notice = Notice()
        notice.id = UUID()
        notice.$user.id = userID
        notice.textFR = text.fr
        notice.textEN = text.en
        notice.link = link
        notice.kind = kind.rawValue
        try await notice.create(on: db)
        if try await NoticeChoices.channel(of: userID, for: kind, on: db) == .mailAtOnce {
            try await NoticeMails.mailAtOnce(notice, kind: kind, on: db)
        }
    }

    /// Where a notice's link leads: through its opening, which marks it read, to its page.
    static func openPath(_ notice: Notice) -> String {
        "/notifications/\(notice.id?.uuidString ?? "")/open"
    }

    static func latest(for userID: UUID, limit: Int = 20, on db: any Database) async throws -> [Notice] {
        try await Notice.query(on: db).filter(\.$user.$id == userID).sort(\.$createdAt, .descending).limit(limit).all()
    }

    static func unreadCount(for userID: UUID, on db: any Database) async throws -> Int {
        try await Notice.query(on: db).filter(\.$user.$id == userID).filter(\.$readAt == nil).count()
    }

    /// Marks one notice (or all when `id` is nil) read; only the person's own.
    static func markRead(_ id: UUID?, for userID: UUID, on db: any Database) async throws {
        var update = db.sql.update(Notice.schema).set("read_at", to: SQLBind(Date()))
            .where("user_id", .equal, SQLBind(userID)).where("read_at", .is, SQLLiteral.null)
        if let id { update = update.where("id", .equal, SQLBind(id)) }
        try await update.run()
    }
}

struct CreateNotifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Notice.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("text_fr", .string, .required)
            .field("text_en", .string, .required)
            .field("link", .string, .required)
            .field("created_at", .datetime)
            .field("read_at", .datetime)
            .create()
        try await database.sql.create(index: "notifications_user").on(Notice.schema).column("user_id").column("created_at").run()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(Notice.schema).delete()
    }
}

/// Counts unread notices for the header badge of signed-in pages.
struct UnreadBadgeMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let user = request.user, let id = user.id {
            request.storage[UnreadCountKey.self] = try await Inbox.unreadCount(for: id, on: request.db)
        }
        return try await next.respond(to: request)
    }
}
