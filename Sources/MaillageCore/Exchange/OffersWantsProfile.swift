import Foundation

/// An offer or want in the Murmurations "offers_wants_schema-v0.1.0" shape, so the Murmurations
/// index and other platforms read our public feed as is. Property names are the schema's;
/// absent optionals are left out of the JSON (the schema has no `null`s).
public struct OffersWantsProfile: Sendable, Codable, Hashable {
    public struct Geolocation: Sendable, Codable, Hashable {
        public var lat: Double
        public var lon: Double
    }
    /// The schema asks for at least one way to reach the author.
    public struct ContactDetails: Sendable, Codable, Hashable {
        public var email: String?
        public var contact_form: String?
    }

    public static let schemaName = "offers_wants_schema-v0.1.0"

    public var linked_schemas: [String] = [OffersWantsProfile.schemaName]
    public var exchange_type: String
    public var item_type: String?
    public var transaction_type: [String]
    public var tags: [String]
    public var title: String
    public var description: String
    public var image: String?
    public var details_url: String?
    public var geolocation: Geolocation?
    public var geographic_scope: String
    public var contact_details: ContactDetails
    /// Unix seconds.
    public var expires_at: Int64?

    /// The JSON document, keys sorted so the feed is stable byte for byte.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

extension OfferWant {
    /// The tags published: the author's, then the category code and, for a service settled in
    /// hours, "banque-de-temps" and "time-bank" so other time banks find it. Distinct, as the
    /// schema's `uniqueItems` requires.
    public var publishedTags: [String] {
        var tags = self.tags
        if let category { tags.append(category.rawValue) }
        if acceptsTimeBank { tags += ["banque-de-temps", "time-bank"] }
        var seen = Set<String>()
        return tags.filter { seen.insert($0).inserted }
    }

    /// The public profile. `pageURL` is this offer's page on the instance
    /// (e.g. "https://echange.example.coop/echanges/<id>"): details and contact form at once,
    /// so no personal address is published unless the author chose `publicEmail`.
    public func murmurationsProfile(pageURL: String) -> OffersWantsProfile {
        OffersWantsProfile(
            exchange_type: exchangeType.rawValue,
            item_type: itemType.rawValue,
            transaction_type: transactionTypes.map(\.rawValue),
            tags: publishedTags,
            title: title,
            description: description,
            image: nil,
            details_url: pageURL,
            geolocation: position.map { .init(lat: $0.lat, lon: $0.lon) },
            geographic_scope: scope.rawValue,
            contact_details: .init(email: publicEmail, contact_form: pageURL),
            expires_at: expiresAt.map { Int64($0.timeIntervalSince1970.rounded(.down)) }
        )
    }
}
