import Foundation
@testable import MaillageApp
import MaillageCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import VaporTesting

/// The safe fetcher against servers of the test's own on 127.0.0.1, which only an explicit
/// allowance of their address and port lets it reach.
@Suite struct SafeFetcherTests {
    /// A fetcher on a fresh set of clients, allowed exactly the given local servers.
    static func fetcher(allowing servers: [LocalServer] = [], resolve: (@Sendable (String) async throws -> [IPAddress])? = nil) -> (SafeFetcher, SafeFetchClients) {
        let clients = SafeFetchClients(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        var fetcher = SafeFetcher(policy: .allowing(servers.map { ("127.0.0.1", $0.port) }),
                                  userAgent: SafeFetcher.userAgent(baseURL: "https://maillage.example"), clients: clients)
        if let resolve { fetcher.resolve = resolve }
        return (fetcher, clients)
    }

    static func refusal(_ fetch: () async throws(FetchRefusal) -> SafeFetcher.Document) async -> FetchRefusal? {
        do {
            _ = try await fetch()
            return nil
        } catch {
            return error
        }
    }

    // MARK: Refused before any connection

    @Test(arguments: [
        ("http://localhost/", FetchRefusal.addressNotAllowed(host: "localhost")),
        ("http://LOCALHOST:8080/x", .addressNotAllowed(host: "LOCALHOST")),
        ("http://127.0.0.1/", .addressNotAllowed(host: "127.0.0.1")),
        ("http://[::1]/", .addressNotAllowed(host: "[::1]")),
        ("http://[::ffff:127.0.0.1]/", .addressNotAllowed(host: "[::ffff:127.0.0.1]")),
        ("http://[64:ff9b::a9fe:a9fe]/", .addressNotAllowed(host: "[64:ff9b::a9fe:a9fe]")),
        ("http://169.254.169.254/latest/meta-data/", .addressNotAllowed(host: "169.254.169.254")),
        ("http://0.0.0.0:8080/", .addressNotAllowed(host: "0.0.0.0")),
        ("http://10.1.2.3/", .addressNotAllowed(host: "10.1.2.3")),
        ("https://192.168.0.1/", .addressNotAllowed(host: "192.168.0.1")),
        ("http://100.64.0.1/", .addressNotAllowed(host: "100.64.0.1")),
        ("http://0x7f000001/", .addressNotAllowed(host: "0x7f000001")),
        ("http://0x7f.1/", .addressNotAllowed(host: "0x7f.1")),
        ("http://2130706433/", .addressNotAllowed(host: "2130706433")),
        ("http://127.1/", .addressNotAllowed(host: "127.1")),
        ("http://0177.0.0.1/", .addressNotAllowed(host: "0177.0.0.1")),
        ("ftp://example.org/catalog.json", .schemeNotAllowed("ftp")),
        ("file:///etc/passwd", .schemeNotAllowed("file")),
        ("gopher://example.org/", .schemeNotAllowed("gopher")),
        ("http://user:pw@example.org/", .credentialsInAddress),
        ("http://user@example.org/", .credentialsInAddress),
        ("not an address", .invalidAddress),
        ("/relative/path", .invalidAddress),
        ("http:///nohost", .invalidAddress),
        ("http://127%2e0%2e0%2e1/", .invalidAddress),
        ("http://[fe80::1%25eth0]/", .invalidAddress),
    ])
    func refusedWithoutAnyConnection(_ address: String, _ expected: FetchRefusal) async {
        let (fetcher, clients) = Self.fetcher()
        let refusal = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch(address) }
        #expect(refusal == expected, "\(address)")
        // No HTTP client was ever opened for it.
        #expect(clients.openCount == 0)
    }

    @Test func aNameWithOnePrivateAddressAmongPublicOnesIsRefused() async {
        let (fetcher, _) = Self.fetcher(resolve: { _ in [IPAddress(dottedQuad: "93.184.216.34")!, IPAddress(dottedQuad: "10.0.0.7")!] })
        let refusal = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("https://catalogue.example/dfc") }
        #expect(refusal == .addressNotAllowed(host: "catalogue.example"))
    }

    @Test func aNameThatDoesNotResolveIsUnreachable() async {
        let (fetcher, _) = Self.fetcher()
        let refusal = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("http://nothing-here.invalid/") }
        #expect(refusal == .unreachable(host: "nothing-here.invalid"))
    }

    // MARK: Against local servers

    @Test func aFetchFromAnAllowedServerReturnsStatusHeadersAndBody() async throws {
        let server = try await LocalServer.start { _ in
            .answer("HTTP/1.1 200 OK\r\nContent-Type: application/ld+json\r\nX-Catalogue: 7\r\nContent-Length: 15\r\n\r\n{\"@graph\": []}\n")
        }
        defer { server.stop() }
        let (fetcher, clients) = Self.fetcher(allowing: [server])
        let document = try await fetcher.fetch("http://127.0.0.1:\(server.port)/catalog?page=1", accept: "application/ld+json")
        #expect(document.status == 200)
        #expect(document.headers.first(name: "Content-Type") == "application/ld+json")
        #expect(document.headers.first(name: "X-Catalogue") == "7")
        #expect(String(buffer: document.body) == "{\"@graph\": []}\n")
        #expect(document.url == "http://127.0.0.1:\(server.port)/catalog?page=1")
        let request = try #require(server.requests.first)
        #expect(request.hasPrefix("GET /catalog?page=1 HTTP/1.1\r\n"))
        #expect(request.contains("User-Agent: Maillage/\(SafeFetcher.version) (+https://maillage.example)\r\n"))
        #expect(request.contains("Accept: application/ld+json\r\n"))
        #expect(clients.openCount == 0, "the hop's client is closed once the body is read")
    }

    /// The name is looked up once, by the fetcher: the connection goes to the address it checked
    /// (here the only way to reach the server, since the name exists nowhere else), and the request
    /// still names the host.
    @Test func theConnectionGoesToTheAddressThatWasChecked() async throws {
        let server = try await LocalServer.start { _ in .answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") }
        defer { server.stop() }
        let lookups = NIOLockedValueBox<[String]>([])
        let (fetcher, _) = Self.fetcher(allowing: [server], resolve: { name in
            lookups.withLockedValue { $0.append(name) }
            return [IPAddress(dottedQuad: "127.0.0.1")!]
        })
        let document = try await fetcher.fetch("http://Catalogue.Maillage.invalid:\(server.port)/dfc")
        #expect(String(buffer: document.body) == "ok")
        #expect(lookups.withLockedValue { $0 } == ["catalogue.maillage.invalid"])
        let request = try #require(server.requests.first)
        #expect(request.lowercased().contains("host: catalogue.maillage.invalid:\(server.port)\r\n"))
    }

    /// The allowance names the first server only: a redirect to another port of 127.0.0.1 is
    /// checked again, refused, and never reached.
    @Test func aRedirectToTheLoopbackIsRefused() async throws {
        let secret = try await LocalServer.start { _ in .answer("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecret") }
        defer { secret.stop() }
        let first = try await LocalServer.start { _ in
            .answer("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:\(secret.port)/secret\r\nContent-Length: 0\r\n\r\n")
        }
        defer { first.stop() }
        let (fetcher, clients) = Self.fetcher(allowing: [first])
        let refusal = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("http://127.0.0.1:\(first.port)/catalog") }
        #expect(refusal == .addressNotAllowed(host: "127.0.0.1"))
        #expect(first.requests.count == 1)
        #expect(secret.requests.isEmpty, "the redirect's target was never contacted")
        #expect(clients.openCount == 0)
    }

    @Test(arguments: [
        ("ftp://127.0.0.1/x", FetchRefusal.schemeNotAllowed("ftp")),
        ("http://[::1]/", .addressNotAllowed(host: "[::1]")),
        ("http://localhost/", .addressNotAllowed(host: "localhost")),
        ("http://169.254.169.254/latest/meta-data/", .addressNotAllowed(host: "169.254.169.254")),
        ("http://0x7f000001/", .addressNotAllowed(host: "0x7f000001")),
        ("http://user:pw@example.org/", .credentialsInAddress),
    ])
    func aRedirectIsCheckedLikeTheFirstAddress(_ location: String, _ expected: FetchRefusal) async throws {
        let server = try await LocalServer.start { _ in .answer("HTTP/1.1 301 Moved\r\nLocation: \(location)\r\nContent-Length: 0\r\n\r\n") }
        defer { server.stop() }
        let (fetcher, _) = Self.fetcher(allowing: [server])
        let refusal = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("http://127.0.0.1:\(server.port)/") }
        #expect(refusal == expected)
        #expect(server.requests.count == 1)
    }

    @Test func redirectsWithinTheAllowanceAreFollowedUpToTheLimit() async throws {
        let server = try await LocalServer.start { head in
            // /hop/N redirects to /hop/N+1 (a relative Location), /hop/3 answers.
            let number = Int(head.split(separator: " ")[1].split(separator: "/").last ?? "") ?? 0
            if number == 3 { return .answer("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone") }
            return .answer("HTTP/1.1 307 Temporary Redirect\r\nLocation: /hop/\(number + 1)\r\nContent-Length: 0\r\n\r\n")
        }
        defer { server.stop() }
        let (fetcher, _) = Self.fetcher(allowing: [server])
        let document = try await fetcher.fetch("http://127.0.0.1:\(server.port)/hop/0")
        #expect(String(buffer: document.body) == "done")
        #expect(document.url == "http://127.0.0.1:\(server.port)/hop/3")
        #expect(server.requests.count == 4)

        var limits = SafeFetcher.Limits.standard
        limits.maxRedirects = 2
        let refusal = await Self.refusal { () async throws(FetchRefusal) in
            try await fetcher.fetch("http://127.0.0.1:\(server.port)/hop/0", limits: limits)
        }
        #expect(refusal == .tooManyRedirects(limit: 2))
        #expect(server.requests.count == 4 + 3, "two redirects followed, the third refused")
    }

    @Test func aRedirectLoopStopsAtTheDefaultLimit() async throws {
        let server = try await LocalServer.start { _ in .answer("HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n") }
        defer { server.stop() }
        let (fetcher, _) = Self.fetcher(allowing: [server])
        let refusal = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("http://127.0.0.1:\(server.port)/") }
        #expect(refusal == .tooManyRedirects(limit: 5))
        #expect(server.requests.count == 6)
    }

    @Test func anAnnouncedLengthOverTheLimitIsRefusedBeforeReading() async throws {
        let server = try await LocalServer.start { _ in .answer("HTTP/1.1 200 OK\r\nContent-Length: 10485760\r\n\r\nnot all of it") }
        defer { server.stop() }
        let (fetcher, clients) = Self.fetcher(allowing: [server])
        var limits = SafeFetcher.Limits.standard
        limits.maxBodyBytes = 1_048_576
        let refusal = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("http://127.0.0.1:\(server.port)/", limits: limits) }
        #expect(refusal == .tooLarge(limit: 1_048_576))
        #expect(clients.openCount == 0)
    }

    @Test func aBodyWithoutLengthIsCutAtTheLimit() async throws {
        // 64 chunks of 16 KB, chunked: 1 MB announced nowhere, against a 100 KB limit.
        let server = try await LocalServer.start { _ in .chunked(count: 64, size: 16_384) }
        defer { server.stop() }
        let (fetcher, _) = Self.fetcher(allowing: [server])
        var limits = SafeFetcher.Limits.standard
        limits.maxBodyBytes = 100_000
        let refusal = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("http://127.0.0.1:\(server.port)/", limits: limits) }
        #expect(refusal == .tooLarge(limit: 100_000))

        limits.maxBodyBytes = 2_000_000
        let document = try await fetcher.fetch("http://127.0.0.1:\(server.port)/", limits: limits)
        #expect(document.body.readableBytes == 64 * 16_384, "under the limit, the whole body")
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let server = try await LocalServer.start { _ in .silence }
        defer { server.stop() }
        let (fetcher, clients) = Self.fetcher(allowing: [server])
        var limits = SafeFetcher.Limits.standard
        // Long enough for the request to reach the server on a loaded machine (what is tested is
        // the wait for an answer that never comes, not the connection).
        limits.totalTime = .seconds(2)
        let started = ContinuousClock.now
        let refusal = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("http://127.0.0.1:\(server.port)/", limits: limits) }
        let waited = ContinuousClock.now - started
        #expect(refusal == .timedOut)
        // The silent server never answers: without the cap the fetch would wait for ever. The
        // wall-clock bound is loose because a loaded 2-core machine wakes a timer late.
        #expect(waited < .seconds(30), "gave up after \(waited)")
        // Whether the request reached the server before the fetch gave up depends on how busy
        // the machine is; what holds is that it was not sent twice.
        #expect(server.requests.count <= 1, "a timed-out fetch is not tried again")
        #expect(clients.openCount == 0)
    }

    /// The lookup blocks for a minute; the fetch's clock ends it at its limit, cancelling the
    /// lookup rather than waiting for it. The clock on the wall only guards against a wait of the
    /// lookup's length: on a loaded machine, waking up after 300 ms may take seconds.
    @Test func aSlowNameLookupTimesOutToo() async {
        let lookupCancelled = NIOLockedValueBox(false)
        let (fetcher, _) = Self.fetcher(resolve: { _ in
            do { try await Task.sleep(for: .seconds(60)) } catch {
                lookupCancelled.withLockedValue { $0 = true }
                throw error
            }
            return []
        })
        var limits = SafeFetcher.Limits.standard
        limits.totalTime = .milliseconds(300)
        let started = ContinuousClock.now
        let refusal = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("https://slow.example/", limits: limits) }
        #expect(refusal == .timedOut)
        #expect(lookupCancelled.withLockedValue { $0 }, "the fetch stopped the lookup instead of waiting for it")
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func theSystemResolverReturnsEveryAddressOnce() async throws {
        let addresses = try await HostResolver.system("localhost")
        #expect(addresses.contains(IPAddress(dottedQuad: "127.0.0.1")!))
        #expect(Set(addresses).count == addresses.count)
        #expect(addresses.allSatisfy { $0.scope == .loopback })
        await #expect(throws: FetchRefusal.unreachable(host: "nothing-here.invalid")) { try await HostResolver.system("nothing-here.invalid") }
    }

    @Test func anErrorStatusIsARefusal() async throws {
        let server = try await LocalServer.start { _ in .answer("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope") }
        defer { server.stop() }
        let (fetcher, _) = Self.fetcher(allowing: [server])
        let refusal = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("http://127.0.0.1:\(server.port)/") }
        #expect(refusal == .httpStatus(404))
    }

    @Test func aClosedPortIsUnreachable() async throws {
        let server = try await LocalServer.start { _ in .silence }
        let port = server.port
        server.stop()
        try await Task.sleep(for: .milliseconds(50))
        let clients = SafeFetchClients(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let fetcher = SafeFetcher(policy: .allowing([("127.0.0.1", port)]), userAgent: "Maillage", clients: clients)
        let refusal = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("http://127.0.0.1:\(port)/") }
        #expect(refusal == .unreachable(host: "127.0.0.1"))
    }

    // MARK: In the app

    @Test func theAppsFetcherReachesOnlyWhatItsPolicyAllows() async throws {
        let server = try await LocalServer.start { _ in .answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") }
        defer { server.stop() }
        try await withMaillage { app in
            #expect(app.safeFetchPolicy == .publicOnly, "no allowance unless a test sets one")
            let refusal = await Self.refusal { () async throws(FetchRefusal) in try await app.safeFetcher.fetch("http://127.0.0.1:\(server.port)/") }
            #expect(refusal == .addressNotAllowed(host: "127.0.0.1"))
            #expect(server.requests.isEmpty)

            app.safeFetchPolicy = .allowing([("127.0.0.1", server.port)])
            let document = try await app.safeFetcher.fetch("http://127.0.0.1:\(server.port)/")
            #expect(String(buffer: document.body) == "ok")
            #expect(app.safeFetcher.userAgent == "Maillage/\(SafeFetcher.version)", "no public address configured in tests")
        }
    }

    /// A fetch still waiting when the app stops has its client closed by the shutdown, and no
    /// fetch starts afterwards.
    @Test func shutdownClosesTheClientsOfFetchesInProgress() async throws {
        let server = try await LocalServer.start { _ in .silence }
        defer { server.stop() }
        let clients = SafeFetchClients(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        let fetcher = SafeFetcher(policy: .allowing([("127.0.0.1", server.port)]), userAgent: "Maillage", clients: clients)
        let waiting = Task { await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("http://127.0.0.1:\(server.port)/") } }
        while server.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(clients.openCount == 1)
        await clients.closeAll()
        let refusal = await waiting.value
        #expect(refusal != nil)
        #expect(clients.openCount == 0)
        let after = await Self.refusal { () async throws(FetchRefusal) in try await fetcher.fetch("http://127.0.0.1:\(server.port)/") }
        #expect(after == .unreachable(host: "127.0.0.1"))
    }

    @Test func refusalsSpeakFrenchAndEnglish() {
        let refusals: [FetchRefusal] = [.schemeNotAllowed("ftp"), .credentialsInAddress, .invalidAddress, .addressNotAllowed(host: "10.0.0.1"),
                                        .tooManyRedirects(limit: 5), .tooLarge(limit: 5 * 1_048_576), .timedOut, .httpStatus(500),
                                        .unreachable(host: "example.org")]
        for refusal in refusals {
            #expect(!refusal.message.fr.isEmpty && !refusal.message.en.isEmpty && refusal.message.fr != refusal.message.en)
            let error = refusal.domainError(field: "url")
            #expect(error.status == .unprocessableEntity && error.field == "url" && error.code.hasPrefix("fetch_"))
        }
        #expect(FetchRefusal.tooLarge(limit: 5 * 1_048_576).message.fr.contains("5 Mo"))
        #expect(FetchRefusal.tooLarge(limit: 5 * 1_048_576).message.en.contains("5 MB"))
        #expect(FetchRefusal.addressNotAllowed(host: "10.0.0.1").message.en.contains("10.0.0.1"))
    }
}

/// A bare HTTP/1.1 server on 127.0.0.1 and a free port: reads a request head, writes what
/// `answer` says, closes. Enough to play a remote catalog, a redirecting host, a huge document
/// or a server that never replies.
final class LocalServer: Sendable {
    enum Answer: Sendable {
        /// Raw bytes of a whole response.
        case answer(String)
        /// A 200 with a chunked body of `count` chunks of `size` bytes.
        case chunked(count: Int, size: Int)
        /// Reads the request and says nothing.
        case silence
    }

    let port: Int
    private let channel: any Channel
    private let seen: NIOLockedValueBox<[String]>

    /// The request heads received, in order.
    var requests: [String] { seen.withLockedValue { $0 } }

    private init(port: Int, channel: any Channel, seen: NIOLockedValueBox<[String]>) {
        self.port = port
        self.channel = channel
        self.seen = seen
    }

    static func start(_ answer: @escaping @Sendable (String) -> Answer) async throws -> LocalServer {
        let seen = NIOLockedValueBox<[String]>([])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Handler(answer: answer, seen: seen))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw CancellationError() }
        return LocalServer(port: port, channel: channel, seen: seen)
    }

    func stop() {
        channel.close(promise: nil)
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let answer: @Sendable (String) -> Answer
        let seen: NIOLockedValueBox<[String]>
        var received = ""
        var answered = false

        init(answer: @escaping @Sendable (String) -> Answer, seen: NIOLockedValueBox<[String]>) {
            self.answer = answer
            self.seen = seen
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            received += String(buffer: unwrapInboundIn(data))
            guard let end = received.range(of: "\r\n\r\n") else { return }
            answered = true
            let head = String(received[..<end.upperBound])
            seen.withLockedValue { $0.append(head) }
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            switch answer(head) {
            case .answer(let raw):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: raw))).whenComplete { _ in bound.value.close(promise: nil) }
            case .chunked(let count, let size):
                context.write(wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")), promise: nil)
                let chunk = ByteBuffer(string: String(size, radix: 16) + "\r\n" + String(repeating: "x", count: size) + "\r\n")
                for _ in 0..<count { context.write(wrapOutboundOut(chunk), promise: nil) }
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "0\r\n\r\n"))).whenComplete { _ in bound.value.close(promise: nil) }
            case .silence:
                break
            }
        }
    }
}
