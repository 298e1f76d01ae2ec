import Fluent
import Vapor

/// What the outbox knows at write time about this instance's channels, carried by the database
/// configuration (as `WriteGroups` is) so that `Outbox.enqueue` finds it on any handle. A channel
/// that holds everything (mail without `SMTP_URL`) gets its rows written `held` at once: nobody
/// needs to claim, try and record them, and on SQLite those would be writes beside the ones that
/// caused the messages (a checkout and its receipt).
final class OutboxPolicy: AnyModelMiddleware {
    let heldChannels: Set<String>
    /// The address absolute links in mail begin with when no request is at hand (a job, a mail
    /// written out when it goes): `BASE_URL`, or the address this process serves on.
    let publicBaseURL: String

    init(heldChannels: Set<String>, publicBaseURL: String = "http://127.0.0.1:8080") {
        self.heldChannels = heldChannels
        self.publicBaseURL = publicBaseURL
    }

    func handle(_ event: ModelEvent, _ model: any AnyModel, on db: any Database,
                chainingTo next: any AnyModelResponder) -> EventLoopFuture<Void> {
        next.handle(event, model, on: db)
    }

    static func use(_ config: AppConfig, on app: Application) {
        let env = ProcessInfo.processInfo.environment
        let served = "http://\(env["HOST"].flatMap { $0.isEmpty || $0 == "0.0.0.0" ? nil : $0 } ?? "127.0.0.1"):\(env["PORT"].flatMap(Int.init) ?? 8080)"
        let policy = OutboxPolicy(heldChannels: config.mail.holdsEverything ? [MailChannel.channelName] : [],
                                  publicBaseURL: config.baseURL ?? served)
        let id: DatabaseID = if case .postgres = config.storage { .psql } else { .sqlite }
        app.databases.middleware.use(policy, on: id)
        // A group commit's transaction runs on the writer's own lane (a SQLite file).
        app.db.writeGroups?.lane?.use(policy)
    }
}

extension Database {
    var outboxPolicy: OutboxPolicy? {
        context.configuration.middleware.lazy.compactMap { $0 as? OutboxPolicy }.first
    }
}
