import Foundation
import MaillageCore
import MaillageTestFixtures
import Testing

@Suite("Route optimiser: the benchmark formats and their solutions")
struct RoutingReadersTests {
    @Test func aSolomonInstanceGivesTheFleetTheDepotAndEveryCustomer() throws {
        let c101 = try RoutingBenchmarkInstance.solomon(try Fixtures.string("delivery/C101.txt"))
        #expect(c101.name == "C101")
        #expect(c101.problem.tasks.count == 100 && c101.customerNumbers.first == 1 && c101.customerNumbers.last == 100)
        #expect(c101.problem.vehicles.count == 25 && c101.problem.vehicles.allSatisfy { $0.capacity.weight == 200 && $0.shiftEnd == 1236 })
        let first = c101.problem.tasks[0]
        #expect(first.ready == 912 && first.due == 967 && first.service == 90 && first.load.weight == 10 && first.kind == .delivery)
        // Customer 1 at (45, 68), the depot at (40, 50): unrounded Euclidean distance, time = distance.
        #expect(abs(c101.problem.matrix.distance(0, first.place) - (25.0 + 324).squareRoot()) < 1e-12)
        #expect(c101.problem.matrix.time(0, first.place) == c101.problem.matrix.distance(0, first.place))
    }

    @Test func aLiLimInstanceGivesPairsThatNameEachOther() throws {
        let lc101 = try RoutingBenchmarkInstance.liLim(try Fixtures.string("delivery/lc101.txt"), name: "lc101")
        let tasks = lc101.problem.tasks
        #expect(lc101.problem.vehicles.count == 25 && lc101.problem.vehicles[0].capacity.weight == 200)
        #expect(tasks.count == lc101.customerNumbers.count && tasks.count % 2 == 0)
        var pickups = 0
        for (t, task) in tasks.enumerated() {
            guard case .pickup(let d) = task.kind else { continue }
            pickups += 1
            #expect(tasks[d].kind == .dropoff(pickup: t) && tasks[d].load == task.load)
        }
        #expect(pickups * 2 == tasks.count)
        // Node 3 (demand 10) is picked up and delivered at node 75.
        let three = try #require(lc101.customerNumbers.firstIndex(of: 3))
        #expect(tasks[three].kind == .pickup(delivery: try #require(lc101.customerNumbers.firstIndex(of: 75))))
    }

    @Test func somethingElseIsRefused() {
        #expect(throws: RoutingBenchmarkInstance.FormatError.self) { try RoutingBenchmarkInstance.solomon("hello\n1 2 3\n") }
        #expect(throws: RoutingBenchmarkInstance.FormatError.self) { try RoutingBenchmarkInstance.liLim("25 200 1\n0 1 2\n") }
    }

    @Test func theOptimiserPlansC101FeasiblyNearTheBestKnown() throws {
        let c101 = try RoutingBenchmarkInstance.solomon(try Fixtures.string("delivery/C101.txt"))
        let plan = RouteOptimiser.solve(c101.problem, options: RoutingOptions(seed: 3, iterations: 400, seconds: nil))
        #expect(plan.unserved.isEmpty)
        #expect(RoutingChecker.violations(of: plan.routes, in: c101.problem).isEmpty)
        // The best known is 10 vehicles, 828.94; a short run stays within 5 %.
        #expect(plan.distance < 828.94 * 1.05, "\(plan.distance)")
        #expect(abs(plan.distance - RoutingChecker.distance(of: plan.routes, in: c101.problem)) < 1e-6)
        #expect(c101.truncatedDistance(of: plan.routes) <= plan.distance)
    }

    @Test func theOptimiserKeepsEveryPairOnOneRoutePickupFirst() throws {
        let lr101 = try RoutingBenchmarkInstance.liLim(try Fixtures.string("delivery/lr101.txt"))
        let plan = RouteOptimiser.solve(lr101.problem, options: RoutingOptions(seed: 5, iterations: 200, seconds: nil))
        #expect(plan.unserved.isEmpty)
        #expect(RoutingChecker.violations(of: plan.routes, in: lr101.problem).isEmpty)
    }

    @Test func theSameSeedAndIterationLimitGiveTheSamePlan() throws {
        let r101 = try RoutingBenchmarkInstance.solomon(try Fixtures.string("delivery/R101.txt"))
        let options = RoutingOptions(seed: 11, iterations: 150, seconds: nil)
        let a = RouteOptimiser.solve(r101.problem, options: options), b = RouteOptimiser.solve(r101.problem, options: options)
        #expect(a.routes == b.routes && a.distance == b.distance)
    }

    @Test func fewestVehiclesComesFirstWhenAsked() throws {
        var c101 = try RoutingBenchmarkInstance.solomon(try Fixtures.string("delivery/C101.txt"))
        c101.problem.objective = .fewestVehicles
        let plan = RouteOptimiser.solve(c101.problem, options: RoutingOptions(seed: 1, iterations: 300, seconds: nil))
        #expect(plan.vehicleCount == 10 && plan.unserved.isEmpty)
        #expect(RoutingChecker.violations(of: plan.routes, in: c101.problem).isEmpty)
    }
}
