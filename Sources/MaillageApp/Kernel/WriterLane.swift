import Fluent
import FluentSQLiteDriver
import NIOCore
import NIOPosix
import SQLKit
import Vapor

/// The group writer's own lane on a SQLite file: a connection, a thread for SQLite's work and a
/// thread for the Swift code between statements, none shared with the requests being served.
///
/// Why: a group (`WriteGroups`, `PostingGroups`) runs its statements one after the other, each a
/// round trip from Swift to SQLite's thread and back. On the shared event loops each return
/// queued behind every request being parsed and answered: under 64 checkouts in flight one
/// statement of the writer took 1.3 ms end to end (a group of 20 checkouts: 35 ms, of which the
/// disk sync 2 ms), and the writer is what every checkout waits for. On its own lane a round trip
/// is two thread wake-ups.
///
/// SQLite still has one writer: the lane writes inside `writeTransaction` like anyone else, so it
/// takes turns with the other write transactions of the process. Its SQLite thread is its own,
/// so writes that wait for the lock on the shared pool (a session saved) can never hold the
/// thread its commit needs (see `SQLiteFileWriteTests`).
///
/// Files only: a second connection to an in-memory database would open another, empty database.
final class WriterLane: Sendable {
    private let loops: MultiThreadedEventLoopGroup
    private let threadPool: NIOThreadPool
    private let databases: Databases
    private let loop: any EventLoop
    /// Where a group's code runs between its statements (`GroupQueue` starts its writer there).
    let executor: LoopExecutor

    init(path: String) {
        loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = loops.next()
        threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        databases = Databases(threadPool: threadPool, on: loops)
        databases.use(.sqlite(.file(path)), as: .sqlite)
        executor = LoopExecutor(loop)
    }

    /// Database middleware the lane's connection carries as well as the application's (a group's
    /// transaction runs here and looks for them: `OutboxPolicy`).
    func use(_ middleware: any AnyModelMiddleware) {
        databases.middleware.use(middleware, on: .sqlite)
    }

    /// The lane's one connection, with `logger` (the submitter's, so its request id follows).
    func database(logger: Logger) -> any Database {
        guard let db = databases.database(.sqlite, logger: logger, on: loop) else { fatalError("the writer lane configures .sqlite") }
        return db
    }

    func shutdown() async {
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
        try? await loops.shutdownGracefully()
    }

    /// Closes the lane with the application.
    struct Lifecycle: LifecycleHandler {
        let lane: WriterLane
        func shutdownAsync(_ application: Application) async { await lane.shutdown() }
    }
}

/// An event loop as the executor a task prefers (SE-0417): the task's code, and the actors it
/// calls that have no executor of their own, run on that loop's thread.
final class LoopExecutor: TaskExecutor {
    let loop: any EventLoop

    /// The lane's executor while a group writer runs. Fluent runs a transaction's body in a task
    /// of its own, which keeps task-locals but not the executor preference; `writeTransaction`
    /// reads this to put the body back on the lane.
    @TaskLocal static var current: LoopExecutor?

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
