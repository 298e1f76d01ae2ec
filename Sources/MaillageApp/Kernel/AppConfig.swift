import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MaillageCore
import Vapor

/// Everything an operator sets, read from the environment (flags of `serve` override host and port).
public struct AppConfig: Sendable {
    public enum Storage: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(String)
    }

    public var storage: Storage
    /// Signs session ids before they are stored: a leaked table does not leak logins.
    public var sessionSecret: String
    /// Absolute address the public sees, for links in feeds (Murmurations, OpenAPI servers).
    public var baseURL: String?
    /// Set when served behind TLS, so the session cookie is marked `Secure`.
    public var secureCookies: Bool
    /// How often the job scheduler looks for due jobs.
    public var jobTick: Duration
    public var jobsEnabled: Bool
    public var sessionLifetime: TimeInterval
    /// PostgreSQL schema to work in (tests give each test its own, so they run in parallel).
    public var postgresSchema: String?
    /// The published three-year average yield of private bonds (TMO), in basis points, which sets
    /// the legal cap on interest on shares; nil when the operators have not set it (no interest).
    public var shareInterestAverageYield: Int64?
    /// The least a vote gives the members (`VoteFloors.standard`; `VOTE_MINIMUM_HOURS` lowers
    /// the duration, for an instance's own tests).
    public var voteFloors: VoteFloors = .standard
    /// Proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`, comma-separated addresses).
    public var trustedProxies: Set<String> = []
    /// The ImageMagick binary photos are shrunk with (`IMAGE_CONVERTER`).
    public var imageConverter: String = "/usr/bin/convert"
    /// The bearer token `/metrics` asks for (`METRICS_TOKEN`); unset, only local clients read it.
    public var metricsToken: String?
    /// Sign-ups one address may make in an hour (`SIGNUP_LIMIT_PER_HOUR`; 0 = no limit).
    public var signUpLimitPerHour: Int = 10
    /// How the outbox sends (`OUTBOX_TICK_SECONDS`, `OUTBOX_LEASE_SECONDS`, `OUTBOX_GIVE_UP_HOURS`).
    var outbox = OutboxSettings()
    /// Where mail goes (`SMTP_URL`, `MAIL_FROM`, `SMTP_CA_FILE`); without a server, it is held.
    var mail = MailChannel.held
    /// Non-public `address:port` pairs fetches may still reach (`SAFE_FETCH_ALLOW`), such as a
    /// partner carpool operator on the same machine; none by default.
    var safeFetchPolicy = SafeFetcher.Policy.publicOnly

    public init(storage: Storage, sessionSecret: String, baseURL: String? = nil, secureCookies: Bool = false,
                jobTick: Duration = .seconds(5), jobsEnabled: Bool = true, sessionLifetime: TimeInterval = 30 * 24 * 3600) {
        self.storage = storage
        self.sessionSecret = sessionSecret
        self.baseURL = baseURL
        self.secureCookies = secureCookies
        self.jobTick = jobTick
        self.jobsEnabled = jobsEnabled
        self.sessionLifetime = sessionLifetime
    }

    /// For tests: an in-memory SQLite database unless `DATABASE_URL` names a PostgreSQL server.
    public static func testing() -> AppConfig {
        let env = ProcessInfo.processInfo.environment
        let storage: Storage = env["DATABASE_URL"].flatMap { $0.hasPrefix("postgres") ? Storage.postgres($0) : nil } ?? .sqliteMemory
        var config = AppConfig(storage: storage, sessionSecret: "test-secret-test-secret-test-secret", jobsEnabled: false)
        config.shareInterestAverageYield = 250
        return config
    }

    /// Reads `DATABASE_URL`, `SESSION_SECRET`, `BASE_URL`, `SECURE_COOKIES`, `JOB_TICK_SECONDS`, `JOBS`,
    /// `SHARE_INTEREST_AVERAGE_YIELD`, `VOTE_MINIMUM_HOURS`, `TRUSTED_PROXIES`, `SIGNUP_LIMIT_PER_HOUR`, `METRICS_TOKEN`,
    /// `SAFE_FETCH_ALLOW`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        let storage = try parseStorage(env["DATABASE_URL"] ?? "maillage.sqlite")
        let secret: String
        if let given = env["SESSION_SECRET"], !given.isEmpty {
            guard given.count >= 32 else {
                throw Abort(.internalServerError, reason: "SESSION_SECRET must be at least 32 characters long.")
            }
            secret = given
        } else {
            secret = try localSecret(for: storage)
        }
        let baseURL = env["BASE_URL"].map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        var config = AppConfig(
            storage: storage,
            sessionSecret: secret,
            baseURL: baseURL,
            // Served over https (BASE_URL says so): Secure cookies and HSTS unless told otherwise.
            secureCookies: env["SECURE_COOKIES"].map { ["1", "true", "yes"].contains($0.lowercased()) } ?? (baseURL?.hasPrefix("https://") ?? false),
            jobTick: .milliseconds(Int64((Double(env["JOB_TICK_SECONDS"] ?? "5") ?? 5) * 1000)),
            jobsEnabled: env["JOBS"].map { !["0", "false", "off"].contains($0.lowercased()) } ?? true
        )
        config.outbox = try OutboxSettings.fromEnvironment(env)
        config.mail = try MailChannel.fromEnvironment(env, baseURL: baseURL)
        if let converter = env["IMAGE_CONVERTER"], !converter.isEmpty { config.imageConverter = converter }
        if let allowed = env["SAFE_FETCH_ALLOW"], !allowed.isEmpty {
            guard let policy = SafeFetcher.Policy.parse(allowed) else {
                throw Abort(.internalServerError, reason: "SAFE_FETCH_ALLOW lists address:port pairs, e.g. 127.0.0.1:8081,[::1]:8081.")
            }
            config.safeFetchPolicy = policy
        }
        config.metricsToken = env["METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        config.trustedProxies = Set((env["TRUSTED_PROXIES"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        if let limit = env["SIGNUP_LIMIT_PER_HOUR"], !limit.isEmpty {
            guard let value = Int(limit), value >= 0 else { throw Abort(.internalServerError, reason: "SIGNUP_LIMIT_PER_HOUR is a whole number (0: no limit).") }
            config.signUpLimitPerHour = value
        }
        if let hours = env["VOTE_MINIMUM_HOURS"], !hours.isEmpty {
            guard let value = Double(hours), value >= 0 else { throw Abort(.internalServerError, reason: "VOTE_MINIMUM_HOURS is a number of hours, e.g. 48.") }
            config.voteFloors.minimumDuration = value * 3_600
        }
        if let yield = env["SHARE_INTEREST_AVERAGE_YIELD"], !yield.isEmpty {
            guard let percent = Decimal(string: yield.replacingOccurrences(of: ",", with: ".")), percent >= 0, percent < 100 else {
                throw Abort(.internalServerError, reason: "SHARE_INTEREST_AVERAGE_YIELD is a percentage, e.g. 3.41.")
            }
            config.shareInterestAverageYield = NSDecimalNumber(decimal: percent * 100).int64Value
        }
        return config
    }

    static func parseStorage(_ url: String) throws -> Storage {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return .postgres(url) }
        var path = url
        for prefix in ["sqlite://", "sqlite:"] where path.hasPrefix(prefix) { path = String(path.dropFirst(prefix.count)); break }
        if path == ":memory:" || path.isEmpty { return .sqliteMemory }
        return .sqliteFile(path)
    }

    /// Without SESSION_SECRET, a single-machine install keeps a random secret in a file beside
    /// its database, so logins survive restarts. Several processes must share SESSION_SECRET.
    static func localSecret(for storage: Storage) throws -> String {
        let path: String
        switch storage {
        case .sqliteFile(let file): path = file + ".secret"
        case .sqliteMemory: return [UInt8].random(count: 32).base64
        case .postgres: path = "maillage.secret"
        }
        if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing.count >= 32 {
            return existing.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let secret = [UInt8].random(count: 32).base64
        // Created readable by its owner only from the first byte (O_EXCL: never over a file
        // another process made meanwhile), rather than written and then restricted.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            if let existing = try? String(contentsOfFile: path, encoding: .utf8), existing.count >= 32 {
                return existing.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            throw Abort(.internalServerError, reason: "Cannot create the session secret file \(path) (errno \(errno)); set SESSION_SECRET.")
        }
        defer { close(fd) }
        let bytes = Array(secret.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else {
            throw Abort(.internalServerError, reason: "Cannot write the session secret file \(path); set SESSION_SECRET.")
        }
        return secret
    }
}

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    public var maillage: AppConfig {
        get {
            guard let config = storage[ConfigKey.self] else { fatalError("configure(_:config:) sets the configuration first") }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }
}
