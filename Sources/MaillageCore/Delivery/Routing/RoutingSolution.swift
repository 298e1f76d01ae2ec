/// A plan under construction: the routes, where each task is, and who is left out.
struct RoutingSolution {
    var routes: [RouteState]
    /// Route of each task, -1 when absent.
    var routeOf: [Int]
    var absent: [Int]
    var cost = 0.0

    init(engine: RoutingEngine, vehicleCount: Int) {
        routes = [RouteState](repeating: RouteState(), count: vehicleCount)
        routeOf = [Int](repeating: -1, count: engine.taskCount)
        absent = []
    }

    var distance: Double { routes.reduce(0) { $0 + $1.distance } }
}

extension RoutingEngine {
    /// Penalty for each task left out: more than any plan serving it could cost.
    var absencePenalty: Double { (vehicleCost + scale * 4 + 1) * Double(taskCount + 2) * 10 }

    func totalCost(_ s: RoutingSolution) -> Double {
        var sum = 0.0, longest = -Double.infinity, shortest = Double.infinity
        // The spread is over every courier on shift: one left idle counts as zero hours.
        for r in s.routes {
            sum += routeCost(r)
            longest = max(longest, r.duration)
            shortest = min(shortest, r.duration)
        }
        if fairnessWeight > 0, longest >= shortest { sum += fairnessWeight * (longest - shortest) }
        return sum + Double(s.absent.count) * absencePenalty
    }

    /// The cheapest feasible place for a task (or a pair) in route `r`, or nil.
    /// `blink`: chance of skipping a position, which varies the plans the search visits.
    @inline(__always)
    func bestInsertion(of u: Int, in r: RouteState, vehicle v: Int, blink: Double, random: inout RoutingRandom,
                       bound: Double) -> (cost: Double, i: Int, j: Int)? {
        let m = r.tasks.count, pu = place[u], f = timeFactor[v]
        let capW = capacityW[v], capV = capacityV[v], fixed = startedCount[v]
        var best = bound, bi = -1, bj = -1
        let row = placeCount
        if kind[u] != 2 {
            // A dropoff alone is one whose pickup is already on board: it only lightens the load.
            let isDropoff = kind[u] == 3
            let wu = isDropoff ? 0 : weight[u], vu = isDropoff ? 0 : volume[u], isDelivery = kind[u] == 0
            if wu > capW || vu > capV { return nil }
            for k in fixed...m {
                if blink > 0 && random.unit() < blink { continue }
                if isDropoff {
                } else if isDelivery {
                    if r.beforeMaxW[k] + wu > capW || r.beforeMaxV[k] + vu > capV { break }
                } else if max(r.loadW[k], r.afterMaxW[k + 1]) + wu > capW || max(r.loadV[k], r.afterMaxV[k + 1]) + vu > capV { continue }
                let a = r.place[k], b = r.place[k + 1]
                let delta = arc[a * row + pu] + arc[pu * row + b] - arc[a * row + b]
                if delta >= best { continue }
                let su = serviceStart(after: r.start[k], service: r.service[k], travel: time[a * row + pu] * f, ready: ready[u])
                if su > due[u] { if r.start[k] > due[u] { break }; continue }
                let sn = serviceStart(after: su, service: service[u], travel: time[pu * row + b] * f, ready: r.ready[k + 1])
                if sn > r.latest[k + 1] { continue }
                best = delta; bi = k; bj = k
            }
        } else {
            let d = sibling[u], pd = place[d], wu = weight[u], vu = volume[u]
            if wu > capW || vu > capV { return nil }
            for i in fixed...m {
                if blink > 0 && random.unit() < blink { continue }
                let a = r.place[i], b = r.place[i + 1]
                let sp = serviceStart(after: r.start[i], service: r.service[i], travel: time[a * row + pu] * f, ready: ready[u])
                if sp > due[u] { if r.start[i] > due[u] { break }; continue }
                var maxW = r.loadW[i] + wu, maxV = r.loadV[i] + vu
                if maxW > capW || maxV > capV { continue }
                let pickupDelta = arc[a * row + pu] - arc[a * row + b]
                if pickupDelta + arc[pu * row + b] >= best && pickupDelta + arc[pu * row + pd] >= best { continue }
                // Dropoff right after the pickup.
                do {
                    let sd = serviceStart(after: sp, service: service[u], travel: time[pu * row + pd] * f, ready: ready[d])
                    if sd <= due[d] {
                        let sn = serviceStart(after: sd, service: service[d], travel: time[pd * row + b] * f, ready: r.ready[i + 1])
                        let delta = pickupDelta + arc[pu * row + pd] + arc[pd * row + b]
                        if sn <= r.latest[i + 1] && delta < best { best = delta; bi = i; bj = i }
                    }
                }
                // Dropoff after a later stop j: the stops i+1…j are pushed later and carry the load.
                var prevStart = sp, prevService = service[u], prevPlace = pu
                let pickupCost = pickupDelta + arc[pu * row + b]
                var j = i + 1
                while j <= m {
                    let pj = r.place[j]
                    let sj = serviceStart(after: prevStart, service: prevService, travel: time[prevPlace * row + pj] * f, ready: r.ready[j])
                    if sj > r.latest[j] { break }
                    maxW = max(maxW, r.loadW[j] + wu); maxV = max(maxV, r.loadV[j] + vu)
                    if maxW > capW || maxV > capV { break }
                    let c = r.place[j + 1]
                    let delta = pickupCost + arc[pj * row + pd] + arc[pd * row + c] - arc[pj * row + c]
                    if delta < best {
                        let sd = serviceStart(after: sj, service: r.service[j], travel: time[pj * row + pd] * f, ready: ready[d])
                        if sd <= due[d] {
                            let sn = serviceStart(after: sd, service: service[d], travel: time[pd * row + c] * f, ready: r.ready[j + 1])
                            if sn <= r.latest[j + 1] { best = delta; bi = i; bj = j }
                        }
                    }
                    prevStart = sj; prevService = r.service[j]; prevPlace = pj
                    j += 1
                }
            }
        }
        return bi >= 0 ? (best, bi, bj) : nil
    }

    /// Puts task `u` (and its dropoff when it is a pickup) after points `i` and `j` of route `r`.
    func insert(_ u: Int, into s: inout RoutingSolution, route r: Int, i: Int, j: Int) {
        if kind[u] == 2 {
            let d = sibling[u]
            s.routes[r].tasks.insert(d, at: j)
            s.routes[r].tasks.insert(u, at: i)
            s.routeOf[d] = r
        } else {
            s.routes[r].tasks.insert(u, at: i)
        }
        s.routeOf[u] = r
        refresh(&s.routes[r], vehicle: r)
    }
}
