import Foundation

/// A benchmark instance read from its text file: the problem, and the file's number of each task.
public struct RoutingBenchmarkInstance: Sendable {
    public var name: String
    public var problem: RoutingProblem
    /// The file's customer number of each task, in task order.
    public var customerNumbers: [Int]

    public struct FormatError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Solomon's VRPTW format: a name, the fleet size and capacity, then one line per customer
    /// `number x y demand ready due service` (customer 0 is the depot). Unrounded Euclidean
    /// distances, travel time = distance, vehicles leave the depot at its ready time and are back
    /// by its due time.
    public static func solomon(_ text: String) throws -> RoutingBenchmarkInstance {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }) }
        let name = lines.first { !$0.isEmpty }.map { $0.joined(separator: " ") } ?? "instance"
        var fleet: (count: Int, capacity: Double)?
        var rows: [[Double]] = []
        for fields in lines where !fields.isEmpty {
            let numbers = fields.compactMap { Double($0) }
            guard numbers.count == fields.count else { continue }
            if numbers.count == 2 && fleet == nil && rows.isEmpty { fleet = (Int(numbers[0]), numbers[1]) }
            if numbers.count == 7 { rows.append(numbers) }
        }
        guard let fleet, fleet.count > 0, rows.count >= 2, rows[0][0] == 0 else {
            throw FormatError(description: "not a Solomon instance (fleet line, then a depot line numbered 0 and customer lines)")
        }
        let matrix = RoutingMatrix.euclidean(rows.map { ($0[1], $0[2]) })
        let depot = rows[0]
        let vehicle = RoutingVehicle(startPlace: 0, shiftStart: depot[4], shiftEnd: depot[5], capacity: RoutingLoad(weight: fleet.capacity, volume: .infinity))
        let tasks = rows.indices.dropFirst().map { i in
            RoutingTask(place: i, ready: rows[i][4], due: rows[i][5], service: rows[i][6], load: RoutingLoad(weight: rows[i][3]))
        }
        return RoutingBenchmarkInstance(name: name, problem: RoutingProblem(matrix: matrix, vehicles: Array(repeating: vehicle, count: fleet.count), tasks: tasks),
                                        customerNumbers: rows.dropFirst().map { Int($0[0]) })
    }

    /// Li & Lim's PDPTW format: `vehicles capacity speed`, then one line per node
    /// `number x y demand ready due service pickup delivery` (node 0 is the depot; a pickup names
    /// its delivery, a delivery its pickup).
    public static func liLim(_ text: String, name: String = "instance") throws -> RoutingBenchmarkInstance {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) } }
            .filter { !$0.isEmpty }
        guard let head = lines.first, head.count >= 2, head[0] > 0 else { throw FormatError(description: "not a Li & Lim instance (first line: vehicles capacity speed)") }
        let rows = lines.dropFirst().filter { $0.count == 9 }
        guard rows.count >= 3, rows.first?[0] == 0 else { throw FormatError(description: "not a Li & Lim instance (a depot line numbered 0, then node lines)") }
        let nodes = Array(rows)
        var indexOf: [Int: Int] = [:]
        for (i, row) in nodes.enumerated() { indexOf[Int(row[0])] = i }
        let speed = head.count >= 3 && head[2] > 0 ? head[2] : 1
        let matrix = RoutingMatrix.euclidean(nodes.map { ($0[1], $0[2]) })
        let depot = nodes[0]
        let vehicle = RoutingVehicle(startPlace: 0, shiftStart: depot[4], shiftEnd: depot[5], capacity: RoutingLoad(weight: head[1], volume: .infinity),
                                     timeFactor: 1 / speed)
        var tasks: [RoutingTask] = []
        for i in nodes.indices.dropFirst() {
            let row = nodes[i]
            let kind: RoutingTaskKind
            if row[7] != 0 {
                guard let p = indexOf[Int(row[7])], p > 0 else { throw FormatError(description: "node \(Int(row[0])) names an unknown pickup") }
                kind = .dropoff(pickup: p - 1)
            } else if row[8] != 0 {
                guard let d = indexOf[Int(row[8])], d > 0 else { throw FormatError(description: "node \(Int(row[0])) names an unknown delivery") }
                kind = .pickup(delivery: d - 1)
            } else {
                kind = row[3] < 0 ? .delivery : .collection
            }
            tasks.append(RoutingTask(place: i, ready: row[4], due: row[5], service: row[6], load: RoutingLoad(weight: abs(row[3])), kind: kind))
        }
        for (t, task) in tasks.enumerated() {
            if let s = task.sibling, tasks[s].sibling != t {
                throw FormatError(description: "node \(Int(nodes[t + 1][0])) and node \(Int(nodes[s + 1][0])) do not name each other")
            }
        }
        return RoutingBenchmarkInstance(name: name, problem: RoutingProblem(matrix: matrix, vehicles: Array(repeating: vehicle, count: Int(head[0])), tasks: tasks),
                                        customerNumbers: nodes.dropFirst().map { Int($0[0]) })
    }

    /// The literature's distance convention for the distance-only best-known values: each leg
    /// truncated to one decimal.
    public func truncatedDistance(of routes: [PlannedRoute]) -> Double {
        let m = problem.matrix
        var total = 0.0
        for route in routes where !route.tasks.isEmpty {
            let vehicle = problem.vehicles[route.vehicle]
            var places = [vehicle.startPlace] + route.tasks.map { problem.tasks[$0].place }
            places.append(vehicle.endPlace)
            for (a, b) in zip(places, places.dropFirst()) { total += (m.distance(a, b) * 10).rounded(.down) / 10 }
        }
        return total
    }
}
