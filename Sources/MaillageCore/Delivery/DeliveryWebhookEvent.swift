/// What a store's webhook is told about one of its deliveries. `assigned` (a courier takes it)
/// and `picked` (its parcels collected) come with dispatch; the others follow the status.
public enum DeliveryWebhookEvent: String, Sendable, Hashable, Codable, CaseIterable {
    case assigned = "delivery.assigned"
    case started = "delivery.started"
    case picked = "delivery.picked"
    case completed = "delivery.completed"
    case failed = "delivery.failed"
    case cancelled = "delivery.cancelled"

    /// The event a change of status makes; an order (TODO) makes none: the store just made it.
    public init?(status: DeliveryStatus) {
        switch status {
        case .todo: return nil
        case .doing: self = .started
        case .done: self = .completed
        case .failed: self = .failed
        case .cancelled: self = .cancelled
        }
    }
}
