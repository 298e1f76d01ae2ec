import Fluent
import MaillageCore
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// A periodic task a module declares (close order cycles, open votes, purge data...).
struct ScheduledJob: Sendable {
    let name: String
    let schedule: JobSchedule
    let run: @Sendable (Application) async throws -> Void

    init(_ name: String, every seconds: Int64, run: @escaping @Sendable (Application) async throws -> Void) {
        self.name = name
        self.schedule = JobSchedule(everySeconds: seconds)
        self.run = run
    }
}

/// Runs each due job once per slot across every process sharing the database: a run starts by
/// inserting its (job, slot) row, and the unique key lets exactly one process win.
final class JobScheduler: LifecycleHandler, Sendable {
    let jobs: [ScheduledJob]
    let owner: String
    private let loop = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(jobs: [ScheduledJob]) {
        self.jobs = jobs
        self.owner = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    func didBootAsync(_ app: Application) async throws {
        guard app.maillage.jobsEnabled else { return }
        let tick = app.maillage.jobTick
        app.logger.info("job scheduler started", metadata: ["jobs": .string(jobs.map(\.name).joined(separator: ",")), "owner": .string(owner)])
        let task = Task { [self] in
            while !Task.isCancelled {
                _ = await self.runDue(app, now: Date())
                try? await Task.sleep(for: tick)
            }
        }
        loop.withLockedValue { $0 = task }
    }

    func shutdownAsync(_ app: Application) async {
        let task = loop.withLockedValue { task in defer { task = nil }; return task }
        task?.cancel()
        await task?.value
    }

    /// Runs the jobs whose current slot no process has claimed yet; returns the names it ran.
    @discardableResult
    func runDue(_ app: Application, now: Date) async -> [String] {
        var ran: [String] = []
        for job in jobs {
            let slot = job.schedule.slot(atUnix: Int64(now.timeIntervalSince1970))
            let runID = UUID()
            do {
                try await app.db.sql.insert(into: JobRuns.table)
                    .columns("id", "job", "slot", "owner", "started_at")
                    .values(SQLBind(runID), SQLBind(job.name), SQLBind(slot), SQLBind(owner), SQLBind(Date()))
                    .run()
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue // another process (or an earlier tick) has this slot
            } catch {
                app.logger.warning("job claim failed", metadata: ["job": .string(job.name), "error": .string(String(describing: error))])
                continue
            }
            var outcome = "ok", detail = ""
            do {
                try await job.run(app)
            } catch {
                outcome = "failed"
                detail = String(String(describing: error).prefix(500))
                app.logger.error("job failed", metadata: ["job": .string(job.name), "error": .string(detail)])
            }
            app.metrics.jobRan(job.name, outcome: outcome)
            try? await app.db.sql.update(JobRuns.table)
                .set("finished_at", to: SQLBind(Date())).set("outcome", to: SQLBind(outcome)).set("detail", to: SQLBind(detail))
                .where("id", .equal, SQLBind(runID)).run()
            ran.append(job.name)
        }
        return ran
    }
}

enum JobRuns {
    static let table = "job_runs"
}

struct CreateJobRuns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(JobRuns.table)
            .field("id", .uuid, .identifier(auto: false))
            .field("job", .string, .required)
            .field("slot", .int64, .required)
            .field("owner", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("outcome", .string)
            .field("detail", .string)
            .unique(on: "job", "slot", name: "job_runs_once_per_slot")
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(JobRuns.table).delete()
    }
}

extension Application {
    private struct SchedulerKey: StorageKey { typealias Value = JobScheduler }
    var scheduler: JobScheduler? {
        get { storage[SchedulerKey.self] }
        set { storage[SchedulerKey.self] = newValue }
    }
}
