import Foundation

/// A carpool community as staff type it: a company, a school, an event, with how people get in.
public struct CommunityDraft: Sendable {
    public var name: String
    public var description: String
    public var joining: String
    /// The organisation's mail domains ("chantiers.fr"), for `domain` joining.
    public var domains: String
    /// The addresses allowed in, for `list` joining.
    public var addresses: String

    public static let nameLength = 2...80
    public static let descriptionLength = 0...1000
    /// A list longer than this belongs in a domain rule.
    public static let mostEntries = 500

    public init(name: String, description: String = "", joining: String, domains: String = "", addresses: String = "") {
        self.name = name
        self.description = description
        self.joining = joining
        self.domains = domains
        self.addresses = addresses
    }

    public struct Checked: Sendable, Hashable {
        public let name: String
        public let description: String
        public let joining: CommunityJoining
        public let domains: [String]
        public let addresses: [String]
    }

    /// Every field checked at once. Domains and addresses are kept only for the mode that reads them.
    public func validated() throws -> Checked {
        var errors = ValidationErrors()
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !Self.nameLength.contains(name.count) {
            errors.add(DomainError(.invalid, code: "invalid_name", field: "name", fr: "Le nom fait 2 à 80 caractères.", en: "The name is 2 to 80 characters."))
        }
        let description = description.trimmingCharacters(in: .whitespacesAndNewlines)
        if description.count > Self.descriptionLength.upperBound {
            errors.add(DomainError(.invalid, code: "description_too_long", field: "description", fr: "1 000 caractères au plus.", en: "1,000 characters at most."))
        }
        let joining = CommunityJoining(rawValue: joining.trimmingCharacters(in: .whitespaces))
        if joining == nil { errors.add(CarpoolErrors.unknownChoice("joining")) }
        let domains = joining == .domain ? CommunityJoining.entries(domains) : []
        let addresses = joining == .list ? CommunityJoining.entries(addresses) : []
        if joining == .domain && (domains.isEmpty || domains.count > Self.mostEntries
                                  || domains.contains { !$0.contains(".") || $0.contains("@") || $0.hasPrefix(".") || $0.hasSuffix(".") }) {
            errors.add(DomainError(.invalid, code: "invalid_domains", field: "domains",
                                   fr: "Indiquez le ou les domaines des adresses, par exemple chantiers.fr.", en: "Give the addresses' domain(s), for example chantiers.fr."))
        }
        if joining == .list && (addresses.isEmpty || addresses.count > Self.mostEntries
                                || addresses.contains { address in address.split(separator: "@").count != 2 || !address.contains(".") }) {
            errors.add(DomainError(.invalid, code: "invalid_addresses", field: "addresses",
                                   fr: "Indiquez les adresses e-mail admises, séparées par des virgules ou des retours à la ligne (500 au plus).",
                                   en: "Give the e-mail addresses allowed in, separated by commas or new lines (500 at most)."))
        }
        try errors.throwIfAny()
        guard let joining else { throw CarpoolErrors.unknownChoice("joining") }
        return Checked(name: name, description: description, joining: joining, domains: domains, addresses: addresses)
    }
}
