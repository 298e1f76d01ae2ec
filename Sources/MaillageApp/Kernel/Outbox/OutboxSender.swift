import Foundation
import MaillageCore
import NIOConcurrencyHelpers
import Vapor

/// How the outbox sends: read from the environment (`OUTBOX_*`), fixed in tests.
struct OutboxSettings: Sendable {
    /// How often a process looks for due messages.
    var tick: Duration = .seconds(1)
    /// How long a claim lasts: past it, another process may take the message (and send it again,
    /// with the same identity) — longer than one attempt can take.
    var lease: TimeInterval = 120
    /// Messages taken per claim, and their outcomes recorded in one transaction.
    var batch = 50
    var retry = OutboxRetry.standard
    /// How long delivered and held messages are kept (failed ones twice as long).
    var keep: TimeInterval = 30 * 86_400

    static func fromEnvironment(_ env: [String: String]) throws -> OutboxSettings {
        var settings = OutboxSettings()
        func seconds(_ name: String) throws -> TimeInterval? {
            guard let raw = env[name], !raw.isEmpty else { return nil }
            guard let value = Double(raw), value > 0 else { throw Abort(.internalServerError, reason: "\(name) is a number of seconds, more than 0.") }
            return value
        }
        if let tick = try seconds("OUTBOX_TICK_SECONDS") { settings.tick = .milliseconds(Int64(tick * 1000)) }
        if let lease = try seconds("OUTBOX_LEASE_SECONDS") { settings.lease = lease }
        if let hours = try seconds("OUTBOX_GIVE_UP_HOURS") { settings.retry.giveUpAfter = hours * 3_600 }
        return settings
    }
}

/// Sends what the outbox holds: every process runs one, on its own loop (not a scheduled job:
/// mail such as a password link should leave within seconds, and every process may help).
final class OutboxSender: LifecycleHandler, Sendable {
    let owner: String
    private let channels: [String: any OutboxChannel]
    private let loop = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(channels: [any OutboxChannel]) {
        self.channels = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.owner = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    func didBootAsync(_ app: Application) async throws {
        guard app.maillage.jobsEnabled else { return }
        start(app)
    }

    /// Sends on this process's loop until `stop` (at shutdown; a benchmark starts and stops it).
    func start(_ app: Application) {
        let settings = app.maillage.outbox
        let task = Task { [self] in
            while !Task.isCancelled {
                do {
                    // A full batch means more may be waiting: go on at once.
                    while try await sendDue(app) >= settings.batch, !Task.isCancelled {}
                } catch {
                    app.logger.warning("outbox: claim failed", metadata: ["error": .string(String(describing: error))])
                }
                try? await Task.sleep(for: settings.tick)
            }
        }
        loop.withLockedValue { $0 = task }
    }

    func stop() async {
        let task = loop.withLockedValue { task in defer { task = nil }; return task }
        task?.cancel()
        await task?.value
    }

    func shutdownAsync(_ app: Application) async {
        await stop()
    }

    /// Claims one batch and tries each message once; returns how many it claimed. Messages to
    /// one destination go at most `perDestinationLimit` at a time.
    @discardableResult
    func sendDue(_ app: Application, now: Date = Date()) async throws -> Int {
        let settings = app.maillage.outbox
        let claimed = try await Outbox.claim(owner: owner, limit: settings.batch, leaseUntil: now.addingTimeInterval(settings.lease),
                                             now: now, on: app.db)
        guard !claimed.isEmpty else { return 0 }
        var lanes: [[OutboxMessage]] = []
        for (_, messages) in Dictionary(grouping: claimed, by: { "\($0.channel) \($0.destinationKey)" }) {
            let width = max(1, channels[messages[0].channel]?.perDestinationLimit ?? 1)
            // Split one destination's messages into `width` lanes that run side by side.
            for lane in 0..<min(width, messages.count) {
                lanes.append(stride(from: lane, to: messages.count, by: width).map { messages[$0] })
            }
        }
        let outcomes = await withTaskGroup(of: [(OutboxMessage, DeliveryOutcome)].self) { group in
            for lane in lanes {
                group.addTask { [self] in
                    var outcomes: [(OutboxMessage, DeliveryOutcome)] = []
                    for message in lane { outcomes.append((message, await self.attempt(message, app: app))) }
                    return outcomes
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        do {
            // One transaction for the batch: on SQLite every commit waits for the disk, and the
            // writer is shared with the checkouts that wrote these messages.
            try await Outbox.record(outcomes, owner: owner, retry: settings.retry, now: max(now, Date()), on: app.db)
        } catch {
            // The leases run out and the messages are tried again, each with the same identity.
            app.logger.error("outbox: could not record a batch of attempts", metadata: ["messages": .string(String(outcomes.count)),
                                                                                        "error": .string(String(describing: error))])
        }
        return claimed.count
    }

    private func attempt(_ message: OutboxMessage, app: Application) async -> DeliveryOutcome {
        let outcome: DeliveryOutcome
        if let channel = channels[message.channel] {
            outcome = await channel.deliver(message, app: app)
        } else {
            outcome = .permanentFailure("no channel named \(message.channel) in this instance")
        }
        app.metrics.outboxAttempt(channel: message.channel, outcome: outcome)
        return outcome
    }
}

extension Application {
    private struct OutboxSenderKey: StorageKey { typealias Value = OutboxSender }
    /// The process's sender (tests call `sendDue` on it to deliver without waiting for a tick).
    var outboxSender: OutboxSender? {
        get { storage[OutboxSenderKey.self] }
        set { storage[OutboxSenderKey.self] = newValue }
    }
}
