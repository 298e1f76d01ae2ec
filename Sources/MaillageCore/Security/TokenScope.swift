import Foundation

/// What a personal access token may do. A read-only token is what a dashboard or a spreadsheet
/// needs; if it leaks, nothing can be changed with it.
public enum TokenScope: String, CaseIterable, Sendable {
    case read
    case full

    /// Safe methods only, for a read-only token (HTTP's own definition of "changes nothing").
    public func allows(method: String) -> Bool {
        switch self {
        case .full: true
        case .read: ["GET", "HEAD", "OPTIONS"].contains(method.uppercased())
        }
    }

    /// The scope chosen in a form or an API body; none given means full, as tokens always were.
    public static func parse(_ raw: String?) throws -> TokenScope {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return .full }
        guard let scope = TokenScope(rawValue: raw) else {
            throw DomainError(.invalid, code: "invalid_scope", field: "scope",
                              fr: "Choisissez « lecture seule » ou « lecture et écriture ».",
                              en: "Choose “read only” or “read and write”.")
        }
        return scope
    }
}

/// How long a token lives. A token that never expires stays possible (a till script), but the
/// form proposes a limit first.
public enum TokenLifetime: String, CaseIterable, Sendable {
    case days30 = "30"
    case days90 = "90"
    case year = "365"
    case never

    public func expiry(from now: Date) -> Date? {
        guard let days = Int(rawValue) else { return nil }
        return now.addingTimeInterval(Double(days) * 86_400)
    }

    public static func parse(_ raw: String?) throws -> TokenLifetime {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return .never }
        guard let lifetime = TokenLifetime(rawValue: raw) else {
            throw DomainError(.invalid, code: "invalid_lifetime", field: "lifetime",
                              fr: "Choisissez une durée de validité proposée.",
                              en: "Choose one of the proposed lifetimes.")
        }
        return lifetime
    }
}
