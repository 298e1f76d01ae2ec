import Foundation
import MaillageCore
import SQLKit
import Vapor

/// The registry this instance sends proofs to, and the operator's API keys there (`RPC_URL`,
/// `RPC_ACCESS_KEY`, `RPC_SECRET_KEY`). Without `RPC_URL` nothing is sent: off by default.
struct ProofRegistrySettings: Sendable, Hashable {
    /// The API's base, e.g. `https://api.covoiturage.beta.gouv.fr/v3.3`.
    var url: String
    var accessKey: String
    var secretKey: String

    static func fromEnvironment(_ env: [String: String]) -> ProofRegistrySettings? {
        guard let url = env["RPC_URL"]?.trimmingCharacters(in: .whitespaces), !url.isEmpty else { return nil }
        return ProofRegistrySettings(url: url.hasSuffix("/") ? String(url.dropLast()) : url,
                                     accessKey: env["RPC_ACCESS_KEY"] ?? "", secretKey: env["RPC_SECRET_KEY"] ?? "")
    }

    var journeys: String { url + "/journeys" }
    var tokenAddress: String { url + "/auth/access_token" }
    var host: String { URLComponents(string: url)?.host ?? url }
}

extension Application {
    private struct ProofRegistryKey: StorageKey { typealias Value = ProofRegistryBox }
    private struct ProofRegistryBox: Sendable { var settings: ProofRegistrySettings? }

    /// From the environment unless set (tests point it at a registry of their own, or turn it off).
    var carpoolProofRegistry: ProofRegistrySettings? {
        get {
            if let box = storage[ProofRegistryKey.self] { return box.settings }
            return ProofRegistrySettings.fromEnvironment(ProcessInfo.processInfo.environment)
        }
        set { storage[ProofRegistryKey.self] = ProofRegistryBox(settings: newValue) }
    }
}

/// The outbox's `carpool-proof` channel: one proof, one `POST /journeys`, with a bearer token
/// from `/auth/access_token` kept until it expires (the registry's last 5 minutes). The answer
/// goes on the proof row, for both people to see: 2xx (or 409, already recorded) accepted; another
/// 4xx refused for good with the registry's message; 5xx or no answer tried again by the outbox.
struct CarpoolProofChannel: OutboxChannel {
    static let channelName = "carpool-proof"
    var name: String { Self.channelName }
    var perDestinationLimit: Int { 4 }

    /// Per registry and key; a refused token is dropped and asked again at the next attempt.
    static let tokens = ProofTokens()

    func deliver(_ message: OutboxMessage, app: Application) async -> DeliveryOutcome {
        guard let registry = app.carpoolProofRegistry else {
            await record(message, status: .off, code: nil, text: "no RPC_URL", app: app)
            return .permanentFailure("carpool proofs: no registry configured (RPC_URL)")
        }
        let fetcher: SafeFetcher
        do { fetcher = try await Self.fetcher(for: registry, app: app) } catch {
            return .transientFailure("registry address: \(error)")
        }
        let token: String
        switch await Self.token(for: registry, fetcher: fetcher) {
        case .token(let value): token = value
        case .failed(let outcome):
            // Shown with the waiting proof: the person sees why it has not left yet.
            if case .permanentFailure(let why) = outcome { await note(message, why, app: app) }
            if case .transientFailure(let why) = outcome { await note(message, why, app: app) }
            return outcome
        }
        var headers: HTTPHeaders = ["Content-Type": "application/json", "Accept": "application/json"]
        headers.add(name: .authorization, value: "Bearer \(token)")
        let answer: SafeFetcher.Document
        do {
            answer = try await fetcher.send(.POST, to: registry.journeys, headers: headers, body: ByteBuffer(string: message.payload))
        } catch {
            await note(message, "\(error)", app: app)
            return .transientFailure("registry unreachable: \(error)")
        }
        let text = String(buffer: answer.body)
        switch answer.status {
        case 200..<300, 409:
            await record(message, status: .accepted, code: answer.status, text: answer.status == 409 ? "already recorded" : Self.summary(of: text), app: app)
            return .delivered("registry \(answer.status)")
        case 401, 403:
            // The token ran out or was revoked early: a new one at the next attempt.
            await Self.tokens.drop(Self.key(registry))
            await note(message, "\(answer.status) \(Self.summary(of: text))", app: app)
            return .transientFailure("registry \(answer.status): token refused")
        case 400..<500:
            await record(message, status: .refused, code: answer.status, text: Self.summary(of: text), app: app)
            return .permanentFailure("registry \(answer.status): \(Self.summary(of: text))")
        default:
            await note(message, "\(answer.status) \(Self.summary(of: text))", app: app)
            return .transientFailure("registry \(answer.status)")
        }
    }

    /// The fetcher for the registry: the public Internet, and the configured address itself even
    /// when private (an operator's own test registry), on its port only.
    static func fetcher(for registry: ProofRegistrySettings, app: Application) async throws -> SafeFetcher {
        guard let parts = URLComponents(string: registry.url), let host = parts.host else { throw Abort(.internalServerError, reason: "RPC_URL is not an address") }
        let port = parts.port ?? (parts.scheme == "http" ? 80 : 443)
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        let addresses: [IPAddress] = if let literal = IPAddress(dottedQuad: bare) ?? IPAddress(ipv6: bare) { [literal] } else { try await HostResolver.system(bare) }
        return SafeFetcher(policy: .allowing(addresses.map { ($0.description, port) }), userAgent: SafeFetcher.userAgent(baseURL: app.maillage.baseURL),
                           clients: app.safeFetchClients)
    }

    static func key(_ registry: ProofRegistrySettings) -> String { registry.url + " " + registry.accessKey }

    /// The cached token, or a new one (`POST /auth/access_token` with `access_key` and `secret_key`).
    enum TokenAnswer: Sendable { case token(String), failed(DeliveryOutcome) }

    static func token(for registry: ProofRegistrySettings, fetcher: SafeFetcher) async -> TokenAnswer {
        await tokens.token(for: key(registry)) { await newToken(for: registry, fetcher: fetcher) }
    }

    static func newToken(for registry: ProofRegistrySettings, fetcher: SafeFetcher, now: Date = Date()) async -> (TokenAnswer, Date?) {
        struct Keys: Encodable { var access_key: String; var secret_key: String }
        struct Answer: Decodable { var access_token: String }
        let body = (try? JSONEncoder().encode(Keys(access_key: registry.accessKey, secret_key: registry.secretKey))) ?? Data()
        let answer: SafeFetcher.Document
        do {
            answer = try await fetcher.send(.POST, to: registry.tokenAddress, headers: ["Content-Type": "application/json", "Accept": "application/json"],
                                            body: ByteBuffer(data: body))
        } catch {
            return (.failed(.transientFailure("registry token: \(error)")), nil)
        }
        guard (200..<300).contains(answer.status), let token = try? JSONDecoder().decode(Answer.self, from: Data(buffer: answer.body)) else {
            let why = "registry token \(answer.status): \(summary(of: String(buffer: answer.body)))"
            // Keys refused: no later attempt can do better until an operator changes them.
            return (.failed((400..<500).contains(answer.status) ? .permanentFailure(why) : .transientFailure(why)), nil)
        }
        let until = expiry(of: token.access_token) ?? now.addingTimeInterval(300)
        return (.token(token.access_token), until.addingTimeInterval(-30))
    }

    /// A JWT's `exp`, when it reads as one.
    static func expiry(of jwt: String) -> Date? {
        let parts = jwt.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var text = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        struct Claims: Decodable { var exp: Double? }
        guard let data = Data(base64Encoded: text), let exp = (try? JSONDecoder().decode(Claims.self, from: data))?.exp else { return nil }
        return Date(timeIntervalSince1970: exp)
    }

    /// The registry's words from its JSON-RPC error shape (`error.message`, `error.data`, or the
    /// terms violated), else the start of its answer.
    static func summary(of text: String) -> String {
        guard let json = try? SchemaJSON.read(text) else { return String(text.prefix(300)) }
        if let recorded = json.object?["result"]?.object?["data"]?.object {
            return ["recorded", recorded["created_at"]?.string].compactMap { $0 }.joined(separator: " ")
        }
        guard let error = json.object?["error"]?.object else { return String(text.prefix(300)) }
        var parts: [String] = []
        if let message = error["message"]?.string { parts.append(message) }
        if let data = error["data"] {
            if let words = data.string { parts.append(words) }
            if case .array(let labels)? = data.object?["terms_violation_labels"] { parts.append(labels.compactMap(\.string).joined(separator: ", ")) }
        }
        return String(parts.joined(separator: ": ").prefix(300))
    }

    /// The proof's outcome, on its row (the outbox keeps its own log of attempts).
    func record(_ message: OutboxMessage, status: ProofStatus, code: Int?, text: String, app: Application) async {
        do {
            try await app.db.sql.update("carpool_proofs").set("status", to: SQLBind(status.rawValue))
                .set("registry_status", to: code.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
                .set("registry_message", to: SQLBind(text)).set("answered_at", to: SQLBind(Date()))
                .where("outbox_id", .equal, SQLBind(message.id)).run()
        } catch {
            app.logger.warning("carpool proofs: could not record the registry's answer", metadata: ["error": .string("\(error)")])
        }
    }

    /// What went wrong this time, while the proof waits to be tried again.
    func note(_ message: OutboxMessage, _ text: String, app: Application) async {
        try? await app.db.sql.update("carpool_proofs").set("registry_message", to: SQLBind(String(text.prefix(300))))
            .where("outbox_id", .equal, SQLBind(message.id)).run()
    }
}

/// The registry's tokens, one per registry and key, asked for once however many deliveries
/// need one at the same moment (the others wait for that answer).
actor ProofTokens {
    private var tokens: [String: (value: String, until: Date)] = [:]
    private var asking: [String: Task<(CarpoolProofChannel.TokenAnswer, Date?), Never>] = [:]

    func token(for key: String, ask: @escaping @Sendable () async -> (CarpoolProofChannel.TokenAnswer, Date?)) async -> CarpoolProofChannel.TokenAnswer {
        if let kept = tokens[key], kept.until > Date() { return .token(kept.value) }
        let task = asking[key] ?? Task { await ask() }
        asking[key] = task
        let (answer, until) = await task.value
        asking[key] = nil
        if case .token(let value) = answer, let until { tokens[key] = (value, until) }
        return answer
    }

    func drop(_ key: String) { tokens[key] = nil }
}
