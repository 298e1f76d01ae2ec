import Fluent
import Foundation
import MaillageCore
import SQLKit

/// The effects of the exchange: publishing offers and wants, searching them, recording a service
/// done — in hours through the ledger's time bank, or as free help — and the impact counters.
enum ExchangeStore {
    static func publish(_ draft: OfferWantDraft, commune: String, author: UUID, coop: UUID, on db: any Database,
                        now: Date = Date()) async throws -> OfferWantRow {
        let (offer, place) = try validated(draft, commune: commune, author: author, now: now)
        let tags = String(decoding: try JSONEncoder().encode(offer.tags), as: UTF8.self)
        try await db.sql.insert(into: "offers_wants")
            .columns("id", "cooperative_id", "author_id", "exchange_type", "item_type", "transaction_types", "category", "tags", "title",
                     "description", "commune", "lat", "lon", "scope", "public_email", "accepts_time_bank", "expires_at",
                     "published_at", "search_text", "withdrawn_at")
            .values(SQLBind(offer.id), SQLBind(coop), SQLBind(author), SQLBind(offer.exchangeType.rawValue), SQLBind(offer.itemType.rawValue),
                    SQLBind(offer.transactionTypes.map(\.rawValue).joined(separator: ",")), SQLBind(offer.category?.rawValue), SQLBind(tags),
                    SQLBind(offer.title), SQLBind(offer.description), SQLBind(place.name),
                    SQLBind(offer.position?.lat), SQLBind(offer.position?.lon), SQLBind(offer.scope.rawValue), SQLBind(offer.publicEmail),
                    SQLBind(offer.acceptsTimeBank), SQLBind(offer.expiresAt), SQLBind(now), SQLBind(offer.searchText), SQLLiteral.null)
            .run()
        return try await find(offer.id, in: coop, on: db)
    }

    /// The form checked against the rules and the territory's communes, every problem at once.
    static func validated(_ draft: OfferWantDraft, id: UUID = UUID(), commune: String, author: UUID, now: Date) throws -> (OfferWant, Communes.Place) {
        let place = Communes.known.first { SearchText.fold($0.name) == SearchText.fold(commune.trimmingCharacters(in: .whitespaces)) }
        let offer: OfferWant
        do {
            offer = try draft.validated(id: id, author: author, position: place.flatMap { GeoPoint(lat: $0.lat, lon: $0.lon) }, now: now,
                                        zone: LocalZone.paris)
        } catch {
            guard place == nil else { throw error }
            var errors = ValidationErrors()
            if let one = error as? DomainError { errors.add(one) } else if let many = error as? ValidationErrors { many.errors.forEach { errors.add($0) } }
            errors.add(ExchangeWords.unknownCommune)
            throw errors
        }
        guard let place else { throw ExchangeWords.unknownCommune }
        return (offer, place)
    }

    static func find(_ id: UUID?, in coop: UUID, on db: any Database) async throws -> OfferWantRow {
        guard let id, let row = try await db.sql.select().column("*").from("offers_wants").where("id", .equal, SQLBind(id))
            .where("cooperative_id", .equal, SQLBind(coop)).first(decoding: OfferWantRow.self)
        else { throw Problem.notFound(ExchangeWords.offerWant) }
        return row
    }

    /// Offers and wants still shown at `now`, answering the search (same SQL shape as items).
    static func search(_ query: SearchQuery, kind: ExchangeType? = nil, coop: UUID, limit: Int = 100, on db: any Database,
                       now: Date = Date()) async throws -> [(OfferWantRow, Double?)] {
        var sql: SQLQueryString = "SELECT * FROM offers_wants WHERE withdrawn_at IS NULL AND cooperative_id = \(bind: coop)"
        sql = sql + " AND (expires_at IS NULL OR expires_at > \(bind: now))"
        if let kind { sql = sql + " AND exchange_type = \(bind: kind.rawValue)" }
        sql = sql + query.wordConditions
        if query.centre != nil {
            sql = sql + query.boxConditions + " LIMIT 5000"
        } else {
            sql = sql + " ORDER BY published_at DESC, id LIMIT \(unsafeRaw: String(max(1, limit)))"
        }
        let rows = try await db.sql.raw(sql).all(decoding: OfferWantRow.self)
        guard query.centre != nil else { return rows.map { ($0, nil) } }
        let byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return query.rank(rows.map(\.offerWant.searchCandidate), limit: limit).compactMap { hit in byID[hit.id].map { ($0, hit.distanceKm) } }
    }

    enum Role: String, Sendable { case received, given }
    enum Settlement: String, Sendable { case hours, free }

    /// A service as the form or the API sends it: done with `counterpart`, received or given.
    struct ServiceInput: Sendable {
        var counterpart: UUID?
        var role: Role
        var settlement: Settlement
        var duration: String
        var description: String
        var doneOn: String
        var offerWant: UUID?
    }

    /// Records a service: in hours (the receiver pays from their time account to the giver's, one
    /// transaction with the record), or as free help.
    static func record(_ input: ServiceInput, by member: UUID, in coop: Cooperative, on db: any Database,
                       now: Date = Date()) async throws -> ServiceRecordRow {
        let coopID = try coop.requireID()
        guard let counterpart = input.counterpart, counterpart != member,
              try await Cooperatives.membership(of: counterpart, in: coopID, on: db)?.memberStatus == .active
        else { throw ExchangeWords.counterpartMissing }
        guard let day = LocalDate(iso: input.doneOn.trimmingCharacters(in: .whitespaces)) else { throw ExchangeWords.invalidDay }
        if let offer = input.offerWant { _ = try await find(offer, in: coopID, on: db) }
        let (giver, receiver) = input.role == .received ? (counterpart, member) : (member, counterpart)
        let record: ServiceRecord
        switch input.settlement {
        case .free:
            record = try ServiceSettlementRules.markFreeHelp(offerWantID: input.offerWant, giver: giver, receiver: receiver, description: input.description,
                                                             doneOn: day, recordedBy: member, at: now, zone: LocalZone.paris)
        case .hours:
            guard let duration = Amount.parse(input.duration.contains("-") ? "" : input.duration, in: .hour) else { throw ExchangeWords.invalidDuration }
            let bank: TimeBank? = coop.activityList.contains(.exchange) ? try await LedgerFacade.timeBank(of: coopID, on: db) : nil
            let giverAccount = try await LedgerFacade.hoursAccount(of: giver, in: coopID, on: db)
            let receiverAccount = try await LedgerFacade.hoursAccount(of: receiver, in: coopID, on: db)
            record = try ServiceSettlementRules.settleInHours(offerWantID: input.offerWant, timeBank: bank, giver: giverAccount,
                                                             receiver: receiverAccount, duration: duration, description: input.description,
                                                             doneOn: day, recordedBy: member, at: now, zone: LocalZone.paris)
        }
        let other = counterpart, slug = coop.slug
        let words = record.settlement.transfer.map { Localized(fr: "\($0.amount.formatted(.fr)) versées", en: "\($0.amount.formatted(.en)) paid") }
            ?? Localized(fr: "coup de main gratuit", en: "free help")
        try await db.writeTransaction { db in
            if let transfer = record.settlement.transfer {
                try await LedgerFacade.recordService(transfer, cooperative: coopID, by: member, inTransaction: db)
            }
            try await db.sql.insert(into: "service_records")
                .columns("id", "cooperative_id", "offer_want_id", "giver_id", "receiver_id", "description", "done_on", "settlement", "minutes",
                         "transfer_id", "recorded_at", "recorded_by")
                .values(SQLBind(record.id), SQLBind(coopID), SQLBind(record.offerWantID), SQLBind(record.giver), SQLBind(record.receiver),
                        SQLBind(record.description), SQLBind(record.doneOn.iso), SQLBind(record.settlement.transfer == nil ? "free" : "hours"),
                        SQLBind(record.minutesGiven), SQLBind(record.settlement.transfer?.id.uuid), SQLBind(now), SQLBind(member))
                .run()
            try await Inbox.notify(other, Localized(fr: "Service noté : « \(record.description) » (\(words.fr)).",
                                                    en: "Service recorded: “\(record.description)” (\(words.en))."),
                                   link: "/c/\(slug)/exchange", kind: .money, on: db)
        }
        guard let row = try await db.sql.select().column("*").from("service_records").where("id", .equal, SQLBind(record.id))
            .first(decoding: ServiceRecordRow.self) else { throw Problem.notFound }
        return row
    }

    static func services(of coop: UUID?, member: UUID? = nil, on db: any Database) async throws -> [ServiceRecordRow] {
        var query = db.sql.select().column("*").from("service_records")
        if let coop { query = query.where("cooperative_id", .equal, SQLBind(coop)) }
        if let member { query = query.where { $0.where("giver_id", .equal, SQLBind(member)).orWhere("receiver_id", .equal, SQLBind(member)) } }
        return try await query.orderBy("recorded_at", .descending).all(decoding: ServiceRecordRow.self)
    }

    /// The observatory's counters for one cooperative, or the whole territory (`coop` nil).
    static func impact(of coop: UUID?, on db: any Database) async throws -> NeighbourhoodImpact {
        let loans = try await LendingImpact.returnedLoans(of: coop, on: db)
        let services = try await services(of: coop, on: db).compactMap(\.record)
        return try NeighbourhoodImpact(loans: loans, services: services)
    }
}
