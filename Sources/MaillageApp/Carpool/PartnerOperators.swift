import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// The partner operators a cooperative's searches also ask (the client side of the standard
/// covoiturage API), set by staff: a name, the address of the partner's API, the key the partner
/// gave (sent as `X-API-Key`, sealed here, shown back only by its last characters), on or off.
enum PartnerOperators {
    static let table = "carpool_partner_operators"

    struct Row: Sendable, Decodable {
        var id: UUID
        var cooperative_id: UUID
        var name: String
        var base_url: String
        var key_sealed: String?
        var key_end: String?
        var enabled: Bool
        var created_at: Date
        var updated_at: Date
    }

    struct Draft: Sendable {
        var name: String
        var baseURL: String
        var key: String
    }

    static let nameLimit = 80
    static let keyLimit = 200

    static let nameRequired = DomainError(.invalid, code: "name_required", field: "operator_name",
        fr: "Donnez le nom de l’opérateur (80 caractères au plus).", en: "Give the operator's name (80 characters at most).")
    static let badAddress = DomainError(.invalid, code: "invalid_address", field: "operator_url",
        fr: "Donnez l’adresse complète de son API « standard covoiturage », en http ou https (par exemple https://covoit.example.org/standard).",
        en: "Give the full address of its “standard covoiturage” API, in http or https (for example https://covoit.example.org/standard).")
    static let badKey = DomainError(.invalid, code: "invalid_key", field: "operator_key",
        fr: "La clé tient en une ligne de 200 caractères au plus.", en: "The key fits on one line of 200 characters at most.")
    static let alreadyThere = DomainError(.conflict, code: "operator_exists", field: "operator_url",
        fr: "Cet opérateur est déjà dans la liste.", en: "This operator is already in the list.")

    /// The address as kept: absolute http(s), no credentials, query or fragment, no trailing slash.
    static func address(_ text: String) throws -> String {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix("/") { text.removeLast() }
        guard text.utf8.count <= 500, let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = parts.host, !host.isEmpty,
              parts.user == nil, parts.password == nil, parts.query == nil, parts.fragment == nil else { throw badAddress }
        return text
    }

    static func validated(_ draft: Draft) throws -> Draft {
        var errors = ValidationErrors()
        let name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > nameLimit { errors.add(nameRequired) }
        let url = try? address(draft.baseURL)
        if url == nil { errors.add(badAddress) }
        let key = draft.key.trimmingCharacters(in: .whitespacesAndNewlines)
        if key.count > keyLimit || key.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 32 || $0 == 127 } ?? false }) { errors.add(badKey) }
        try errors.throwIfAny()
        return Draft(name: name, baseURL: url ?? "", key: key)
    }

    static func sealContext(_ id: UUID) -> String { "carpool-partner-operator:" + id.uuidString }

    /// The key's last four characters, all that is ever shown of it again.
    static func keyEnd(_ key: String) -> String? { key.isEmpty ? nil : String(key.suffix(4)) }

    static func add(_ draft: Draft, in coop: UUID, by person: UUID?, on db: any Database) async throws -> UUID {
        let checked = try validated(draft)
        let id = UUID(), now = Date()
        let sealed = checked.key.isEmpty ? nil : try InstanceSeal.seal(checked.key, context: sealContext(id))
        try await db.writeTransaction { tx in
            let existing = try await tx.sql.select().column("id").from(table).where("cooperative_id", .equal, SQLBind(coop))
                .where("base_url", .equal, SQLBind(checked.baseURL)).first()
            guard existing == nil else { throw alreadyThere }
            try await tx.sql.insert(into: table)
                .columns("id", "cooperative_id", "name", "base_url", "key_sealed", "key_end", "enabled", "created_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(coop), SQLBind(checked.name), SQLBind(checked.baseURL), SQLBind(sealed), SQLBind(keyEnd(checked.key)),
                        SQLBind(true), SQLBind(person), SQLBind(now), SQLBind(now)).run()
        }
        return id
    }

    static func all(in coop: UUID, on db: any Database) async throws -> [Row] {
        try await db.sql.select().column("*").from(table).where("cooperative_id", .equal, SQLBind(coop))
            .orderBy("created_at").all(decoding: Row.self)
    }

    static func enabled(in coop: UUID, on db: any Database) async throws -> [Row] {
        try await db.sql.select().column("*").from(table).where("cooperative_id", .equal, SQLBind(coop))
            .where("enabled", .equal, SQLBind(true)).orderBy("name").all(decoding: Row.self)
    }

    static func find(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> Row {
        guard let id, let row = try await db.sql.select().column("*").from(table).where("id", .equal, SQLBind(id))
            .where("cooperative_id", .equal, SQLBind(coop)).first(decoding: Row.self)
        else { throw Problem.notFound(Localized(fr: "Opérateur", en: "Operator")) }
        return row
    }

    static func setEnabled(_ id: UUID, _ enabled: Bool, in coop: UUID, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            try await tx.sql.update(table).set("enabled", to: SQLBind(enabled)).set("updated_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).run()
        }
    }

    static func remove(_ id: UUID, in coop: UUID, on db: any Database) async throws {
        try await db.writeTransaction { tx in
            try await tx.sql.delete(from: table).where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).run()
        }
    }

    /// The key to send, opened for one request.
    static func key(of row: Row) -> String? {
        guard let sealed = row.key_sealed else { return nil }
        return try? InstanceSeal.open(sealed, context: sealContext(row.id))
    }
}
