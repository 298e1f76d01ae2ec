import Foundation

// The vocabulary of Murmurations' offers_wants_schema-v0.1.0; raw values are the schema's enum
// strings, exactly, since they are what other platforms read.

/// Offering ("I have something to lend, lease, sell or donate") or wanting it.
public enum ExchangeType: String, Sendable, Hashable, Codable, CaseIterable {
    case offer, want

    public var label: Localized {
        switch self {
        case .offer: Localized(fr: "Je propose", en: "I offer")
        case .want: Localized(fr: "Je cherche", en: "I am looking for")
        }
    }
}

/// A good (something made, handed over) or a service (something performed).
public enum ExchangeItemType: String, Sendable, Hashable, Codable, CaseIterable {
    case good, service

    public var label: Localized {
        switch self {
        case .good: Localized(fr: "Un bien", en: "A good")
        case .service: Localized(fr: "Un service", en: "A service")
        }
    }
}

/// On what basis the item changes hands.
public enum TransactionType: String, Sendable, Hashable, Codable, CaseIterable {
    case borrowLend = "borrow-lend"
    case rentLease = "rent-lease"
    case buySell = "buy-sell"
    case receiveDonate = "receive-donate"

    public var label: Localized {
        switch self {
        case .borrowLend: Localized(fr: "Prêt", en: "Borrow / lend")
        case .rentLease: Localized(fr: "Location", en: "Rent / lease")
        case .buySell: Localized(fr: "Vente", en: "Buy / sell")
        case .receiveDonate: Localized(fr: "Don", en: "Receive / donate")
        }
    }

    /// A service is performed, not handed over: it cannot be lent or leased.
    public func fits(_ item: ExchangeItemType) -> Bool {
        item == .good || self == .buySell || self == .receiveDonate
    }
}

/// How far from its place an offer or want stands.
public enum GeographicScope: String, Sendable, Hashable, Codable, CaseIterable {
    case local, regional, national, international

    public var label: Localized {
        switch self {
        case .local: Localized(fr: "Local (ville et alentours)", en: "Local (city and nearby towns)")
        case .regional: Localized(fr: "Régional", en: "Regional")
        case .national: Localized(fr: "National", en: "National")
        case .international: Localized(fr: "International", en: "International")
        }
    }
}

/// A published offer or want, once its form is validated.
public struct OfferWant: Sendable, Hashable, Codable, Identifiable {
    public let id: UUID
    public let author: UUID
    public var exchangeType: ExchangeType
    public var itemType: ExchangeItemType
    /// At least one, distinct, each fitting the item type; in the order of `TransactionType.allCases`.
    public var transactionTypes: [TransactionType]
    /// The shared taxonomy, so "jardinage" finds both a lawnmower to borrow and help in a garden.
    public var category: ItemCategory?
    /// Distinct (ignoring case and accents), as the author typed them.
    public var tags: [String]
    public var title: String
    public var description: String
    /// Where the item is offered or wanted: the author's commune, never a street address.
    public var position: GeoPoint?
    public var scope: GeographicScope
    /// Published only when the author asks; otherwise people write through the site's form.
    public var publicEmail: String?
    /// A service settled in hours through the cooperative's time bank (else free or in euros,
    /// as its transaction types say).
    public var acceptsTimeBank: Bool
    public var expiresAt: Date?
    public var publishedAt: Date

    public init(id: UUID = UUID(), author: UUID, exchangeType: ExchangeType, itemType: ExchangeItemType,
                transactionTypes: [TransactionType], category: ItemCategory? = nil, tags: [String] = [],
                title: String, description: String, position: GeoPoint? = nil,
                scope: GeographicScope = .local, publicEmail: String? = nil, acceptsTimeBank: Bool = false,
                expiresAt: Date? = nil, publishedAt: Date) {
        self.id = id
        self.author = author
        self.exchangeType = exchangeType
        self.itemType = itemType
        self.transactionTypes = transactionTypes
        self.category = category
        self.tags = tags
        self.title = title
        self.description = description
        self.position = position
        self.scope = scope
        self.publicEmail = publicEmail
        self.acceptsTimeBank = acceptsTimeBank
        self.expiresAt = expiresAt
        self.publishedAt = publishedAt
    }

    /// Still shown: not expired at `now`.
    public func isActive(at now: Date) -> Bool { expiresAt.map { now < $0 } ?? true }

    /// The value of the indexed search column (see `SearchQuery`).
    public var searchText: String {
        var texts = [title, description] + tags
        if let category { texts += [category.label.fr, category.label.en] + category.keywords }
        return SearchText.indexed(texts)
    }

    /// The search candidate for `SearchQuery.rank`.
    public var searchCandidate: SearchQuery.Candidate {
        SearchQuery.Candidate(id: id, searchText: searchText, category: category, position: position)
    }
}
