import Fluent
import MaillageCore
import Vapor

/// What every instance has whatever its modules: health, metrics, assets, language, API description, sessions.
struct KernelModule: MaillageModule {
    let name = "kernel"
    var migrations: [any Migration] { [CreateSessions(), CreateJobRuns(), CreateOutbox(), CreateFormSubmissions(), OutboxPendingIndex()] }

    var jobs: [ScheduledJob] {
        [
            ScheduledJob("purge-expired-sessions", every: 600) { app in
                try await DatabaseSessions.purgeExpired(on: app.db)
            },
            ScheduledJob("purge-form-submissions", every: 3_600) { app in
                try await FormSubmissions.purge(on: app.db)
            },
            ScheduledJob("purge-outbox", every: 3_600) { app in
                try await Outbox.purge(olderThan: app.maillage.outbox.keep, on: app.db)
            },
        ]
    }

    func pages(_ routes: any RoutesBuilder) {
        routes.get("lang", ":code", use: LanguageSwitch.choose)
        routes.get("api", "docs", use: AboutPages.apiDocs)
        Threads.routes(routes)
    }

    func api(_ routes: any RoutesBuilder) {
        ThreadAPI.routes(routes)
    }

    var openAPI: OpenAPIFragment { ThreadAPI.openAPI }

    /// What a person wrote in threads is wiped; their blocks and the reasons of their reports go.
    func erasePersonalData(of user: UUID, name: String, pseudonym: String, on db: any Database) async throws {
        try await ThreadStore.erase(user, on: db)
    }
}

/// Routes outside sessions: probes, metrics, static assets, the API description.
enum PlainRoutes {
    static func register(_ app: Application) {
        app.get("healthz") { _ -> Response in
            let response = Response(status: .ok, body: .init(staticString: "ok\n"))
            response.headers.contentType = .plainText
            return response
        }
        app.get("metrics") { req -> Response in
            guard MetricsAccess.allows(req) else { throw Abort(.notFound) }
            let response = Response(status: .ok, body: .init(string: req.application.metrics.render()))
            response.headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
            return response
        }
        app.get("assets", "maillage.css") { _ in Assets.response(Assets.css, type: "text/css; charset=utf-8") }
        app.get("assets", "favicon.svg") { _ in Assets.response(Assets.favicon, type: "image/svg+xml") }
        app.get("api", "openapi.json") { req -> Response in
            let document = OpenAPIDocument.build(for: Modules.all, serverURL: req.application.maillage.baseURL)
            let response = Response(status: .ok)
            try response.content.encode(document)
            return response
        }
    }
}
