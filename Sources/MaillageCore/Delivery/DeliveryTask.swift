import Foundation

/// What a courier does at a stop: collect the parcels, or hand them over.
public enum DeliveryTaskKind: String, Sendable, Hashable, Codable, CaseIterable {
    case pickup, dropoff
}

/// What carries the parcels. A cargo bike takes what a bike cannot, and is priced as such.
public enum DeliveryVehicle: String, Sendable, Hashable, Codable, CaseIterable {
    case bike
    case cargoBike = "cargo_bike"

    public var words: Localized {
        switch self {
        case .bike: Localized(fr: "vélo", en: "bike")
        case .cargoBike: Localized(fr: "vélo cargo", en: "cargo bike")
        }
    }
}

/// A kind of parcel the cooperative carries ("caisse de légumes", "sac isotherme"): how much of a
/// bike's box it takes (volume units) and how heavy it is, so a delivery's load is known before it rides.
public struct PackageType: Sendable, Hashable, Codable {
    public let name: String
    public let volumeUnits: Int
    public let weightGrams: Int

    public init(name: String, volumeUnits: Int, weightGrams: Int) {
        self.name = name
        self.volumeUnits = volumeUnits
        self.weightGrams = weightGrams
    }
}

/// So many parcels of one type at a stop.
public struct PackageLine: Sendable, Hashable, Codable {
    public let type: PackageType
    public let quantity: Int

    public init(type: PackageType, quantity: Int) {
        self.type = type
        self.quantity = quantity
    }
}

/// One stop of a delivery, as the store describes it.
public struct DeliveryTaskDraft: Sendable, Hashable {
    public var kind: DeliveryTaskKind
    public var address: String
    public var point: GeoPoint
    public var contactName: String
    public var phone: String
    /// The window in which the courier may come: not before `after`, not after `before`.
    public var after: Date?
    public var before: Date?
    public var comments: String
    public var packages: [PackageLine]
    /// Weight stated by the store; when nil the packages' types give it.
    public var weightGrams: Int?
    /// Left at the door when nobody answers.
    public var doorstep: Bool
    public var tags: [String]
    public var reference: String

    public init(kind: DeliveryTaskKind, address: String, point: GeoPoint, contactName: String = "", phone: String = "",
                after: Date? = nil, before: Date? = nil, comments: String = "", packages: [PackageLine] = [],
                weightGrams: Int? = nil, doorstep: Bool = false, tags: [String] = [], reference: String = "") {
        self.kind = kind
        self.address = address
        self.point = point
        self.contactName = contactName
        self.phone = phone
        self.after = after
        self.before = before
        self.comments = comments
        self.packages = packages
        self.weightGrams = weightGrams
        self.doorstep = doorstep
        self.tags = tags
        self.reference = reference
    }

    public var packageCount: Int { packages.reduce(0) { $0 + $1.quantity } }
    public var volumeUnits: Int { packages.reduce(0) { $0 + $1.quantity * $1.type.volumeUnits } }
    public var totalWeightGrams: Int { weightGrams ?? packages.reduce(0) { $0 + $1.quantity * $1.type.weightGrams } }
}

/// A delivery as a store asks for it: one pickup and one or more dropoffs (multi-drop), or
/// several pickups to one dropoff; the stops in the order they are ridden.
public struct DeliveryDraft: Sendable, Hashable {
    public var tasks: [DeliveryTaskDraft]
    public var vehicle: DeliveryVehicle

    public init(tasks: [DeliveryTaskDraft], vehicle: DeliveryVehicle = .bike) {
        self.tasks = tasks
        self.vehicle = vehicle
    }

    public var pickups: [DeliveryTaskDraft] { tasks.filter { $0.kind == .pickup } }
    public var dropoffs: [DeliveryTaskDraft] { tasks.filter { $0.kind == .dropoff } }

    /// The load is what is handed over: the dropoffs' parcels, or the pickups' when the dropoffs name none.
    private var loadTasks: [DeliveryTaskDraft] {
        let drops = dropoffs
        return drops.contains { !$0.packages.isEmpty || $0.weightGrams != nil } ? drops : pickups
    }
    public var packageCount: Int { loadTasks.reduce(0) { $0 + $1.packageCount } }
    public var volumeUnits: Int { loadTasks.reduce(0) { $0 + $1.volumeUnits } }
    public var weightGrams: Int { loadTasks.reduce(0) { $0 + $1.totalWeightGrams } }

    /// The riding distance through the stops in order.
    public func distanceKm(_ estimator: any RouteEstimator) -> Double {
        estimator.estimate(through: tasks.map(\.point)).distanceKm
    }

    /// Checks the shape of the delivery and each stop; every problem at once.
    public func validate() throws {
        var problems = ValidationErrors()
        let pickupCount = pickups.count, dropoffCount = dropoffs.count
        if pickupCount == 0 { problems.add(.deliveryNeedsPickup) }
        if dropoffCount == 0 { problems.add(.deliveryNeedsDropoff) }
        if pickupCount > 1 && dropoffCount > 1 { problems.add(.deliveryManyToMany) }
        if tasks.count > Self.maximumTasks { problems.add(.deliveryTooManyTasks(Self.maximumTasks)) }
        // Order constraint: every pickup is ridden before any dropoff, so a dropoff always follows its parcels.
        if let lastPickup = tasks.lastIndex(where: { $0.kind == .pickup }),
           let firstDropoff = tasks.firstIndex(where: { $0.kind == .dropoff }), firstDropoff < lastPickup {
            problems.add(.dropoffBeforePickup)
        }
        for (index, task) in tasks.enumerated() {
            let field = "tasks[\(index)]"
            if task.address.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.add(.taskAddressMissing(field: "\(field).address")) }
            if task.address.count > 300 || task.comments.count > 1000 || task.contactName.count > 120 || task.phone.count > 40
                || task.reference.count > 120 || task.tags.count > 20 || task.tags.contains(where: { $0.count > 40 }) {
                problems.add(.taskTextTooLong(field: field))
            }
            if let after = task.after, let before = task.before, before <= after { problems.add(.taskWindowReversed(field: "\(field).before")) }
            if task.packages.contains(where: { $0.quantity < 1 || $0.quantity > 999 }) { problems.add(.packageQuantity(field: "\(field).packages")) }
            if let weight = task.weightGrams, weight < 0 || weight > 1_000_000 { problems.add(.taskWeight(field: "\(field).weight")) }
        }
        // A dropoff cannot have to be over before the parcels can even be collected.
        let earliestPickup = pickups.compactMap(\.after).max()
        for (index, task) in tasks.enumerated() where task.kind == .dropoff {
            if let earliestPickup, let before = task.before, before <= earliestPickup {
                problems.add(.dropoffWindowBeforePickup(field: "tasks[\(index)].before"))
            }
        }
        try problems.throwIfAny()
    }

    /// More stops than a round holds is a second delivery.
    public static let maximumTasks = 20
}
