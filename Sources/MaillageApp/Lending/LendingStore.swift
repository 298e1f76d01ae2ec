import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The effects of lending, each in one write transaction, with the rules taken from
/// `MaillageCore` (`Loan`, `BookingRules`) and the SQL of `LendingStorageContract`: a conditional
/// update per transition, and the `loan_days` claim for acceptance.
enum LendingStore {
    static let zone = LocalZone.paris

    /// Thrown inside a transaction when a conditional update changed no row: after the rollback,
    /// the loan is read again and the core rule says why.
    private struct Moved: Error {}

    // MARK: Items

    static func showcase(of coop: UUID, on db: any Database) async throws -> ShowcaseRow? {
        try await db.sql.select().column("*").from("showcase_locations").where("cooperative_id", .equal, SQLBind(coop))
            .first(decoding: ShowcaseRow.self)
    }

    /// Creates the cooperative's showcase, or changes it in place (same id: items kept there
    /// stay linked) and moves those items — and their search words — to where it now is.
    static func saveShowcase(_ place: ShowcaseLocation, of coop: UUID, on db: any Database) async throws {
        let hours = String(decoding: try JSONEncoder().encode(place.hours), as: UTF8.self)
        try await db.writeTransaction { db in
            struct Row: Decodable { var id: UUID }
            let sql: SQLQueryString = """
                UPDATE showcase_locations SET name = \(bind: place.name), address = \(bind: place.address), commune = \(bind: place.commune),
                lat = \(bind: place.position.lat), lon = \(bind: place.position.lon), hours = \(bind: hours)
                WHERE cooperative_id = \(bind: coop) RETURNING id
                """
            if let existing = try await db.sql.raw(sql).first(decoding: Row.self) {
                try await db.sql.raw("""
                    UPDATE lending_items SET lat = \(bind: place.position.lat), lon = \(bind: place.position.lon)
                    WHERE showcase_id = \(bind: existing.id)
                    """).run()
                try await LendingItemWords.move(showcase: existing.id, to: place.position, on: db)
                return
            }
            // None yet: the unique key on cooperative_id refuses a second one created meanwhile.
            try await db.sql.insert(into: "showcase_locations")
                .columns("id", "cooperative_id", "name", "address", "commune", "lat", "lon", "hours", "created_at")
                .values(SQLBind(place.id), SQLBind(coop), SQLBind(place.name), SQLBind(place.address), SQLBind(place.commune),
                        SQLBind(place.position.lat), SQLBind(place.position.lon), SQLBind(hours), SQLBind(Date()))
                .run()
        }
    }

    static func item(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> LendingItemRow {
        guard let id, let row = try await db.sql.select().column("*").from("lending_items").where("id", .equal, SQLBind(id))
            .where("cooperative_id", .equal, SQLBind(coop)).first(decoding: LendingItemRow.self)
        else { throw Problem.notFound(LendingWords.item) }
        return row
    }

    static func items(ids: Set<UUID>, on db: any Database) async throws -> [UUID: LendingItemRow] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.sql.select().column("*").from("lending_items").where("id", .in, SQLBind.group(Array(ids)))
            .all(decoding: LendingItemRow.self)
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The item form as typed, plus where the item is (a commune of the territory). Its photo is
    /// uploaded apart (`LendingItemPhotos`), never linked from another server.
    struct ItemInput: Sendable {
        var draft: LendingItemDraft
        var commune: String
    }

    static func createItem(_ input: ItemInput, owner: UUID, coop: UUID, on db: any Database, now: Date = Date()) async throws -> LendingItemRow {
        let ready = try await prepare(input, owner: owner, coop: coop, on: db)
        let item = ready.item, place = ready.commune, position = ready.position, showcaseID = ready.showcaseID
        try await db.writeTransaction { db in
            try await db.sql.insert(into: "lending_items")
                .columns("id", "cooperative_id", "owner_id", "title", "category", "description", "condition", "deposit_cents", "max_loan_days",
                         "pickup", "showcase_id", "commune", "lat", "lon", "search_text", "created_at", "withdrawn_at")
                .values(SQLBind(item.id), SQLBind(coop), SQLBind(owner), SQLBind(item.title), SQLBind(item.category.rawValue),
                        SQLBind(item.description), SQLBind(item.condition.rawValue), SQLBind(item.depositCents), SQLBind(item.maximumLoanDays),
                        SQLBind(item.pickup.code), SQLBind(showcaseID),
                        SQLBind(place), SQLBind(position?.lat), SQLBind(position?.lon),
                        SQLBind(item.searchText), SQLBind(now), SQLLiteral.null)
                .run()
            try await LendingItemWords.insert([.init(item: item.id, cooperative: coop, searchText: item.searchText, category: item.category.rawValue,
                                                     lat: position?.lat, lon: position?.lon)], on: db)
        }
        return try await self.item(item.id, in: coop, on: db)
    }

    /// Items answering a search, nearest first when the search has a centre (`SearchQuery`).
    /// Words and a centre (the hot search): candidates from the word index (`LendingItemWords`).
    /// Otherwise one `LIKE` per word on the indexed text, the category, the bounding box on
    /// `lat`/`lon`. Either way the core trims the box to the circle and ranks.
    static func search(_ query: SearchQuery, coop: UUID?, limit: Int = 50, on db: any Database) async throws -> [(LendingItemRow, Double?)] {
        var filter: SQLQueryString = " FROM lending_items WHERE withdrawn_at IS NULL"
        if let coop { filter = filter + " AND cooperative_id = \(bind: coop)" }
        filter = filter + query.wordConditions
        guard query.centre != nil else {
            let sql: SQLQueryString = "SELECT *" + filter + " ORDER BY created_at DESC, id LIMIT \(unsafeRaw: String(max(1, limit)))"
            return try await db.sql.raw(sql).all(decoding: LendingItemRow.self).map { ($0, nil) }
        }
        // Rank on the few columns the core needs, then read the whole rows of the page only.
        struct Candidate: Decodable { var id: UUID; var search_text: String; var category: String; var lat: Double?; var lon: Double? }
        let candidates: [SearchQuery.Candidate]
        if let coop, let indexed = try await LendingItemWords.candidates(query, coop: coop, limit: limit, on: db) {
            candidates = indexed
        } else {
            let nearest: SQLQueryString = query.squaredDistance(lat: "lat", lon: "lon").map { " ORDER BY " + $0 + ", id" } ?? ""
            candidates = try await db.sql.raw("SELECT id, search_text, category, lat, lon" + filter + query.boxConditions + nearest
                                              + " LIMIT \(unsafeRaw: String(SearchQuery.candidateLimit(limit)))")
                .all(decoding: Candidate.self).map { candidate in
                    SearchQuery.Candidate(id: candidate.id, searchText: candidate.search_text, category: ItemCategory(rawValue: candidate.category),
                                          position: candidate.lat.flatMap { lat in candidate.lon.flatMap { GeoPoint(lat: lat, lon: $0) } })
                }
        }
        let hits = query.rank(candidates, limit: limit)
        let rows = try await items(ids: Set(hits.map(\.id)), on: db)
        return hits.compactMap { hit in rows[hit.id].map { ($0, hit.distanceKm) } }
    }

    // MARK: Loans

    static func loan(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> LoanRow {
        guard let id, let row = try await db.sql.select().columns(LoanRow.columns.map { SQLColumn($0) }).from("loans")
            .where("id", .equal, SQLBind(id)).where("cooperative_id", .equal, SQLBind(coop)).first(decoding: LoanRow.self)
        else { throw Problem.notFound(LendingWords.loan) }
        return row
    }

    static func loans(of coop: UUID, member: UUID? = nil, statuses: [LoanStatus]? = nil, on db: any Database) async throws -> [LoanRow] {
        var query = db.sql.select().columns(LoanRow.columns.map { SQLColumn($0) }).from("loans").where("cooperative_id", .equal, SQLBind(coop))
        if let member {
            query = query.where { $0.where("owner_id", .equal, SQLBind(member)).orWhere("borrower_id", .equal, SQLBind(member)) }
        }
        if let statuses { query = query.where("status", .in, SQLBind.group(statuses.map(\.rawValue))) }
        return try await query.orderBy("first_day", .descending).orderBy("requested_at", .descending).limit(500).all(decoding: LoanRow.self)
    }

    /// The periods an item is lent for (accepted or handed over), except `excluding`.
    static func taken(item: UUID, excluding: UUID? = nil, on db: any Database) async throws -> [LoanPeriod] {
        let rows = try await db.sql.select().columns(LoanRow.columns.map { SQLColumn($0) }).from("loans").where("item_id", .equal, SQLBind(item))
            .where("status", .in, SQLBind.group(["accepted", "handed_over"])).all(decoding: LoanRow.self)
        return rows.filter { $0.id != excluding }.compactMap(\.period)
    }

    static func reviews(of loan: UUID, on db: any Database) async throws -> [LoanReviewRow] {
        try await db.sql.select().column("*").from("loan_reviews").where("loan_id", .equal, SQLBind(loan)).orderBy("at")
            .all(decoding: LoanReviewRow.self)
    }

    /// The loan's thread (a message hidden by the staff says so instead of its text).
    static func messages(of loan: LoanRow, on db: any Database) async throws -> [LoanMessageRow] {
        try await ThreadStore.messages(of: LoanThread.subject(loan), on: db).map {
            LoanMessageRow(id: $0.id, loanID: loan.id, authorID: $0.authorID, body: $0.hiddenAt == nil ? $0.body : "(message masqué)", at: $0.at)
        }
    }

    static func coreLoan(_ row: LoanRow, on db: any Database) async throws -> Loan {
        try row.loan(reviews: try await reviews(of: row.id, on: db).compactMap(\.review))
    }

    /// A borrower asks for dates (contract step 1). Overlapping requests are allowed: the owner chooses.
    static func request(item row: LendingItemRow, borrower: UUID, period: LoanPeriod, message: String?, coopSlug: String,
                        on db: any Database, now: Date = Date()) async throws -> LoanRow {
        guard row.withdrawnAt == nil else { throw Problem.notFound(LendingWords.item) }
        let showcase = try await showcase(of: row.cooperativeID, on: db)
        let taken = try await taken(item: row.id, on: db)
        let blocked = try await blocked(item: row.id, on: db)
        let loan = try Loan.request(item: row.item(showcase: showcase?.location), borrower: borrower, period: period,
                                    taken: taken, blocked: blocked, now: now, zone: zone)
        // Optional: an empty or blank field (the page's textarea is always sent) means no message.
        let note = try message.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : try cleanMessage($0) }
        let span = zone.interval(of: period)
        let event = LoanEvent(loanID: loan.id, kind: .requested, actor: .borrower, at: now, statusAfter: .requested)
        let link = "/c/\(coopSlug)/lending/loans/\(loan.id)"
        try await db.writeTransaction { db in
            try await db.sql.insert(into: "loans")
                .columns("id", "item_id", "cooperative_id", "owner_id", "borrower_id", "first_day", "last_day", "starts_at", "ends_at",
                         "status", "requested_at")
                .values(SQLBind(loan.id), SQLBind(row.id), SQLBind(row.cooperativeID), SQLBind(row.ownerID), SQLBind(borrower),
                        SQLBind(period.first.iso), SQLBind(period.last.iso), SQLBind(span.lowerBound), SQLBind(span.upperBound),
                        SQLBind(LoanStatus.requested.rawValue), SQLBind(now))
                .run()
            try await record(event, member: borrower, on: db)
            // The request's note opens the loan's thread; the owner hears of it with the request.
            if let note {
                let thread = try await ThreadStore.openThread(of: ThreadSubject(kind: LoanThread.kindName, id: loan.id, cooperativeID: row.cooperativeID),
                                                              at: now, on: db)
                try await ThreadStore.insert(body: note, by: borrower, in: thread, at: now, on: db)
            }
            try await Inbox.notify(row.ownerID, Localized(fr: "Nouvelle demande de prêt pour « \(row.title) » du \(period.first.words(.fr)) au \(period.last.words(.fr)).",
                                                          en: "New loan request for “\(row.title)” from \(period.first.words(.en)) to \(period.last.words(.en))."),
                                   link: link, kind: .loans, on: db)
        }
        return try await self.loan(loan.id, in: row.cooperativeID, on: db)
    }

    enum Action: String, CaseIterable, Sendable {
        case accept, decline, cancel, handover
        case giveBack = "return"
    }

    /// One transition of a loan by a member (owner, borrower) or staff. Returns the loan as stored.
    static func act(_ action: Action, on row: LoanRow, by member: UUID, isStaff: Bool, itemTitle: String, coopSlug: String,
                    db: any Database, now: Date = Date()) async throws -> LoanRow {
        var loan = try await coreLoan(row, on: db)
        guard let actor = loan.actor(member: member, isStaff: isStaff) else { throw Problem.notFound(LendingWords.loan) }
        do {
            try await apply(action, to: &loan, actor: actor, member: member, itemTitle: itemTitle, coopSlug: coopSlug, db: db, now: now)
        } catch is Moved {
            // Someone acted first: read the loan (and the item's claims) again; the core says why.
            var fresh = try await coreLoan(try await self.loan(row.id, in: row.cooperativeID, on: db), on: db)
            try await explain(action, &fresh, actor: actor, db: db, now: now)
        } catch let error as any DatabaseError where error.isConstraintFailure && action == .accept {
            var fresh = try await coreLoan(try await self.loan(row.id, in: row.cooperativeID, on: db), on: db)
            try await explain(action, &fresh, actor: actor, db: db, now: now)
        }
        return try await self.loan(row.id, in: row.cooperativeID, on: db)
    }

    /// Runs the core transition again on fresh data so its error is the answer; a transition that
    /// now passes (a confirmation already stored) is a success with nothing to do.
    private static func explain(_ action: Action, _ loan: inout Loan, actor: LoanActor, db: any Database, now: Date) async throws {
        switch action {
        case .accept:
            let taken = try await taken(item: loan.itemID, excluding: loan.id, on: db)
            try loan.accept(by: actor, at: now, taken: taken, blocked: try await blocked(item: loan.itemID, on: db), zone: zone)
        case .decline: try loan.decline(by: actor, at: now)
        case .cancel: try loan.cancel(by: actor, at: now)
        case .handover: if try loan.confirmHandover(by: actor, at: now, zone: zone) == nil { return }
        case .giveBack: if try loan.confirmReturn(by: actor, at: now) == nil { return }
        }
        throw changedMeanwhile
    }

    static let changedMeanwhile = DomainError(.conflict, code: "loan_changed", fr: "Le prêt vient de changer : rechargez la page.",
                                              en: "The loan has just changed: reload the page.")

    private static func apply(_ action: Action, to loan: inout Loan, actor: LoanActor, member: UUID, itemTitle: String,
                              coopSlug: String, db: any Database, now: Date) async throws {
        let id = loan.id, item = loan.itemID, period = loan.period
        let link = "/c/\(coopSlug)/lending/loans/\(id)"
        // Dates in words, as the person reads them: "du 16 déc. 2026 au 18 déc. 2026".
        let dates = (fr: "du \(period.first.words(.fr)) au \(period.last.words(.fr))", en: "\(period.first.words(.en)) to \(period.last.words(.en))")
        switch action {
        case .accept:
            let taken = try await taken(item: item, excluding: id, on: db)
            let event = try loan.accept(by: actor, at: now, taken: taken, blocked: try await blocked(item: item, on: db), zone: zone)
            let borrower = loan.borrower
            try await db.writeTransaction { db in
                try await lockForAcceptance(item: item, on: db)
                try await changed(db, "UPDATE loans SET status = 'accepted', decided_at = \(bind: now) WHERE id = \(bind: id) AND status = 'requested'")
                // The claim: a day another accepted loan holds breaks the primary key, and the
                // whole transaction — status included — rolls back.
                var insert = db.sql.insert(into: "loan_days").columns("item_id", "day", "loan_id")
                for day in period.days { insert = insert.values(SQLBind(item), SQLBind(day.iso), SQLBind(id)) }
                try await insert.run()
                try await record(event, member: member, on: db)
                try await Inbox.notify(borrower, Localized(fr: "Votre demande pour « \(itemTitle) » (\(dates.fr)) est acceptée.",
                                                           en: "Your request for “\(itemTitle)” (\(dates.en)) is accepted."), link: link, kind: .loans, on: db)
            }
        case .decline:
            let event = try loan.decline(by: actor, at: now)
            let borrower = loan.borrower
            try await db.writeTransaction { db in
                try await changed(db, "UPDATE loans SET status = 'declined', decided_at = \(bind: now) WHERE id = \(bind: id) AND status = 'requested'")
                try await record(event, member: member, on: db)
                try await Inbox.notify(borrower, Localized(fr: "Votre demande pour « \(itemTitle) » (\(dates.fr)) est refusée.",
                                                           en: "Your request for “\(itemTitle)” (\(dates.en)) was declined."), link: link, kind: .loans, on: db)
            }
        case .cancel:
            let event = try loan.cancel(by: actor, at: now)
            let others = [loan.owner, loan.borrower].filter { $0 != member }
            try await db.writeTransaction { db in
                try await changed(db, """
                    UPDATE loans SET status = 'cancelled', cancelled_at = \(bind: now), cancelled_by = \(bind: actor.rawValue)
                    WHERE id = \(bind: id) AND status IN ('requested', 'accepted')
                    """)
                try await db.sql.delete(from: "loan_days").where("loan_id", .equal, SQLBind(id)).run()
                try await record(event, member: member, on: db)
                for person in others {
                    try await Inbox.notify(person, Localized(fr: "Le prêt de « \(itemTitle) » (\(dates.fr)) est annulé.",
                                                             en: "The loan of “\(itemTitle)” (\(dates.en)) is cancelled."), link: link, kind: .loans, on: db)
                }
            }
        case .handover, .giveBack:
            let handover = action == .handover
            guard let event = handover ? try loan.confirmHandover(by: actor, at: now, zone: zone) : try loan.confirmReturn(by: actor, at: now)
            else { return } // already confirmed by this side: nothing to store
            let side = actor == .borrower ? "borrower" : "owner", other = actor == .borrower ? "owner" : "borrower"
            let prefix = handover ? "handover_" : "return_"
            let from = handover ? "accepted" : "handed_over", to = handover ? "handed_over" : "returned"
            let mine = prefix + side + "_at", theirs = prefix + other + "_at"
            let guardTime: SQLQueryString = handover ? " AND starts_at <= \(bind: now) AND ends_at > \(bind: now)" : ""
            let today = zone.localDate(at: now).iso
            let others = [loan.owner, loan.borrower].filter { $0 != member }, borrower = loan.borrower
            let what = handover ? Localized(fr: "la remise", en: "the handover") : Localized(fr: "le retour", en: "the return")
            try await db.writeTransaction { db in
                struct After: Decodable { var status: String }
                let sql: SQLQueryString = """
                    UPDATE loans SET \(ident: mine) = \(bind: now),
                    status = CASE WHEN \(ident: theirs) IS NOT NULL THEN \(bind: to) ELSE status END
                    WHERE id = \(bind: id) AND status = \(bind: from) AND \(ident: mine) IS NULL
                    """
                guard let after = try await db.sql.raw(sql + guardTime + " RETURNING status").first(decoding: After.self) else { throw Moved() }
                let status = LoanStatus(rawValue: after.status) ?? event.statusAfter
                try await record(LoanEvent(loanID: id, kind: event.kind, actor: actor, at: now, statusAfter: status), member: member, on: db)
                // The deposit moves with the loan, in this transaction (`LoanDeposits`).
                if status == .handedOver && handover { try await LoanDeposits.hold(loan: id, item: item, borrower: borrower, at: now, on: db) }
                if status == .returned {
                    // The days still ahead are free again (contract step 6).
                    try await db.sql.delete(from: "loan_days").where("loan_id", .equal, SQLBind(id)).where("day", .greaterThan, SQLBind(today)).run()
                    try await LoanDeposits.release(loan: id, by: member, at: now, on: db)
                }
                for person in others {
                    try await Inbox.notify(person, Localized(fr: "\(what.fr.capitalizedFirst) de « \(itemTitle) » est confirmé\(handover ? "e" : "") de l’autre côté\(status.rawValue == to ? " : c’est fait" : " ; à vous de confirmer").",
                                                             en: "\(what.en.capitalizedFirst) of “\(itemTitle)” was confirmed by the other side\(status.rawValue == to ? ": done" : "; your turn to confirm")."),
                                           link: link, kind: .loans, on: db)
                }
            }
        }
    }

    /// Runs a conditional update; no row changed means the loan moved meanwhile.
    private static func changed(_ db: any Database, _ sql: SQLQueryString) async throws {
        if try await db.sql.raw(sql + " RETURNING id").all().isEmpty { throw Moved() }
    }

    private static func record(_ event: LoanEvent, member: UUID?, on db: any Database) async throws {
        try await db.sql.insert(into: "loan_events").columns("id", "loan_id", "kind", "actor", "actor_member_id", "at", "status_after")
            .values(SQLBind(UUID()), SQLBind(event.loanID), SQLBind(event.kind.rawValue), SQLBind(event.actor.rawValue), SQLBind(member),
                    SQLBind(event.at), SQLBind(event.statusAfter.rawValue))
            .run()
    }

    // MARK: Reviews and messages

    static func review(_ row: LoanRow, by member: UUID, rating: Int, text: String, coopSlug: String,
                       on db: any Database, now: Date = Date()) async throws {
        var loan = try await coreLoan(row, on: db)
        guard let actor = loan.actor(member: member, isStaff: false) else { throw Problem.notFound(LendingWords.loan) }
        let review = try loan.review(by: actor, rating: rating, text: text, at: now)
        let other = actor == .owner ? loan.borrower : loan.owner
        let event = LoanEvent(loanID: loan.id, kind: .reviewed, actor: actor, at: now, statusAfter: loan.status)
        do {
            try await db.writeTransaction { db in
                try await db.sql.insert(into: "loan_reviews").columns("loan_id", "author_side", "author_id", "rating", "text", "at")
                    .values(SQLBind(review.loanID), SQLBind(review.author.rawValue), SQLBind(member), SQLBind(review.rating),
                            SQLBind(review.text), SQLBind(now))
                    .run()
                try await record(event, member: member, on: db)
                try await Inbox.notify(other, Localized(fr: "Un avis a été laissé sur votre prêt.", en: "A review was left on your loan."),
                                       link: "/c/\(coopSlug)/lending/loans/\(review.loanID)", kind: .loans, on: db)
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            var fresh = try await coreLoan(row, on: db)
            _ = try fresh.review(by: actor, rating: rating, text: text, at: now)
            throw changedMeanwhile
        }
    }

    static func cleanMessage(_ text: String) throws -> String {
        let clean = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...2000).contains(clean.unicodeScalars.count) else { throw LendingWords.messageLength }
        // A NUL is no text: SQLite's length() stops at it (the length check then fails) and
        // PostgreSQL refuses it in a text column.
        guard !clean.unicodeScalars.contains("\u{0}") else { throw LendingWords.messageNul }
        return clean
    }

    /// A message in the loan's thread; the other side (both, when staff write) is notified.
    static func post(message text: String, on row: LoanRow, by member: UUID, isStaff: Bool, coopSlug: String,
                     db: any Database, now: Date = Date()) async throws {
        let access = try await LoanThread.access(row, member: member, isStaff: isStaff, coopSlug: coopSlug, on: db)
        guard access.canRead else { throw Problem.notFound(LendingWords.loan) }
        try await Threads.write(text, by: member, access: access, on: db, now: now)
    }
}

extension String {
    /// "la remise" → "La remise".
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
