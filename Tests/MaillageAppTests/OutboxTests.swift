import Fluent
import Foundation
@testable import MaillageApp
import MaillageCore
import SQLKit
import Testing
import VaporTesting

/// The outbox: written with the event or not at all, each row taken by one sender, retried,
/// given up, and shown to the operators.
@Suite("Outbox", .serialized)
struct OutboxTests {
    static func mail(_ n: Int, domain: String = "example.org") -> MailContent {
        MailContent(to: "voisin\(n)@\(domain)", toName: "Voisin \(n)", language: .fr, subject: "Message \(n)", greeting: "Bonjour,",
                    paragraphs: ["Texte \(n)"], action: nil, footer: "Pied")
    }

    struct Row: Decodable { var status: String; var attempts: Int; var payload: String; var last_error: String? }
    static func rows(_ app: Application) async throws -> [Row] {
        try await app.db.sql.select().columns("status", "attempts", "payload", "last_error").from(OutboxTables.messages)
            .orderBy("created_at").all(decoding: Row.self)
    }

    @Test func aMessageIsKeptOnlyWithTheEventThatCausedIt() async throws {
        try await withMaillage { app in
            struct Rollback: Error {}
            do {
                try await app.db.transaction { tx in
                    try await Mail.send(Self.mail(1), on: tx)
                    throw Rollback()
                }
            } catch is Rollback {}
            #expect(try await Self.rows(app).isEmpty, "the event was undone, so is its mail")
            try await app.db.transaction { tx in try await Mail.send(Self.mail(2), on: tx) }
            #expect(try await Self.rows(app).count == 1)
        }
    }

    @Test func withoutAMailServerMailIsHeldWholeForTheMailbox() async throws {
        try await withMaillage { app in
            try await Mail.send(Self.mail(1), on: app.db)
            let rows = try await Self.rows(app)
            #expect(rows.map(\.status) == ["held"], "held as it is written: there is no server to try")
            #expect(rows[0].payload.contains("Texte 1"), "kept for the operators to read")
            #expect(try await app.outboxSender?.sendDue(app) == 0, "a held message is never claimed")
        }
    }

    /// Mail that a server (here one nobody answers at) is to receive, so it waits to be sent.
    static func unreachableServer(_ config: inout AppConfig) {
        config.mail = MailChannel(smtp: try! SMTPConfiguration(url: "smtp://127.0.0.1:1", from: "Maillage <no-reply@example.org>"),
                                  sender: try! MailAddress("no-reply@example.org"))
    }

    @Test func twoSendersNeverTakeTheSameMessage() async throws {
        try await withMaillage(adjust: Self.unreachableServer) { app in
            for n in 0..<60 { try await Mail.send(Self.mail(n), on: app.db) }
            let now = Date()
            async let first = Outbox.claim(owner: "a", limit: 40, leaseUntil: now.addingTimeInterval(60), now: now, on: app.db)
            async let second = Outbox.claim(owner: "b", limit: 40, leaseUntil: now.addingTimeInterval(60), now: now, on: app.db)
            let (a, b) = try await (first, second)
            #expect(Set(a.map(\.id)).isDisjoint(with: Set(b.map(\.id))))
            #expect(a.count + b.count == 60)
            let again = try await Outbox.claim(owner: "c", limit: 100, leaseUntil: now.addingTimeInterval(60), now: now, on: app.db)
            #expect(again.isEmpty, "leased rows wait for their lease to end")
            let later = now.addingTimeInterval(61)
            let taken = try await Outbox.claim(owner: "c", limit: 100, leaseUntil: later.addingTimeInterval(60), now: later, on: app.db)
            #expect(Set(taken.map(\.id)) == Set((a + b).map(\.id)), "after the lease, a message unacknowledged is taken again, the same row")
        }
    }

    /// A real SMTP client against a port where nobody listens: a transient failure, retried later,
    /// then given up and shown to the operators.
    @Test func anUnreachableServerIsRetriedWithBackoffThenGivenUpAndShown() async throws {
        try await withMaillage(adjust: Self.unreachableServer) { app in
            try await Mail.send(Self.mail(1), on: app.db)
            let sender = try #require(app.outboxSender)
            #expect(try await sender.sendDue(app) == 1)
            var rows = try await Self.rows(app)
            #expect(rows[0].status == "pending" && rows[0].attempts == 1)
            #expect(rows[0].last_error?.contains("connection") == true)
            #expect(try await sender.sendDue(app) == 0, "not before its wait")
            #expect(try await sender.sendDue(app, now: Date().addingTimeInterval(31)) == 1, "after 30 s, once more")
            #expect(try await sender.sendDue(app, now: Date().addingTimeInterval(3 * 86_400)) == 1)
            rows = try await Self.rows(app)
            #expect(rows[0].status == "failed", "past two days, given up")
            struct Attempt: Decodable { var outcome: String }
            let attempts = try await app.db.sql.select().column("outcome").from(OutboxTables.attempts).orderBy("attempted_at")
                .all(decoding: Attempt.self).map(\.outcome)
            #expect(attempts == ["retry", "retry", "failed"])

            let operatorVisitor = Visitor(app)
            _ = try await operatorVisitor.signUp("ops@example.org", name: "Ops")
            _ = try await Operators.grant(email: "ops@example.org", on: app.db)
            let desk = try await operatorVisitor.get("/operators")
            #expect(desk.body.string.contains("Message 1"), "the failed message is shown")
            #expect(desk.body.string.contains("en échec"))
        }
    }

    /// A channel whose deliveries fail for a while, to mix outcomes in one batch.
    struct FlakyChannel: OutboxChannel {
        let name = "flaky"
        let perDestinationLimit = 1
        func deliver(_ message: OutboxMessage, app: Application) async -> DeliveryOutcome {
            if message.destination.hasPrefix("never") { return .permanentFailure("refused for good") }
            return message.destination.hasPrefix("later") ? .transientFailure("busy") : .delivered("accepted")
        }
    }

    /// A batch's outcomes are written together: each row gets its own, once, with its attempt logged.
    @Test func aBatchOfMixedOutcomesIsRecordedRowByRow() async throws {
        try await withMaillage { app in
            let flaky = FlakyChannel()
            let sender = OutboxSender(channels: [flaky])
            for destination in ["voisin1@example.org", "voisin2@example.org", "voisin3@example.org", "later@example.org", "never@example.org"] {
                try await Outbox.enqueue(OutboxEnvelope(channel: flaky.name, destination: destination, destinationKey: "example.org",
                                                        summary: destination, payload: "{}", signer: nil), on: app.db)
            }
            #expect(try await sender.sendDue(app) == 5)
            struct Row: Decodable { var destination: String; var status: String; var attempts: Int; var last_error: String?; var lease_owner: String? }
            let rows = try await app.db.sql.select().columns("destination", "status", "attempts", "last_error", "lease_owner")
                .from(OutboxTables.messages).all(decoding: Row.self)
            let by = Dictionary(uniqueKeysWithValues: rows.map { ($0.destination, $0) })
            #expect(rows.filter { $0.destination.hasPrefix("voisin") }.allSatisfy { $0.status == "sent" && $0.last_error == nil })
            #expect(by["later@example.org"]?.status == "pending" && by["later@example.org"]?.last_error == "busy")
            #expect(by["never@example.org"]?.status == "failed" && by["never@example.org"]?.last_error == "refused for good")
            #expect(rows.allSatisfy { $0.attempts == 1 && $0.lease_owner == nil }, "each counted once, each lease given back")
            struct Attempt: Decodable { var outcome: String }
            let attempts = try await app.db.sql.select().column("outcome").from(OutboxTables.attempts).all(decoding: Attempt.self).map(\.outcome)
            #expect(attempts.sorted() == ["failed", "retry", "sent", "sent", "sent"])
            #expect(try await sender.sendDue(app, now: Date().addingTimeInterval(31)) == 1, "only the one to retry comes back")
            let later = try await app.db.sql.select().column("attempts").from(OutboxTables.messages)
                .where("destination", .equal, SQLBind("later@example.org")).first(decoding: [String: Int].self)
            #expect(later?["attempts"] == 2)
        }
    }
}
