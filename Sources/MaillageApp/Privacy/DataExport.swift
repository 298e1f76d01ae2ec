import Fluent
import MaillageCore
import SQLKit
import Vapor

/// "Download my data" (GDPR art. 15 and 20): every row about the person in every declared table,
/// as one JSON document and a CSV per table, packed in a tar archive.
enum DataExport {
    struct Table: Sendable {
        var name: String
        var columns: [String]
        var rows: [[String: String]]
    }

    static func tables(for userID: UUID, register: [TableRegister], on db: any Database) async throws -> [Table] {
        var out: [Table] = []
        for entry in register {
            guard let subject = entry.subject else { continue }
            let columns = entry.personal.map(\.column) + entry.nonPersonal
            let rows = try await db.sql.select().columns(columns.map { SQLColumn($0) }).from(entry.table)
                .where { about in
                    for column in [subject] + entry.alsoAbout { about.orWhere(SQLColumn(column), .equal, SQLBind(userID)) }
                    return about
                }.all()
            let decoded = rows.map { row in
                Dictionary(uniqueKeysWithValues: columns.map { column in (column, text(row, column)) })
            }
            if !decoded.isEmpty { out.append(Table(name: entry.table, columns: columns, rows: decoded)) }
        }
        return out
    }

    /// Every value as text: the archive is for people and programs, not for the database.
    private static func text(_ row: any SQLRow, _ column: String) -> String {
        if (try? row.decodeNil(column: column)) == true { return "" }
        if let value = try? row.decode(column: column, as: String.self) { return value }
        if let value = try? row.decode(column: column, as: UUID.self) { return value.uuidString }
        if let value = try? row.decode(column: column, as: Int64.self) { return String(value) }
        if let value = try? row.decode(column: column, as: Bool.self) { return String(value) }
        if let value = try? row.decode(column: column, as: Date.self) { return ISO8601DateFormatter().string(from: value) }
        if let value = try? row.decode(column: column, as: Double.self) { return String(value) }
        return ""
    }

    static func archive(_ tables: [Table], user: User) throws -> Data {
        var tar = TarWriter()
        let document: [String: Any] = [
            "exported_at": ISO8601DateFormatter().string(from: Date()),
            "person": try user.requireID().uuidString,
            "tables": Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0.rows) }),
        ]
        tar.add("maillage-export/data.json", try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]))
        for table in tables {
            var lines = [table.columns.joined(separator: ",")]
            for row in table.rows { lines.append(table.columns.map { CSV.escape(.text(row[$0] ?? "")) }.joined(separator: ",")) }
            tar.add("maillage-export/\(table.name).csv", Data((lines.joined(separator: "\r\n") + "\r\n").utf8))
        }
        tar.add("maillage-export/README.txt", Data("""
        Export of your personal data from Maillage (GDPR art. 15 and 20).
        data.json holds every table; each CSV file holds one table. The register of processing
        (purposes, retention, recipients) is published on the instance's page /about/privacy.

        """.utf8))
        return tar.finish()
    }
}
