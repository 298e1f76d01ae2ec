/// A person's choices, one channel per kind; a kind they never chose follows its default.
/// Only choices that differ from the default are kept, so a default changed later reaches everyone
/// who never said otherwise.
public struct NoticePreferences: Sendable, Hashable {
    public private(set) var chosen: [NoticeKind: NoticeChannel]

    public init(chosen: [NoticeKind: NoticeChannel] = [:]) {
        self.chosen = chosen.filter { $0.value != $0.key.defaultChannel }
    }

    public func channel(for kind: NoticeKind) -> NoticeChannel {
        chosen[kind] ?? kind.defaultChannel
    }

    /// Sets one kind's channel; a channel the kind does not offer is refused in the person's words.
    public mutating func set(_ channel: NoticeChannel, for kind: NoticeKind) throws {
        guard kind.channels.contains(channel) else { throw Self.notOffered(kind, channel) }
        chosen[kind] = channel == kind.defaultChannel ? nil : channel
    }

    /// Every kind and its channel, in the order kinds are listed.
    public var all: [(kind: NoticeKind, channel: NoticeChannel)] {
        NoticeKind.allCases.map { ($0, channel(for: $0)) }
    }

    /// The kinds whose notices wait for the daily digest.
    public var digestKinds: Set<NoticeKind> { Set(NoticeKind.allCases.filter { channel(for: $0) == .dailyDigest }) }

    public static func notOffered(_ kind: NoticeKind, _ channel: NoticeChannel) -> DomainError {
        DomainError(.invalid, code: "channel_not_offered", field: kind.rawValue,
                    fr: "« \(channel.label.fr) » n’est pas proposé pour « \(kind.label.fr) ».",
                    en: "“\(channel.label.en)” is not offered for “\(kind.label.en)”.")
    }

    public static func unknownKind(_ name: String) -> DomainError {
        DomainError(.invalid, code: "unknown_kind", field: name,
                    fr: "Type de notification inconnu : « \(name) ».", en: "Unknown notification kind: “\(name)”.")
    }

    public static func unknownChannel(_ name: String, kind: String) -> DomainError {
        DomainError(.invalid, code: "unknown_channel", field: kind,
                    fr: "Canal inconnu : « \(name) » (site, mail ou digest).", en: "Unknown channel: “\(name)” (site, mail or digest).")
    }
}
