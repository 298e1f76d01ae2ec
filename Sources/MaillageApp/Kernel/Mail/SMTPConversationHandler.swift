import MaillageCore
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// One turn of an SMTP conversation: a command line (none when waiting for the greeting) and the
/// promise of the reply it gets.
struct SMTPTurn: Sendable {
    var command: ByteBuffer?
    /// For STARTTLS: when the reply is 220, TLS starts with these before another byte is read.
    var startTLS: SMTPTLSUpgrade?
    var reply: EventLoopPromise<SMTPReply>
}

struct SMTPTLSUpgrade: Sendable {
    var context: NIOSSLContext
    /// The name the certificate must carry; nil for an IP address, which NIOSSL then checks
    /// against the certificate's IP addresses.
    var serverHostname: String?
}

/// How a turn fails below SMTP itself.
enum SMTPTransportError: Error, Sendable {
    case timeout
    case closed
    case tls(String)
    case connection(String)
    case protocolViolation(String)
}

/// Sends each turn's command, reads the reply, and fails the turn when no reply comes in time,
/// the connection drops, TLS fails or the server speaks out of turn. After one failure the
/// connection is closed and every later turn fails the same way; `ending` keeps that failure
/// for turns written after the close, which never reach this handler.
final class SMTPConversationHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = SMTPTurn
    typealias OutboundOut = ByteBuffer

    private let timeout: TimeAmount
    private var reader = SMTPReplyReader()
    /// Replies no turn waited for yet: the greeting may come before the client asks for it.
    private var early: [SMTPReply] = []
    private var waiting: (turn: SMTPTurn, timer: Scheduled<Void>)?
    private var broken: SMTPTransportError?
    private let ending: NIOLockedValueBox<SMTPTransportError?>

    init(timeout: TimeAmount, ending: NIOLockedValueBox<SMTPTransportError?>) {
        self.timeout = timeout
        self.ending = ending
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let turn = unwrapOutboundIn(data)
        if let broken {
            turn.reply.fail(broken)
            promise?.fail(broken)
            return
        }
        guard waiting == nil else {
            turn.reply.fail(SMTPTransportError.protocolViolation("a command was sent before the last one was answered"))
            promise?.succeed(())
            return
        }
        let timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.fail(.timeout, context: context)
        }
        waiting = (turn, timer)
        if let command = turn.command {
            context.writeAndFlush(wrapOutboundOut(command), promise: promise)
        } else {
            promise?.succeed(())
        }
        // The greeting may have come already. Before a command, a reply is the server speaking out
        // of turn (a 421 as it shuts down): it is taken as the answer, so the step fails with it.
        if !early.isEmpty { answer(early.removeFirst(), context: context, isLastReceived: early.isEmpty) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        let replies: [SMTPReply]
        do throws(SMTPProtocolViolation) {
            replies = try reader.read(buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch {
            fail(.protocolViolation(error.reason), context: context)
            return
        }
        for (index, reply) in replies.enumerated() where broken == nil {
            if waiting == nil {
                early.append(reply)
                if early.count > 4 { fail(.protocolViolation("replies nobody asked for"), context: context) }
            } else {
                answer(reply, context: context, isLastReceived: index == replies.count - 1)
            }
        }
    }

    private func answer(_ reply: SMTPReply, context: ChannelHandlerContext, isLastReceived: Bool) {
        guard case let (turn, timer)? = waiting else { return }
        if let upgrade = turn.startTLS, reply.code == 220 {
            // RFC 3207 §4.2: whatever came after the 220 was sent in clear and must not be read as
            // if it came through TLS (it would be an attacker's injected reply).
            guard isLastReceived, !reader.hasPartialReply, early.isEmpty else {
                fail(.protocolViolation("data after the reply to STARTTLS, before TLS"), context: context)
                return
            }
            do {
                let tls = try NIOSSLClientHandler(context: upgrade.context, serverHostname: upgrade.serverHostname)
                try context.pipeline.syncOperations.addHandler(tls, position: .first)
            } catch {
                fail(.tls(String(describing: error)), context: context)
                return
            }
        }
        waiting = nil
        timer.cancel()
        turn.reply.succeed(reply)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            fail(.tls(String(describing: error)), context: context)
        } else {
            fail(.connection(String(describing: error)), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.closed, context: context)
        context.fireChannelInactive()
    }

    private func fail(_ error: SMTPTransportError, context: ChannelHandlerContext) {
        guard broken == nil else { return }
        broken = error
        ending.withLockedValue { $0 = error }
        if case let (turn, timer)? = waiting {
            waiting = nil
            timer.cancel()
            turn.reply.fail(error)
        }
        context.close(promise: nil)
    }
}
