/// Where a delivery stands. TODO → DOING → DONE | FAILED; CANCELLED until it is done or failed.
public enum DeliveryStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case todo, doing, done, failed, cancelled

    public var isFinal: Bool { self == .done || self == .failed || self == .cancelled }

    /// The statuses a delivery may move to this one from: the `WHERE status IN (…)` of the
    /// conditional update, so two racing changes leave one event and one final status.
    public var reachableFrom: [DeliveryStatus] {
        switch self {
        case .todo: []
        case .doing: [.todo]
        case .done, .failed: [.doing]
        case .cancelled: [.todo, .doing]
        }
    }

    public func canMove(to next: DeliveryStatus) -> Bool { next.reachableFrom.contains(self) }

    /// Checks a change before it is tried; a failure must name one of the cooperative's reasons.
    public func move(to next: DeliveryStatus, failureReason: String? = nil, knownReasons: [String] = []) throws -> DeliveryStatus {
        guard canMove(to: next) else { throw DomainError.deliveryCannotMove(from: self, to: next) }
        if next == .failed {
            guard let reason = failureReason, knownReasons.contains(reason) else { throw DomainError.failureReasonUnknown }
        }
        return next
    }

    public var words: Localized {
        switch self {
        case .todo: Localized(fr: "à faire", en: "to do")
        case .doing: Localized(fr: "en cours", en: "under way")
        case .done: Localized(fr: "livrée", en: "delivered")
        case .failed: Localized(fr: "échouée", en: "failed")
        case .cancelled: Localized(fr: "annulée", en: "cancelled")
        }
    }
}
