import Foundation
import MaillageCore

/// A row of `showcase_locations`.
struct ShowcaseRow: Codable, Sendable {
    var id: UUID
    var cooperativeID: UUID
    var name: String
    var address: String
    var commune: String
    var lat: Double
    var lon: Double
    var hours: String

    enum CodingKeys: String, CodingKey {
        case id, name, address, commune, lat, lon, hours
        case cooperativeID = "cooperative_id"
    }

    var location: ShowcaseLocation? {
        guard let position = GeoPoint(lat: lat, lon: lon) else { return nil }
        let slots = (try? JSONDecoder().decode(WeeklyHours.self, from: Data(hours.utf8))) ?? (try? WeeklyHours([]))
        guard let slots else { return nil }
        return ShowcaseLocation(id: id, name: name, address: address, commune: commune, position: position, hours: slots)
    }
}

/// A row of `lending_items`.
struct LendingItemRow: Codable, Sendable {
    var id: UUID
    var cooperativeID: UUID
    var ownerID: UUID
    var title: String
    var category: String
    var description: String
    var condition: String
    var depositCents: Int64
    var maxLoanDays: Int
    var pickup: String
    var showcaseID: UUID?
    var commune: String
    var lat: Double?
    var lon: Double?
    var searchText: String
    var createdAt: Date
    var withdrawnAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, title, category, description, condition, pickup, commune, lat, lon
        case cooperativeID = "cooperative_id", ownerID = "owner_id", depositCents = "deposit_cents", maxLoanDays = "max_loan_days"
        case showcaseID = "showcase_id", searchText = "search_text", createdAt = "created_at"
        case withdrawnAt = "withdrawn_at"
    }

    var itemCategory: ItemCategory { ItemCategory(rawValue: category) ?? .other }
    var itemCondition: ItemCondition { ItemCondition(rawValue: condition) ?? .good }
    var atShowcase: Bool { pickup == "vitrine" }
    var position: GeoPoint? { lat.flatMap { lat in lon.flatMap { GeoPoint(lat: lat, lon: $0) } } }

    /// The core item, with its showcase when it is kept there.
    func item(showcase: ShowcaseLocation?) -> LendingItem {
        let place: PickupPlace = atShowcase ? showcase.map { .showcase($0) } ?? .ownerHome : .ownerHome
        return LendingItem(id: id, owner: ownerID, title: title, category: itemCategory, description: description,
                           condition: itemCondition, depositCents: depositCents, maximumLoanDays: maxLoanDays, pickup: place)
    }
}

/// A row of `loans`.
struct LoanRow: Codable, Sendable {
    var id: UUID
    var itemID: UUID
    var cooperativeID: UUID
    var ownerID: UUID
    var borrowerID: UUID
    var firstDay: String
    var lastDay: String
    var startsAt: Date
    var endsAt: Date
    var status: String
    var requestedAt: Date
    var decidedAt: Date?
    var cancelledAt: Date?
    var cancelledBy: String?
    var handoverOwnerAt: Date?
    var handoverBorrowerAt: Date?
    var returnOwnerAt: Date?
    var returnBorrowerAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, status
        case itemID = "item_id", cooperativeID = "cooperative_id", ownerID = "owner_id", borrowerID = "borrower_id"
        case firstDay = "first_day", lastDay = "last_day", startsAt = "starts_at", endsAt = "ends_at"
        case requestedAt = "requested_at", decidedAt = "decided_at", cancelledAt = "cancelled_at", cancelledBy = "cancelled_by"
        case handoverOwnerAt = "handover_owner_at", handoverBorrowerAt = "handover_borrower_at"
        case returnOwnerAt = "return_owner_at", returnBorrowerAt = "return_borrower_at"
    }

    static let columns = ["id", "item_id", "cooperative_id", "owner_id", "borrower_id", "first_day", "last_day", "starts_at", "ends_at",
                          "status", "requested_at", "decided_at", "cancelled_at", "cancelled_by", "handover_owner_at",
                          "handover_borrower_at", "return_owner_at", "return_borrower_at"]

    var loanStatus: LoanStatus { LoanStatus(rawValue: status) ?? .requested }

    var period: LoanPeriod? {
        guard let first = LocalDate(iso: firstDay), let last = LocalDate(iso: lastDay) else { return nil }
        return try? LoanPeriod(first: first, last: last)
    }

    /// The core loan, with the reviews already left.
    func loan(reviews: [LoanReview] = []) throws -> Loan {
        guard let period else { throw Problem.notFound(LendingWords.loan) }
        return Loan(id: id, itemID: itemID, owner: ownerID, borrower: borrowerID, period: period, requestedAt: requestedAt,
                    status: loanStatus, decidedAt: decidedAt, cancelledAt: cancelledAt,
                    cancelledBy: cancelledBy.flatMap(LoanActor.init(rawValue:)),
                    handover: BothSides(owner: handoverOwnerAt, borrower: handoverBorrowerAt),
                    giveBack: BothSides(owner: returnOwnerAt, borrower: returnBorrowerAt),
                    ownerReview: reviews.first { $0.author == .owner }, borrowerReview: reviews.first { $0.author == .borrower })
    }
}

/// A row of `loan_reviews`.
struct LoanReviewRow: Codable, Sendable {
    var loanID: UUID
    var authorSide: String
    var authorID: UUID
    var rating: Int
    var text: String
    var at: Date

    enum CodingKeys: String, CodingKey {
        case rating, text, at
        case loanID = "loan_id", authorSide = "author_side", authorID = "author_id"
    }

    var review: LoanReview? {
        try? LoanReview(loanID: loanID, author: LoanSide(rawValue: authorSide) ?? .borrower, rating: rating, text: text, at: at)
    }
}

/// A row of `loan_messages`.
struct LoanMessageRow: Codable, Sendable {
    var id: UUID
    var loanID: UUID
    var authorID: UUID
    var body: String
    var at: Date

    enum CodingKeys: String, CodingKey {
        case id, body, at
        case loanID = "loan_id", authorID = "author_id"
    }
}

/// Words used across the lending pages and errors.
enum LendingWords {
    static let item = Localized(fr: "Objet", en: "Item")
    static let loan = Localized(fr: "Prêt", en: "Loan")
    static let block = Localized(fr: "Période bloquée", en: "Blocked period")
    static let notLending = DomainError(.notFound, code: "not_lending",
        fr: "Cette coopérative ne prête pas d’objets.", en: "This cooperative does not lend items.")
    static let messageLength = DomainError(.invalid, code: "invalid_message", field: "body",
        fr: "Un message compte de 1 à 2 000 caractères.", en: "A message has 1 to 2,000 characters.")
    static let messageNul = DomainError(.invalid, code: "invalid_message", field: "body",
        fr: "Un message ne peut contenir le caractère nul (U+0000).", en: "A message cannot contain the null character (U+0000).")
    static let unknownCommune = DomainError(.invalid, code: "unknown_commune", field: "commune",
        fr: "Commune inconnue du territoire : choisissez-en une de la liste.", en: "Unknown commune of the territory: choose one from the list.")
}
