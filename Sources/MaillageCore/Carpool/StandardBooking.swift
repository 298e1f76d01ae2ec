import Foundation

/// A booking's status in the "standard covoiturage" operator API, and how it reads our asks.
/// The standard's earlier versions split the wait by side; both words still read as the wait.
public enum StandardBookingStatus: String, Sendable, Hashable, CaseIterable {
    case waitingConfirmation = "WAITING_CONFIRMATION"
    case confirmed = "CONFIRMED"
    case cancelled = "CANCELLED"
    case completedPendingValidation = "COMPLETED_PENDING_VALIDATION"
    case validated = "VALIDATED"

    public init?(standard text: String) {
        switch text {
        case "WAITING_DRIVER_CONFIRMATION", "WAITING_PASSENGER_CONFIRMATION": self = .waitingConfirmation
        default: self.init(rawValue: text)
        }
    }

    /// How one of our asks reads as a booking; a contact only ("initiated") is not a booking.
    public static func of(_ ask: AskStatus, validatedByBoth: Bool = false) -> StandardBookingStatus? {
        switch ask {
        case .initiated: nil
        case .pending: .waitingConfirmation
        case .accepted: .confirmed
        case .declined, .cancelled: .cancelled
        case .completed: validatedByBoth ? .validated : .completedPendingValidation
        }
    }

    /// The ask state the booking stands for (a cancelled booking reads as cancelled, not declined).
    public var askStatus: AskStatus {
        switch self {
        case .waitingConfirmation: .pending
        case .confirmed: .accepted
        case .cancelled: .cancelled
        case .completedPendingValidation, .validated: .completed
        }
    }

    /// A confirmed booking, and what follows it, keeps its seat, as an accepted then completed ask does.
    public var holdsSeat: Bool { [.confirmed, .completedPendingValidation, .validated].contains(self) }

    /// Its place in the booking's life; a cancellation ends it from any open step.
    var rank: Int {
        switch self {
        case .waitingConfirmation: 0
        case .confirmed: 1
        case .completedPendingValidation: 2
        case .validated: 3
        case .cancelled: 4
        }
    }
}

/// The standard's transitions: a later status is accepted; the same or an earlier one is a
/// conflict (the partner's view is behind ours); once cancelled, or once the ride happened, no
/// cancellation.
public enum StandardBookingRules {
    public static let alreadySet = DomainError(.conflict, code: "status_already_set",
        fr: "La réservation a déjà ce statut ou un statut ultérieur.", en: "The booking already has this status or a later one.")
    public static let unknownStatus = DomainError(.invalid, code: "unknown_status", field: "status",
        fr: "Statut de réservation inconnu.", en: "Unknown booking status.")
    public static let openingStatus = DomainError(.invalid, code: "opening_status", field: "status",
        fr: "Une réservation commence en attente de confirmation ou confirmée.",
        en: "A booking starts waiting for confirmation or confirmed.")

    public static func status(_ text: String?) throws(DomainError) -> StandardBookingStatus {
        guard let text, let status = StandardBookingStatus(standard: text) else { throw unknownStatus }
        return status
    }

    public static func check(from current: StandardBookingStatus, to next: StandardBookingStatus) throws(DomainError) {
        switch (current, next) {
        case (.cancelled, _): throw alreadySet
        case (.completedPendingValidation, .cancelled), (.validated, .cancelled): throw alreadySet
        default: guard next.rank > current.rank else { throw alreadySet }
        }
    }

    /// What a partner may create: a request, or a booking already confirmed on its side.
    public static func checkOpening(_ status: StandardBookingStatus) throws(DomainError) {
        guard status == .waitingConfirmation || status == .confirmed else { throw openingStatus }
    }

    /// After the ride, the standard's VALIDATED means both sides said it happened: the partner for
    /// its passenger, the driver here. One side alone leaves it completed, pending validation.
    public static func afterRide(driverConfirmed: Bool, passengerConfirmed: Bool) -> StandardBookingStatus {
        driverConfirmed && passengerConfirmed ? .validated : .completedPendingValidation
    }

    /// The driver says the ride happened: a confirmed (or completed) booking, once its pickup time passed.
    public static func checkDriverCompletion(_ current: StandardBookingStatus, alreadyConfirmed: Bool, pickupPassed: Bool) throws(DomainError) {
        guard current == .confirmed || current == .completedPendingValidation, !alreadyConfirmed else { throw alreadySet }
        guard pickupPassed else { throw CarpoolErrors.notYet }
    }
}
