import Fluent
import MaillageCore
import Vapor

/// Assembles the application from its configuration: database, middleware, modules, jobs.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.maillage = config
    InstanceSeal.configure(secret: config.sessionSecret)
    try DatabaseSetup.use(config.storage, schema: config.postgresSchema, on: app)
    OutboxPolicy.use(config, on: app)
    if app.environment == .testing {
        app.passwords.use(.bcrypt(cost: 4)) // tests hash hundreds of passwords
    }
    // Bodies over 1 MB are refused with 413 before they are read.
    app.routes.defaultMaxBodySize = "1mb"

    let inFlight = InFlightRequests()
    let passwordPool = NIOThreadPool(numberOfThreads: max(1, System.coreCount / 2))
    passwordPool.start()
    app.passwordPool = passwordPool

    app.middleware = Middlewares()
    app.middleware.use(InFlightMiddleware(requests: inFlight))
    // Outermost first: metrics and security headers also wrap the answers made from errors.
    app.middleware.use(MetricsMiddleware(registry: app.metrics))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(MaillageErrorMiddleware())

    app.sessions.use { app in
        DatabaseSessions(secret: SymmetricKey(data: Data(app.maillage.sessionSecret.utf8)), lifetime: app.maillage.sessionLifetime)
    }
    app.sessions.configuration = SessionsConfiguration(cookieName: "maillage_session") { id in
        HTTPCookies.Value(string: id.string, expires: Date().addingTimeInterval(config.sessionLifetime),
                          maxAge: Int(config.sessionLifetime), path: "/", isSecure: config.secureCookies,
                          isHTTPOnly: true, sameSite: .lax)
    }

    for module in Modules.all {
        for migration in module.migrations { app.migrations.add(migration) }
    }

    PlainRoutes.register(app)
    // Sessions wrap every HTML answer, error pages included (their language and header follow the
    // person); the JSON API, probes and assets never read them.
    app.middleware.use(PageSessionMiddleware(sessions: app.sessions.middleware, authenticator: User.sessionAuthenticator()))
    let pages = app.grouped(ViewerMiddleware(), TwoFactorEnrolmentGate(), CSRFMiddleware(), FormOnceMiddleware(), UnreadBadgeMiddleware())
    let api = app.grouped("api", "v1").grouped(BearerTokenAuthenticator(), ViewerMiddleware())
    for module in Modules.all {
        module.pages(pages)
        module.api(api)
    }

    let scheduler = JobScheduler(jobs: Modules.all.flatMap(\.jobs))
    app.scheduler = scheduler
    app.lifecycle.use(scheduler)
    app.mailTemplates = Dictionary(Modules.all.flatMap(\.mailTemplates).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    let outboxSender = OutboxSender(channels: [app.maillage.mail] + Modules.all.flatMap(\.outboxChannels))
    app.outboxSender = outboxSender
    app.lifecycle.use(outboxSender)
    app.lifecycle.use(DrainOnShutdown(requests: inFlight, passwordPool: passwordPool))
    await app.installSafeFetcher()
    app.safeFetchPolicy = config.safeFetchPolicy
}
