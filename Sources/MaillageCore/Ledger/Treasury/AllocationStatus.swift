/// Where the allocation of a year's result stands, decided from the stored allocation and the
/// phase and outcome of its vote, so the transparency page, the treasury page and the vote can
/// never tell different stories (a vote scheduled while a page says nothing was proposed).
public enum AllocationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nothing proposed for this year.
    case none
    /// Proposed; its vote is set but not open yet.
    case scheduled
    /// Its vote is open.
    case voting
    /// Its vote has closed and is being counted.
    case counting
    /// Adopted by the members, not booked yet.
    case adopted
    /// Adopted and booked.
    case booked
    case rejected
    /// Its vote was cancelled by the board: another may be proposed.
    case cancelled

    /// `stored` is the allocation row's status (voting, booked, rejected, cancelled) or nil when
    /// there is none; `vote` the phase of its vote; `adopted` the vote's outcome once counted.
    public static func decide(stored: String?, vote: ProposalPhase?, adopted: Bool?) -> AllocationStatus {
        switch stored {
        case nil: return .none
        case "booked": return .booked
        case "rejected": return .rejected
        case "cancelled": return .cancelled
        default: break
        }
        switch vote {
        case .proposed?, .scheduled?: return .scheduled
        case .open?, nil: return .voting
        case .cancelled?: return .cancelled
        case .closed?:
            guard let adopted else { return .counting }
            return adopted ? .adopted : .rejected
        }
    }

    public var sentence: Localized {
        switch self {
        case .none: Localized(fr: "Aucune affectation n’a encore été proposée pour cet exercice.", en: "No allocation has been proposed for this year yet.")
        case .scheduled: Localized(fr: "Une affectation de ce résultat est proposée ; le vote des sociétaires (majorité des deux tiers) est programmé.",
                                   en: "An allocation of this result is proposed; the members’ vote (two-thirds majority) is scheduled.")
        case .voting: Localized(fr: "L’affectation de ce résultat est au vote des sociétaires (majorité des deux tiers).",
                                en: "The allocation of this result is being voted on by members (two-thirds majority).")
        case .counting: Localized(fr: "Le vote sur l’affectation de ce résultat est clos ; le dépouillement est en cours.",
                                  en: "The vote on the allocation of this result has closed; it is being counted.")
        case .adopted: Localized(fr: "L’affectation de ce résultat a été adoptée par les sociétaires ; elle sera comptabilisée sous peu.",
                                 en: "The allocation of this result was adopted by members; it will be booked shortly.")
        case .booked: Localized(fr: "L’affectation de ce résultat a été adoptée par les sociétaires et comptabilisée.",
                                en: "The allocation of this result was adopted by members and booked.")
        case .rejected: Localized(fr: "La proposition d’affectation a été rejetée ; une nouvelle sera soumise.",
                                  en: "The proposed allocation was rejected; a new one will be put forward.")
        case .cancelled: Localized(fr: "Le vote sur l’affectation a été annulé par le conseil ; une nouvelle proposition sera soumise.",
                                   en: "The vote on the allocation was cancelled by the board; a new proposal will be put forward.")
        }
    }

    /// A few words for a list ("au vote", "programmée"…).
    public var label: Localized {
        switch self {
        case .none: Localized(fr: "non proposée", en: "not proposed")
        case .scheduled: Localized(fr: "vote programmé", en: "vote scheduled")
        case .voting: Localized(fr: "au vote", en: "being voted")
        case .counting: Localized(fr: "dépouillement en cours", en: "being counted")
        case .adopted: Localized(fr: "adoptée, comptabilisation en cours", en: "adopted, being booked")
        case .booked: Localized(fr: "adoptée et comptabilisée", en: "adopted and booked")
        case .rejected: Localized(fr: "rejetée", en: "rejected")
        case .cancelled: Localized(fr: "vote annulé", en: "vote cancelled")
        }
    }
}
