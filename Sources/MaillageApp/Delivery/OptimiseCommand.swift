import Foundation
import MaillageCore
import Vapor

/// `maillage optimise --solomon FILE [--seconds S] [--seed N]` (or `--lilim FILE`): plans the routes
/// of a benchmark instance with the route optimiser and prints one JSON line
/// `{"routes": [[customer numbers in order], …], "vehicles": n, "distance": d, …}`, with the
/// checker's verdict beside it. `--check SOLUTION.json` checks another solver's routes for the same
/// instance instead. `--day` plans the generated delivery day (200 tasks, 10 couriers).
struct OptimiseCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "solomon", help: "A Solomon VRPTW instance") var solomon: String?
        @Option(name: "lilim", help: "A Li & Lim PDPTW instance") var lilim: String?
        @Option(name: "seconds", help: "Time budget in seconds (default 2; 1 for --day)") var seconds: Double?
        @Option(name: "iterations", help: "Iteration limit (with no --seconds: the same plan on every run)") var iterations: Int?
        @Option(name: "seed", help: "Random seed (default 1)") var seed: Int?
        @Option(name: "check", help: "A JSON file {\"routes\": [[customer numbers], …]} to check instead of optimising") var check: String?
        @Flag(name: "day", help: "Plan the generated delivery day (200 tasks, 10 couriers)") var day: Bool
    }

    var help: String { "Plans couriers' routes for a Solomon or Li & Lim instance (or a generated day) and prints them as JSON." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let seed = UInt64(max(0, signature.seed ?? 1))
        let seconds: Double? = signature.iterations != nil && signature.seconds == nil ? nil : (signature.seconds ?? (signature.day ? 1 : 2))
        if signature.day {
            let problem = DeliveryDayGenerator.day(seed: seed)
            let plan = Self.solve(problem, seed: seed, seconds: seconds, iterations: signature.iterations)
            let violations = RoutingChecker.violations(of: plan.routes, unserved: plan.unserved.map(\.task), in: problem)
            try Self.emit([
                "tasks": problem.tasks.count, "couriers": problem.vehicles.count, "cost": plan.cost, "distance": plan.distance, "vehicles": plan.vehicleCount,
                "unserved": plan.unserved.count, "iterations": plan.iterations, "feasible": violations.isEmpty,
            ])
            return
        }
        let instance: RoutingBenchmarkInstance
        if let path = signature.solomon {
            instance = try RoutingBenchmarkInstance.solomon(try Self.read(path))
        } else if let path = signature.lilim {
            instance = try RoutingBenchmarkInstance.liLim(try Self.read(path), name: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent)
        } else {
            throw CommandLineProblem("Name an instance: --solomon FILE or --lilim FILE (or --day).")
        }
        if let solution = signature.check {
            try Self.check(solution, of: instance)
            return
        }
        let plan = Self.solve(instance.problem, seed: seed, seconds: seconds, iterations: signature.iterations)
        try Self.report(plan.routes, of: instance, extra: ["iterations": plan.iterations, "unserved": plan.unserved.map { instance.customerNumbers[$0.task] }])
    }

    static func solve(_ problem: RoutingProblem, seed: UInt64, seconds: Double?, iterations: Int?) -> RoutingPlan {
        let started = Date()
        return RouteOptimiser.solve(problem, options: RoutingOptions(seed: seed, iterations: iterations, seconds: seconds, progress: { done, cost in
            // Long runs say how they go, on stderr (stdout is the JSON answer).
            guard Date().timeIntervalSince(started) > 5 else { return }
            FileHandle.standardError.write(Data(String(format: "  %d iterations, best cost %.1f\n", done, cost).utf8))
        }))
    }

    /// Reads another solver's routes (customer numbers) and prints the checker's verdict.
    static func check(_ path: String, of instance: RoutingBenchmarkInstance) throws {
        struct Solution: Decodable { var routes: [[Int]] }
        let solution = try JSONDecoder().decode(Solution.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        var indexOf: [Int: Int] = [:]
        for (t, number) in instance.customerNumbers.enumerated() { indexOf[number] = t }
        let nonEmpty = solution.routes.filter { !$0.isEmpty }
        guard nonEmpty.count <= instance.problem.vehicles.count else {
            try emit(["feasible": false, "violations": ["\(nonEmpty.count) routes for a fleet of \(instance.problem.vehicles.count)"], "vehicles": nonEmpty.count])
            return
        }
        let unknown = nonEmpty.joined().filter { indexOf[$0] == nil }
        let routes = nonEmpty.enumerated().map { PlannedRoute(vehicle: $0.offset, tasks: $0.element.compactMap { indexOf[$0] }) }
        try report(routes, of: instance, extra: [:], more: unknown.map { "unknown customer \($0)" })
    }

    static func report(_ routes: [PlannedRoute], of instance: RoutingBenchmarkInstance, extra: [String: Any], more: [String] = []) throws {
        let violations = RoutingChecker.violations(of: routes, in: instance.problem).map { describe($0, instance) } + more
        var object: [String: Any] = [
            "instance": instance.name,
            "routes": routes.filter { !$0.tasks.isEmpty }.map { $0.tasks.map { instance.customerNumbers[$0] } },
            "vehicles": routes.count(where: { !$0.tasks.isEmpty }),
            "distance": RoutingChecker.distance(of: routes, in: instance.problem),
            "truncated_distance": instance.truncatedDistance(of: routes),
            "feasible": violations.isEmpty,
            "violations": violations,
        ]
        object.merge(extra) { $1 }
        try emit(object)
    }

    /// A violation in the file's customer numbers.
    static func describe(_ violation: RoutingViolation, _ instance: RoutingBenchmarkInstance) -> String {
        func n(_ t: Int) -> Int { t >= 0 && t < instance.customerNumbers.count ? instance.customerNumbers[t] : t }
        switch violation {
        case .late(let t, let by): return "customer \(n(t)) served \(by) late"
        case .backLate(let v, let by): return "route \(v + 1) back \(by) late"
        case .overCapacity(let v, _): return "route \(v + 1) over capacity"
        case .missing(let t): return "customer \(n(t)) missing"
        case .servedTwice(let t): return "customer \(n(t)) served twice"
        case .pairSplit(let p): return "pair of customer \(n(p)) split"
        case .pairOutOfOrder(let p): return "pair of customer \(n(p)) delivered before its pickup"
        default: return "\(violation)"
        }
    }

    static func read(_ path: String) throws -> String {
        try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    static func emit(_ object: [String: Any]) throws {
        var data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }
}
