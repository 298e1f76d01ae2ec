import Foundation

/// How a carpool community (a company, a school, an event) lets people in.
public enum CommunityJoining: String, Sendable, Hashable, Codable, CaseIterable {
    case open, approval, domain, list

    public var label: Localized {
        switch self {
        case .open: Localized(fr: "Ouverte à tous", en: "Open to all")
        case .approval: Localized(fr: "Sur accord des responsables", en: "On the managers' approval")
        case .domain: Localized(fr: "Adresses d’un domaine (ex. @chantiers.fr)", en: "Addresses of a domain (e.g. @chantiers.fr)")
        case .list: Localized(fr: "Adresses d’une liste", en: "Addresses on a list")
        }
    }

    public enum Outcome: Sendable, Hashable { case joined, waiting }

    /// What happens when a person with `email` asks to join: in at once, waiting for approval, or refused.
    public func decide(email: String, domains: [String], list: [String]) throws(DomainError) -> Outcome {
        let address = email.lowercased().trimmingCharacters(in: .whitespaces)
        switch self {
        case .open: return .joined
        case .approval: return .waiting
        case .domain:
            guard let at = address.lastIndex(of: "@") else { throw CarpoolErrors.communityDomain }
            let domain = String(address[address.index(after: at)...])
            guard Self.normalised(domains).contains(domain) else { throw CarpoolErrors.communityDomain }
            return .joined
        case .list:
            guard Self.normalised(list).contains(address) else { throw CarpoolErrors.communityClosed }
            return .joined
        }
    }

    /// "@Chantiers.fr, ecole.org" → ["chantiers.fr", "ecole.org"]: what staff type, cleaned.
    public static func normalised(_ entries: [String]) -> [String] {
        entries.map { $0.lowercased().trimmingCharacters(in: .whitespacesAndNewlines) }
            .map { $0.hasPrefix("@") ? String($0.dropFirst()) : $0 }.filter { !$0.isEmpty }
    }

    public static func entries(_ text: String) -> [String] {
        normalised(text.split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == ";" || $0 == " " }).map(String.init))
    }
}
