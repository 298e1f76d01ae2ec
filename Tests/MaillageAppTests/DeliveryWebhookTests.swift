import Vapor
import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SQLKit
import Testing
import VaporTesting

/// A store's webhook, called by the outbox: the call is queued with the change of status, signed
/// with the store's secret, retried when the store's server fails, and logged on the store's page.
@Suite("Delivery webhooks: signed, retried, logged", .serialized)
struct DeliveryWebhookTests {
    @Test func aChangeOfStatusReachesTheStoreSignedAndIsRetriedUntilItIsReceived() async throws {
        let answers = NIOLockedValueBox<[Int]>([500])
        let receiver = try await WebhookReceiver.start { _ in
            answers.withLockedValue { list in list.isEmpty ? 200 : list.removeFirst() }
        }
        defer { receiver.stop() }
        try await withMaillage(demo: true) { app in
            app.safeFetchPolicy = .allowing([("127.0.0.1", receiver.port)])
            let chloe = Visitor(app)
            try await chloe.logIn("chloe@\(DemoTerritory.domain)")
            let store = try await DeliveryTests.storeID("Épicerie Le Panier Nantais", app)
            let connect = "/c/coursiers-nantais/delivery/stores/\(store)/connect"
            _ = try await chloe.get(connect)
            let wrong = try await chloe.post("/c/coursiers-nantais/delivery/stores/\(store)/webhook", [("webhook_url", "ftp://boutique")])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("ftp://boutique"), "the address comes back with what to fix")
            let saved = try await chloe.post("/c/coursiers-nantais/delivery/stores/\(store)/webhook",
                                             [("webhook_url", "http://127.0.0.1:\(receiver.port)/maillage")])
            #expect(saved.status == .seeOther)
            let shown = try await chloe.get(connect).body.string
            let secret = try #require(shown.range(of: #"whsec_[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(shown[$0]) }, "the secret is shown once")

            // The store orders through its API; staff start the delivery: one call queued with the change.
            let token = try await DeliveryAPITokens.create(name: "Caisse", store: store, by: nil, on: app.db).token
            let created = DeliveryAPITests.object(try await DeliveryAPITests.send(app, .POST, "\(DeliveryAPITests.api)/deliveries", token: token,
                                                                                   json: DeliveryAPITests.order))
            let id = try #require((created["id"] as? String).flatMap(UUID.init(uuidString:)))
            #expect(try await DeliveryWebhooks.calls(of: store, on: app.db).isEmpty, "ordering is the store's own act: no call")
            let coop = try await DeliveryTests.coopID(app)
            _ = try await DeliveryOrders.move(id, in: coop, to: .doing, by: .demo, on: app.db)
            let queued = try await DeliveryWebhooks.calls(of: store, on: app.db)
            #expect(queued.map(\.event) == ["delivery.started"] && queued.first?.status == "pending")

            // The store's server fails once: the outbox tries again later, and it is received.
            try await app.outboxSender!.sendDue(app)
            let failed = try #require(try await DeliveryWebhooks.calls(of: store, on: app.db).first)
            #expect(failed.status == "pending" && failed.attempts == 1 && failed.lastError?.contains("500") == true)
            try await app.outboxSender!.sendDue(app, now: Date().addingTimeInterval(120))
            let received = try #require(try await DeliveryWebhooks.calls(of: store, on: app.db).first)
            #expect(received.status == "sent" && received.attempts == 2)

            let calls = receiver.requests
            #expect(calls.count == 2)
            for call in calls {
                #expect(call.head.hasPrefix("POST /maillage "))
                let signature = try #require(call.header("x-maillage-signature"))
                let mac = HMAC<SHA256>.authenticationCode(for: Data(call.body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
                #expect(signature == "sha256=" + mac.map { String(format: "%02x", $0) }.joined(), "the signature verifies with the store's secret")
                #expect(call.header("x-maillage-event") == "delivery.started")
                let payload = (try? JSONSerialization.jsonObject(with: Data(call.body.utf8))) as? [String: Any] ?? [:]
                #expect(payload["type"] as? String == "delivery.started")
                #expect(((payload["delivery"] as? [String: Any])?["status"] as? String) == "doing")
            }
            #expect(calls[0].body == calls[1].body, "a retry sends the same call")
            // The store reads the log of its calls on its page.
            let page = try await chloe.get(connect).body.string
            #expect(page.contains("delivery.started") && page.contains("reçu"))

            // Cancelled: a second call. A store without a webhook gets none.
            _ = try await DeliveryOrders.move(id, in: coop, to: .cancelled, by: .demo, on: app.db)
            #expect(try await DeliveryWebhooks.calls(of: store, on: app.db).map(\.event) == ["delivery.cancelled", "delivery.started"])
            let bookshop = try await DeliveryTests.storeID("Librairie Les Bien-Aimés", app)
            let theirs = try #require(try await app.db.sql.select().column("id").from("deliveries").where("store_id", .equal, SQLBind(bookshop))
                .where("status", .equal, SQLBind("todo")).first(decoding: IDRow.self)?.id)
            _ = try await DeliveryOrders.move(theirs, in: coop, to: .cancelled, by: .demo, on: app.db)
            #expect(try await DeliveryWebhooks.calls(of: bookshop, on: app.db).isEmpty)
        }
    }

    @Test func aStoreThatRefusesTheCallIsNotAskedAgain() async throws {
        let receiver = try await WebhookReceiver.start { _ in 410 }
        defer { receiver.stop() }
        try await withMaillage(demo: true) { app in
            app.safeFetchPolicy = .allowing([("127.0.0.1", receiver.port)])
            let store = try await DeliveryTests.storeID("Épicerie Le Panier Nantais", app)
            // Saved again: one address, a new secret.
            let first = try await DeliveryWebhooks.set("http://127.0.0.1:\(receiver.port)/old", for: store, on: app.db)
            let second = try await DeliveryWebhooks.set("http://127.0.0.1:\(receiver.port)/gone", for: store, on: app.db)
            let kept = try await DeliveryWebhooks.secret(of: store, on: app.db)
            #expect(first != second && kept == second)
            #expect(try await DeliveryWebhooks.setting(of: store, on: app.db)?.url.hasSuffix("/gone") == true)
            let id = try #require(try await app.db.sql.select().column("id").from("deliveries").where("store_id", .equal, SQLBind(store))
                .where("status", .equal, SQLBind("todo")).first(decoding: IDRow.self)?.id)
            _ = try await DeliveryOrders.move(id, in: try await DeliveryTests.coopID(app), to: .doing, by: .demo, on: app.db)
            try await app.outboxSender!.sendDue(app)
            try await app.outboxSender!.sendDue(app, now: Date().addingTimeInterval(3_600))
            let call = try #require(try await DeliveryWebhooks.calls(of: store, on: app.db).first)
            #expect(call.status == "failed" && call.attempts == 1 && call.lastError?.contains("410") == true)
            #expect(receiver.requests.count == 1)
        }
    }
}

/// A bare HTTP/1.1 server on 127.0.0.1 that reads whole requests (head and body, by
/// Content-Length), keeps them, and answers with the status `answer` gives.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var head: String
        var body: String
        func header(_ name: String) -> String? {
            head.split(separator: "\r\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
                .map { String($0.drop { $0 != ":" }.dropFirst()).trimmingCharacters(in: .whitespaces) }
        }
    }

    let port: Int
    private let channel: any Channel
    private let seen: NIOLockedValueBox<[Received]>
    var requests: [Received] { seen.withLockedValue { $0 } }

    private init(port: Int, channel: any Channel, seen: NIOLockedValueBox<[Received]>) {
        self.port = port
        self.channel = channel
        self.seen = seen
    }

    static func start(_ answer: @escaping @Sendable (Received) -> Int) async throws -> WebhookReceiver {
        let seen = NIOLockedValueBox<[Received]>([])
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(Handler(answer: answer, seen: seen)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw CancellationError() }
        return WebhookReceiver(port: port, channel: channel, seen: seen)
    }

    func stop() { channel.close(promise: nil) }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let answer: @Sendable (Received) -> Int
        let seen: NIOLockedValueBox<[Received]>
        var received = ""
        var answered = false

        init(answer: @escaping @Sendable (Received) -> Int, seen: NIOLockedValueBox<[Received]>) {
            self.answer = answer
            self.seen = seen
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !answered else { return }
            received += String(buffer: unwrapInboundIn(data))
            guard let end = received.range(of: "\r\n\r\n") else { return }
            let head = String(received[..<end.lowerBound])
            let request = Received(head: head, body: "")
            let length = Int(request.header("content-length") ?? "0") ?? 0
            let body = received[end.upperBound...]
            guard body.utf8.count >= length else { return }
            answered = true
            let whole = Received(head: head, body: String(body))
            seen.withLockedValue { $0.append(whole) }
            let status = answer(whole)
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let raw = "HTTP/1.1 \(status) X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: raw))).whenComplete { _ in bound.value.close(promise: nil) }
        }
    }
}
