import Fluent
import MaillageCore
import Plot
import SQLKit
import Vapor

/// Operators delete an archived cooperative that nothing is attached to (one made to try the
/// instance): only its own founding rows go. Anything another module recorded for it (an order,
/// a booked share, a vote) keeps it, archived, with its records.
enum TestCooperatives {
    /// Its own rows, deleted with it: the founder's membership, its colleges, its charter, the
    /// invitations its board sent.
    static let ownTables: Set<String> = [Cooperative.schema, Membership.schema, College.schema, CharterEntry.schema, Invitation.schema]

    /// The tables (from every module's data register) holding rows of this cooperative, beyond its own.
    static func attached(_ coop: Cooperative, on db: any Database) async throws -> [String] {
        let coopID = try coop.requireID()
        var found: [String] = []
        for table in Modules.all.flatMap(\.dataRegister) where !ownTables.contains(table.table)
            && (table.nonPersonal.contains("cooperative_id") || table.personal.contains { $0.column == "cooperative_id" }) {
            struct Count: Decodable { var n: Int }
            let count = try await db.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table.table) WHERE cooperative_id = \(bind: coopID)")
                .first(decoding: Count.self)?.n ?? 0
            if count > 0 { found.append(table.table) }
        }
        let members = try await Membership.query(on: db).filter(\.$cooperative.$id == coopID).count()
        if members > 1 { found.append(Membership.schema) }
        return found
    }

    /// `GET /operators/cooperatives/delete?cooperative=<id>`.
    @Sendable static func deleteQuestion(_ req: Request) async throws -> Response {
        let coop = try await archived(req.query[UUID.self, at: "cooperative"], on: req.db)
        let t = req.t
        let attached = try await attached(coop, on: req.db)
        guard attached.isEmpty else {
            throw DomainError(.conflict, code: "cooperative_in_use",
                              fr: "Des données sont rattachées à \(coop.name) (\(attached.joined(separator: ", "))) : elle reste archivée.",
                              en: "Records are attached to \(coop.name) (\(attached.joined(separator: ", "))): it stays archived.")
        }
        return Confirmation.page(req, title: t("Supprimer \(coop.name)", "Delete \(coop.name)"),
            consequences: [t("La fiche, ses collèges, sa charte et l’adhésion de son fondateur sont effacés ; rien d’autre n’y est rattaché.",
                             "Its entry, colleges, charter and its founder's membership are erased; nothing else is attached to it."),
                           t("Cela ne peut pas être annulé.", "This cannot be undone.")],
            action: "/operators/cooperatives/\(try coop.requireID())/delete", button: t("Supprimer définitivement", "Delete for good"),
            back: "/operators/cooperatives")
    }

    @Sendable static func delete(_ req: Request) async throws -> Response {
        let coop = try await archived(req.parameters.get("id", as: UUID.self), on: req.db)
        let coopID = try coop.requireID()
        guard req.isConfirmed else { return req.askFirst("/operators/cooperatives/delete?cooperative=\(coopID)") }
        let inUse = DomainError(.conflict, code: "cooperative_in_use", fr: "Des données ont été rattachées entre-temps : elle reste archivée.",
                                en: "Records were attached meanwhile: it stays archived.")
        do {
            try await req.db.writeTransaction { db in
                // Checked again inside the transaction: nothing may have been attached since the question.
                guard try await attached(coop, on: db).isEmpty else { throw inUse }
                for table in [Invitation.schema, Membership.schema, College.schema, CharterEntry.schema] {
                    try await db.sql.delete(from: table).where("cooperative_id", .equal, SQLBind(coopID)).run()
                }
                try await db.sql.delete(from: Cooperative.schema).where("id", .equal, SQLBind(coopID)).run()
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // On PostgreSQL a row attached after the check above, by a transaction not yet visible
            // to it, makes the final delete fail its foreign key: the same answer, nothing deleted.
            throw inUse
        }
        return req.done(Localized(fr: "\(coop.name) supprimée.", en: "\(coop.name) deleted."), goTo: "/operators/cooperatives")
    }

    private static func archived(_ id: UUID?, on db: any Database) async throws -> Cooperative {
        guard let id, let coop = try await Cooperative.find(id, on: db), coop.archivedAt != nil
        else { throw Problem.notFound(Cooperatives.cooperativeWord) }
        return coop
    }

    /// The operators' list of archived cooperatives, each with what keeps it or the way to delete it.
    static func section(_ req: Request) async throws -> Node<HTML.BodyContext> {
        let t = req.t
        let archived = try await Cooperative.query(on: req.db).filter(\.$archivedAt != nil).sort(\.$name).all()
        guard !archived.isEmpty else { return .empty }
        var rows: [(Cooperative, [String])] = []
        for coop in archived { rows.append((coop, try await attached(coop, on: req.db))) }
        return .section(.h2(.text(t("Coopératives archivées", "Archived cooperatives"))),
            .ul(.forEach(rows) { coop, attached in
                .li(.text(coop.name + " — "),
                    attached.isEmpty
                        ? Confirmation.ask(t("Supprimer…", "Delete…"), at: "/operators/cooperatives/delete?cooperative=\(coop.id?.uuidString ?? "")",
                                           ariaLabel: t("Supprimer \(coop.name)", "Delete \(coop.name)"))
                        : .text(t("gardée : des données y sont rattachées", "kept: records are attached")))
            }))
    }
}
