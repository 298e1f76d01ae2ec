import AsyncHTTPClient
import Foundation
import MaillageCore
import NIOCore
import NIOHTTP1

extension SafeFetcher {
    /// One call to an API (a body, headers of the caller's own such as a bearer token), under the
    /// same rules as `fetch`: http or https, no credentials in the address, every address of the
    /// host permitted by the policy and the connection pinned to one of them. No redirect is
    /// followed (a token must not travel to where a `Location` points), and the answer comes
    /// back whatever its status, since an API says in its body why it refuses.
    func send(_ method: HTTPMethod, to address: String, headers: HTTPHeaders, body: ByteBuffer?,
              limits: Limits = .standard) async throws(FetchRefusal) -> Document {
        try await racingTheClock(limits) {
            try await self.sendOnce(method, to: address, headers: headers, body: body, limits: limits)
        }
    }

    private func sendOnce(_ method: HTTPMethod, to address: String, headers: HTTPHeaders, body: ByteBuffer?, limits: Limits) async throws -> Document {
        guard address.utf8.count <= 8_192, let parts = URLComponents(string: address), let scheme = parts.scheme?.lowercased() else {
            throw FetchRefusal.invalidAddress
        }
        guard scheme == "http" || scheme == "https" else { throw FetchRefusal.schemeNotAllowed(scheme) }
        guard parts.user == nil, parts.password == nil else { throw FetchRefusal.credentialsInAddress }
        guard var shown = parts.percentEncodedHost, !shown.isEmpty, !shown.contains("%"), !shown.contains("@") else { throw FetchRefusal.invalidAddress }
        if shown.contains(":") && !shown.hasPrefix("[") { shown = "[\(shown)]" }
        guard let host = FetchHost.read(shown), let url = URL(string: address), let clientHost = url.host?.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) else {
            throw FetchRefusal.invalidAddress
        }
        let port = parts.port ?? (scheme == "https" ? 443 : 80)
        let addresses: [IPAddress]
        switch host {
        case .address(let literal): addresses = [literal]
        case .name(let name): addresses = try await resolve(name)
        }
        guard !addresses.isEmpty else { throw FetchRefusal.unreachable(host: shown) }
        for candidate in addresses where !policy.permits(candidate, port: port) { throw FetchRefusal.addressNotAllowed(host: shown) }

        let seconds = Int64(limits.totalTime.components.seconds)
        let deadline = NIODeadline.now() + .seconds(seconds)
        var request = HTTPClientRequest(url: address)
        request.method = method
        request.headers = headers
        request.headers.replaceOrAdd(name: "User-Agent", value: userAgent)
        if let body { request.body = .bytes(body) }
        for candidate in addresses.prefix(4) {
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            configuration.timeout = .init(connect: .seconds(seconds), read: .seconds(seconds))
            configuration.proxy = nil
            configuration.decompression = .disabled
            if case .name = host { configuration.dnsOverride = [clientHost: candidate.description] }
            configuration.connectionPool.retryConnectionEstablishment = false
            guard let client = clients.make(configuration) else { throw FetchRefusal.unreachable(host: shown) }
            do {
                let response = try await client.execute(request, deadline: deadline)
                var received = ByteBuffer()
                for try await chunk in response.body {
                    guard received.readableBytes + chunk.readableBytes <= limits.maxBodyBytes else { throw FetchRefusal.tooLarge(limit: limits.maxBodyBytes) }
                    received.writeImmutableBuffer(chunk)
                }
                await clients.close(client)
                return Document(url: address, status: Int(response.status.code), headers: response.headers, body: received)
            } catch let refusal as FetchRefusal {
                await clients.close(client)
                throw refusal
            } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .cancelled].contains(error) {
                await clients.close(client)
                throw FetchRefusal.timedOut
            } catch {
                // Nothing answered at this address: the next one, if any.
                await clients.close(client)
            }
        }
        throw FetchRefusal.unreachable(host: shown)
    }
}
