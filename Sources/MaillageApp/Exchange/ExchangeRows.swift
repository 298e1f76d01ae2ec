import Foundation
import MaillageCore

/// A row of `offers_wants`.
struct OfferWantRow: Codable, Sendable {
    var id: UUID
    var cooperativeID: UUID
    var authorID: UUID
    var exchangeType: String
    var itemType: String
    var transactionTypes: String
    var category: String?
    var tags: String
    var title: String
    var description: String
    var commune: String
    var lat: Double?
    var lon: Double?
    var scope: String
    var publicEmail: String?
    var acceptsTimeBank: Bool
    var expiresAt: Date?
    var publishedAt: Date
    var searchText: String
    var withdrawnAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, category, tags, title, description, commune, lat, lon, scope
        case cooperativeID = "cooperative_id", authorID = "author_id", exchangeType = "exchange_type", itemType = "item_type"
        case transactionTypes = "transaction_types", publicEmail = "public_email"
        case acceptsTimeBank = "accepts_time_bank", expiresAt = "expires_at", publishedAt = "published_at"
        case searchText = "search_text", withdrawnAt = "withdrawn_at"
    }

    var tagList: [String] { (try? JSONDecoder().decode([String].self, from: Data(tags.utf8))) ?? [] }
    var position: GeoPoint? { lat.flatMap { lat in lon.flatMap { GeoPoint(lat: lat, lon: $0) } } }
    var itemCategory: ItemCategory? { category.flatMap(ItemCategory.init(rawValue:)) }

    var offerWant: OfferWant {
        OfferWant(id: id, author: authorID, exchangeType: ExchangeType(rawValue: exchangeType) ?? .offer,
                  itemType: ExchangeItemType(rawValue: itemType) ?? .service,
                  transactionTypes: transactionTypes.split(separator: ",").compactMap { TransactionType(rawValue: String($0)) },
                  category: itemCategory, tags: tagList, title: title, description: description, position: position,
                  scope: GeographicScope(rawValue: scope) ?? .local, publicEmail: publicEmail, acceptsTimeBank: acceptsTimeBank,
                  expiresAt: expiresAt, publishedAt: publishedAt)
    }
}

/// A row of `service_records`.
struct ServiceRecordRow: Codable, Sendable {
    var id: UUID
    var cooperativeID: UUID
    var offerWantID: UUID?
    var giverID: UUID
    var receiverID: UUID
    var description: String
    var doneOn: String
    var settlement: String
    var minutes: Int64
    var transferID: UUID?
    var recordedAt: Date
    var recordedBy: UUID

    enum CodingKeys: String, CodingKey {
        case id, description, settlement, minutes
        case cooperativeID = "cooperative_id", offerWantID = "offer_want_id", giverID = "giver_id", receiverID = "receiver_id"
        case doneOn = "done_on", transferID = "transfer_id", recordedAt = "recorded_at", recordedBy = "recorded_by"
    }

    /// The core record, for `NeighbourhoodImpact`: the transfer is rebuilt from its amount.
    var record: ServiceRecord? {
        guard let day = LocalDate(iso: doneOn) else { return nil }
        let settled: ServiceSettlement = settlement == "hours"
            ? .hours(Transfer(debit: AccountID(receiverID), credit: AccountID(giverID), amount: .time(minutes: minutes), memo: description,
                              idempotencyKey: nil, time: recordedAt))
            : .freeHelp
        return ServiceRecord(id: id, offerWantID: offerWantID, giver: giverID, receiver: receiverID, description: description, doneOn: day,
                             settlement: settled, recordedAt: recordedAt, recordedBy: recordedBy)
    }
}

enum ExchangeWords {
    static let offerWant = Localized(fr: "Offre ou demande", en: "Offer or want")
    static let unknownCommune = DomainError(.invalid, code: "unknown_commune", field: "commune",
        fr: "Commune inconnue du territoire : choisissez-en une de la liste.", en: "Unknown commune of the territory: choose one from the list.")
    static let counterpartMissing = DomainError(.invalid, code: "counterpart_missing", field: "counterpart",
        fr: "Choisissez le ou la sociétaire avec qui le service a eu lieu.", en: "Choose the member the service was done with.")
    static let invalidDay = DomainError(.invalid, code: "invalid_date", field: "done_on",
        fr: "Cette date n’est pas valide (format AAAA-MM-JJ).", en: "This date is not valid (format YYYY-MM-DD).")
    static let invalidDuration = DomainError(.invalid, code: "invalid_duration", field: "duration",
        fr: "Durée illisible : « 1 h 30 », « 1,5 » ou « 45 min ».", en: "Unreadable duration: “1 h 30”, “1.5” or “45 min”.")
    static let unknownSettlement = DomainError(.invalid, code: "unknown_settlement", field: "settlement",
        fr: "Choisissez : en heures ou coup de main gratuit.", en: "Choose: in hours or free help.")
}
