import Synchronization
import Vapor

/// Request counters and latency histograms in Prometheus' text format, per process
/// (Prometheus scrapes each replica and sums them).
final class MetricsRegistry: Sendable {
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    private struct RouteKey: Hashable { let method: String; let route: String; let status: UInt }
    private struct Histogram {
        var counts = [UInt64](repeating: 0, count: MetricsRegistry.buckets.count)
        var sum = 0.0
        var count: UInt64 = 0
    }
    private struct State {
        var requests: [RouteKey: UInt64] = [:]
        var durations: [String: Histogram] = [:]
        var jobRuns: [String: [String: UInt64]] = [:]
        var outboxAttempts: [String: [String: UInt64]] = [:]
    }

    private let state = Mutex(State())
    private let started = Date()

    func observe(method: String, route: String, status: UInt, seconds: Double) {
        state.withLock { state in
            state.requests[RouteKey(method: method, route: route, status: status), default: 0] += 1
            var histogram = state.durations[route] ?? Histogram()
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound { histogram.counts[index] += 1 }
            histogram.sum += seconds
            histogram.count += 1
            state.durations[route] = histogram
        }
    }

    func jobRan(_ name: String, outcome: String) {
        state.withLock { $0.jobRuns[name, default: [:]][outcome, default: 0] += 1 }
    }

    func outboxAttempt(channel: String, outcome: DeliveryOutcome) {
        let name = switch outcome {
        case .delivered: "sent"
        case .held: "held"
        case .transientFailure: "retry"
        case .permanentFailure: "failed"
        }
        state.withLock { $0.outboxAttempts[channel, default: [:]][name, default: 0] += 1 }
    }

    func render() -> String {
        let snapshot = state.withLock { $0 }
        var out = "# HELP maillage_http_requests_total HTTP requests answered, by route pattern and status.\n"
        out += "# TYPE maillage_http_requests_total counter\n"
        for (key, value) in snapshot.requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "maillage_http_requests_total{method=\"\(key.method)\",route=\"\(escape(key.route))\",status=\"\(key.status)\"} \(value)\n"
        }
        out += "# HELP maillage_http_request_duration_seconds Time to answer, by route pattern.\n"
        out += "# TYPE maillage_http_request_duration_seconds histogram\n"
        for (route, histogram) in snapshot.durations.sorted(by: { $0.key < $1.key }) {
            let label = escape(route)
            for (index, bound) in Self.buckets.enumerated() {
                out += "maillage_http_request_duration_seconds_bucket{route=\"\(label)\",le=\"\(bound)\"} \(histogram.counts[index])\n"
            }
            out += "maillage_http_request_duration_seconds_bucket{route=\"\(label)\",le=\"+Inf\"} \(histogram.count)\n"
            out += "maillage_http_request_duration_seconds_sum{route=\"\(label)\"} \(histogram.sum)\n"
            out += "maillage_http_request_duration_seconds_count{route=\"\(label)\"} \(histogram.count)\n"
        }
        out += "# HELP maillage_job_runs_total Scheduled job runs in this process, by outcome.\n"
        out += "# TYPE maillage_job_runs_total counter\n"
        for (job, outcomes) in snapshot.jobRuns.sorted(by: { $0.key < $1.key }) {
            for (outcome, value) in outcomes.sorted(by: { $0.key < $1.key }) {
                out += "maillage_job_runs_total{job=\"\(escape(job))\",outcome=\"\(outcome)\"} \(value)\n"
            }
        }
        out += "# HELP maillage_outbox_attempts_total Outbox delivery attempts in this process, by channel and outcome.\n"
        out += "# TYPE maillage_outbox_attempts_total counter\n"
        for (channel, outcomes) in snapshot.outboxAttempts.sorted(by: { $0.key < $1.key }) {
            for (outcome, value) in outcomes.sorted(by: { $0.key < $1.key }) {
                out += "maillage_outbox_attempts_total{channel=\"\(escape(channel))\",outcome=\"\(outcome)\"} \(value)\n"
            }
        }
        out += "# HELP maillage_process_start_time_seconds Start time of the process since the epoch.\n"
        out += "# TYPE maillage_process_start_time_seconds gauge\n"
        out += "maillage_process_start_time_seconds \(Int(started.timeIntervalSince1970))\n"
        return out
    }

    private func escape(_ label: String) -> String {
        label.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}

extension Application {
    private struct MetricsKey: StorageKey { typealias Value = MetricsRegistry }
    var metrics: MetricsRegistry {
        if let existing = storage[MetricsKey.self] { return existing }
        let registry = MetricsRegistry()
        storage[MetricsKey.self] = registry
        return registry
    }
}

/// Times every request and counts it under its route pattern (never the raw path: bounded labels).
struct MetricsMiddleware: AsyncMiddleware {
    let registry: MetricsRegistry

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next.respond(to: request)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        registry.observe(method: request.method.rawValue, route: route, status: response.status.code, seconds: seconds)
        return response
    }
}
