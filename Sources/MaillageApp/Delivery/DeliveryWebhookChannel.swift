import Foundation
import MaillageCore
import SQLKit
import Vapor

/// The outbox's `delivery-webhook` channel: one call, one signed `POST` of the event to the
/// store's address through the safe fetcher. 2xx is delivered; 408, 429, 5xx or no answer are
/// tried again by the outbox with its backoff; another 4xx is refused for good (the store's
/// software said no; trying again would say the same).
struct DeliveryWebhookChannel: OutboxChannel {
    static let channelName = "delivery-webhook"
    var name: String { Self.channelName }
    var perDestinationLimit: Int { 2 }

    func deliver(_ message: OutboxMessage, app: Application) async -> DeliveryOutcome {
        guard let signer = message.signer, let store = UUID(uuidString: signer) else {
            return .permanentFailure("delivery webhook: no store named")
        }
        let secret: String?
        do { secret = try await DeliveryWebhooks.secret(of: store, on: app.db) } catch {
            return .transientFailure("delivery webhook: secret unreadable: \(error)")
        }
        // The store removed its webhook since: nothing to sign with, nobody listening.
        guard let secret else { return .permanentFailure("the store's webhook was removed") }
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        headers.add(name: DeliveryWebhooks.signatureHeader, value: DeliveryWebhooks.signature(of: message.payload, secret: secret))
        headers.add(name: DeliveryWebhooks.eventHeader, value: String(message.summary.prefix { $0 != " " }))
        headers.add(name: "X-Maillage-Delivery-Attempt", value: String(message.attempts + 1))
        let answer: SafeFetcher.Document
        do {
            answer = try await app.safeFetcher.send(.POST, to: message.destination, headers: headers, body: ByteBuffer(string: message.payload),
                                                     limits: SafeFetcher.Limits(totalTime: .seconds(10), maxBodyBytes: 65_536, maxRedirects: 0))
        } catch {
            switch error {
            case .addressNotAllowed, .schemeNotAllowed, .credentialsInAddress, .invalidAddress:
                return .permanentFailure("refused address: \(error)")
            default:
                return .transientFailure("no answer: \(error)")
            }
        }
        let text = String(String(buffer: answer.body).prefix(200))
        switch answer.status {
        case 200..<300: return .delivered("HTTP \(answer.status)")
        case 408, 429, 500...: return .transientFailure("HTTP \(answer.status) \(text)")
        default: return .permanentFailure("HTTP \(answer.status) \(text)")
        }
    }
}
