import Foundation

/// The optimiser's flat view of a problem: one array per attribute, indexed by task or vehicle.
struct RoutingEngine {
    let taskCount: Int
    let placeCount: Int
    let distance: [Double]
    let time: [Double]
    let arc: [Double]
    let place: [Int]
    let ready: [Double]
    let due: [Double]
    let service: [Double]
    let weight: [Double]
    let volume: [Double]
    /// 0 delivery, 1 collection, 2 pickup, 3 dropoff.
    let kind: [UInt8]
    let sibling: [Int]
    let boundVehicle: [Int]
    let isStarted: [Bool]
    let vehicleStart: [Int]
    let vehicleEnd: [Int]
    let shiftStart: [Double]
    let shiftEnd: [Double]
    let capacityW: [Double]
    let capacityV: [Double]
    let timeFactor: [Double]
    let startedCount: [Int]
    /// Vehicles that are interchangeable when their routes are empty share a class: only the
    /// first empty route of a class is tried for an insertion.
    let vehicleClass: [Int]
    let vehicleCost: Double
    let objective: RoutingObjective
    let fairnessWeight: Double
    let leastTime: Bool
    /// Per task, the other tasks by increasing distance (the removal's neighbourhood).
    let neighbours: [[Int]]
    /// Typical distance between two tasks: the annealing temperature's scale.
    let scale: Double

    init(_ problem: RoutingProblem) {
        let m = problem.matrix, tasks = problem.tasks, vehicles = problem.vehicles
        taskCount = tasks.count
        placeCount = m.count
        distance = m.distance
        time = m.time
        leastTime = problem.objective == .leastTime
        let arcs = problem.objective == .leastTime ? m.time : m.distance
        arc = arcs
        place = tasks.map(\.place)
        ready = tasks.map(\.ready)
        due = tasks.map(\.due)
        service = tasks.map(\.service)
        weight = tasks.map(\.load.weight)
        volume = tasks.map(\.load.volume)
        kind = tasks.map {
            switch $0.kind {
            case .delivery: 0
            case .collection: 1
            case .pickup: 2
            case .dropoff: 3
            }
        }
        let siblings = tasks.map { $0.sibling ?? -1 }
        sibling = siblings
        var bound = tasks.map { $0.vehicle ?? -1 }
        var started = [Bool](repeating: false, count: tasks.count)
        for (v, vehicle) in vehicles.enumerated() {
            for t in vehicle.startedTasks where t >= 0 && t < tasks.count {
                started[t] = true
                // A parcel already on board is dropped by the same courier.
                if siblings[t] >= 0 { bound[siblings[t]] = v }
            }
        }
        boundVehicle = bound
        isStarted = started
        vehicleStart = vehicles.map(\.startPlace)
        vehicleEnd = vehicles.map(\.endPlace)
        shiftStart = vehicles.map(\.shiftStart)
        shiftEnd = vehicles.map(\.shiftEnd)
        capacityW = vehicles.map(\.capacity.weight)
        capacityV = vehicles.map(\.capacity.volume)
        timeFactor = vehicles.map(\.timeFactor)
        startedCount = vehicles.map(\.startedTasks.count)
        struct Key: Hashable { var s, e: Int; var a, b, w, v, f: Double }
        var classes: [Key: Int] = [:]
        vehicleClass = vehicles.enumerated().map { v, vehicle in
            if !vehicle.breaks.isEmpty || !vehicle.startedTasks.isEmpty { return -1 - v }
            let key = Key(s: vehicle.startPlace, e: vehicle.endPlace, a: vehicle.shiftStart, b: vehicle.shiftEnd,
                          w: vehicle.capacity.weight, v: vehicle.capacity.volume, f: vehicle.timeFactor)
            if let c = classes[key] { return c }
            classes[key] = classes.count
            return classes.count - 1
        }
        objective = problem.objective
        fairnessWeight = problem.fairnessWeight
        let n = tasks.count, places = tasks.map(\.place), count = m.count
        var sum = 0.0, pairs = 0
        neighbours = (0..<n).map { i in
            var others = Array(0..<n)
            others.removeAll { $0 == i }
            let row = places[i] * count
            others.sort { m.distance[row + places[$0]] < m.distance[row + places[$1]] }
            return Array(others.prefix(80))
        }
        for i in stride(from: 0, to: n, by: max(1, n / 50)) {
            for j in stride(from: 0, to: n, by: max(1, n / 50)) where i != j {
                sum += arcs[places[i] * count + places[j]]
                pairs += 1
            }
        }
        // Times are the least-time objective's costs once multiplied by the vehicles' factor.
        let factor = problem.objective == .leastTime ? (vehicles.first?.timeFactor ?? 1) : 1
        scale = pairs > 0 && sum > 0 ? sum / Double(pairs) * factor : 1
        // Fewest vehicles: a vehicle costs more than any distance a plan could save.
        vehicleCost = problem.objective == .fewestVehicles ? max(1, (m.distance.max() ?? 1)) * Double(max(n, 1) + 2) : 0
    }

    @inline(__always) func travel(_ a: Int, _ b: Int, _ v: Int) -> Double { time[a * placeCount + b] * timeFactor[v] }
    @inline(__always) func arcCost(_ a: Int, _ b: Int) -> Double { arc[a * placeCount + b] }

    /// Recomputes a route's times, latest starts, loads and costs from its task list.
    func refresh(_ r: inout RouteState, vehicle v: Int) {
        let m = r.tasks.count, size = m + 2
        r.place.removeAll(keepingCapacity: true)
        r.service.removeAll(keepingCapacity: true)
        r.ready.removeAll(keepingCapacity: true)
        r.place.append(vehicleStart[v]); r.service.append(0); r.ready.append(shiftStart[v])
        var initialW = 0.0, initialV = 0.0
        for t in r.tasks {
            r.place.append(place[t]); r.service.append(service[t]); r.ready.append(ready[t])
            if kind[t] == 0 { initialW += weight[t]; initialV += volume[t] }
        }
        r.place.append(vehicleEnd[v]); r.service.append(0); r.ready.append(-.infinity)
        // Resized in place: a route refreshed again in the same iteration reuses its buffers.
        @inline(__always) func fit(_ a: inout [Double]) {
            while a.count < size { a.append(0) }
            if a.count > size { a.removeLast(a.count - size) }
        }
        fit(&r.start); fit(&r.latest); fit(&r.loadW); fit(&r.loadV)
        fit(&r.beforeMaxW); fit(&r.beforeMaxV); fit(&r.afterMaxW); fit(&r.afterMaxV)
        r.start[0] = shiftStart[v]
        r.loadW[0] = initialW; r.loadV[0] = initialV
        var arcSum = 0.0, dist = 0.0
        for k in 1..<size {
            let a = r.place[k - 1], b = r.place[k]
            r.start[k] = serviceStart(after: r.start[k - 1], service: r.service[k - 1], travel: travel(a, b, v), ready: r.ready[k])
            arcSum += arcCost(a, b)
            dist += distance[a * placeCount + b]
            if k <= m {
                let t = r.tasks[k - 1], sign: Double = (kind[t] == 0 || kind[t] == 3) ? -1 : 1
                r.loadW[k] = r.loadW[k - 1] + sign * weight[t]
                r.loadV[k] = r.loadV[k - 1] + sign * volume[t]
            } else {
                r.loadW[k] = r.loadW[k - 1]; r.loadV[k] = r.loadV[k - 1]
            }
        }
        r.latest[size - 1] = shiftEnd[v]
        var k = size - 2
        while k >= 0 {
            let due = k == 0 ? shiftEnd[v] : self.due[r.tasks[k - 1]]
            r.latest[k] = min(due, r.latest[k + 1] - travel(r.place[k], r.place[k + 1], v) - r.service[k] - latestStartMargin)
            k -= 1
        }
        r.beforeMaxW[0] = r.loadW[0]; r.beforeMaxV[0] = r.loadV[0]
        for k in 1..<size { r.beforeMaxW[k] = max(r.beforeMaxW[k - 1], r.loadW[k]); r.beforeMaxV[k] = max(r.beforeMaxV[k - 1], r.loadV[k]) }
        r.afterMaxW[size - 1] = r.loadW[size - 1]; r.afterMaxV[size - 1] = r.loadV[size - 1]
        k = size - 2
        while k >= 0 { r.afterMaxW[k] = max(r.afterMaxW[k + 1], r.loadW[k]); r.afterMaxV[k] = max(r.afterMaxV[k + 1], r.loadV[k]); k -= 1 }
        r.arcCost = m == 0 ? 0 : arcSum
        r.distance = m == 0 ? 0 : dist
        r.duration = m == 0 ? 0 : r.start[size - 1] - shiftStart[v]
    }

    /// A route's share of the objective (without the fairness term).
    @inline(__always) func routeCost(_ r: RouteState) -> Double {
        if r.tasks.isEmpty { return 0 }
        return (leastTime ? r.duration : r.arcCost) + vehicleCost
    }
}
