import Fluent
import Logging
import NIOCore
import NIOPosix
import Vapor

/// `maillage serve [--demo] [--hostname H] [--port P]`, `migrate`, `demo`, `tally`, `tally-benchmark`.
public enum MaillageCommandLine {
    public static func run(arguments: [String] = CommandLine.arguments) async {
        do {
            try await start(arguments)
        } catch {
            FileHandle.standardError.write(Data("maillage: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Makes the event loops that serve HTTP (`MultiThreadedEventLoopGroup.singleton`, Vapor's
    /// default) also Swift's global executor. Without it, every database answer and every
    /// response goes from an event loop to Swift's own thread pool and back: on a 2-core machine
    /// a checkout spent a fifth of its CPU time in those thread wake-ups. Must run on the main
    /// thread before any `await`; `MAILLAGE_TASKS_ON_EVENT_LOOPS=0` keeps Swift's own pool.
    /// Nothing here may block a thread (no `.wait()`); slow work (password hashes) already
    /// goes to the thread pool.
    public static func runTasksOnEventLoops() {
        guard ProcessInfo.processInfo.environment["MAILLAGE_TASKS_ON_EVENT_LOOPS"] != "0" else { return }
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    static func start(_ arguments: [String]) async throws {
        var args = arguments
        let demo = args.contains("--demo")
        args.removeAll { $0 == "--demo" }
        if args.count == 1 { args.append("serve") }
        var env = try Environment.detect(arguments: args)
        let processEnv = ProcessInfo.processInfo.environment
        if processEnv["LOG_FORMAT"] == "json" || (processEnv["LOG_FORMAT"] == nil && env == .production) {
            let level = Logger.Level(rawValue: processEnv["LOG_LEVEL"] ?? "info") ?? .info
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
        } else {
            try LoggingSystem.bootstrap(from: &env)
        }
        let app = try await Application.make(env)
        do {
            var config = try AppConfig.fromEnvironment()
            // Only a serving process runs scheduled jobs; `migrate`, `demo`, `tally`... do their task and exit.
            if args.dropFirst().first != "serve" { config.jobsEnabled = false }
            // In production every absolute link (feeds, DFC catalogs, mails) names the instance's
            // own address, never whatever a request's Host header says.
            if env == .production && args.dropFirst().first == "serve" && config.baseURL == nil {
                throw CommandLineProblem("In production, set BASE_URL to the instance's public address (https://…).")
            }
            try await configure(app, config: config)
            app.http.server.configuration.hostname = processEnv["HOST"] ?? "127.0.0.1"
            app.http.server.configuration.port = processEnv["PORT"].flatMap(Int.init) ?? 8080
            app.asyncCommands.use(MigrateNowCommand(), as: "migrate")
            app.asyncCommands.use(OperatorCommands(), as: "operators")
            app.asyncCommands.use(DemoCommand(), as: "demo")
            app.asyncCommands.use(TallyCommand(), as: "tally")
            app.asyncCommands.use(TallyBenchmarkCommand(), as: "tally-benchmark")
            app.asyncCommands.use(LedgerBenchmarkCommand(), as: "ledger-benchmark")
            app.asyncCommands.use(ImportCommands(), as: "import")
            app.asyncCommands.use(FoodBenchSeedCommand(), as: "food-bench-seed")
            app.asyncCommands.use(LendingBenchmarkCommand(), as: "lending-benchmark")
            app.asyncCommands.use(LendingBenchSeedCommand(), as: "lending-bench-seed")
            app.asyncCommands.use(CarpoolBenchmarkCommand(), as: "carpool-benchmark")
            app.asyncCommands.use(CarpoolCommands(), as: "carpool")
            app.asyncCommands.use(OptimiseCommand(), as: "optimise")
            app.asyncCommands.use(DeliveryCommands(), as: "delivery")

            if args.dropFirst().first == "serve" {
                try await DatabaseSetup.migrate(app)
                var logins: [DemoTerritory.Login] = []
                if demo { logins = try await DemoTerritory.loadIfEmpty(app) }
                printBanner(app, args: args, demoLogins: logins, demoAsked: demo)
            }
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    static func printBanner(_ app: Application, args: [String], demoLogins: [DemoTerritory.Login], demoAsked: Bool) {
        var host = app.http.server.configuration.hostname
        var port = app.http.server.configuration.port
        for (index, arg) in args.enumerated() where index + 1 < args.count {
            if arg == "--hostname" || arg == "-H" { host = args[index + 1] }
            if arg == "--port" || arg == "-p" { port = Int(args[index + 1]) ?? port }
        }
        var lines = ["", "  Maillage — plateformes coopératives du territoire", "  Open http://\(host):\(port)/ in your browser."]
        switch app.maillage.storage {
        case .sqliteFile(let path): lines.append("  Database: SQLite file \(path)")
        case .sqliteMemory: lines.append("  Database: SQLite in memory (nothing is kept)")
        case .postgres: lines.append("  Database: PostgreSQL")
        }
        if !demoLogins.isEmpty {
            lines.append("  Demo territory loaded. Demo logins (password: \(DemoTerritory.password)):")
            for login in demoLogins { lines.append("    \(login.email.padding(toLength: 34, withPad: " ", startingAt: 0)) \(login.role)") }
        } else if demoAsked {
            lines.append("  The database already has data: demo not loaded again. Demo logins, if it is the demo: alice@demo.maillage.coop / \(DemoTerritory.password)")
        }
        if app.maillage.mail.smtp == nil {
            lines.append("  Mail: no SMTP_URL, so mail is kept, not sent: operators read it at http://\(host):\(port)/operators/mailbox")
        }
        lines.append("  API: http://\(host):\(port)/api/docs  ·  health: /healthz  ·  metrics: /metrics")
        print(lines.joined(separator: "\n") + "\n")
    }
}

struct MigrateNowCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Creates or updates the database schema (runs every pending migration)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await DatabaseSetup.migrate(context.application)
        context.console.print("Database schema is up to date.")
    }
}

struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Loads the demo territory into an empty database." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await DatabaseSetup.migrate(context.application)
        let logins = try await DemoTerritory.loadIfEmpty(context.application)
        if logins.isEmpty {
            context.console.print("The database is not empty: demo not loaded.")
        } else {
            context.console.print("Demo territory loaded. Logins (password \(DemoTerritory.password)):")
            for login in logins { context.console.print("  \(login.email)  \(login.role)") }
        }
    }
}
