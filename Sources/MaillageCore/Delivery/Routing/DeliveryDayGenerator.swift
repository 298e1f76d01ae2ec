import Foundation

/// A generated delivery day of a small cooperative, the same for a given seed: couriers on cargo
/// bikes leaving a hub, parcels to deliver from the hub in customers' windows, and pairs to carry
/// from a producer to a customer, with a lunch break each. What the optimiser's day measurement
/// plans (a day of 200 tasks and 10 couriers by default).
public enum DeliveryDayGenerator {
    /// The hub, in the middle of the town (Nantes).
    static let hub = GeoPoint(lat: 47.2184, lon: -1.5536)!

    public static func day(tasks taskCount: Int = 200, couriers: Int = 10, seed: UInt64 = 1) -> RoutingProblem {
        var random = RoutingRandom(seed: seed)
        var places = [hub]
        func somewhere(radiusKm: Double) -> Int {
            let r = radiusKm * random.unit().squareRoot(), angle = random.unit() * 2 * .pi
            let lat = hub.lat + r * cos(angle) / 111.2, lon = hub.lon + r * sin(angle) / (111.2 * cos(hub.lat * .pi / 180))
            places.append(GeoPoint(lat: lat, lon: lon)!)
            return places.count - 1
        }
        let hour = 3600.0
        var tasks: [RoutingTask] = []
        let pairs = taskCount / 7, deliveries = taskCount - 2 * pairs
        func window() -> (Double, Double) {
            let open = (8.5 + random.unit() * 7.5).rounded(.down) * hour
            return (open, open + (random.unit() < 0.5 ? 2 : 4) * hour)
        }
        for _ in 0..<deliveries {
            let (open, close) = window()
            tasks.append(RoutingTask(place: somewhere(radiusKm: 4), ready: open, due: close, service: 180,
                                     load: RoutingLoad(weight: 1 + Double(random.below(5)), volume: 5 + Double(random.below(20)))))
        }
        for _ in 0..<pairs {
            let producer = somewhere(radiusKm: 5), customer = somewhere(radiusKm: 4)
            let (open, close) = window()
            let load = RoutingLoad(weight: 2 + Double(random.below(12)), volume: 10 + Double(random.below(40)))
            let p = tasks.count
            tasks.append(RoutingTask(place: producer, ready: open - hour, due: close - hour, service: 300, load: load, kind: .pickup(delivery: p + 1)))
            tasks.append(RoutingTask(place: customer, ready: open, due: close + hour, service: 180, load: load, kind: .dropoff(pickup: p)))
        }
        // Cargo bikes ride at about 15 km/h where the estimator assumes 50 km/h by car.
        let bike = 50.0 / 15.0
        let vehicles = (0..<couriers).map { c in
            let early = c % 2 == 0
            return RoutingVehicle(startPlace: 0, shiftStart: (early ? 8 : 10) * hour, shiftEnd: (early ? 16 : 18.5) * hour,
                                  capacity: RoutingLoad(weight: 100, volume: 400), timeFactor: bike,
                                  breaks: [RoutingBreak(place: 0, earliest: 12 * hour, latest: 14 * hour, duration: 1800)])
        }
        return RoutingProblem(matrix: .estimated(places), vehicles: vehicles, tasks: tasks, objective: .leastDistance)
    }
}
