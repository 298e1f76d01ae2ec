import Foundation

/// What pricing and acceptance read of one stop.
public struct TaskFacts: Sendable, Hashable {
    public let kind: DeliveryTaskKind
    public let zones: Set<String>
    public let weightGrams: Int
    public let packageCount: Int
    public let volumeUnits: Int

    public init(kind: DeliveryTaskKind, zones: Set<String>, weightGrams: Int = 0, packageCount: Int = 0, volumeUnits: Int = 0) {
        self.kind = kind
        self.zones = zones
        self.weightGrams = weightGrams
        self.packageCount = packageCount
        self.volumeUnits = volumeUnits
    }
}

/// What pricing and acceptance read of a delivery: measured once, so the price shown, the
/// acceptance and the price stored all come from the same figures.
public struct DeliveryFacts: Sendable, Hashable {
    public var distanceKm: Double
    public var weightGrams: Int
    public var packageCount: Int
    public var volumeUnits: Int
    public var vehicle: DeliveryVehicle
    public var tasks: [TaskFacts]
    /// Local minute of the day the first pickup may start (its window's opening), if it has one.
    public var pickupMinuteOfDay: Int?
    /// Hours between the order and the first pickup's window, if it has one.
    public var leadTimeHours: Double?

    public init(distanceKm: Double, weightGrams: Int = 0, packageCount: Int = 0, volumeUnits: Int = 0, vehicle: DeliveryVehicle = .bike,
                tasks: [TaskFacts] = [], pickupMinuteOfDay: Int? = nil, leadTimeHours: Double? = nil) {
        self.distanceKm = distanceKm
        self.weightGrams = weightGrams
        self.packageCount = packageCount
        self.volumeUnits = volumeUnits
        self.vehicle = vehicle
        self.tasks = tasks
        self.pickupMinuteOfDay = pickupMinuteOfDay
        self.leadTimeHours = leadTimeHours
    }

    /// Measures a delivery: distance through its stops, load, zones of each stop, when it starts.
    public init(_ draft: DeliveryDraft, zones: [DeliveryZone], estimator: any RouteEstimator = StraightLineEstimator.standard,
                orderedAt now: Date, localZone: LocalZone = .paris) {
        let firstWindow = draft.pickups.compactMap(\.after).min() ?? draft.tasks.compactMap(\.after).min()
        self.init(distanceKm: draft.distanceKm(estimator), weightGrams: draft.weightGrams, packageCount: draft.packageCount,
                  volumeUnits: draft.volumeUnits, vehicle: draft.vehicle,
                  tasks: draft.tasks.map { task in
                      TaskFacts(kind: task.kind, zones: DeliveryZone.names(of: zones, containing: task.point), weightGrams: task.totalWeightGrams,
                                packageCount: task.packageCount, volumeUnits: task.volumeUnits)
                  },
                  pickupMinuteOfDay: firstWindow.map { localZone.minuteOfDay(at: $0) },
                  leadTimeHours: firstWindow.map { $0.timeIntervalSince(now) / 3600 })
    }

    func everyPickupIn(_ zone: String) -> Bool { tasks.filter { $0.kind == .pickup }.allSatisfy { $0.zones.contains(zone) } }
    func everyDropoffIn(_ zone: String) -> Bool { tasks.filter { $0.kind == .dropoff }.allSatisfy { $0.zones.contains(zone) } }
}
