import MaillageCore
import Testing

@Suite("Route optimiser: the checker refuses each kind of fault")
struct RoutingCheckerTests {
    /// Places on a line every 10 units from the depot (place 0); one courier, capacity 10, shift 0…100.
    /// Task 0 delivers 4 at place 1 before 50 (service 5); task 1 picks up 5 at place 2, dropped at place 3 (task 2).
    static func problem(capacity: Double = 10, shiftEnd: Double = 100, firstDue: Double = 50, vehicles: Int = 2) -> RoutingProblem {
        let matrix = RoutingMatrix.euclidean([(0, 0), (10, 0), (20, 0), (30, 0)])
        let vehicle = RoutingVehicle(startPlace: 0, shiftEnd: shiftEnd, capacity: RoutingLoad(weight: capacity, volume: 100))
        return RoutingProblem(matrix: matrix, vehicles: Array(repeating: vehicle, count: vehicles), tasks: [
            RoutingTask(place: 1, due: firstDue, service: 5, load: RoutingLoad(weight: 4, volume: 1)),
            RoutingTask(place: 2, load: RoutingLoad(weight: 5, volume: 1), kind: .pickup(delivery: 2)),
            RoutingTask(place: 3, load: RoutingLoad(weight: 5, volume: 1), kind: .dropoff(pickup: 1)),
        ])
    }

    static let good = [PlannedRoute(vehicle: 0, tasks: [0, 1, 2])]

    @Test func aGoodPlanPasses() {
        #expect(RoutingChecker.violations(of: Self.good, in: Self.problem()).isEmpty)
        #expect(RoutingChecker.distance(of: Self.good, in: Self.problem()) == 60)
    }

    @Test func lateServiceIsRefused() {
        #expect(RoutingChecker.violations(of: Self.good, in: Self.problem(firstDue: 9.5)) == [.late(task: 0, by: 0.5)])
    }

    @Test func aLateReturnIsRefused() {
        #expect(RoutingChecker.violations(of: Self.good, in: Self.problem(shiftEnd: 64)) == [.backLate(vehicle: 0, by: 1)])
    }

    @Test func tooMuchOnBoardIsRefused() {
        // 4 on board at the start fits 4.5; after the pickup 5 does not.
        #expect(RoutingChecker.violations(of: Self.good, in: Self.problem(capacity: 4.5)) == [.overCapacity(vehicle: 0, afterTask: 1)])
        #expect(RoutingChecker.violations(of: Self.good, in: Self.problem(capacity: 3)).contains(.overCapacity(vehicle: 0, afterTask: nil)))
    }

    @Test func aPairOnTwoRoutesIsRefused() {
        let split = [PlannedRoute(vehicle: 0, tasks: [0, 1]), PlannedRoute(vehicle: 1, tasks: [2])]
        #expect(RoutingChecker.violations(of: split, in: Self.problem()).contains(.pairSplit(pickup: 1)))
    }

    @Test func aDropoffBeforeItsPickupIsRefused() {
        #expect(RoutingChecker.violations(of: [PlannedRoute(vehicle: 0, tasks: [0, 2, 1])], in: Self.problem()).contains(.pairOutOfOrder(pickup: 1)))
    }

    @Test func aTaskServedTwiceOrMissingIsRefused() {
        #expect(RoutingChecker.violations(of: [PlannedRoute(vehicle: 0, tasks: [0, 1, 2, 0])], in: Self.problem()).contains(.servedTwice(task: 0)))
        #expect(RoutingChecker.violations(of: [PlannedRoute(vehicle: 0, tasks: [1, 2])], in: Self.problem()) == [.missing(task: 0)])
        // Declared unserved, it is no longer missing; both routed and unserved, it is twice.
        #expect(RoutingChecker.violations(of: [PlannedRoute(vehicle: 0, tasks: [1, 2])], unserved: [0], in: Self.problem()).isEmpty)
        #expect(RoutingChecker.violations(of: Self.good, unserved: [0], in: Self.problem()) == [.servedTwice(task: 0)])
    }

    @Test func aTaskOnAnotherCourierOrAMovedStartedTaskIsRefused() {
        var problem = Self.problem()
        problem.tasks[0].vehicle = 1
        #expect(RoutingChecker.violations(of: Self.good, in: problem) == [.wrongVehicle(task: 0)])
        problem = Self.problem()
        problem.vehicles[0].startedTasks = [1]
        #expect(RoutingChecker.violations(of: Self.good, in: problem) == [.startedTasksMoved(vehicle: 0)])
    }

    @Test func aCourierUsedTwiceOrUnknownIsRefused() {
        let twice = [PlannedRoute(vehicle: 0, tasks: [0]), PlannedRoute(vehicle: 0, tasks: [1, 2])]
        #expect(RoutingChecker.violations(of: twice, in: Self.problem()) == [.vehicleUsedTwice(vehicle: 0)])
        #expect(RoutingChecker.violations(of: [PlannedRoute(vehicle: 7, tasks: [0, 1, 2])], in: Self.problem()).contains(.unknownVehicle(7)))
    }
}
