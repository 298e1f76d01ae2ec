import Foundation
import Vapor

/// A way out of the instance: mail first; store webhooks, ActivityPub deliveries and carpool
/// proofs are channels too. The outbox owns the when (claim, retry, give up, log); a channel owns
/// the how (one delivery attempt of one message).
protocol OutboxChannel: Sendable {
    /// The name stored in each row (`mail`, later `webhook`, `activitypub`, `carpool-proof`).
    var name: String { get }
    /// How many deliveries to one destination (`OutboxEnvelope.destinationKey`: a mail domain, a
    /// remote host) may run at once from one process, so a slow server is not flooded.
    var perDestinationLimit: Int { get }
    /// One attempt. Signing happens here, at each attempt, because signatures carry the time
    /// (HTTP Signatures' `Date`); the row names the key (`signer`), never holds it.
    func deliver(_ message: OutboxMessage, app: Application) async -> DeliveryOutcome
}

/// What one attempt came to.
enum DeliveryOutcome: Sendable, Equatable {
    /// The other side accepted it: the body is dropped, the row kept as a receipt.
    case delivered(String)
    /// Nowhere to send it (no mail server configured): kept whole for the operators' mailbox.
    case held(String)
    /// Worth trying again later (network, timeout, a 4xx SMTP answer, a 5xx HTTP answer).
    case transientFailure(String)
    /// Trying again cannot help (address refused, bad credentials): shown to the operators.
    case permanentFailure(String)
}

/// What a module writes into the outbox, in the same transaction as the event that causes it.
struct OutboxEnvelope: Sendable {
    var channel: String
    /// Where it goes: an email address, an inbox URL.
    var destination: String
    /// What the per-destination limit counts (the mail domain, the URL's host).
    var destinationKey: String
    /// A line for the operators' lists (a mail's subject), never more personal than the body.
    var summary: String
    /// The channel's own document (JSON), dropped once delivered.
    var payload: String
    /// Which key signs the delivery, when the channel signs (e.g. an actor's key id).
    var signer: String?
}

/// A claimed row, as a channel sees it.
struct OutboxMessage: Sendable {
    var id: UUID
    var channel: String
    var destination: String
    var destinationKey: String
    var summary: String
    var payload: String
    var signer: String?
    var attempts: Int
    var createdAt: Date
}
