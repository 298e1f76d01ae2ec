/// A directory entry in the Murmurations "organizations_schema-v1.0.0" shape, so other
/// regional portals and the Murmurations index can read our directory as is.
public struct MurmurationsProfile: Sendable, Codable, Hashable {
    public struct Geolocation: Sendable, Codable, Hashable {
        public var lat: Double
        public var lon: Double
    }
    public struct NamedURL: Sendable, Codable, Hashable {
        public var name: String
        public var url: String
    }
    public struct ContactDetails: Sendable, Codable, Hashable {
        public var contact_form: String?
    }
    public struct Relationship: Sendable, Codable, Hashable {
        public var predicate_url: String
        public var object_url: String
    }

    public static let schemaName = "organizations_schema-v1.0.0"

    public var linked_schemas: [String] = [MurmurationsProfile.schemaName]
    public var name: String
    public var nickname: String?
    public var primary_url: String
    public var tags: [String]
    public var urls: [NamedURL]
    public var description: String
    public var mission: String?
    public var status: String
    public var full_address: String?
    public var country_iso_3166: String
    public var geolocation: Geolocation?
    public var starts_at: Int?
    public var contact_details: ContactDetails?
    public var geographic_scope: String
    public var relationships: [Relationship]?
}

/// Builds a cooperative's Murmurations profile from what the directory knows of it.
public enum DirectoryEntry {
    public struct Source: Sendable {
        public var name: String
        public var slug: String
        public var legalForm: LegalForm
        public var commune: String
        public var postalCode: String
        public var description: String
        public var website: String
        public var activities: [Activity]
        public var createdAtUnix: Int
        public var latitude: Double?
        public var longitude: Double?

        public init(name: String, slug: String, legalForm: LegalForm, commune: String, postalCode: String,
                    description: String, website: String, activities: [Activity], createdAtUnix: Int,
                    latitude: Double? = nil, longitude: Double? = nil) {
            self.name = name
            self.slug = slug
            self.legalForm = legalForm
            self.commune = commune
            self.postalCode = postalCode
            self.description = description
            self.website = website
            self.activities = activities
            self.createdAtUnix = createdAtUnix
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    public static func murmurations(_ source: Source, baseURL: String) -> MurmurationsProfile {
        let page = "\(baseURL)/c/\(source.slug)"
        var urls = [MurmurationsProfile.NamedURL(name: "Maillage", url: page)]
        if !source.website.isEmpty {
            urls.append(.init(name: "Website", url: source.website))
        }
        let address = [source.postalCode, source.commune, "France"].filter { !$0.isEmpty }.joined(separator: " ")
        var tags = ["cooperative", "platform-cooperative", source.legalForm.rawValue]
        for activity in source.activities { tags.append(contentsOf: activity.tags) }
        let geolocation: MurmurationsProfile.Geolocation?
        if let lat = source.latitude, let lon = source.longitude {
            geolocation = .init(lat: lat, lon: lon)
        } else {
            geolocation = nil
        }
        return MurmurationsProfile(
            name: source.name,
            nickname: source.slug,
            primary_url: source.website.isEmpty ? page : source.website,
            tags: tags,
            urls: urls,
            description: source.description,
            mission: nil,
            status: "active",
            full_address: address,
            country_iso_3166: "FR",
            geolocation: geolocation,
            starts_at: source.createdAtUnix,
            contact_details: .init(contact_form: page),
            geographic_scope: "local",
            relationships: nil
        )
    }
}
