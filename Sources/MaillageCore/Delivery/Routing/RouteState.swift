/// One route with what makes an insertion's check O(1): for every point of the route (the start
/// depot at 0, the tasks at 1…m, the end depot at m+1) the time service starts, the latest time it
/// may start without making a later stop late, the load after it, and the running maxima of the
/// load before and after it.
struct RouteState {
    var tasks: [Int] = []
    var place: [Int] = []
    var start: [Double] = []
    var latest: [Double] = []
    var service: [Double] = []
    var ready: [Double] = []
    var loadW: [Double] = []
    var loadV: [Double] = []
    var beforeMaxW: [Double] = []
    var beforeMaxV: [Double] = []
    var afterMaxW: [Double] = []
    var afterMaxV: [Double] = []
    /// Sum of the objective's arc costs (distance, or time for the least-time objective).
    var arcCost = 0.0
    var distance = 0.0
    /// From the shift's start to the return at the end place.
    var duration = 0.0

    var isEmpty: Bool { tasks.isEmpty }
}

/// Each step of the latest-start chain gives up this much, so that a check made backwards (by
/// subtractions) never accepts what the forward pass (by additions, as the checker does) rounds
/// the other way.
let latestStartMargin = 1e-7
