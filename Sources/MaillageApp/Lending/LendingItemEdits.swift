import Fluent
import Foundation
import MaillageCore
import SQLKit

/// What an owner does to their own item: edit it, withdraw it, keep it for some days. Each in
/// one write transaction whose conditions the database checks (`owner_id`, `withdrawn_at IS NULL`,
/// the `loan_days` key), never read first and written after.
extension LendingStore {
    static let itemGone = DomainError(.conflict, code: "item_withdrawn", fr: "Cet objet a été retiré par son ou sa propriétaire.",
                                      en: "This item was withdrawn by its owner.")

    static func stillLent(_ period: LoanPeriod) -> DomainError {
        DomainError(.conflict, code: "item_still_lent",
                    fr: "Un prêt est accepté du \(period.first.iso) au \(period.last.iso) : annulez-le d’abord (l’emprunteur ou l’emprunteuse sera prévenu·e) ou attendez le retour.",
                    en: "A loan is accepted from \(period.first.iso) to \(period.last.iso): cancel it first (the borrower will be told) or wait for the return.")
    }

    /// An item form checked against the rules and the territory: the core item, where it is found
    /// and its showcase, or every problem at once.
    struct Prepared: Sendable {
        var item: LendingItem
        var commune: String
        var position: GeoPoint?
        var showcaseID: UUID?
    }

    static func prepare(_ input: ItemInput, id: UUID = UUID(), owner: UUID, coop: UUID, on db: any Database) async throws -> Prepared {
        let showcase = try await showcase(of: coop, on: db)
        var errors = ValidationErrors()
        let place = Communes.known.first { SearchText.fold($0.name) == SearchText.fold(input.commune.trimmingCharacters(in: .whitespaces)) }
        if place == nil { errors.add(LendingWords.unknownCommune) }
        let item: LendingItem
        do {
            item = try input.draft.validated(id: id, owner: owner, showcase: showcase?.location)
        } catch let one as DomainError {
            errors.add(one); try errors.throwIfAny(); throw one
        } catch let many as ValidationErrors {
            for error in many.errors { errors.add(error) }
            try errors.throwIfAny(); throw many
        }
        try errors.throwIfAny()
        guard let place else { throw LendingWords.unknownCommune }
        // An item kept at the showcase is found where the showcase is.
        let position: GeoPoint? = if case .showcase(let s) = item.pickup { s.position } else { GeoPoint(lat: place.lat, lon: place.lon) }
        return Prepared(item: item, commune: place.name, position: position, showcaseID: item.pickup.code == "vitrine" ? showcase?.id : nil)
    }

    /// The owner changes the item; its search words follow in the same transaction.
    static func updateItem(_ row: LendingItemRow, _ input: ItemInput, by member: UUID, on db: any Database) async throws -> LendingItemRow {
        guard row.ownerID == member else { throw Problem.notFound(LendingWords.item) }
        let ready = try await prepare(input, id: row.id, owner: member, coop: row.cooperativeID, on: db)
        let item = ready.item
        try await db.writeTransaction { db in
            let sql: SQLQueryString = """
                UPDATE lending_items SET title = \(bind: item.title), category = \(bind: item.category.rawValue),
                description = \(bind: item.description), condition = \(bind: item.condition.rawValue), deposit_cents = \(bind: item.depositCents),
                max_loan_days = \(bind: item.maximumLoanDays), pickup = \(bind: item.pickup.code), showcase_id = \(bind: ready.showcaseID),
                commune = \(bind: ready.commune), lat = \(bind: ready.position?.lat), lon = \(bind: ready.position?.lon),
                search_text = \(bind: item.searchText)
                WHERE id = \(bind: row.id) AND owner_id = \(bind: member) AND withdrawn_at IS NULL RETURNING id
                """
            guard try await db.sql.raw(sql).first() != nil else { throw itemGone }
            try await LendingItemWords.replace(.init(item: row.id, cooperative: row.cooperativeID, searchText: item.searchText,
                                                     category: item.category.rawValue, lat: ready.position?.lat, lon: ready.position?.lon), on: db)
        }
        return try await self.item(row.id, in: row.cooperativeID, on: db)
    }

    /// The owner withdraws the item. Refused while a loan holds days (the borrower counts on it:
    /// the owner cancels it first, which tells them); pending requests are declined, and their
    /// borrowers told. The item row is written first: an acceptance running at the same time
    /// writes it too (`lockForAcceptance`), so one waits for the other and sees its result.
    static func withdraw(_ row: LendingItemRow, by member: UUID, coopSlug: String, on db: any Database, now: Date = Date()) async throws {
        guard row.ownerID == member else { throw Problem.notFound(LendingWords.item) }
        try await db.writeTransaction { db in
            let sql: SQLQueryString = """
                UPDATE lending_items SET withdrawn_at = \(bind: now)
                WHERE id = \(bind: row.id) AND owner_id = \(bind: member) AND withdrawn_at IS NULL RETURNING id
                """
            guard try await db.sql.raw(sql).first() != nil else { throw itemGone }
            struct Held: Decodable { var first_day: String; var last_day: String }
            if let held = try await db.sql.raw("""
                SELECT first_day, last_day FROM loans WHERE item_id = \(bind: row.id) AND status IN ('accepted', 'handed_over')
                ORDER BY first_day LIMIT 1
                """).first(decoding: Held.self), let period = try? LoanPeriod(firstISO: held.first_day, lastISO: held.last_day) {
                throw stillLent(period) // rolls the withdrawal back
            }
            struct Pending: Decodable { var id: UUID; var borrower_id: UUID }
            let pending = try await db.sql.raw("""
                UPDATE loans SET status = 'declined', decided_at = \(bind: now)
                WHERE item_id = \(bind: row.id) AND status = 'requested' RETURNING id, borrower_id
                """).all(decoding: Pending.self)
            for loan in pending {
                try await db.sql.insert(into: "loan_events").columns("id", "loan_id", "kind", "actor", "actor_member_id", "at", "status_after")
                    .values(SQLBind(UUID()), SQLBind(loan.id), SQLBind(LoanEvent.Kind.declined.rawValue), SQLBind(LoanActor.owner.rawValue),
                            SQLBind(member), SQLBind(now), SQLBind(LoanStatus.declined.rawValue))
                    .run()
                try await Inbox.notify(loan.borrower_id, Localized(fr: "« \(row.title) » a été retiré par son ou sa propriétaire : votre demande est close.",
                                                                   en: "“\(row.title)” was withdrawn by its owner: your request is closed."),
                                       link: "/c/\(coopSlug)/lending/loans/\(loan.id)", kind: .loans, on: db)
            }
            try await LendingItemWords.remove(item: row.id, on: db)
        }
    }

    /// Inside an acceptance: writes the item row (changing nothing) so that a withdrawal running
    /// at the same time waits for it (PostgreSQL row lock; SQLite has one writer), and refuses
    /// when the item is already withdrawn.
    static func lockForAcceptance(item: UUID, on db: any Database) async throws {
        let sql: SQLQueryString = "UPDATE lending_items SET withdrawn_at = withdrawn_at WHERE id = \(bind: item) AND withdrawn_at IS NULL RETURNING id"
        guard try await db.sql.raw(sql).first() != nil else { throw itemGone }
    }

    // MARK: Blocked days

    /// The periods the owner keeps the item (blocks not lifted).
    static func blocks(item: UUID, on db: any Database) async throws -> [ItemBlockRow] {
        try await db.sql.select().column("*").from("item_blocks").where("item_id", .equal, SQLBind(item))
            .where(SQLColumn("removed_at"), .is, SQLLiteral.null).orderBy("first_day").all(decoding: ItemBlockRow.self)
    }

    static func blocked(item: UUID, on db: any Database) async throws -> [LoanPeriod] {
        try await blocks(item: item, on: db).compactMap(\.period)
    }

    /// The owner keeps the item for some days: the days are claimed in `loan_days` like an
    /// accepted loan's, so a block and an acceptance of the same day cannot both succeed.
    static func block(_ row: LendingItemRow, period: LoanPeriod, reason: String, by member: UUID,
                      on db: any Database, now: Date = Date()) async throws -> UUID {
        guard row.ownerID == member else { throw Problem.notFound(LendingWords.item) }
        guard row.withdrawnAt == nil else { throw itemGone }
        let note = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard note.count <= 200 else {
            throw DomainError(.invalid, code: "invalid_reason", field: "reason", fr: "Le motif compte 200 caractères au plus.",
                              en: "The reason has 200 characters at most.")
        }
        guard period.days.count <= 366 else {
            throw DomainError(.invalid, code: "block_too_long", field: "last_day", fr: "Bloquez au plus un an à la fois.",
                              en: "Block at most one year at a time.")
        }
        guard period.last >= zone.localDate(at: now) else { throw DomainError.periodInPastForBlock }
        let id = UUID()
        do {
            try await db.writeTransaction { db in
                try await db.sql.insert(into: "item_blocks").columns("id", "item_id", "owner_id", "first_day", "last_day", "reason", "created_at", "removed_at")
                    .values(SQLBind(id), SQLBind(row.id), SQLBind(member), SQLBind(period.first.iso), SQLBind(period.last.iso),
                            SQLBind(note), SQLBind(now), SQLLiteral.null)
                    .run()
                var insert = db.sql.insert(into: "loan_days").columns("item_id", "day", "loan_id", "block_id")
                for day in period.days { insert = insert.values(SQLBind(row.id), SQLBind(day.iso), SQLLiteral.null, SQLBind(id)) }
                try await insert.run()
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // A day is held: say by what.
            if let clash = try await taken(item: row.id, on: db).first(where: period.overlaps) { throw DomainError.datesTaken(clash) }
            if let clash = try await blocked(item: row.id, on: db).first(where: period.overlaps) { throw DomainError.datesBlocked(clash) }
            throw changedMeanwhile
        }
        return id
    }

    /// Lifts a block: its days are free again.
    static func unblock(_ block: UUID, item row: LendingItemRow, by member: UUID, on db: any Database, now: Date = Date()) async throws {
        guard row.ownerID == member else { throw Problem.notFound(LendingWords.item) }
        try await db.writeTransaction { db in
            let sql: SQLQueryString = """
                UPDATE item_blocks SET removed_at = \(bind: now)
                WHERE id = \(bind: block) AND item_id = \(bind: row.id) AND removed_at IS NULL RETURNING id
                """
            guard try await db.sql.raw(sql).first() != nil else { throw Problem.notFound(LendingWords.block) }
            try await db.sql.delete(from: "loan_days").where("block_id", .equal, SQLBind(block)).run()
        }
    }
}

extension DomainError {
    static let periodInPastForBlock = DomainError(.invalid, code: "period_in_past", field: "last_day",
                                                  fr: "Ces jours sont passés.", en: "These days are past.")
}

/// A row of `item_blocks`.
struct ItemBlockRow: Codable, Sendable {
    var id: UUID
    var itemID: UUID
    var firstDay: String
    var lastDay: String
    var reason: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, reason
        case itemID = "item_id", firstDay = "first_day", lastDay = "last_day", createdAt = "created_at"
    }

    var period: LoanPeriod? { try? LoanPeriod(firstISO: firstDay, lastISO: lastDay) }
}

/// The owner's blocks, and `loan_days` opened to them: a claimed day is held by a loan or by a
/// block, never both, and the primary key (item, day) still admits one holder only.
struct CreateItemBlocks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("item_blocks")
            .id()
            .field("item_id", .uuid, .required, .references("lending_items", "id"))
            .field("owner_id", .uuid, .required, .references(User.schema, "id"))
            .field("first_day", .string, .required)
            .field("last_day", .string, .required)
            .field("reason", .string, .required)
            .field("created_at", .datetime, .required)
            .field("removed_at", .datetime)
            .constraint(.custom(SQLRaw("CONSTRAINT item_blocks_period CHECK (first_day <= last_day)")))
            .create()
        try await database.sql.create(index: "item_blocks_item").on("item_blocks").column("item_id").column("first_day").run()
        let oneHolder = "CONSTRAINT loan_days_one_holder CHECK ((loan_id IS NULL AND block_id IS NOT NULL) OR (loan_id IS NOT NULL AND block_id IS NULL))"
        if database.isPostgres {
            try await database.sql.raw("ALTER TABLE loan_days ALTER COLUMN loan_id DROP NOT NULL").run()
            try await database.sql.raw("ALTER TABLE loan_days ADD COLUMN block_id UUID REFERENCES item_blocks(id)").run()
            try await database.sql.raw(SQLQueryString("ALTER TABLE loan_days ADD \(unsafeRaw: oneHolder)")).run()
        } else {
            // SQLite cannot drop a NOT NULL: the table is rebuilt with the same key, rows copied.
            try await database.schema("loan_days_next")
                .field("item_id", .uuid, .required, .references("lending_items", "id"))
                .field("day", .string, .required)
                .field("loan_id", .uuid, .references("loans", "id"))
                .field("block_id", .uuid, .references("item_blocks", "id"))
                .constraint(.custom(SQLRaw("CONSTRAINT loan_days_claim PRIMARY KEY (item_id, day)")))
                .constraint(.custom(SQLRaw(oneHolder)))
                .create()
            try await database.sql.raw("INSERT INTO loan_days_next (item_id, day, loan_id, block_id) SELECT item_id, day, loan_id, NULL FROM loan_days").run()
            try await database.sql.raw("DROP TABLE loan_days").run()
            try await database.sql.raw("ALTER TABLE loan_days_next RENAME TO loan_days").run()
            try await database.sql.create(index: "loan_days_loan").on("loan_days").column("loan_id").run()
        }
        try await database.sql.create(index: "loan_days_block").on("loan_days").column("block_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DELETE FROM loan_days WHERE block_id IS NOT NULL").run()
        try await database.sql.drop(index: "loan_days_block").run()
        if database.isPostgres {
            try await database.sql.raw("ALTER TABLE loan_days DROP CONSTRAINT loan_days_one_holder").run()
            try await database.sql.raw("ALTER TABLE loan_days DROP COLUMN block_id").run()
            try await database.sql.raw("ALTER TABLE loan_days ALTER COLUMN loan_id SET NOT NULL").run()
        }
        try await database.schema("item_blocks").delete()
    }
}
