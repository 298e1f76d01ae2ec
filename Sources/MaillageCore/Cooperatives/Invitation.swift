import Foundation

/// Where an invitation to join stands. Pending until accepted, withdrawn by the board, or
/// past its expiry; the other three are final.
public enum InvitationState: String, Sendable, CaseIterable, Codable {
    case pending, accepted, withdrawn, expired

    public var label: Localized {
        switch self {
        case .pending: Localized(fr: "En attente", en: "Pending")
        case .accepted: Localized(fr: "Acceptée", en: "Accepted")
        case .withdrawn: Localized(fr: "Retirée", en: "Withdrawn")
        case .expired: Localized(fr: "Expirée", en: "Expired")
        }
    }
}

/// How a person who follows a valid invitation link becomes a member.
public enum InvitationAcceptance: Sendable, Equatable {
    /// The account's confirmed address is the one the board invited: the board has already said
    /// yes to this person, so the membership is active at once.
    case approvedAtOnce
    /// Someone else holds the link (a forwarded mail, another address of theirs): an ordinary
    /// request, which the board approves or declines as any other; the invitation stays open.
    case ordinaryRequest
}

/// The rules of a board inviting someone by email to join its cooperative.
public enum InvitationRules {
    /// Long enough to come back from a fortnight away; short enough that a forgotten mail stops
    /// opening the door.
    public static let lifetime: TimeInterval = 14 * 86_400
    public static let maximumMessage = 1000

    public static func expiry(sentAt: Date) -> Date { sentAt.addingTimeInterval(lifetime) }

    /// The state at `now`: an invitation still marked pending is expired once its time is past.
    public static func state(recorded: InvitationState, expiresAt: Date, now: Date) -> InvitationState {
        recorded == .pending && expiresAt <= now ? .expired : recorded
    }

    /// Addresses compare trimmed and lower-cased, as accounts store them.
    public static func normalisedEmail(_ raw: String) throws(DomainError) -> String {
        try Validate.email(raw, field: "email")
    }

    /// Inviting speaks for the cooperative, as approving a request does: the board only.
    public static func mayInvite(_ role: MemberRole?) -> Bool { role == .board }

    /// The suggested shares follow the rules of a request (at least one share where there is
    /// share capital, none otherwise, a college where there are colleges): what the invited
    /// person is offered must be something they can accept as it is.
    public static func validateOffer(shares: Int, hasShareCapital: Bool, collegeChosen: Bool, hasColleges: Bool) throws(DomainError) {
        try MembershipRules.validateRequest(shares: shares, hasShareCapital: hasShareCapital,
                                            collegeChosen: collegeChosen, hasColleges: hasColleges)
    }

    /// Whether the invited address can be invited, given what its account (if any) already has
    /// in this cooperative.
    public static func checkInvitee(existing: MembershipStatus?) throws(DomainError) {
        switch existing {
        case .active?: throw alreadyMember
        case .pending?: throw alreadyAsked
        case .declined?, .left?, nil: return
        }
    }

    /// Only a pending invitation, before its expiry, is accepted or withdrawn.
    public static func requireOpen(_ state: InvitationState) throws(DomainError) {
        switch state {
        case .pending: return
        case .accepted: throw alreadyUsed
        case .withdrawn: throw withdrawn
        case .expired: throw expired
        }
    }

    /// The board's yes covers the address it invited, proved by the account's confirmation, in
    /// the college it chose (a college weighs in votes: another one is the board's to decide).
    /// The number of shares is the person's to choose, within the rules of a request.
    public static func acceptance(invitedEmail: String, accountEmail: String, emailConfirmed: Bool,
                                  collegeAsInvited: Bool = true) -> InvitationAcceptance {
        emailConfirmed && collegeAsInvited && invitedEmail.lowercased() == accountEmail.lowercased() ? .approvedAtOnce : .ordinaryRequest
    }

    /// "expire dans 13 jours", "expire demain", "expire dans 5 heures", "expirée".
    public static func remaining(until expiresAt: Date, now: Date) -> Localized {
        let seconds = expiresAt.timeIntervalSince(now)
        guard seconds > 0 else { return Localized(fr: "expirée", en: "expired") }
        let hours = Int((seconds / 3600).rounded(.up))
        if hours < 24 {
            return Localized(fr: "expire dans " + Plural.count(hours, "heure", "heures", .fr),
                             en: "expires in " + Plural.count(hours, "hour", "hours", .en))
        }
        // Rounded: an invitation sent a moment ago reads "14 days", not 13.
        let days = Int((seconds / 86_400).rounded())
        if days == 1 { return Localized(fr: "expire demain", en: "expires tomorrow") }
        return Localized(fr: "expire dans \(days) jours", en: "expires in \(days) days")
    }

    public static let alreadyPending = DomainError(.conflict, code: "invitation_pending", field: "email",
        fr: "Une invitation à cette adresse attend déjà sa réponse. Retirez-la d’abord pour en envoyer une autre.",
        en: "An invitation to this address is already awaiting its answer. Withdraw it first to send another.")
    public static let alreadyMember = DomainError(.conflict, code: "already_member", field: "email",
        fr: "Cette adresse est celle d’un·e sociétaire de la coopérative : pas besoin de l’inviter.",
        en: "This address belongs to a member of the cooperative: there is no need to invite them.")
    public static let alreadyAsked = DomainError(.conflict, code: "already_requested", field: "email",
        fr: "Cette personne a déjà demandé à rejoindre la coopérative : sa demande attend sur la page des sociétaires.",
        en: "This person has already asked to join the cooperative: their request is waiting on the members page.")
    public static let alreadyUsed = DomainError(.conflict, code: "invitation_used",
        fr: "Cette invitation a déjà servi : elle ne s’utilise qu’une fois.",
        en: "This invitation has already been used: it works once.")
    public static let withdrawn = DomainError(.conflict, code: "invitation_withdrawn",
        fr: "Le conseil a retiré cette invitation.",
        en: "The board withdrew this invitation.")
    public static let expired = DomainError(.conflict, code: "invitation_expired",
        fr: "Cette invitation a expiré (elle valait 14 jours). Demandez au conseil de vous en envoyer une nouvelle, ou demandez à rejoindre depuis la page de la coopérative.",
        en: "This invitation has expired (it was valid for 14 days). Ask the board for a new one, or ask to join from the cooperative's page.")
}
