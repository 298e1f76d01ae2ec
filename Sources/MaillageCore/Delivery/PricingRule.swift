import Foundation

/// How a number is compared in a condition. Typed, so a rule is built with a form and can be
/// read back in words: nothing to inject, everything explainable.
public enum Comparison: String, Sendable, Hashable, Codable, CaseIterable {
    case below = "lt", atMost = "le", atLeast = "ge", above = "gt"

    public func holds(_ value: Double, _ limit: Double) -> Bool {
        switch self {
        case .below: value < limit
        case .atMost: value <= limit
        case .atLeast: value >= limit
        case .above: value > limit
        }
    }

    public var symbol: String {
        switch self {
        case .below: "<"
        case .atMost: "≤"
        case .atLeast: "≥"
        case .above: ">"
        }
    }
}

/// One condition of a pricing rule. All of a rule's conditions must hold for it to apply.
public enum PriceCondition: Sendable, Hashable, Codable {
    case distanceKm(Comparison, Double)
    case weightKg(Comparison, Double)
    case packageCount(Comparison, Int)
    case volumeUnits(Comparison, Int)
    case pickupInZone(String)
    case dropoffInZone(String)
    /// The first pickup's window opens between these local minutes of the day, [from, to).
    case timeSlot(fromMinute: Int, toMinute: Int)
    /// Hours between the order and the pickup.
    case leadTimeHours(Comparison, Double)
    case vehicle(DeliveryVehicle)
    /// Only for rules applied per task: the kind of stop.
    case taskKind(DeliveryTaskKind)

    /// Does it hold for the delivery as a whole?
    public func holds(for delivery: DeliveryFacts) -> Bool {
        switch self {
        case let .distanceKm(op, limit): op.holds(delivery.distanceKm, limit)
        case let .weightKg(op, limit): op.holds(Double(delivery.weightGrams) / 1000, limit)
        case let .packageCount(op, limit): op.holds(Double(delivery.packageCount), Double(limit))
        case let .volumeUnits(op, limit): op.holds(Double(delivery.volumeUnits), Double(limit))
        case let .pickupInZone(zone): delivery.everyPickupIn(zone)
        case let .dropoffInZone(zone): delivery.everyDropoffIn(zone)
        case let .timeSlot(from, to): delivery.pickupMinuteOfDay.map { $0 >= from && $0 < to } ?? false
        case let .leadTimeHours(op, limit): delivery.leadTimeHours.map { op.holds($0, limit) } ?? false
        case let .vehicle(vehicle): delivery.vehicle == vehicle
        case .taskKind: true
        }
    }

    /// Does it hold for one stop? Load and zone conditions read the stop; the others the delivery.
    public func holds(for task: TaskFacts, of delivery: DeliveryFacts) -> Bool {
        switch self {
        case let .weightKg(op, limit): op.holds(Double(task.weightGrams) / 1000, limit)
        case let .packageCount(op, limit): op.holds(Double(task.packageCount), Double(limit))
        case let .volumeUnits(op, limit): op.holds(Double(task.volumeUnits), Double(limit))
        case let .pickupInZone(zone): task.kind == .pickup && task.zones.contains(zone)
        case let .dropoffInZone(zone): task.kind == .dropoff && task.zones.contains(zone)
        case let .taskKind(kind): task.kind == kind
        default: holds(for: delivery)
        }
    }

    /// The condition in words, for the public price page.
    public func words(_ language: Language) -> String {
        let fr = language == .fr
        func number(_ value: Double) -> String {
            let text = value == value.rounded() ? String(Int(value)) : String(value)
            return fr ? text.replacingOccurrences(of: ".", with: ",") : text
        }
        func clock(_ minute: Int) -> String { "\(minute / 60)h\(minute % 60 < 10 ? "0" : "")\(minute % 60)" }
        switch self {
        case let .distanceKm(op, limit): return (fr ? "distance " : "distance ") + "\(op.symbol) \(number(limit)) km"
        case let .weightKg(op, limit): return (fr ? "poids " : "weight ") + "\(op.symbol) \(number(limit)) kg"
        case let .packageCount(op, limit): return (fr ? "colis " : "parcels ") + "\(op.symbol) \(limit)"
        case let .volumeUnits(op, limit): return (fr ? "volume " : "volume ") + "\(op.symbol) \(limit) u."
        case let .pickupInZone(zone): return fr ? "retrait dans la zone « \(zone) »" : "pickup in zone “\(zone)”"
        case let .dropoffInZone(zone): return fr ? "livraison dans la zone « \(zone) »" : "dropoff in zone “\(zone)”"
        case let .timeSlot(from, to): return fr ? "retrait entre \(clock(from)) et \(clock(to))" : "pickup between \(clock(from)) and \(clock(to))"
        case let .leadTimeHours(op, limit): return (fr ? "commandée " : "ordered ") + "\(op.symbol) \(number(limit)) h" + (fr ? " avant" : " ahead")
        case let .vehicle(vehicle): return vehicle.words(language)
        case let .taskKind(kind): return kind == .pickup ? (fr ? "par retrait" : "per pickup") : (fr ? "par point de livraison" : "per dropoff")
        }
    }

    /// Rejects conditions that can never be meant (a negative distance, a slot past midnight).
    public func validate() throws(DomainError) {
        switch self {
        case let .distanceKm(_, v), let .weightKg(_, v), let .leadTimeHours(_, v):
            guard v.isFinite, v >= 0, v <= 100_000 else { throw .conditionValue }
        case let .packageCount(_, v), let .volumeUnits(_, v):
            guard v >= 0, v <= 100_000 else { throw .conditionValue }
        case let .timeSlot(from, to):
            guard (0...1440).contains(from), (0...1440).contains(to), from < to else { throw .conditionTimeSlot }
        case let .pickupInZone(zone), let .dropoffInZone(zone):
            guard !zone.isEmpty, zone.count <= 80 else { throw .conditionValue }
        case .vehicle, .taskKind: break
        }
    }
}

/// Whether a rule prices the delivery once, or each stop that meets it.
public enum PricingTarget: String, Sendable, Hashable, Codable, CaseIterable {
    case delivery, task
}

/// One line of the price grid: when its conditions hold, a fixed amount plus so much per started km.
public struct PricingRule: Sendable, Hashable, Codable {
    public var label: String
    public var target: PricingTarget
    public var conditions: [PriceCondition]
    public var baseCents: Int64
    /// Per started kilometre of the whole delivery (a 3.2 km ride counts 4).
    public var perKmCents: Int64

    public init(label: String, target: PricingTarget = .delivery, conditions: [PriceCondition] = [], baseCents: Int64, perKmCents: Int64 = 0) {
        self.label = label
        self.target = target
        self.conditions = conditions
        self.baseCents = baseCents
        self.perKmCents = perKmCents
    }

    /// What this rule asks of the delivery; nil when it does not apply.
    public func price(_ facts: DeliveryFacts) -> Int64? {
        let kmCents = perKmCents * Int64(max(0, facts.distanceKm).rounded(.up))
        switch target {
        case .delivery:
            return conditions.allSatisfy { $0.holds(for: facts) } ? baseCents + kmCents : nil
        case .task:
            let count = facts.tasks.filter { task in conditions.allSatisfy { $0.holds(for: task, of: facts) } }.count
            return count > 0 ? Int64(count) * (baseCents + kmCents) : nil
        }
    }

    public func validate() throws {
        var problems = ValidationErrors()
        if label.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || label.count > 120 { problems.add(.ruleLabel) }
        if baseCents < 0 || baseCents > 1_000_000 || perKmCents < 0 || perKmCents > 100_000 { problems.add(.ruleAmount) }
        if conditions.count > 10 { problems.add(.conditionValue) }
        for condition in conditions { _ = try problems.collect { try condition.validate() } }
        try problems.throwIfAny()
    }
}
