import Foundation
import Fluent
import SQLKit

/// The person who asks may give a phone with the request (the ad's author gives theirs with the
/// ad): both can call each other on the day, once the request is accepted.
struct CarpoolAskPhones: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("carpool_asks").field("asker_phone", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("carpool_asks").deleteField("asker_phone").update()
    }
}

extension CarpoolAsks {
    /// "Delete my account": the phone the person gave with their requests goes.
    static func erasePhones(of person: UUID, on db: any Database) async throws {
        try await db.sql.update("carpool_asks").set("asker_phone", to: SQLLiteral.null)
            .where { group in
                group.where { $0.where("asked_by", .equal, SQLBind("passenger")).where("passenger_id", .equal, SQLBind(person)) }
                     .orWhere { $0.where("asked_by", .equal, SQLBind("driver")).where("driver_id", .equal, SQLBind(person)) }
            }.run()
    }
}
