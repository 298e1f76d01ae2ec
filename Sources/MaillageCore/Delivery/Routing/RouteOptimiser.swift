import Foundation

/// How long and how the optimiser searches.
public struct RoutingOptions: Sendable {
    public var seed: UInt64
    /// Stop after this many iterations (with no time limit, the result is the same on every run).
    public var iterations: Int?
    /// Stop after this many seconds, with the best plan found so far.
    public var seconds: Double?
    /// Asked now and then; true stops the search (a request that went away, a newer board).
    public var shouldStop: (@Sendable () -> Bool)?
    /// Told now and then the iterations done and the best cost so far.
    public var progress: (@Sendable (_ iterations: Int, _ cost: Double) -> Void)?

    public init(seed: UInt64 = 1, iterations: Int? = nil, seconds: Double? = 1, shouldStop: (@Sendable () -> Bool)? = nil,
                progress: (@Sendable (Int, Double) -> Void)? = nil) {
        self.seed = seed
        self.iterations = iterations
        self.seconds = seconds
        self.shouldStop = shouldStop
        self.progress = progress
    }
}

/// Plans the routes of a fleet: a greedy construction, then ruin and recreate — strings of
/// neighbouring stops taken out of a few routes and put back one by one at their cheapest feasible
/// place, skipping a few places at random (Christiaens & Vanden Berghe's slack induction by string
/// removals) — under simulated annealing. Pairs are removed and inserted together. Anytime: it
/// keeps the best plan and returns it when the time or the iterations run out, or when asked to stop
/// (`shouldStop`, or the surrounding task's cancellation).
public enum RouteOptimiser {
    public static func solve(_ problem: RoutingProblem, options: RoutingOptions = RoutingOptions()) -> RoutingPlan {
        let full = problem.withBreaksAsTasks()
        let engine = RoutingEngine(full)
        var search = RoutingSearch(engine: engine, vehicleCount: full.vehicles.count, seed: options.seed)
        search.startedTasks = full.vehicles.map(\.startedTasks)
        search.run(options)
        return search.plan(of: full, original: problem)
    }
}

struct RoutingSearch {
    let engine: RoutingEngine
    let vehicleCount: Int
    var random: RoutingRandom
    var best: RoutingSolution
    var iterations = 0
    /// Average number of customers taken out per ruin, and the longest string.
    let averageRemoved = 10.0
    let longestString = 10.0
    let blinkRate = 0.01

    init(engine: RoutingEngine, vehicleCount: Int, seed: UInt64) {
        self.engine = engine
        self.vehicleCount = vehicleCount
        random = RoutingRandom(seed: seed)
        best = RoutingSolution(engine: engine, vehicleCount: vehicleCount)
    }

    /// Requests: single tasks and the pickups of pairs (their dropoff follows them).
    func isRequest(_ t: Int) -> Bool {
        !engine.isStarted[t] && (engine.kind[t] != 3 || engine.sibling[t] < 0 || engine.isStarted[engine.sibling[t]])
    }

    mutating func initial() -> RoutingSolution {
        var s = RoutingSolution(engine: engine, vehicleCount: vehicleCount)
        for v in 0..<vehicleCount where engine.startedCount[v] > 0 {
            for t in full(startedOf: v) { s.routes[v].tasks.append(t); s.routeOf[t] = v }
        }
        for v in 0..<vehicleCount { engine.refresh(&s.routes[v], vehicle: v) }
        var pending = (0..<engine.taskCount).filter(isRequest)
        // Breaks and tasks bound to one vehicle first, then the farthest from the depot.
        let depot = vehicleCount > 0 ? engine.vehicleStart[0] : 0
        pending.sort {
            let a = engine.boundVehicle[$0] >= 0, b = engine.boundVehicle[$1] >= 0
            if a != b { return a }
            return engine.distance[depot * engine.placeCount + engine.place[$0]] > engine.distance[depot * engine.placeCount + engine.place[$1]]
        }
        recreate(&s, pending, blink: 0)
        s.cost = engine.totalCost(s)
        return s
    }

    var startedTasks: [[Int]] = []
    func full(startedOf v: Int) -> [Int] { v < startedTasks.count ? startedTasks[v] : [] }

    /// Puts each request at its cheapest feasible place over all routes; a request with none stays out.
    mutating func recreate(_ s: inout RoutingSolution, _ requests: [Int], blink: Double) {
        for u in requests {
            var bestCost = Double.infinity, bestRoute = -1, bi = 0, bj = 0
            var triedClasses: [Int] = []
            let bound = engine.boundVehicle[u]
            // With the fairness term, the longest and the shortest routes now: lengthening the
            // longest widens the spread, lengthening the only shortest narrows it.
            let fair = engine.fairnessWeight > 0
            var longest = -Double.infinity, shortest = Double.infinity, secondShortest = Double.infinity
            if fair {
                for r in s.routes {
                    longest = max(longest, r.duration)
                    if r.duration < shortest { secondShortest = shortest; shortest = r.duration } else { secondShortest = min(secondShortest, r.duration) }
                }
            }
            for r in 0..<vehicleCount {
                if bound >= 0 && r != bound { continue }
                var extra = 0.0
                if s.routes[r].tasks.isEmpty {
                    let c = engine.vehicleClass[r]
                    if c >= 0 { if triedClasses.contains(c) { continue }; triedClasses.append(c) }
                    extra = engine.vehicleCost
                }
                if fair {
                    // The route's duration grows by about the added time and service.
                    let grows = engine.service[u] + (engine.kind[u] == 2 ? engine.service[engine.sibling[u]] : 0)
                    let duration = s.routes[r].duration, after = duration + grows
                    extra += engine.fairnessWeight * max(0, after - longest)
                    if duration == shortest && secondShortest > shortest { extra -= engine.fairnessWeight * min(grows, secondShortest - shortest) }
                }
                if let found = engine.bestInsertion(of: u, in: s.routes[r], vehicle: r, blink: blink, random: &random, bound: bestCost - extra),
                   found.cost + extra < bestCost {
                    bestCost = found.cost + extra; bestRoute = r; bi = found.i; bj = found.j
                }
            }
            if bestRoute >= 0 {
                engine.insert(u, into: &s, route: bestRoute, i: bi, j: bj)
            } else {
                s.absent.append(u)
            }
        }
    }

    /// Takes out strings of neighbouring stops from a few routes around a random stop.
    mutating func ruin(_ s: inout RoutingSolution) -> [Int] {
        var served = 0, used = 0
        for r in s.routes where !r.tasks.isEmpty { served += r.tasks.count; used += 1 }
        guard used > 0 else { return [] }
        let cardinality = Double(served) / Double(used)
        let stringMax = min(longestString, cardinality)
        let routesMax = 4 * averageRemoved / (1 + stringMax) - 1
        let routesToRuin = Int(random.unit() * routesMax) + 1
        // A served, movable seed.
        var seed = -1
        for _ in 0..<20 {
            let t = random.below(engine.taskCount)
            if s.routeOf[t] >= 0 && !engine.isStarted[t] { seed = t; break }
        }
        guard seed >= 0 else { return [] }
        var removed: [Int] = []
        var ruined: [Int] = []
        var dirty: [Int] = []
        let around = [seed] + engine.neighbours[seed]
        for c in around {
            if ruined.count >= routesToRuin { break }
            let r = s.routeOf[c]
            if r < 0 || engine.isStarted[c] || ruined.contains(r) { continue }
            ruined.append(r)
            let tasks = s.routes[r].tasks, fixed = engine.startedCount[r]
            let movable = tasks.count - fixed
            guard movable > 0, let position = tasks.firstIndex(of: c) else { continue }
            let lengthMax = min(stringMax, Double(movable))
            let length = min(movable, Int(random.unit() * lengthMax) + 1)
            var take: [Int] = []
            if length == movable || random.unit() < 0.5 {
                // A string of `length` stops containing c.
                let lowest = max(fixed, position - length + 1), highest = min(position, tasks.count - length)
                let first = lowest + random.below(highest - lowest + 1)
                take = Array(tasks[first..<(first + length)])
            } else {
                // A longer string of which `kept` stops stay.
                var kept = 1
                while length + kept < movable && random.unit() > 0.01 { kept += 1 }
                let span = length + kept
                let lowest = max(fixed, position - span + 1), highest = min(position, tasks.count - span)
                let first = lowest + random.below(highest - lowest + 1)
                var window = Array(tasks[first..<(first + span)])
                for _ in 0..<kept { window.remove(at: random.below(window.count)) }
                take = window
            }
            for t in take where s.routeOf[t] >= 0 {
                removeTask(t, from: &s, dirty: &dirty)
                let sib = engine.sibling[t]
                if sib >= 0 && s.routeOf[sib] >= 0 && !engine.isStarted[sib] { removeTask(sib, from: &s, dirty: &dirty) }
                removed.append(engine.kind[t] == 3 && sib >= 0 && !engine.isStarted[sib] ? sib : t)
            }
        }
        for r in dirty { engine.refresh(&s.routes[r], vehicle: r) }
        return removed
    }

    func removeTask(_ t: Int, from s: inout RoutingSolution, dirty: inout [Int]) {
        let r = s.routeOf[t]
        if let p = s.routes[r].tasks.firstIndex(of: t) { s.routes[r].tasks.remove(at: p) }
        s.routeOf[t] = -1
        if !dirty.contains(r) { dirty.append(r) }
    }

    /// Takes out every stop of one route (the fewest-vehicles objective tries to do without it).
    mutating func ruinRoute(_ s: inout RoutingSolution) -> [Int] {
        let used = (0..<vehicleCount).filter { !s.routes[$0].tasks.isEmpty && engine.startedCount[$0] == 0 }
        guard !used.isEmpty else { return [] }
        // Shorter routes are likelier to go.
        let r = random.unit() < 0.5 ? used.min { s.routes[$0].tasks.count < s.routes[$1].tasks.count }! : used[random.below(used.count)]
        var removed: [Int] = []
        for t in s.routes[r].tasks {
            s.routeOf[t] = -1
            if isRequest(t) { removed.append(t) }
        }
        s.routes[r].tasks.removeAll()
        engine.refresh(&s.routes[r], vehicle: r)
        return removed
    }

    /// The order in which removed requests go back: random, largest first, farthest or closest first.
    mutating func order(_ requests: inout [Int]) {
        let depot = vehicleCount > 0 ? engine.vehicleStart[0] : 0, row = depot * engine.placeCount
        let pick = random.below(11)
        requests.shuffle(using: &random)
        switch pick {
        case 0..<4: break
        case 4..<8: requests.sort { engine.weight[$0] + engine.volume[$0] > engine.weight[$1] + engine.volume[$1] }
        case 8..<10: requests.sort { engine.distance[row + engine.place[$0]] > engine.distance[row + engine.place[$1]] }
        default: requests.sort { engine.distance[row + engine.place[$0]] < engine.distance[row + engine.place[$1]] }
        }
    }

    mutating func run(_ options: RoutingOptions) {
        var current = initial()
        best = current
        let limit = options.iterations ?? Int.max
        let seconds = options.seconds ?? .infinity
        let began = DispatchTime.now().uptimeNanoseconds
        let hot = engine.scale * 0.2, cold = engine.scale * 0.002
        var progress = 0.0
        let fewest = engine.objective == .fewestVehicles
        while iterations < limit {
            if iterations & 63 == 0 {
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
                if elapsed >= seconds || options.shouldStop?() == true || Task.isCancelled { break }
                progress = max(Double(iterations) / Double(limit), elapsed / seconds)
                if iterations & 0x3FFF == 0, iterations > 0 { options.progress?(iterations, best.cost) }
            } else if options.seconds == nil {
                progress = Double(iterations) / Double(limit)
            }
            let temperature = hot * pow(cold / hot, min(1, progress))
            var work = current
            // Now and then a whole route goes: strings alone rarely empty a long route, and a
            // plan with one route fewer is often also shorter.
            var removed = random.unit() < (fewest ? 0.05 : 0.02) ? ruinRoute(&work) : []
            removed += ruin(&work)
            removed += work.absent
            work.absent.removeAll()
            order(&removed)
            recreate(&work, removed, blink: blinkRate)
            work.cost = engine.totalCost(work)
            if work.cost < current.cost - temperature * log(random.unit() + 1e-300) {
                current = work
                if current.cost < best.cost { best = current }
            }
            iterations += 1
        }
    }

    func plan(of full: RoutingProblem, original: RoutingProblem) -> RoutingPlan {
        let routes = (0..<vehicleCount).map { PlannedRoute(vehicle: $0, tasks: best.routes[$0].tasks) }.filter { !$0.tasks.isEmpty }
        var unserved: [UnservedTask] = []
        for u in best.absent {
            for t in engine.kind[u] == 2 ? [u, engine.sibling[u]] : [u] {
                unserved.append(UnservedTask(task: t, reason: reason(t, in: full)))
            }
        }
        return RoutingPlan(routes: routes, unserved: unserved.sorted { $0.task < $1.task }, distance: best.distance,
                           cost: best.cost, iterations: iterations)
    }

    /// Why a task found no place: too heavy for every vehicle, out of reach of every shift, or no room left.
    func reason(_ t: Int, in problem: RoutingProblem) -> UnservedReason {
        let task = problem.tasks[t]
        if let s = task.sibling, s < 0 || s >= problem.tasks.count || problem.tasks[s].sibling != t { return .pairInconsistent }
        let vehicles = problem.vehicles.indices.filter { task.vehicle == nil || task.vehicle == $0 }
        if !vehicles.contains(where: { task.load.fits(in: problem.vehicles[$0].capacity) }) { return .tooHeavyForEveryVehicle }
        let reachable = vehicles.contains { v in
            var alone = RoutingSolution(engine: engine, vehicleCount: vehicleCount).routes[v]
            engine.refresh(&alone, vehicle: v)
            var r = RoutingRandom(seed: 1)
            let request = isRequest(t) ? t : engine.sibling[t]
            return engine.bestInsertion(of: request, in: alone, vehicle: v, blink: 0, random: &r, bound: .infinity) != nil
        }
        return reachable ? .noRoomLeft : .windowUnreachable
    }
}
