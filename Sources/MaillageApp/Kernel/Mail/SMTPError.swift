import MaillageCore

/// Why a mail was not sent: the step that failed, what happened there, and whether to try again.
struct SMTPError: Error, Sendable, CustomStringConvertible {
    enum Step: Sendable, Equatable, CustomStringConvertible {
        /// Writing the message, before any connection.
        case message
        case connect
        /// The TLS handshake: at connection for smtps, after STARTTLS otherwise.
        case tlsHandshake
        case greeting
        case hello
        case startTLS
        case authentication
        /// `MAIL FROM`.
        case sender
        /// `RCPT TO` for this address.
        case recipient(String)
        /// `DATA`, before the message.
        case data
        /// The message, up to its closing ".", and the server's verdict on it.
        case messageTransfer

        var description: String {
            switch self {
            case .message: "message"
            case .connect: "connection"
            case .tlsHandshake: "TLS handshake"
            case .greeting: "greeting"
            case .hello: "EHLO"
            case .startTLS: "STARTTLS"
            case .authentication: "AUTH"
            case .sender: "MAIL FROM"
            case .recipient(let address): "RCPT TO <\(address)>"
            case .data: "DATA"
            case .messageTransfer: "message transfer"
            }
        }
    }

    enum Failure: Sendable {
        /// The server answered with a code that is not the one this step needs.
        case reply(SMTPReply)
        case timeout
        /// Refused, reset or closed connection, unknown host.
        case connection(String)
        /// The handshake failed: a certificate not trusted, a name that does not match…
        case tls(String)
        /// The server sent something that is not SMTP, or sent it out of turn.
        case protocolViolation(String)
        /// Credentials are set and the server does not offer STARTTLS: they would go in clear.
        case startTLSUnavailable
        /// Credentials are set and the server offers neither AUTH PLAIN nor AUTH LOGIN.
        case noUsableAuthentication(offered: [String])
        case invalidMessage(MailFormatError)
    }

    let step: Step
    let failure: Failure

    /// True when sending this message again cannot succeed: the server refused it for good (5xx:
    /// a recipient that does not exist, a rejected sender, wrong credentials) or it cannot be
    /// written. Everything else is worth another try later: a 4xx, the network, a timeout, and
    /// also TLS or a missing STARTTLS, which the operators fix without the message changing.
    var isPermanent: Bool {
        switch failure {
        case .reply(let reply): reply.isPermanentFailure
        case .invalidMessage: true
        case .timeout, .connection, .tls, .protocolViolation, .startTLSUnavailable, .noUsableAuthentication: false
        }
    }

    /// The server's reply, when the failure is one.
    var reply: SMTPReply? {
        if case .reply(let reply) = failure { reply } else { nil }
    }

    var description: String {
        let what: String = switch failure {
        case .reply(let reply): "the server answered \(reply)"
        case .timeout: "no answer in time"
        case .connection(let reason): "connection failed: \(reason)"
        case .tls(let reason): "TLS failed: \(reason)"
        case .protocolViolation(let reason): "protocol violation: \(reason)"
        case .startTLSUnavailable: "the server does not offer STARTTLS, and credentials are never sent in clear"
        case .noUsableAuthentication(let offered):
            "the server offers no AUTH mechanism this client speaks (PLAIN, LOGIN); it offers: \(offered.isEmpty ? "none" : offered.joined(separator: " "))"
        case .invalidMessage(let problem): "the message cannot be sent: \(problem)"
        }
        return "SMTP \(step): \(what) (\(isPermanent ? "permanent" : "transient"))"
    }
}
