/// A server's answer (RFC 5321 §4.2): a three-digit code and one or more lines of text, all
/// lines but the last written `250-…`, the last `250 …`.
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    public let code: Int
    /// The text of each line, without the code and its separator.
    public let lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 4xx: the server may accept the same command later.
    public var isTransientFailure: Bool { (400..<500).contains(code) }
    /// 5xx: the server will refuse the same command again.
    public var isPermanentFailure: Bool { (500..<600).contains(code) }

    /// The reply as the server wrote it, lines joined by " / " so that it stays on one log line.
    public var description: String {
        lines.map { $0.isEmpty ? "\(code)" : "\(code) \($0)" }.joined(separator: " / ")
    }

    /// What an EHLO reply announces (RFC 5321 §4.1.1.1): after the greeting line, one extension a
    /// line, a keyword then its parameters. Keywords are upper-cased.
    public var extensions: [String: [String]] {
        var found: [String: [String]] = [:]
        for line in lines.dropFirst() {
            var words = line.split(separator: " ").map(String.init)
            guard !words.isEmpty else { continue }
            var keyword = words.removeFirst().uppercased()
            // Some servers still announce `AUTH=LOGIN PLAIN`, a pre-standard form.
            if keyword.hasPrefix("AUTH=") {
                words.insert(String(keyword.dropFirst(5)), at: 0)
                keyword = "AUTH"
            }
            found[keyword, default: []] += words.map { $0.uppercased() }
        }
        return found
    }
}

/// Something a server sent that is not an SMTP reply.
public struct SMTPProtocolViolation: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Cuts the bytes a server sends into replies, however they arrive: a reply split over many reads,
/// or several in one. Lines may end in CRLF or a bare LF.
public struct SMTPReplyReader: Sendable {
    /// RFC 5321 §4.5.3.1.5 allows 512 characters a reply line; some servers write longer ones.
    public static let longestLine = 4096
    /// More lines than this in one reply is not a server but a flood.
    public static let mostLines = 256

    private var pending: [UInt8] = []
    private var linesSoFar: [String] = []
    private var codeSoFar: Int?

    public init() {}

    /// Whether bytes have arrived that are not yet a whole reply.
    public var hasPartialReply: Bool { !pending.isEmpty || !linesSoFar.isEmpty }

    /// Takes what was read and returns the replies it completes, in order.
    public mutating func read(_ bytes: some Sequence<UInt8>) throws(SMTPProtocolViolation) -> [SMTPReply] {
        pending += bytes
        var replies: [SMTPReply] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            var line = Array(pending[..<newline])
            pending.removeSubrange(...newline)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if let reply = try take(line) { replies.append(reply) }
        }
        if pending.count > Self.longestLine { throw SMTPProtocolViolation("a reply line longer than \(Self.longestLine) bytes") }
        return replies
    }

    private mutating func take(_ line: [UInt8]) throws(SMTPProtocolViolation) -> SMTPReply? {
        guard line.count >= 3, line.count <= Self.longestLine,
              line[0...2].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(line[0]),
              line.count == 3 || line[3] == UInt8(ascii: " ") || line[3] == UInt8(ascii: "-")
        else {
            throw SMTPProtocolViolation("not an SMTP reply line: \(String(decoding: line.prefix(80), as: UTF8.self).debugDescription)")
        }
        let code = Int(String(decoding: line[0...2], as: UTF8.self))!
        if let codeSoFar, codeSoFar != code {
            throw SMTPProtocolViolation("a reply's lines carry two codes, \(codeSoFar) and \(code)")
        }
        let text = line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : ""
        linesSoFar.append(text)
        guard linesSoFar.count <= Self.mostLines else { throw SMTPProtocolViolation("a reply of more than \(Self.mostLines) lines") }
        if line.count > 3, line[3] == UInt8(ascii: "-") {
            codeSoFar = code
            return nil
        }
        defer {
            linesSoFar = []
            codeSoFar = nil
        }
        return SMTPReply(code: code, lines: linesSoFar)
    }
}
