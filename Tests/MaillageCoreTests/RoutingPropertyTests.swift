import Foundation
import MaillageCore
import Testing

@Suite("Route optimiser: random instances, brute force and the courier's constraints")
struct RoutingPropertyTests {
    /// A small generator for the tests, the same for a seed.
    struct Dice {
        var state: UInt64
        mutating func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(UInt64(1) << 53)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() * Double(range.count)) }
    }

    /// Customers around a depot in the middle of a 100 × 100 square, windows of 30 to 120 in a horizon of 400,
    /// loads of 1 to 9 on vehicles of capacity 20; pairs when asked.
    static func randomProblem(seed: UInt64, customers: Int, pairs: Int = 0, vehicles: Int = 3) -> RoutingProblem {
        var dice = Dice(state: seed)
        let points = [(x: 50.0, y: 50.0)] + (0..<customers + pairs).map { _ in (x: dice.next() * 100, y: dice.next() * 100) }
        var tasks: [RoutingTask] = []
        for c in 1...customers {
            let open = 75 + dice.next() * 200, width = 30 + dice.next() * 90
            tasks.append(RoutingTask(place: c, ready: open, due: open + width, service: Double(dice.int(0...10)),
                                     load: RoutingLoad(weight: Double(dice.int(1...9)), volume: Double(dice.int(1...9)))))
        }
        for p in 0..<(pairs / 2) {
            let a = tasks.count, load = RoutingLoad(weight: Double(dice.int(1...9)), volume: 1)
            tasks.append(RoutingTask(place: customers + 1 + 2 * p, ready: 0, due: 250, service: 5, load: load, kind: .pickup(delivery: a + 1)))
            tasks.append(RoutingTask(place: customers + 2 + 2 * p, ready: 50, due: 350, service: 5, load: load, kind: .dropoff(pickup: a)))
        }
        let vehicle = RoutingVehicle(startPlace: 0, shiftEnd: 400, capacity: RoutingLoad(weight: 20, volume: 20))
        return RoutingProblem(matrix: .euclidean(points), vehicles: Array(repeating: vehicle, count: vehicles), tasks: tasks)
    }

    @Test(arguments: 0..<24)
    func everyPlanOfARandomInstancePassesTheChecker(seed: Int) {
        let problem = Self.randomProblem(seed: UInt64(seed), customers: 6 + seed % 9, pairs: seed % 3 == 0 ? 4 : 0, vehicles: 1 + seed % 4)
        let plan = RouteOptimiser.solve(problem, options: RoutingOptions(seed: UInt64(seed), iterations: 150, seconds: nil))
        #expect(RoutingChecker.violations(of: plan.routes, unserved: plan.unserved.map(\.task), in: problem).isEmpty)
    }

    /// The optimum by brute force: every order of the customers, each split into routes at the
    /// best places (shortest path over the order), with a fleet as large as needed.
    static func bruteForce(_ problem: RoutingProblem) -> Double {
        let n = problem.tasks.count, m = problem.matrix, vehicle = problem.vehicles[0]
        func routeDistance(_ tasks: ArraySlice<Int>) -> Double? {
            var place = 0, time = vehicle.shiftStart, service = 0.0, load = 0.0, volume = 0.0, distance = 0.0
            for t in tasks {
                let task = problem.tasks[t]
                time = max(task.ready, time + service + m.time(place, task.place))
                if time > task.due { return nil }
                distance += m.distance(place, task.place)
                load += task.load.weight; volume += task.load.volume
                place = task.place; service = task.service
            }
            if load > vehicle.capacity.weight || volume > vehicle.capacity.volume || time + service + m.time(place, 0) > vehicle.shiftEnd { return nil }
            return distance + m.distance(place, 0)
        }
        var best = Double.infinity
        var order = Array(0..<n)
        func split() {
            var cost = [Double](repeating: .infinity, count: n + 1)
            cost[0] = 0
            for i in 0..<n where cost[i] < .infinity {
                for j in (i + 1)...n {
                    guard let d = routeDistance(order[i..<j]) else { break }
                    cost[j] = min(cost[j], cost[i] + d)
                }
            }
            best = min(best, cost[n])
        }
        func permute(_ k: Int) {
            if k == n { split(); return }
            for i in k..<n {
                order.swapAt(k, i)
                permute(k + 1)
                order.swapAt(k, i)
            }
        }
        permute(0)
        return best
    }

    @Test(arguments: [(5, 1), (6, 2), (6, 3), (7, 4), (7, 5), (8, 6)])
    func theOptimumOfASmallInstanceIsFound(customers: Int, seed: UInt64) {
        let problem = Self.randomProblem(seed: 100 + seed, customers: customers, vehicles: customers)
        let optimum = Self.bruteForce(problem)
        #expect(optimum < .infinity)
        let plan = RouteOptimiser.solve(problem, options: RoutingOptions(seed: seed, iterations: 400, seconds: nil))
        #expect(plan.unserved.isEmpty)
        #expect(RoutingChecker.violations(of: plan.routes, in: problem).isEmpty)
        #expect(plan.distance <= optimum + 1e-9, "found \(plan.distance), optimum \(optimum)")
    }

    @Test func startedTasksStayFirstAndInOrder() {
        var problem = Self.randomProblem(seed: 7, customers: 8, vehicles: 2)
        problem.vehicles[1].startedTasks = [5, 2]
        for t in [5, 2] { problem.tasks[t].ready = 0; problem.tasks[t].due = 400 }
        let plan = RouteOptimiser.solve(problem, options: RoutingOptions(iterations: 200, seconds: nil))
        let second = plan.routes.first { $0.vehicle == 1 }
        #expect(Array(second?.tasks.prefix(2) ?? []) == [5, 2])
        #expect(RoutingChecker.violations(of: plan.routes, unserved: plan.unserved.map(\.task), in: problem).isEmpty)
    }

    @Test func aBreakIsTakenInItsWindowByItsCourier() {
        var problem = Self.randomProblem(seed: 9, customers: 8, vehicles: 2)
        problem.vehicles[0].breaks = [RoutingBreak(place: 0, earliest: 150, latest: 200, duration: 30)]
        let plan = RouteOptimiser.solve(problem, options: RoutingOptions(iterations: 200, seconds: nil))
        // The break is task number `tasks.count` (the vehicles' breaks come after the tasks).
        let breakTask = problem.tasks.count
        #expect(plan.routes.first { $0.vehicle == 0 }?.tasks.contains(breakTask) == true)
        #expect(RoutingChecker.violations(of: plan.routes, unserved: plan.unserved.map(\.task), in: problem).isEmpty)
    }

    @Test func whatCannotBeServedIsListedWithItsReason() {
        var problem = Self.randomProblem(seed: 4, customers: 6, vehicles: 2)
        problem.tasks[0].load = RoutingLoad(weight: 50)
        problem.tasks[1].ready = 500
        problem.tasks[1].due = 550
        let plan = RouteOptimiser.solve(problem, options: RoutingOptions(iterations: 100, seconds: nil))
        #expect(plan.unserved.contains(UnservedTask(task: 0, reason: .tooHeavyForEveryVehicle)))
        #expect(plan.unserved.contains(UnservedTask(task: 1, reason: .windowUnreachable)))
        #expect(RoutingChecker.violations(of: plan.routes, unserved: plan.unserved.map(\.task), in: problem).isEmpty)
    }

    @Test func aStoppedSearchStillReturnsAFeasiblePlan() {
        let problem = Self.randomProblem(seed: 12, customers: 14, vehicles: 4)
        let plan = RouteOptimiser.solve(problem, options: RoutingOptions(seconds: 30, shouldStop: { true }))
        #expect(plan.iterations == 0)
        #expect(RoutingChecker.violations(of: plan.routes, unserved: plan.unserved.map(\.task), in: problem).isEmpty)
    }

    @Test func aDeliveryDayIsPlannedFromTheEstimatorsTimes() {
        let day = DeliveryDayGenerator.day(tasks: 40, couriers: 3, seed: 2)
        #expect(day.tasks.count == 40 && day.vehicles.count == 3)
        #expect(day.matrix.time(0, 1) > 0 && day.matrix.distance(0, 1) > 0)
        let plan = RouteOptimiser.solve(day, options: RoutingOptions(iterations: 100, seconds: nil))
        #expect(RoutingChecker.violations(of: plan.routes, unserved: plan.unserved.map(\.task), in: day).isEmpty)
        #expect(plan.unserved.isEmpty)
    }

    @Test func theFairnessTermEvensOutTheRoutes() {
        var problem = Self.randomProblem(seed: 21, customers: 10, vehicles: 2)
        problem.vehicles = Array(repeating: RoutingVehicle(startPlace: 0, shiftEnd: 2000, capacity: .unlimited), count: 2)
        for t in problem.tasks.indices { problem.tasks[t].ready = 0; problem.tasks[t].due = 2000 }
        problem.objective = .leastTime
        func spread(_ plan: RoutingPlan) -> Double {
            let durations = plan.routes.map { RoutingChecker.distance(of: [$0], in: problem) + $0.tasks.reduce(0) { $0 + problem.tasks[$1].service } }
            return durations.count < 2 ? durations.max() ?? 0 : durations.max()! - durations.min()!
        }
        let plain = RouteOptimiser.solve(problem, options: RoutingOptions(iterations: 300, seconds: nil))
        problem.fairnessWeight = 5
        let fair = RouteOptimiser.solve(problem, options: RoutingOptions(iterations: 300, seconds: nil))
        #expect(spread(fair) < spread(plain))
    }
}
