import Fluent
import SQLKit

/// Photos are uploaded, never linked from another server (a link leaks every reader's address to
/// that server and can change under the cooperative). A column that held such links goes with
/// what it held; the count is logged, and the owner uploads the photo instead.
struct DropPhotoLinks: AsyncMigration {
    let table: String
    let column: String

    var name: String { "DropPhotoLinks.\(table).\(column)" }

    func prepare(on database: any Database) async throws {
        struct Count: Decodable { var n: Int }
        let linked = try await database.sql.raw("""
            SELECT COUNT(*) AS n FROM \(ident: table) WHERE \(ident: column) IS NOT NULL AND \(ident: column) <> ''
            """).first(decoding: Count.self)?.n ?? 0
        if linked > 0 {
            database.logger.notice("\(linked) photo links dropped from \(table).\(column); the photos can be uploaded instead")
        }
        try await database.schema(table).deleteField(.string(column)).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(table).field(.string(column), .string).update()
    }
}
