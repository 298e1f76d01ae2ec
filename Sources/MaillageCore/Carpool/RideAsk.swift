import Foundation

/// Where a request for a seat stands (Mobicoop's "ask"): a first message only, then a request
/// waiting for one side, then its answer; an accepted ride ends cancelled or completed.
public enum AskStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Contact only: someone wrote about the ride without asking for a seat.
    case initiated
    /// A seat is asked (or proposed by the driver) and waits for the other side's answer.
    case pending
    case accepted, declined, cancelled, completed

    public var label: Localized {
        switch self {
        case .initiated: Localized(fr: "Prise de contact", en: "Contact")
        case .pending: Localized(fr: "En attente de réponse", en: "Waiting for an answer")
        case .accepted: Localized(fr: "Acceptée", en: "Accepted")
        case .declined: Localized(fr: "Refusée", en: "Declined")
        case .cancelled: Localized(fr: "Annulée", en: "Cancelled")
        case .completed: Localized(fr: "Effectuée", en: "Completed")
        }
    }

    /// An accepted ask holds its seats; nothing else does.
    public var holdsSeats: Bool { self == .accepted }
    public var isFinal: Bool { [.declined, .cancelled, .completed].contains(self) }
    /// Phone and address are shown to the other side only from here on.
    public var revealsContact: Bool { self == .accepted || self == .completed }
}

/// Which side of a ride a person is on.
public enum RideSide: String, Sendable, Hashable, Codable {
    case driver, passenger

    public var other: RideSide { self == .driver ? .passenger : .driver }
}

public enum AskAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Turns a contact into a request, or makes a new one.
    case ask
    case accept, decline, cancel, complete
}

/// The ask's transitions: who may do what, from which state.
public enum AskRules {
    /// The state after `action` by `side`; `waitingFor` is the side that answers a pending ask.
    /// A cancellation needs a reason (the other person made plans); completing waits for the day.
    public static func next(from status: AskStatus, _ action: AskAction, by side: RideSide, waitingFor: RideSide?,
                            reason: String = "", tripHasStarted: Bool = true) throws(DomainError) -> AskStatus {
        switch (status, action) {
        case (.initiated, .ask):
            return .pending
        case (.pending, .accept), (.pending, .decline):
            guard side == waitingFor else { throw CarpoolErrors.notYourTurn }
            return action == .accept ? .accepted : .declined
        case (.pending, .cancel):
            // The side that asked withdraws its request; the other side declines instead.
            guard side != waitingFor else { throw CarpoolErrors.notYourTurn }
            return .cancelled
        case (.accepted, .cancel):
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw CarpoolErrors.reasonRequired }
            return .cancelled
        case (.accepted, .complete):
            guard tripHasStarted else { throw CarpoolErrors.notYet }
            return .completed
        case (.initiated, .cancel):
            return .cancelled
        default:
            throw CarpoolErrors.wrongState(status)
        }
    }

    /// Which side answers a request made by `asker`.
    public static func waitingFor(askedBy asker: RideSide) -> RideSide { asker.other }
}
