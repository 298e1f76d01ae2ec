import Foundation

/// A person's place in a cooperative.
public enum MemberRole: String, Sendable, CaseIterable, Codable, Comparable {
    case member, staff, board

    public var label: Localized {
        switch self {
        case .member: Localized(fr: "Sociétaire", en: "Member")
        case .staff: Localized(fr: "Salarié·e / équipe", en: "Staff")
        case .board: Localized(fr: "Conseil d’administration", en: "Board")
        }
    }

    private var rank: Int {
        switch self {
        case .member: 0
        case .staff: 1
        case .board: 2
        }
    }

    public static func < (lhs: MemberRole, rhs: MemberRole) -> Bool { lhs.rank < rhs.rank }
}

public enum MembershipStatus: String, Sendable, CaseIterable, Codable {
    case pending, active, declined
    /// Left the cooperative (e.g. deleted their account); the row stays in the register of members.
    case left

    public var label: Localized {
        switch self {
        case .pending: Localized(fr: "En attente de validation", en: "Awaiting approval")
        case .active: Localized(fr: "Sociétaire", en: "Member")
        case .declined: Localized(fr: "Refusée", en: "Declined")
        case .left: Localized(fr: "A quitté la coopérative", en: "Left the cooperative")
        }
    }
}

/// The rules of joining and holding a place in a cooperative.
public enum MembershipRules {
    /// One member = one vote, whatever the number of shares (Loi 47-1775, art. 1 and 9).
    public static func votes(shares: Int, status: MembershipStatus) -> Int {
        status == .active ? 1 : 0
    }

    public static let maximumShares = 100_000

    /// What a join request must satisfy, given the cooperative's set-up.
    public static func validateRequest(shares: Int, hasShareCapital: Bool, collegeChosen: Bool,
                                       hasColleges: Bool) throws(DomainError) {
        if hasShareCapital {
            guard shares >= 1 else {
                throw DomainError(.invalid, code: "shares_required", field: "shares",
                                  fr: "Devenir sociétaire demande de souscrire au moins une part sociale.",
                                  en: "Becoming a member requires subscribing at least one share.")
            }
            guard shares <= maximumShares else {
                throw DomainError(.invalid, code: "too_many_shares", field: "shares",
                                  fr: "Le nombre de parts ne peut dépasser \(maximumShares).",
                                  en: "The number of shares cannot exceed \(maximumShares).")
            }
        } else if shares != 0 {
            throw DomainError(.invalid, code: "no_share_capital", field: "shares",
                              fr: "Cette structure n’a pas de capital social : aucune part à souscrire.",
                              en: "This organisation has no share capital: there are no shares to subscribe.")
        }
        if hasColleges && !collegeChosen {
            throw DomainError(.invalid, code: "college_required", field: "college",
                              fr: "Choisissez votre catégorie de sociétaire (collège de vote).",
                              en: "Choose your member category (voting college).")
        }
    }

    /// Only a pending request can be decided, and only once.
    public static func decide(current: MembershipStatus) throws(DomainError) {
        guard current == .pending else {
            throw DomainError(.conflict, code: "already_decided",
                              fr: "Cette demande a déjà été traitée.",
                              en: "This request has already been decided.")
        }
    }

    /// A cooperative always keeps at least one board member, so someone can still approve and manage.
    public static func changeRole(from old: MemberRole, to new: MemberRole, boardCount: Int) throws(DomainError) {
        if old == .board && new != .board && boardCount <= 1 {
            throw DomainError(.conflict, code: "last_board_member", field: "role",
                              fr: "La coopérative doit garder au moins un membre au conseil d’administration.",
                              en: "The cooperative must keep at least one board member.")
        }
    }

    /// A board member who is the last one cannot leave members without a board (to approve members,
    /// convene the assembly): they hand the role over first.
    public static func mayLeave(isBoard: Bool, otherBoardMembers: Int, otherMembers: Int) -> Bool {
        !isBoard || otherBoardMembers > 0 || otherMembers == 0
    }

    /// Only an active member leaves (Loi 47-1775 art. 7: membership is open and so is leaving),
    /// and the last board member of a cooperative with other members hands the role over first.
    public static func leave(current: MembershipStatus, isBoard: Bool, otherBoardMembers: Int, otherMembers: Int) throws(DomainError) {
        guard current == .active else {
            throw DomainError(.conflict, code: "not_an_active_member", field: "membership",
                              fr: "Seul·e un·e sociétaire actif·ve peut quitter la coopérative.",
                              en: "Only an active member can leave the cooperative.")
        }
        guard mayLeave(isBoard: isBoard, otherBoardMembers: otherBoardMembers, otherMembers: otherMembers) else {
            throw DomainError(.conflict, code: "last_board_member", field: "membership",
                              fr: "Le dernier membre du conseil ne peut partir avant d’avoir confié ce rôle à un·e autre sociétaire.",
                              en: "The last board member cannot leave before handing the role to another member.")
        }
    }

    /// Someone else's departure (announced by letter, decided at the assembly) is recorded by the
    /// staff for a plain member, and only by the board for a member of the staff or of the board:
    /// no one removes a peer or a superior. Always with a reason, kept in the register and sent to
    /// the person. Returns the reason as recorded.
    public static func recordDeparture(by actor: MemberRole, of subject: MemberRole, reason: String) throws(DomainError) -> String {
        guard actor >= .staff else {
            throw DomainError(.forbidden, code: "forbidden", field: "membership",
                              fr: "Seul·e le ou la sociétaire, ou l’équipe de la coopérative, peut enregistrer ce départ.",
                              en: "Only the member, or the cooperative's staff, can record this departure.")
        }
        guard mayRecordDeparture(by: actor, of: subject) else { throw boardOnlyDeparture }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count >= 3 else {
            throw DomainError(.invalid, code: "reason_required", field: "reason",
                              fr: "Indiquez la raison du départ (lettre de démission, décision de l’assemblée…) : elle est notée au registre et envoyée à la personne.",
                              en: "Give the reason for the departure (resignation letter, assembly decision…): it goes into the register and to the person.")
        }
        guard reason.count <= maximumReason else {
            throw DomainError(.invalid, code: "reason_too_long", field: "reason",
                              fr: "La raison tient en \(maximumReason) caractères au plus.",
                              en: "The reason fits in \(maximumReason) characters at most.")
        }
        return reason
    }

    public static let maximumReason = 500

    public static let boardOnlyDeparture = DomainError(.forbidden, code: "board_only_departure", field: "membership",
                                                       fr: "Seul le conseil peut enregistrer le départ d’un membre du conseil ou de l’équipe.",
                                                       en: "Only the board can record the departure of a board or staff member.")

    public static func mayRecordDeparture(by actor: MemberRole, of subject: MemberRole) -> Bool {
        actor == .board || (actor == .staff && subject == .member)
    }

    /// Share capital subscribed, in cents, never with floating point.
    public static func capital(shares: Int, nominalCents: Int64) -> Int64 {
        Int64(shares) * nominalCents
    }
}
