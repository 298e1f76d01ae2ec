import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// The author's side of an offer or want: edit it (same form, same rules) or withdraw it. The
/// conditional updates name the author and a listing not yet withdrawn, so nobody else's click
/// and no second click changes anything.
extension ExchangeStore {
    static let withdrawn = DomainError(.conflict, code: "offer_want_withdrawn", fr: "Cette annonce a été retirée.",
                                       en: "This listing was withdrawn.")

    static func update(_ row: OfferWantRow, _ draft: OfferWantDraft, commune: String, by member: UUID, on db: any Database,
                       now: Date = Date()) async throws -> OfferWantRow {
        guard row.authorID == member else { throw Problem.notFound(ExchangeWords.offerWant) }
        let (offer, place) = try validated(draft, id: row.id, commune: commune, author: member, now: now)
        let tags = String(decoding: try JSONEncoder().encode(offer.tags), as: UTF8.self)
        let sql: SQLQueryString = """
            UPDATE offers_wants SET exchange_type = \(bind: offer.exchangeType.rawValue), item_type = \(bind: offer.itemType.rawValue),
            transaction_types = \(bind: offer.transactionTypes.map(\.rawValue).joined(separator: ",")), category = \(bind: offer.category?.rawValue),
            tags = \(bind: tags), title = \(bind: offer.title), description = \(bind: offer.description),
            commune = \(bind: place.name), lat = \(bind: offer.position?.lat), lon = \(bind: offer.position?.lon), scope = \(bind: offer.scope.rawValue),
            public_email = \(bind: offer.publicEmail), accepts_time_bank = \(bind: offer.acceptsTimeBank), expires_at = \(bind: offer.expiresAt),
            search_text = \(bind: offer.searchText)
            WHERE id = \(bind: row.id) AND author_id = \(bind: member) AND withdrawn_at IS NULL RETURNING id
            """
        try await db.writeTransaction { db in
            guard try await db.sql.raw(sql).first() != nil else { throw withdrawn }
        }
        return try await find(row.id, in: row.cooperativeID, on: db)
    }

    static func withdraw(_ row: OfferWantRow, by member: UUID, on db: any Database, now: Date = Date()) async throws {
        guard row.authorID == member else { throw Problem.notFound(ExchangeWords.offerWant) }
        try await db.writeTransaction { db in
            let sql: SQLQueryString = """
                UPDATE offers_wants SET withdrawn_at = \(bind: now)
                WHERE id = \(bind: row.id) AND author_id = \(bind: member) AND withdrawn_at IS NULL RETURNING id
                """
            guard try await db.sql.raw(sql).first() != nil else { throw withdrawn }
        }
    }
}

extension ExchangePages {
    private static func authored(_ req: Request) async throws -> (LendingAccess, OfferWantRow, UUID) {
        let access = try await access(req, member: true)
        let row = try await ExchangeStore.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let me = try access.memberID()
        guard row.authorID == me, row.withdrawnAt == nil else { throw Problem.notFound(ExchangeWords.offerWant) }
        return (access, row, me)
    }

    /// The form as the listing stands.
    static func values(of row: OfferWantRow) -> [String: String] {
        var out = ["exchange_type": row.exchangeType, "item_type": row.itemType, "category": row.category ?? "",
                   "tags": row.tagList.joined(separator: ", "), "title": row.title, "description": row.description,
                   "scope": row.scope, "public_email": row.publicEmail ?? "", "accepts_time_bank": row.acceptsTimeBank ? "1" : "",
                   // Stored as the start of the day after (exclusive end): shown as the last day.
                   "expires_on": row.expiresAt.map { LocalZone.paris.localDate(at: $0.addingTimeInterval(-1)).iso } ?? "",
                   "commune": row.commune]
        for type in row.transactionTypes.split(separator: ",") { out["tt-" + type] = "1" }
        return out
    }

    @Sendable static func edit(_ req: Request) async throws -> Response {
        let (access, row, _) = try await authored(req)
        return try await newView(req, access: access, state: FormState(values: values(of: row)), editing: row.id)
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let (access, row, me) = try await authored(req)
        let form = try req.content.decode(OfferForm.self)
        do {
            _ = try await ExchangeStore.update(row, form.draft, commune: form.commune ?? "", by: me, on: req.db)
            return req.done(Localized(fr: "Annonce modifiée.", en: "Listing updated."), goTo: "/c/\(access.coop.slug)/exchange/\(row.id)")
        } catch {
            return try await newView(req, access: access, state: try FormState(refused: error, values: form.values),
                                     status: (error as? DomainError)?.status ?? .unprocessableEntity, editing: row.id)
        }
    }

    @Sendable static func withdraw(_ req: Request) async throws -> Response {
        let (access, row, me) = try await authored(req)
        try await ExchangeStore.withdraw(row, by: me, on: req.db)
        return req.done(Localized(fr: "Annonce retirée.", en: "Listing withdrawn."), goTo: "/c/\(access.coop.slug)/exchange")
    }
}
