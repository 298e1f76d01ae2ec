import Foundation

/// The languages people can read Maillage in. French first.
public enum Language: String, Sendable, CaseIterable, Codable {
    case fr, en

    public static let fallback: Language = .fr

    /// Picks the best language from an `Accept-Language` header value
    /// (RFC 9110 §12.5.4: ordered by quality value, first match wins).
    public static func negotiate(acceptLanguage header: String?) -> Language {
        guard let header, !header.isEmpty else { return fallback }
        var ranked: [(tag: String, q: Double, order: Int)] = []
        for (order, part) in header.split(separator: ",").enumerated() {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased(), !tag.isEmpty else { continue }
            var q = 1.0
            for param in pieces.dropFirst() where param.hasPrefix("q=") {
                q = Double(param.dropFirst(2)) ?? 0
            }
            ranked.append((tag, q, order))
        }
        ranked.sort { $0.q != $1.q ? $0.q > $1.q : $0.order < $1.order }
        for entry in ranked where entry.q > 0 {
            let primary = entry.tag.split(separator: "-").first.map(String.init) ?? entry.tag
            if let language = Language(rawValue: primary) { return language }
        }
        return fallback
    }
}

/// A text a person reads, in every language we speak.
public struct Localized: Sendable, Hashable, Codable {
    public let fr: String
    public let en: String

    public init(fr: String, en: String) {
        self.fr = fr
        self.en = en
    }

    public func callAsFunction(_ language: Language) -> String {
        switch language {
        case .fr: fr
        case .en: en
        }
    }
}
