import Fluent
import MaillageCore
import SQLKit
import Vapor

/// Each person's channel per kind of notice (`notification_preferences`). A row is kept only for a
/// choice that differs from the kind's default (`NoticePreferences`): the defaults live in Core in
/// one place, and changing one reaches everybody who never chose otherwise.
enum NoticeChoices {
    static let table = "notification_preferences"

    private struct Row: Decodable { var kind: String; var channel: String }

    static func preferences(of userID: UUID, on db: any Database) async throws -> NoticePreferences {
        let rows = try await db.sql.select().columns("kind", "channel").from(table)
            .where("user_id", .equal, SQLBind(userID)).all(decoding: Row.self)
        var chosen: [NoticeKind: NoticeChannel] = [:]
        for row in rows {
            // A kind or channel a later version no longer knows is ignored: the default applies.
            if let kind = NoticeKind(rawValue: row.kind), let channel = NoticeChannel(rawValue: row.channel) { chosen[kind] = channel }
        }
        return NoticePreferences(chosen: chosen)
    }

    static func channel(of userID: UUID, for kind: NoticeKind, on db: any Database) async throws -> NoticeChannel {
        let row = try await db.sql.select().columns("kind", "channel").from(table)
            .where("user_id", .equal, SQLBind(userID)).where("kind", .equal, SQLBind(kind.rawValue)).first(decoding: Row.self)
        return row.flatMap { NoticeChannel(rawValue: $0.channel) } ?? kind.defaultChannel
    }

    /// Whether a module that writes its own mail for this kind (the shop's receipt) should send it.
    static func wantsMailAtOnce(_ userID: UUID, for kind: NoticeKind, on db: any Database) async throws -> Bool {
        try await channel(of: userID, for: kind, on: db) == .mailAtOnce
    }

    /// Saves the whole set of choices: rows for what differs from the defaults, none for the rest.
    static func save(_ preferences: NoticePreferences, of userID: UUID, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            try await tx.sql.delete(from: table).where("user_id", .equal, SQLBind(userID)).run()
            guard !preferences.chosen.isEmpty else { return }
            let insert = tx.sql.insert(into: table).columns("id", "user_id", "kind", "channel", "updated_at")
            for (kind, channel) in preferences.chosen.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                insert.values(SQLBind(UUID()), SQLBind(userID), SQLBind(kind.rawValue), SQLBind(channel.rawValue), SQLBind(Date()))
            }
            try await insert.run()
        }
    }

    /// One-click unsubscribe: these kinds in the site only, whatever else the person chose. One
    /// statement per kind, so two clicks at once leave the same result as one.
    static func turnOff(_ kinds: [NoticeKind], of userID: UUID, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            for kind in kinds {
                try await tx.sql.delete(from: table).where("user_id", .equal, SQLBind(userID)).where("kind", .equal, SQLBind(kind.rawValue)).run()
                if kind.defaultChannel != .siteOnly {
                    try await tx.sql.insert(into: table).columns("id", "user_id", "kind", "channel", "updated_at")
                        .values(SQLBind(UUID()), SQLBind(userID), SQLBind(kind.rawValue), SQLBind(NoticeChannel.siteOnly.rawValue), SQLBind(Date()))
                        .onConflict(with: ["user_id", "kind"]) { $0.set(excludedValueOf: "channel").set(excludedValueOf: "updated_at") }
                        .run()
                }
            }
        }
    }
}
