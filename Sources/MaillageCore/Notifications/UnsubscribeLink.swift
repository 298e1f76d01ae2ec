import Foundation

/// What a mail's one-click unsubscribe link names: a person and the kinds to turn off (one kind
/// for a mail at once, every kind a digest spoke of). The App signs `signedText` with the
/// instance's secret; the link is `signedText.signature`, so nobody makes one for another person.
public struct UnsubscribeLink: Sendable, Hashable {
    public var user: UUID
    public var kinds: [NoticeKind]

    public init(user: UUID, kinds: [NoticeKind]) {
        self.user = user
        self.kinds = NoticeKind.allCases.filter(kinds.contains)
    }

    /// `<person>.<kind>-<kind>`: URL-safe as it is.
    public var signedText: String {
        user.uuidString.lowercased() + "." + kinds.map(\.rawValue).joined(separator: "-")
    }

    /// The parts of a token, before its signature is checked; nil when it is not shaped like one.
    public static func parse(_ token: String) -> (link: UnsubscribeLink, signedText: String, signature: String)? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let user = UUID(uuidString: String(parts[0])), !parts[2].isEmpty else { return nil }
        var kinds: [NoticeKind] = []
        for name in parts[1].split(separator: "-", omittingEmptySubsequences: false) {
            guard let kind = NoticeKind(rawValue: String(name)) else { return nil }
            kinds.append(kind)
        }
        guard !kinds.isEmpty else { return nil }
        return (UnsubscribeLink(user: user, kinds: kinds), parts[0] + "." + parts[1], String(parts[2]))
    }

    /// The person's preferences once the link is applied: these kinds in the site only.
    public func applied(to preferences: NoticePreferences) -> NoticePreferences {
        var changed = preferences
        for kind in kinds { try? changed.set(.siteOnly, for: kind) }
        return changed
    }
}
