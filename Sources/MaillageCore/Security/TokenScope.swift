import Foundation

/// What a personal access token may do. A read-only token is what a dashboard or a spreadsheet
/// needs; if it leaks, nothing can be changed with it.
public enum TokenScope: String, CaseIterable, Sendable {
    case read
    case full
    /// Orders by DFC only: what a producer hands to the hub that orders from them on another
    /// platform (Open Food Network), which then can place, read, change and cancel DFC orders
    /// and nothing else in the person's name.
    case dfc

    /// Safe methods only, for a read-only token (HTTP's own definition of "changes nothing").
    public func allows(method: String) -> Bool {
        switch self {
        case .full: true
        case .read: ["GET", "HEAD", "OPTIONS"].contains(method.uppercased())
        case .dfc: false
        }
    }

    /// Whether a request for `path` with `method` may go ahead with this token.
    public func allows(method: String, path: String) -> Bool {
        self == .dfc ? Self.isDFCOrderPath(path) : allows(method: method)
    }

    /// `/api/v1/cooperatives/{slug}/food/dfc/orders…`: the DFC order endpoints.
    public static func isDFCOrderPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return parts.count >= 7 && parts[0] == "api" && parts[1] == "v1" && parts[2] == "cooperatives"
            && parts[4] == "food" && parts[5] == "dfc" && parts[6] == "orders" && !path.contains("..")
    }

    /// The scope chosen in a form or an API body; none given means full, as tokens always were.
    public static func parse(_ raw: String?) throws -> TokenScope {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return .full }
        guard let scope = TokenScope(rawValue: raw) else {
            throw DomainError(.invalid, code: "invalid_scope", field: "scope",
                              fr: "Choisissez « lecture seule », « lecture et écriture » ou « commandes DFC ».",
                              en: "Choose “read only”, “read and write” or “DFC orders”.")
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
