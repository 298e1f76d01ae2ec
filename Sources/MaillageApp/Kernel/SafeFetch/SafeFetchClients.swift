import AsyncHTTPClient
import NIOConcurrencyHelpers
import Vapor

/// The HTTP clients fetches have open. Each hop of a fetch gets a client of its own, because the
/// address it connects to (`dnsOverride`) is part of a client's configuration; the hop closes it
/// when done. The app's shutdown closes whatever a fetch still in progress holds, and no client
/// opens afterwards.
final class SafeFetchClients: Sendable {
    private struct Open { var closed = false; var clients: [ObjectIdentifier: HTTPClient] = [:] }
    private let open = NIOLockedValueBox(Open())
    private let eventLoopGroup: any EventLoopGroup

    init(eventLoopGroup: any EventLoopGroup) {
        self.eventLoopGroup = eventLoopGroup
    }

    /// nil once the app is shutting down.
    func make(_ configuration: HTTPClient.Configuration) -> HTTPClient? {
        open.withLockedValue { open in
            guard !open.closed else { return nil }
            let client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
            open.clients[ObjectIdentifier(client)] = client
            return client
        }
    }

    func close(_ client: HTTPClient) async {
        let mine = open.withLockedValue { $0.clients.removeValue(forKey: ObjectIdentifier(client)) }
        // Already gone means the app's shutdown took it and closes it.
        try? await mine?.shutdown()
    }

    func closeAll() async {
        let remaining = open.withLockedValue { open in
            open.closed = true
            defer { open.clients = [:] }
            return Array(open.clients.values)
        }
        for client in remaining { try? await client.shutdown() }
    }

    var openCount: Int { open.withLockedValue { $0.clients.count } }
}

extension Application {
    private struct SafeFetchClientsKey: StorageKey { typealias Value = SafeFetchClients }
    private struct SafeFetchPolicyKey: StorageKey { typealias Value = SafeFetcher.Policy }

    /// Called once by `configure`: the fetchers' clients, closed at the app's shutdown.
    func installSafeFetcher() async {
        await storage.setWithAsyncShutdown(SafeFetchClientsKey.self, to: SafeFetchClients(eventLoopGroup: eventLoopGroup)) { clients in
            await clients.closeAll()
        }
    }

    /// What fetches may reach besides the public Internet: nothing, unless the operators list
    /// exact address and port pairs (`SAFE_FETCH_ALLOW`, read by `configure`) or a test names its
    /// own local servers here. Never a whole network or a host's every port.
    var safeFetchPolicy: SafeFetcher.Policy {
        get { storage[SafeFetchPolicyKey.self] ?? .publicOnly }
        set { storage[SafeFetchPolicyKey.self] = newValue }
    }

    var safeFetchClients: SafeFetchClients {
        guard let clients = storage[SafeFetchClientsKey.self] else { fatalError("configure(_:config:) installs the safe fetcher first") }
        return clients
    }

    /// The one way a module fetches an address someone gave (see `SafeFetcher`).
    var safeFetcher: SafeFetcher {
        SafeFetcher(policy: safeFetchPolicy, userAgent: SafeFetcher.userAgent(baseURL: maillage.baseURL), clients: safeFetchClients)
    }
}

extension Request {
    var safeFetcher: SafeFetcher { application.safeFetcher }
}
