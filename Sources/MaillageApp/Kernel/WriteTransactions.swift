import Fluent
import SQLKit

/// SQLite allows one writer at a time. Two deferred transactions that both read, then write, can
/// deadlock inside SQLite's busy handler; queueing this process's write transactions in Swift
/// avoids it. PostgreSQL needs no queue: row locks and conditional updates do the work there.
actor WriterQueue {
    static let sqlite = WriterQueue()

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}

extension Database {
    /// A transaction that writes. Same guarantees on both engines; on SQLite it waits its turn.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !isPostgres else { return try await transaction(body) }
        // Already inside one: the same transaction (waiting for the writer here would wait for ourselves).
        if inTransaction { return try await body(self) }
        await WriterQueue.sqlite.acquire()
        do {
            // On a group writer's lane, the body stays there (see `LoopExecutor.current`).
            let lane = LoopExecutor.current
            let result = try await transaction { tx in try await withTaskExecutorPreference(lane) { try await body(tx) } }
            await WriterQueue.sqlite.release()
            return result
        } catch {
            await WriterQueue.sqlite.release()
            throw error
        }
    }
}
