/// What a store's deliveries must meet for the cooperative to take them, e.g. "under 8 km,
/// dropoffs in Nantes". A refused delivery is told every reason at once.
public struct AcceptanceRule: Sendable, Hashable, Codable {
    public var maximumDistanceKm: Double?
    /// Every pickup must lie in this zone.
    public var pickupZone: String?
    /// Every dropoff must lie in this zone.
    public var dropoffZone: String?
    public var maximumWeightGrams: Int?

    public init(maximumDistanceKm: Double? = nil, pickupZone: String? = nil, dropoffZone: String? = nil, maximumWeightGrams: Int? = nil) {
        self.maximumDistanceKm = maximumDistanceKm
        self.pickupZone = pickupZone
        self.dropoffZone = dropoffZone
        self.maximumWeightGrams = maximumWeightGrams
    }

    public static let anything = AcceptanceRule()

    /// Why the delivery is refused; empty when it is accepted.
    public func refusals(_ facts: DeliveryFacts) -> [DomainError] {
        var reasons: [DomainError] = []
        if let limit = maximumDistanceKm, facts.distanceKm > limit {
            reasons.append(.deliveryTooFar(distanceKm: facts.distanceKm, limitKm: limit))
        }
        if let zone = pickupZone, !facts.everyPickupIn(zone) { reasons.append(.pickupOutsideZone(zone)) }
        if let zone = dropoffZone, !facts.everyDropoffIn(zone) { reasons.append(.dropoffOutsideZone(zone)) }
        if let limit = maximumWeightGrams, facts.weightGrams > limit {
            reasons.append(.deliveryTooHeavy(weightGrams: facts.weightGrams, limitGrams: limit))
        }
        return reasons
    }
}
