import Fluent
import MaillageCore
import SQLKit
import Vapor

/// Who of the board or staff opened or exported whose personal data, and when.
/// The person concerned reads it on their account page.
enum AccessLog {
    static let table = "access_log"

    static func record(actor: User, subjects: [UUID], what: String, coop: Cooperative, on db: any Database) async throws {
        let actorID = try actor.requireID(), coopID = try coop.requireID(), now = Date()
        let others = Set(subjects).subtracting([actorID])
        guard !others.isEmpty else { return }
        var insert = db.sql.insert(into: table).columns("id", "actor_id", "subject_id", "cooperative_id", "what", "at")
        for subject in others {
            insert = insert.values(SQLBind(UUID()), SQLBind(actorID), SQLBind(subject), SQLBind(coopID), SQLBind(what), SQLBind(now))
        }
        try await insert.run()
    }
}
