import Foundation

/// The offer-or-want form as typed, kept as text so a refused form comes back as it was filled.
public struct OfferWantDraft: Sendable, Hashable {
    public var exchangeType: String
    public var itemType: String
    /// The checked boxes' values (the schema's strings: "borrow-lend", "buy-sell"…).
    public var transactionTypes: [String]
    /// "" for none, else an `ItemCategory` code.
    public var category: String
    /// Comma-separated, as typed: "jardin, tonte, entraide".
    public var tags: String
    public var title: String
    public var description: String
    public var scope: String
    public var publicEmail: String
    public var acceptsTimeBank: Bool
    /// "" for never, else the last day shown ("2026-06-30"), to the end of that day.
    public var expiresOn: String

    public static let titleLength = 3...100
    public static let descriptionLength = 1...1000
    public static let tagLength = 1...50
    public static let tagLimit = 10
    /// An offer lives at most a year; it can be published again.
    public static let longestLifeDays = 365

    public init(exchangeType: String, itemType: String, transactionTypes: [String], category: String = "",
                tags: String = "", title: String, description: String, scope: String = "local",
                publicEmail: String = "", acceptsTimeBank: Bool = false, expiresOn: String = "") {
        self.exchangeType = exchangeType
        self.itemType = itemType
        self.transactionTypes = transactionTypes
        self.category = category
        self.tags = tags
        self.title = title
        self.description = description
        self.scope = scope
        self.publicEmail = publicEmail
        self.acceptsTimeBank = acceptsTimeBank
        self.expiresOn = expiresOn
    }

    /// Checks every field and returns the offer or want, or every problem at once (a
    /// `ValidationErrors`, or the single `DomainError` when only one field is wrong).
    /// `position` is the author's commune; `now` dates the publication.
    public func validated(id: UUID = UUID(), author: UUID, position: GeoPoint?, now: Date,
                          zone: LocalZone = .paris) throws -> OfferWant {
        var errors = ValidationErrors()
        func check<T>(_ body: () throws(DomainError) -> T) -> T? {
            do { return try body() } catch { errors.add(error); return nil }
        }
        let exchange = ExchangeType(rawValue: exchangeType.trimmingCharacters(in: .whitespaces))
        if exchange == nil { errors.add(.unknownChoice(field: "exchange_type")) }
        let item = ExchangeItemType(rawValue: itemType.trimmingCharacters(in: .whitespaces))
        if item == nil { errors.add(.unknownChoice(field: "item_type")) }

        let parsed = transactionTypes.map { TransactionType(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
        let types = TransactionType.allCases.filter { parsed.contains($0) }
        if parsed.contains(nil) {
            errors.add(.unknownChoice(field: "transaction_type"))
        } else if types.isEmpty {
            errors.add(.transactionTypeRequired)
        } else if item == .service, types.contains(where: { !$0.fits(.service) }) {
            errors.add(.serviceCannotBeLent)
        }

        let categoryCode = category.trimmingCharacters(in: .whitespaces)
        let category = categoryCode.isEmpty ? nil : ItemCategory(code: categoryCode)
        if !categoryCode.isEmpty && category == nil { errors.add(.unknownCategory) }

        var tags: [String] = [], seen = Set<String>()
        for raw in self.tags.split(separator: ",") {
            let tag = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !tag.isEmpty else { continue }
            guard Self.tagLength.contains(tag.count) else { errors.add(.invalidTag(Self.tagLength.upperBound)); break }
            if seen.insert(SearchText.fold(tag)).inserted { tags.append(tag) }
        }
        if tags.count > Self.tagLimit { errors.add(.tooManyTags(Self.tagLimit)) }

        let title = check { () throws(DomainError) in
            try Validate.text(self.title, field: "title", label: Localized(fr: "Titre", en: "Title"), range: Self.titleLength)
        }
        let description = check { () throws(DomainError) in
            try Validate.text(self.description, field: "description", label: Localized(fr: "Description", en: "Description"),
                              range: Self.descriptionLength)
        }
        let scope = GeographicScope(rawValue: self.scope.trimmingCharacters(in: .whitespaces))
        if scope == nil { errors.add(.unknownChoice(field: "geographic_scope")) }

        let email = publicEmail.trimmingCharacters(in: .whitespaces)
        let cleanEmail = email.isEmpty ? nil : check { () throws(DomainError) in try Validate.email(email, field: "public_email") }

        var expiresAt: Date?
        let expiry = expiresOn.trimmingCharacters(in: .whitespaces)
        if !expiry.isEmpty {
            let today = zone.localDate(at: now)
            if let last = LocalDate(iso: expiry), last >= today, today.days(to: last) <= Self.longestLifeDays,
               let dayAfter = last.adding(days: 1) {
                expiresAt = zone.start(of: dayAfter)
            } else {
                errors.add(.invalidExpiry(Self.longestLifeDays))
            }
        }
        if acceptsTimeBank && item != .service { errors.add(.timeBankIsForServices) }

        try errors.throwIfAny()
        guard let exchange, let item, let title, let description, let scope else { throw DomainError.transactionTypeRequired }
        return OfferWant(id: id, author: author, exchangeType: exchange, itemType: item, transactionTypes: types,
                         category: category, tags: tags, title: title, description: description,
                         position: position, scope: scope,
                         publicEmail: cleanEmail, acceptsTimeBank: acceptsTimeBank, expiresAt: expiresAt,
                         publishedAt: now)
    }
}
