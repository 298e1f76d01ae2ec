import Foundation

/// When service can start at a stop: on arrival, or at the window's opening if earlier. The
/// optimiser and the checker both compute times with this one function, in this order of
/// additions, so that what the optimiser holds feasible the checker accepts to the last bit.
@inline(__always) func serviceStart(after previousStart: Double, service: Double, travel: Double, ready: Double) -> Double {
    max(ready, previousStart + service + travel)
}

/// What can be wrong with a plan.
public enum RoutingViolation: Sendable, Hashable {
    case unknownTask(Int)
    case unknownVehicle(Int)
    case vehicleUsedTwice(vehicle: Int)
    case servedTwice(task: Int)
    case missing(task: Int)
    case late(task: Int, by: Double)
    case backLate(vehicle: Int, by: Double)
    case overCapacity(vehicle: Int, afterTask: Int?)
    case pairSplit(pickup: Int)
    case pairOutOfOrder(pickup: Int)
    case wrongVehicle(task: Int)
    case startedTasksMoved(vehicle: Int)
}

/// Checks a plan against every rule, with exact (unrounded) times: capacity in both dimensions at
/// every point of a route, each service starting inside its window (after travel, waiting and the
/// previous service), each task once, pairs on one route with the pickup first, each vehicle back
/// by the end of its shift, started tasks kept first and in order.
public enum RoutingChecker {
    /// `routes` may name breaks as tasks `problem.tasks.count…` (the vehicles' breaks in order).
    /// With `allServed`, a task neither routed nor in `unserved` is missing; breaks always count.
    public static func violations(of routes: [PlannedRoute], unserved: [Int] = [], in problem: RoutingProblem) -> [RoutingViolation] {
        let full = problem.withBreaksAsTasks(), tasks = full.tasks, m = full.matrix
        var found: [RoutingViolation] = []
        var routeOf = [Int](repeating: -1, count: tasks.count), positionOf = routeOf
        var vehicleSeen = Set<Int>()
        for (r, route) in routes.enumerated() {
            guard route.vehicle >= 0, route.vehicle < full.vehicles.count else { found.append(.unknownVehicle(route.vehicle)); continue }
            if !vehicleSeen.insert(route.vehicle).inserted { found.append(.vehicleUsedTwice(vehicle: route.vehicle)) }
            for (p, t) in route.tasks.enumerated() {
                guard t >= 0, t < tasks.count else { found.append(.unknownTask(t)); continue }
                if routeOf[t] >= 0 { found.append(.servedTwice(task: t)); continue }
                routeOf[t] = r
                positionOf[t] = p
            }
        }
        for t in unserved where t >= 0 && t < problem.tasks.count {
            if routeOf[t] >= 0 { found.append(.servedTwice(task: t)) } else { routeOf[t] = -2 }
        }
        for t in tasks.indices where routeOf[t] == -1 { found.append(.missing(task: t)) }
        for (t, task) in tasks.enumerated() where routeOf[t] >= 0 {
            if let v = task.vehicle, routes[routeOf[t]].vehicle != v { found.append(.wrongVehicle(task: t)) }
            if case .pickup(let d) = task.kind {
                if d < 0 || d >= tasks.count || routeOf[d] != routeOf[t] { found.append(.pairSplit(pickup: t)) }
                else if positionOf[d] < positionOf[t] { found.append(.pairOutOfOrder(pickup: t)) }
            } else if case .dropoff(let p) = task.kind, p < 0 || p >= tasks.count || routeOf[p] != routeOf[t] {
                found.append(.pairSplit(pickup: p))
            }
        }
        for route in routes where route.vehicle >= 0 && route.vehicle < full.vehicles.count {
            let vehicle = full.vehicles[route.vehicle]
            let valid = route.tasks.filter { $0 >= 0 && $0 < tasks.count }
            if Array(valid.prefix(vehicle.startedTasks.count)) != vehicle.startedTasks { found.append(.startedTasksMoved(vehicle: route.vehicle)) }
            guard !valid.isEmpty else { continue }
            var load = RoutingLoad.zero
            for t in valid where tasks[t].kind == .delivery {
                load.weight += tasks[t].load.weight
                load.volume += tasks[t].load.volume
            }
            if !load.fits(in: vehicle.capacity) { found.append(.overCapacity(vehicle: route.vehicle, afterTask: nil)) }
            var place = vehicle.startPlace, time = vehicle.shiftStart, service = 0.0
            for t in valid {
                let task = tasks[t]
                time = serviceStart(after: time, service: service, travel: m.time(place, task.place) * vehicle.timeFactor, ready: task.ready)
                if time > task.due { found.append(.late(task: t, by: time - task.due)) }
                place = task.place
                service = task.service
                let sign: Double
                switch task.kind {
                case .delivery, .dropoff: sign = -1
                case .collection, .pickup: sign = 1
                }
                load.weight += sign * task.load.weight
                load.volume += sign * task.load.volume
                if !load.fits(in: vehicle.capacity) { found.append(.overCapacity(vehicle: route.vehicle, afterTask: t)) }
            }
            let back = time + service + m.time(place, vehicle.endPlace) * vehicle.timeFactor
            if back > vehicle.shiftEnd { found.append(.backLate(vehicle: route.vehicle, by: back - vehicle.shiftEnd)) }
        }
        return found
    }

    /// The distance driven by a plan, each leg as the matrix gives it.
    public static func distance(of routes: [PlannedRoute], in problem: RoutingProblem) -> Double {
        let full = problem.withBreaksAsTasks()
        var total = 0.0
        for route in routes where !route.tasks.isEmpty {
            let vehicle = full.vehicles[route.vehicle]
            var place = vehicle.startPlace
            for t in route.tasks {
                total += full.matrix.distance(place, full.tasks[t].place)
                place = full.tasks[t].place
            }
            total += full.matrix.distance(place, vehicle.endPlace)
        }
        return total
    }
}
