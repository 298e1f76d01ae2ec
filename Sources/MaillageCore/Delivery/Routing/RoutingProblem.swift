import Foundation

/// What a vehicle carries, in two dimensions (a courier's bag is full by weight or by volume).
public struct RoutingLoad: Sendable, Hashable {
    public var weight: Double
    public var volume: Double

    public init(weight: Double = 0, volume: Double = 0) {
        self.weight = weight
        self.volume = volume
    }

    public static let zero = RoutingLoad()
    public static let unlimited = RoutingLoad(weight: .infinity, volume: .infinity)

    public func fits(in capacity: RoutingLoad) -> Bool { weight <= capacity.weight && volume <= capacity.volume }
}

/// Travel between places: distances and times, row-major (`from * count + to`), one flat array each
/// so the optimiser's inner loop reads contiguous memory.
public struct RoutingMatrix: Sendable {
    public let count: Int
    public let distance: [Double]
    public let time: [Double]

    /// Nil when an array is not `count × count` or holds a negative or non-finite number.
    public init?(count: Int, distance: [Double], time: [Double]) {
        guard count > 0, distance.count == count * count, time.count == count * count,
              distance.allSatisfy({ $0.isFinite && $0 >= 0 }), time.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
        self.count = count
        self.distance = distance
        self.time = time
    }

    /// Euclidean distances between points in a plane, travel time = distance (the benchmarks' convention).
    public static func euclidean(_ points: [(x: Double, y: Double)]) -> RoutingMatrix {
        let n = points.count
        var d = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where i != j {
                let dx = points[i].x - points[j].x, dy = points[i].y - points[j].y
                d[i * n + j] = (dx * dx + dy * dy).squareRoot()
            }
        }
        return RoutingMatrix(count: n, distance: d, time: d)!
    }

    /// Road distances (metres) and driving times (seconds) between places, from the same estimator
    /// as the rest of the platform (straight line × circuity by default, a routing engine if plugged in).
    public static func estimated(_ places: [GeoPoint], by estimator: any RouteEstimator = StraightLineEstimator.standard) -> RoutingMatrix {
        let n = places.count
        var d = [Double](repeating: 0, count: n * n), t = d
        for i in 0..<n {
            for j in 0..<n where i != j {
                let e = estimator.estimate(from: places[i], to: places[j])
                d[i * n + j] = e.distanceKm * 1000
                t[i * n + j] = e.minutes * 60
            }
        }
        return RoutingMatrix(count: max(n, 1), distance: n == 0 ? [0] : d, time: n == 0 ? [0] : t)!
    }

    @inline(__always) public func distance(_ from: Int, _ to: Int) -> Double { distance[from * count + to] }
    @inline(__always) public func time(_ from: Int, _ to: Int) -> Double { time[from * count + to] }
}

/// A pause in a courier's shift: taken at a place, starting inside a window, lasting a while.
public struct RoutingBreak: Sendable, Hashable {
    public var place: Int
    public var earliest: Double
    public var latest: Double
    public var duration: Double

    public init(place: Int, earliest: Double, latest: Double, duration: Double) {
        self.place = place
        self.earliest = earliest
        self.latest = latest
        self.duration = duration
    }
}

/// A courier and their vehicle for the day.
public struct RoutingVehicle: Sendable, Hashable {
    public var startPlace: Int
    public var endPlace: Int
    public var shiftStart: Double
    public var shiftEnd: Double
    public var capacity: RoutingLoad
    /// Travel time multiplier against the matrix (a cargo bike at 0.8 of the matrix's speed has 1.25).
    public var timeFactor: Double
    public var breaks: [RoutingBreak]
    /// Tasks already under way, in order, kept as the route's fixed beginning.
    public var startedTasks: [Int]

    public init(startPlace: Int, endPlace: Int? = nil, shiftStart: Double = 0, shiftEnd: Double = .infinity,
                capacity: RoutingLoad = .unlimited, timeFactor: Double = 1, breaks: [RoutingBreak] = [], startedTasks: [Int] = []) {
        self.startPlace = startPlace
        self.endPlace = endPlace ?? startPlace
        self.shiftStart = shiftStart
        self.shiftEnd = shiftEnd
        self.capacity = capacity
        self.timeFactor = timeFactor > 0 && timeFactor.isFinite ? timeFactor : 1
        self.breaks = breaks
        self.startedTasks = startedTasks
    }
}

/// What a task does with its load.
public enum RoutingTaskKind: Sendable, Hashable {
    /// Loaded at the vehicle's start, dropped here.
    case delivery
    /// Collected here, brought back to the vehicle's end.
    case collection
    /// Collected here, dropped at the paired task (same vehicle, later in the route).
    case pickup(delivery: Int)
    /// Dropped here, collected at the paired task.
    case dropoff(pickup: Int)
}

/// A stop: a place, a window in which service starts, how long it takes, what it carries.
public struct RoutingTask: Sendable, Hashable {
    public var place: Int
    public var ready: Double
    public var due: Double
    public var service: Double
    public var load: RoutingLoad
    public var kind: RoutingTaskKind
    /// Only this vehicle may serve it (a break, or a customer's chosen courier).
    public var vehicle: Int?

    public init(place: Int, ready: Double = 0, due: Double = .infinity, service: Double = 0, load: RoutingLoad = .zero,
                kind: RoutingTaskKind = .delivery, vehicle: Int? = nil) {
        self.place = place
        self.ready = ready
        self.due = due
        self.service = service
        self.load = load
        self.kind = kind
        self.vehicle = vehicle
    }

    public var sibling: Int? {
        switch kind {
        case .pickup(let d): d
        case .dropoff(let p): p
        default: nil
        }
    }
}

/// What "a better plan" means.
public enum RoutingObjective: Sendable, Hashable {
    /// Fewest vehicles, then least distance.
    case fewestVehicles
    case leastDistance
    /// Least total shift time used (from each shift's start to the return).
    case leastTime
}

public struct RoutingProblem: Sendable {
    public var matrix: RoutingMatrix
    public var vehicles: [RoutingVehicle]
    public var tasks: [RoutingTask]
    public var objective: RoutingObjective
    /// Weight of the spread between the longest and the shortest route duration (0: no fairness term).
    public var fairnessWeight: Double

    public init(matrix: RoutingMatrix, vehicles: [RoutingVehicle], tasks: [RoutingTask],
                objective: RoutingObjective = .leastDistance, fairnessWeight: Double = 0) {
        self.matrix = matrix
        self.vehicles = vehicles
        self.tasks = tasks
        self.objective = objective
        self.fairnessWeight = fairnessWeight
    }

    /// The tasks with each vehicle's breaks appended as tasks bound to it (what the optimiser
    /// and the checker both work on), and for each appended break its vehicle.
    func withBreaksAsTasks() -> RoutingProblem {
        var copy = self
        for (v, vehicle) in vehicles.enumerated() {
            for b in vehicle.breaks {
                copy.tasks.append(RoutingTask(place: b.place, ready: b.earliest, due: b.latest, service: b.duration, vehicle: v))
            }
        }
        return copy
    }
}

/// One vehicle's route: the tasks in order (started tasks first).
public struct PlannedRoute: Sendable, Hashable {
    public var vehicle: Int
    public var tasks: [Int]

    public init(vehicle: Int, tasks: [Int]) {
        self.vehicle = vehicle
        self.tasks = tasks
    }
}

/// Why a task is left out of the plan.
public enum UnservedReason: Sendable, Hashable {
    case tooHeavyForEveryVehicle
    case windowUnreachable
    case pairInconsistent
    case noRoomLeft
}

public struct UnservedTask: Sendable, Hashable {
    public var task: Int
    public var reason: UnservedReason

    public init(task: Int, reason: UnservedReason) {
        self.task = task
        self.reason = reason
    }
}

public struct RoutingPlan: Sendable {
    public var routes: [PlannedRoute]
    public var unserved: [UnservedTask]
    public var distance: Double
    public var cost: Double
    public var iterations: Int

    public var vehicleCount: Int { routes.count(where: { !$0.tasks.isEmpty }) }
}
