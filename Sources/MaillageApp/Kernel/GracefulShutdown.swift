import Synchronization
import Vapor

/// Counts requests being answered, so shutdown waits for them before the databases close
/// (a request still running would otherwise find no database and crash the process).
final class InFlightRequests: Sendable {
    private let count = Atomic<Int>(0)
    var current: Int { count.load(ordering: .relaxed) }
    func enter() { count.add(1, ordering: .relaxed) }
    func leave() { count.subtract(1, ordering: .relaxed) }
}

struct InFlightMiddleware: AsyncMiddleware {
    let requests: InFlightRequests

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        requests.enter()
        defer { requests.leave() }
        return try await next.respond(to: request)
    }
}

/// Registered after the database provider, so at shutdown it runs first: it waits (up to a limit)
/// for answers in progress, then lets the databases and the password pool close.
struct DrainOnShutdown: LifecycleHandler {
    let requests: InFlightRequests
    let passwordPool: NIOThreadPool
    let limit: Duration = .seconds(20)

    func shutdownAsync(_ app: Application) async {
        let deadline = ContinuousClock.now + limit
        if requests.current > 0 {
            app.logger.info("waiting for requests in progress", metadata: ["count": "\(requests.current)"])
        }
        while requests.current > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        try? await passwordPool.shutdownGracefully()
    }
}

extension Application {
    private struct PasswordPoolKey: StorageKey { typealias Value = NIOThreadPool }

    /// Bcrypt runs on threads of its own: on the shared pool it would stall SQLite, which uses it too.
    var passwordPool: NIOThreadPool {
        get {
            guard let pool = storage[PasswordPoolKey.self] else { fatalError("configure() starts the password pool") }
            return pool
        }
        set { storage[PasswordPoolKey.self] = newValue }
    }
}

extension Request {
    /// Password hashing off the event loop and off the database threads.
    var passwords: AsyncPasswordHasher {
        password.async(on: application.passwordPool, hopTo: eventLoop)
    }
}
