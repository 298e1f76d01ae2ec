/// What a notice is about. Each kind has its own choice of channel, so a person can hear of a vote
/// by mail at once and of their loans only in the site. A later module (deliveries, rides) adds its
/// case here, with its words and its default.
public enum NoticeKind: String, Sendable, Hashable, Codable, CaseIterable {
    case votes
    case assemblies
    case orders
    case loans
    case messages
    case money
    case membership
    case moderation
    case rides

    public var label: Localized {
        switch self {
        case .votes: Localized(fr: "Votes", en: "Votes")
        case .assemblies: Localized(fr: "Assemblées", en: "Assemblies")
        case .orders: Localized(fr: "Commandes", en: "Orders")
        case .loans: Localized(fr: "Prêts d’objets", en: "Loans")
        case .messages: Localized(fr: "Messages et mentions", en: "Messages and mentions")
        case .money: Localized(fr: "Argent, troc et heures", en: "Money, barter and hours")
        case .membership: Localized(fr: "Adhésions", en: "Membership")
        case .moderation: Localized(fr: "Modération", en: "Moderation")
        case .rides: Localized(fr: "Covoiturage", en: "Carpooling")
        }
    }

    public var explanation: Localized {
        switch self {
        case .votes: Localized(fr: "un vote s’ouvre, se clôt ou est annulé", en: "a vote opens, closes or is cancelled")
        case .assemblies: Localized(fr: "une assemblée est convoquée", en: "an assembly is convened")
        case .orders: Localized(fr: "le reçu d’une commande confirmée", en: "the receipt of a confirmed order")
        case .loans: Localized(fr: "demandes, remises, retours, retards, cautions", en: "requests, handovers, returns, late items, deposits")
        case .messages: Localized(fr: "une réponse dans une conversation", en: "a reply in a conversation")
        case .money: Localized(fr: "versements, factures de troc, services notés", en: "payments, barter invoices, recorded services")
        case .membership: Localized(fr: "demandes d’adhésion, accords, départs", en: "membership requests, approvals, departures")
        case .moderation: Localized(fr: "signalements et messages masqués", en: "reports and hidden messages")
        case .rides: Localized(fr: "demandes de place, réponses, annulations, trajets trouvés par vos alertes",
                               en: "seat requests, answers, cancellations, rides found by your alerts")
        }
    }

    /// What a person who never chose gets. A vote opening and an order's receipt matter within
    /// the day: by mail at once; the rest waits in the site until the person comes by.
    public var defaultChannel: NoticeChannel {
        switch self {
        // A seat asked, accepted or cancelled is about a trip that may leave within hours.
        case .votes, .orders, .rides: .mailAtOnce
        default: .siteOnly
        }
    }

    /// The channels a person may choose for this kind. An order's receipt is one mail per order,
    /// written by the shop; it is sent or not, never gathered into a digest.
    public var channels: [NoticeChannel] {
        switch self {
        case .orders: [.siteOnly, .mailAtOnce]
        default: NoticeChannel.allCases
        }
    }
}

/// How a notice reaches its person, beyond the site's inbox where every notice appears.
public enum NoticeChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case siteOnly = "site"
    case mailAtOnce = "mail"
    case dailyDigest = "digest"

    public var label: Localized {
        switch self {
        case .siteOnly: Localized(fr: "Dans le site seulement", en: "In the site only")
        case .mailAtOnce: Localized(fr: "Courriel immédiat", en: "Mail at once")
        case .dailyDigest: Localized(fr: "Résumé quotidien", en: "Daily digest")
        }
    }
}
