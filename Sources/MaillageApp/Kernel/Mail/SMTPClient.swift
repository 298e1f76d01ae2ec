import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MaillageCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// Sends mail to the SMTP server of `SMTPConfiguration`, one connection per message (Maillage
/// sends few): greeting, EHLO (HELO if EHLO is refused), STARTTLS then EHLO again, AUTH PLAIN
/// (or LOGIN when only that is offered), MAIL FROM, RCPT TO for each recipient, DATA, the
/// message, QUIT. Every reply code is checked; a failure is an `SMTPError` naming the step, with
/// the server's reply, permanent or worth retrying.
struct SMTPClient: Sendable {
    let configuration: SMTPConfiguration
    private let group: any EventLoopGroup
    private let tls: NIOSSLContext

    init(_ configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws(SMTPConfiguration.Invalid) {
        self.configuration = configuration
        self.group = group
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        do {
            if let file = configuration.extraTrustRootsFile {
                let authorities = try NIOSSLCertificate.fromPEMFile(file)
                guard !authorities.isEmpty else { throw SMTPConfiguration.Invalid(description: "SMTP_CA_FILE \(file) holds no PEM certificate") }
                // Besides the system's authorities, not instead of them.
                tls.additionalTrustRoots = [.certificates(authorities)]
            }
            self.tls = try NIOSSLContext(configuration: tls)
        } catch let invalid as SMTPConfiguration.Invalid {
            throw invalid
        } catch {
            throw SMTPConfiguration.Invalid(description: "SMTP_CA_FILE: \(error)")
        }
    }

    /// Sends `message`. The envelope's sender (where bounces go) is the configuration's
    /// `MAIL_FROM`; the recipients are the message's `To`. One recipient refused stops the
    /// sending before the data: a message reaches all its recipients or none. Returns once the
    /// server has taken responsibility for the message (its 250 after the data).
    func send(_ message: MailMessage) async throws(SMTPError) {
        let data: [UInt8]
        do throws(MailFormatError) {
            data = SMTPData.transmission(of: Array(try message.rendered().utf8))
        } catch {
            throw SMTPError(step: .message, failure: .invalidMessage(error))
        }
        let ending = NIOLockedValueBox<SMTPTransportError?>(nil)
        let channel = try await connect(ending: ending)
        defer { channel.close(promise: nil) }
        try await Conversation(channel: channel, ending: ending, configuration: configuration, upgrade: upgrade).deliver(message, data: data)
    }

    private func connect(ending: NIOLockedValueBox<SMTPTransportError?>) async throws(SMTPError) -> any Channel {
        let implicitTLS = configuration.security == .implicitTLS ? upgrade : nil
        let timeout = configuration.timeout
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: implicitTLS.context, serverHostname: implicitTLS.serverHostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(SMTPConversationHandler(timeout: timeout, ending: ending))
                }
            }
        do {
            return try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch ChannelError.connectTimeout {
            throw SMTPError(step: .connect, failure: .timeout)
        } catch {
            throw SMTPError(step: .connect, failure: .connection(String(describing: error)))
        }
    }

    private var upgrade: SMTPTLSUpgrade {
        // NIOSSL refuses an IP address as a server name (SNI); it then checks the certificate's
        // IP addresses against the address connected to.
        let isAddress = (try? SocketAddress(ipAddress: configuration.host, port: 0)) != nil
        return SMTPTLSUpgrade(context: tls, serverHostname: isAddress ? nil : configuration.host)
    }

    /// One connection's exchange, step by step.
    private struct Conversation {
        let channel: any Channel
        /// Why the connection ended, once it has.
        let ending: NIOLockedValueBox<SMTPTransportError?>
        let configuration: SMTPConfiguration
        let upgrade: SMTPTLSUpgrade

        func deliver(_ message: MailMessage, data: [UInt8]) async throws(SMTPError) {
            try await expect(turn(nil, step: .greeting), [220], step: .greeting)
            var extensions = try await hello(fallBackToHELO: true)
            if configuration.security == .startTLS {
                if extensions["STARTTLS"] != nil {
                    try await expect(turn("STARTTLS", step: .startTLS, startTLS: upgrade), [220], step: .startTLS)
                    // RFC 3207 §4.2: what the server said before TLS is forgotten, and asked again.
                    extensions = try await hello(fallBackToHELO: false)
                } else if configuration.credentials != nil {
                    throw SMTPError(step: .startTLS, failure: .startTLSUnavailable)
                }
            }
            if let credentials = configuration.credentials {
                try await authenticate(credentials, offered: extensions["AUTH"] ?? [])
            }
            try await expect(turn("MAIL FROM:<\(configuration.sender.address)>", step: .sender), [250], step: .sender)
            for recipient in message.to {
                let step = SMTPError.Step.recipient(recipient.address)
                try await expect(turn("RCPT TO:<\(recipient.address)>", step: step), [250, 251], step: step)
            }
            try await expect(turn("DATA", step: .data), [354], step: .data)
            try await expect(turn(bytes: data, step: .messageTransfer), [250], step: .messageTransfer)
            // The message is the server's now: a failed goodbye changes nothing.
            _ = try? await turn("QUIT", step: .messageTransfer)
        }

        /// EHLO and the extensions it announces; HELO and none when the server refuses EHLO (5xx).
        private func hello(fallBackToHELO: Bool) async throws(SMTPError) -> [String: [String]] {
            let name = helloName()
            let reply = try await turn("EHLO \(name)", step: .hello)
            if reply.code == 250 { return reply.extensions }
            guard fallBackToHELO, reply.isPermanentFailure else { throw SMTPError(step: .hello, failure: .reply(reply)) }
            try await expect(turn("HELO \(name)", step: .hello), [250], step: .hello)
            return [:]
        }

        private func authenticate(_ credentials: SMTPConfiguration.Credentials, offered: [String]) async throws(SMTPError) {
            func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
            if offered.contains("PLAIN") {
                // RFC 4616: authorization identity (empty), user, password, separated by NUL.
                let response = base64("\u{0}\(credentials.user)\u{0}\(credentials.password)")
                try await expect(turn("AUTH PLAIN \(response)", step: .authentication), [235], step: .authentication)
            } else if offered.contains("LOGIN") {
                try await expect(turn("AUTH LOGIN", step: .authentication), [334], step: .authentication)
                try await expect(turn(base64(credentials.user), step: .authentication), [334], step: .authentication)
                try await expect(turn(base64(credentials.password), step: .authentication), [235], step: .authentication)
            } else {
                throw SMTPError(step: .authentication, failure: .noUsableAuthentication(offered: offered))
            }
        }

        /// This machine's name when it is a full domain name; otherwise the address this connection
        /// comes from, as an address literal.
        private func helloName() -> String {
            if let name = configuration.helloName { return name }
            if let name = Self.machineName, name.contains("."), MailAddress.isHostName(name[...]) { return name }
            switch channel.localAddress {
            case .v4(let address)?: return "[\(address.host)]"
            case .v6(let address)?: return "[IPv6:\(address.host)]"
            default: return "[127.0.0.1]"
            }
        }

        private static let machineName: String? = {
            var buffer = [CChar](repeating: 0, count: 256)
            guard gethostname(&buffer, buffer.count) == 0 else { return nil }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }()

        private func expect(_ reply: SMTPReply, _ codes: Set<Int>, step: SMTPError.Step) throws(SMTPError) {
            guard codes.contains(reply.code) else { throw SMTPError(step: step, failure: .reply(reply)) }
        }

        private func turn(_ command: String?, step: SMTPError.Step, startTLS: SMTPTLSUpgrade? = nil) async throws(SMTPError) -> SMTPReply {
            try await turn(bytes: command.map { Array(($0 + "\r\n").utf8) }, step: step, startTLS: startTLS)
        }

        private func turn(bytes: [UInt8]?, step: SMTPError.Step, startTLS: SMTPTLSUpgrade? = nil) async throws(SMTPError) -> SMTPReply {
            let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
            let turn = SMTPTurn(command: bytes.map { channel.allocator.buffer(bytes: $0) }, startTLS: startTLS, reply: promise)
            let written = channel.eventLoop.makePromise(of: Void.self)
            // A turn written once the connection has closed (the TLS handshake can fail before the
            // greeting is asked for) never reaches the handler: its reply fails with why it closed.
            written.futureResult.whenFailure { [ending] _ in promise.fail(ending.withLockedValue { $0 } ?? .closed) }
            channel.writeAndFlush(turn, promise: written)
            do {
                return try await promise.futureResult.get()
            } catch let error as SMTPTransportError {
                switch error {
                case .timeout: throw SMTPError(step: step, failure: .timeout)
                case .closed: throw SMTPError(step: step, failure: .connection("the server closed the connection"))
                case .connection(let reason): throw SMTPError(step: step, failure: .connection(reason))
                case .protocolViolation(let reason): throw SMTPError(step: step, failure: .protocolViolation(reason))
                // The handshake runs after the greeting's TCP connection (smtps) or after STARTTLS's
                // 220, and its failure shows on the next turn: it is named for what failed.
                case .tls(let reason): throw SMTPError(step: .tlsHandshake, failure: .tls(reason))
                }
            } catch {
                throw SMTPError(step: step, failure: .connection(String(describing: error)))
            }
        }
    }
}
