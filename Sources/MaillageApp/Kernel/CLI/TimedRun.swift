import Foundation
import Vapor

/// One timed benchmark run (`ledger-benchmark`, `food-bench-seed --checkouts`): operations per
/// second, and how long one operation took from its start to its end — what a client waits; with
/// group commit, the wait for its group's sync.
struct TimedRun {
    var rate: Double
    var p50: Duration
    var p99: Duration

    /// "one transfer waits 12.6 ms at p50, 38.5 ms at p99".
    func waitSummary(_ noun: String) -> String {
        String(format: "one %@ waits %.1f ms at p50, %.1f ms at p99", noun, p50.milliseconds, p99.milliseconds)
    }

    /// Runs `body(n)` for n in 0..<count with `width` in flight, printing progress every tenth.
    static func measure(_ count: Int, width: Int, label: String, _ console: any Console,
                        _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> TimedRun {
        let clock = ContinuousClock(), start = clock.now
        var next = 0, done = 0
        let step = max(1, count / 10)
        var waits: [Duration] = []
        waits.reserveCapacity(count)
        try await withThrowingTaskGroup(of: Duration.self) { group in
            func add(_ n: Int) {
                group.addTask { let began = clock.now; try await body(n); return clock.now - began }
            }
            while next < min(width, count) { add(next); next += 1 }
            while let wait = try await group.next() {
                waits.append(wait)
                done += 1
                if done % step == 0 { console.print("  \(label): \(done * 100 / count) %") }
                if next < count { add(next); next += 1 }
            }
        }
        let elapsed = clock.now - start
        waits.sort()
        return TimedRun(rate: Double(count) / max(elapsed.seconds, 1e-9), p50: waits[waits.count / 2],
                        p99: waits[min(waits.count - 1, waits.count * 99 / 100)])
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1_000 }
}
