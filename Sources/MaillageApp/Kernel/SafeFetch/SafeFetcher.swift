import AsyncHTTPClient
import Foundation
import MaillageCore
import NIOCore
import NIOHTTP1

/// The one way Maillage fetches an address someone gave it (a DFC catalog, an image, a portal's
/// source, a federation key). An address typed by a person must not turn the server into their
/// client on its own machine or private network (SSRF), so every hop of a fetch:
///
/// 1. accepts only http and https, no credentials, and a host in a canonical form (`FetchHost`);
/// 2. resolves the host once and refuses if any address is not public (`IPAddress.Scope`);
/// 3. connects to an address it checked (`dnsOverride`: TLS and `Host` still name the host), so
///    a second, different answer from DNS (rebinding) is never asked for;
/// 4. follows no redirect by itself: each `Location` goes through 1–3 again, up to a limit.
///
/// The whole fetch has a time limit and a size limit; what goes wrong is a `FetchRefusal`.
struct SafeFetcher: Sendable {
    /// Where fetches may go besides the public Internet.
    struct Policy: Sendable, Hashable {
        struct Endpoint: Sendable, Hashable {
            let address: IPAddress
            let port: Int
        }

        /// Non-public addresses a fetch may still reach, each on one port only.
        private(set) var allowedEndpoints: Set<Endpoint> = []

        /// Production: public addresses only.
        static let publicOnly = Policy()

        /// For tests, which fetch from servers of their own on this machine: exactly these
        /// address and port pairs, and no other port or address next to them.
        static func allowing(_ endpoints: [(address: String, port: Int)]) -> Policy {
            var policy = Policy()
            for (text, port) in endpoints {
                let address = IPAddress(dottedQuad: text) ?? IPAddress(ipv6: text)
                guard let address else { preconditionFailure("not an IP address: \(text)") }
                policy.allowedEndpoints.insert(Endpoint(address: address, port: port))
            }
            return policy
        }

        func permits(_ address: IPAddress, port: Int) -> Bool {
            address.isGlobal || allowedEndpoints.contains(Endpoint(address: address, port: port))
        }
    }

    struct Limits: Sendable {
        /// For the whole fetch: every lookup, connection, redirect and the body.
        var totalTime: Duration = .seconds(10)
        var maxBodyBytes: Int = 5 * 1_048_576
        var maxRedirects: Int = 5

        static let standard = Limits()
    }

    /// A document fetched, from the address the last redirect led to.
    struct Document: Sendable {
        var url: String
        var status: Int
        var headers: HTTPHeaders
        var body: ByteBuffer
    }

    /// The version named in the user agent, the same as the API's (`OpenAPIDocument`).
    static let version = "1.0.0"

    /// `Maillage/<version> (+<public address>)`, so a remote operator knows whom to ask.
    static func userAgent(baseURL: String?) -> String {
        guard let baseURL, !baseURL.isEmpty else { return "Maillage/\(version)" }
        return "Maillage/\(version) (+\(baseURL))"
    }

    let policy: Policy
    let userAgent: String
    let clients: SafeFetchClients
    /// The name lookup; tests give names of their own, production asks the system.
    var resolve: @Sendable (String) async throws -> [IPAddress] = HostResolver.system

    /// GETs `address` within `limits`. Only 2xx answers come back. `accept` goes to every hop;
    /// `credentials` (a partner's API key) only to the origin of `address` itself: a redirect to
    /// another host, port or scheme leaves them behind, so nothing leaks to a redirect's target.
    func fetch(_ address: String, accept: String? = nil, credentials: [(name: String, value: String)] = [],
               limits: Limits = .standard) async throws(FetchRefusal) -> Document {
        let deadline = NIODeadline.now() + .nanoseconds(Int64(limits.totalTime.components.seconds) * 1_000_000_000
            + limits.totalTime.components.attoseconds / 1_000_000_000)
        return try await racingTheClock(limits) {
            try await self.follow(address, accept: accept, credentials: credentials, limits: limits, deadline: deadline)
        }
    }

    /// `attempt` against the clock, should one of its steps not notice the deadline (a slow name
    /// lookup): at `limits.totalTime` it is abandoned and the caller gets `.timedOut`.
    func racingTheClock(_ limits: Limits, _ attempt: @escaping @Sendable () async throws -> Document) async throws(FetchRefusal) -> Document {
        do {
            return try await withThrowingTaskGroup(of: Document?.self) { group in
                group.addTask { try await attempt() }
                group.addTask {
                    try await Task.sleep(for: limits.totalTime)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let document = first else { throw FetchRefusal.timedOut }
                return document
            }
        } catch let refusal as FetchRefusal {
            throw refusal
        } catch {
            // Cancelled: the clock, or the caller gave up waiting.
            throw .timedOut
        }
    }

    // MARK: Hops

    private struct Hop {
        var url: String
        var host: FetchHost
        /// As the person wrote it, for messages.
        var shownHost: String
        var port: Int
        /// The host as AsyncHTTPClient reads it from `url`: the key its `dnsOverride` looks up.
        var clientHost: String
    }

    private enum Outcome {
        case redirect(to: String)
        case document(Document)
    }

    private func follow(_ start: String, accept: String?, credentials: [(name: String, value: String)], limits: Limits,
                        deadline: NIODeadline) async throws -> Document {
        var next = start
        var redirects = 0
        var origin: String?
        while true {
            let hop = try Self.check(next)
            let hopOrigin = "\(URLComponents(string: hop.url)?.scheme?.lowercased() ?? "")://\(hop.host):\(hop.port)"
            if origin == nil { origin = hopOrigin }
            let addresses = try await permittedAddresses(for: hop)
            let sent = hopOrigin == origin ? credentials : []
            switch try await fetch(hop, from: addresses, accept: accept, credentials: sent, limits: limits, deadline: deadline) {
            case .document(let document):
                return document
            case .redirect(let location):
                redirects += 1
                guard redirects <= limits.maxRedirects else { throw FetchRefusal.tooManyRedirects(limit: limits.maxRedirects) }
                guard let base = URL(string: hop.url), let target = URL(string: location, relativeTo: base)?.absoluteURL else {
                    throw FetchRefusal.invalidAddress
                }
                next = target.absoluteString
            }
        }
    }

    /// The checks on the address itself, before any lookup or connection.
    private static func check(_ address: String) throws -> Hop {
        guard address.utf8.count <= 8_192, let parts = URLComponents(string: address), let scheme = parts.scheme?.lowercased() else {
            throw FetchRefusal.invalidAddress
        }
        guard scheme == "http" || scheme == "https" else { throw FetchRefusal.schemeNotAllowed(scheme) }
        // `URLComponents` reads the authority; an `@` anywhere in it is a user part.
        guard parts.user == nil, parts.password == nil, !(parts.percentEncodedHost ?? "").contains("@") else {
            throw FetchRefusal.credentialsInAddress
        }
        // A percent sign in the host is an encoded spelling (or an IPv6 zone): refused, not decoded.
        guard var host = parts.percentEncodedHost, !host.isEmpty, !host.contains("%") else { throw FetchRefusal.invalidAddress }
        if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }
        guard let checked = FetchHost.read(host) else {
            // A numeric host in an odd spelling is refused as an address, whatever it stands for.
            throw FetchHost.looksNumeric(host.lowercased()) ? FetchRefusal.addressNotAllowed(host: host) : FetchRefusal.invalidAddress
        }
        let port = parts.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65_535).contains(port), let url = URL(string: address), let readByClient = url.host, !readByClient.isEmpty else {
            throw FetchRefusal.invalidAddress
        }
        let clientHost = readByClient.hasPrefix("[") && readByClient.hasSuffix("]") ? String(readByClient.dropFirst().dropLast()) : readByClient
        // The pin is keyed by the host as AsyncHTTPClient reads it: should that differ from the
        // name checked, the client would look the name up itself, so the address is refused.
        if case .name(let name) = checked, FetchHost.read(clientHost) != .name(name) { throw FetchRefusal.invalidAddress }
        return Hop(url: address, host: checked, shownHost: host, port: port, clientHost: clientHost)
    }

    /// All the host's addresses, if the policy permits every one of them.
    private func permittedAddresses(for hop: Hop) async throws -> [IPAddress] {
        let addresses: [IPAddress]
        switch hop.host {
        case .address(let address):
            addresses = [address]
        case .name(let name):
            do { addresses = try await resolve(name) } catch let refusal as FetchRefusal {
                throw refusal == .unreachable(host: name) ? FetchRefusal.unreachable(host: hop.shownHost) : refusal
            }
        }
        guard !addresses.isEmpty else { throw FetchRefusal.unreachable(host: hop.shownHost) }
        // One private answer among public ones is enough to refuse: which one a client would use is not ours to guess.
        for address in addresses where !policy.permits(address, port: hop.port) {
            throw FetchRefusal.addressNotAllowed(host: hop.shownHost)
        }
        return addresses
    }

    /// One request, to the first of the checked addresses that accepts a connection.
    private func fetch(_ hop: Hop, from addresses: [IPAddress], accept: String?, credentials: [(name: String, value: String)],
                       limits: Limits, deadline: NIODeadline) async throws -> Outcome {
        var request = HTTPClientRequest(url: hop.url)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: userAgent)
        if let accept { request.headers.add(name: "Accept", value: accept) }
        for (name, value) in credentials { request.headers.add(name: name, value: value) }
        for address in addresses.prefix(4) {
            let remaining = deadline - .now()
            guard remaining > .nanoseconds(0) else { throw FetchRefusal.timedOut }
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            configuration.timeout = .init(connect: remaining, read: remaining)
            configuration.proxy = nil
            configuration.decompression = .disabled
            // Where AsyncHTTPClient would have resolved the name, it takes the checked address. A
            // literal address needs nothing: it is connected to as written, with no lookup.
            if case .name = hop.host { configuration.dnsOverride = [hop.clientHost: address.description] }
            configuration.connectionPool.retryConnectionEstablishment = false
            guard let client = clients.make(configuration) else { throw FetchRefusal.unreachable(host: hop.shownHost) }
            do {
                let response: HTTPClientResponse
                do {
                    response = try await client.execute(request, deadline: deadline)
                } catch {
                    let refusal = Self.refusal(for: error, host: hop.shownHost)
                    await clients.close(client)
                    if refusal == .unreachable(host: hop.shownHost) { continue }
                    throw refusal
                }
                let outcome = try await read(response, from: hop, limits: limits)
                await clients.close(client)
                return outcome
            } catch {
                await clients.close(client)
                throw Self.refusal(for: error, host: hop.shownHost)
            }
        }
        throw FetchRefusal.unreachable(host: hop.shownHost)
    }

    private func read(_ response: HTTPClientResponse, from hop: Hop, limits: Limits) async throws -> Outcome {
        let status = Int(response.status.code)
        if [301, 302, 303, 307, 308].contains(status), let location = response.headers.first(name: "Location") {
            return .redirect(to: location)
        }
        guard (200..<300).contains(status) else { throw FetchRefusal.httpStatus(status) }
        // Refused on the announced length before a byte is read; then counted as it comes.
        if let announced = response.headers.first(name: "Content-Length").flatMap(Int.init), announced > limits.maxBodyBytes {
            throw FetchRefusal.tooLarge(limit: limits.maxBodyBytes)
        }
        var body = ByteBuffer()
        for try await chunk in response.body {
            guard body.readableBytes + chunk.readableBytes <= limits.maxBodyBytes else {
                throw FetchRefusal.tooLarge(limit: limits.maxBodyBytes)
            }
            body.writeImmutableBuffer(chunk)
        }
        return .document(Document(url: hop.url, status: status, headers: response.headers, body: body))
    }

    private static func refusal(for error: any Error, host: String) -> FetchRefusal {
        if let refusal = error as? FetchRefusal { return refusal }
        if error is CancellationError { return .timedOut }
        if let client = error as? HTTPClientError,
           [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .cancelled].contains(client) {
            return .timedOut
        }
        return .unreachable(host: host)
    }
}
