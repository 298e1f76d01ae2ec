import Foundation

/// One mail as Maillage sends it: a text and, when given, an HTML version of the same words, in
/// one language. `rendered()` writes it as RFC 5322 + MIME, every line at most 998 characters,
/// 7-bit only (quoted-printable bodies, RFC 2047 header words), so any server relays it as is.
public struct MailMessage: Sendable, Hashable {
    /// A header the caller adds (`List-Unsubscribe`, `Auto-Submitted`…): plain ASCII, written as
    /// given, folded at its spaces.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var from: MailAddress
    public var to: [MailAddress]
    public var replyTo: MailAddress?
    public var subject: String
    public var text: String
    /// The same message in HTML; nil sends the text alone.
    public var html: String?
    public var language: Language
    /// `unique@host`, without angle brackets. The caller keeps it with the message, so a message
    /// sent again carries the same id and a reader's mail program shows it once.
    public var messageID: String
    public var date: Date
    public var headers: [Header]

    public init(from: MailAddress, to: [MailAddress], replyTo: MailAddress? = nil, subject: String, text: String, html: String? = nil,
                language: Language, messageID: String, date: Date, headers: [Header] = []) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
        self.language = language
        self.messageID = messageID
        self.date = date
        self.headers = headers
    }

    /// A Message-ID on the sender's host: `unique@domain-of-from` (RFC 5322 §3.6.4 asks for a
    /// right-hand side that names the host that made it).
    public static func messageID(unique: String, from: MailAddress) -> String {
        unique + "@" + from.domain
    }

    /// Headers the message writes itself, and `Bcc`, which a sent message must never show.
    static let reservedHeaders: Set<String> = [
        "date", "from", "sender", "reply-to", "to", "cc", "bcc", "subject", "message-id", "mime-version",
        "content-type", "content-transfer-encoding", "content-language",
    ]

    /// The message as it goes after SMTP's `DATA`, before dot-stuffing: CRLF line ends, ASCII only.
    public func rendered() throws(MailFormatError) -> String {
        guard !to.isEmpty else { throw .noRecipient }
        let id = try Self.checked(messageID: messageID)
        var head = ""
        head += "Date: \(MailDate.format(date))\r\n"
        head += try MailHeaderText.addressList("From", [from])
        if let replyTo { head += try MailHeaderText.addressList("Reply-To", [replyTo]) }
        head += try MailHeaderText.addressList("To", to)
        head += try MailHeaderText.unstructured("Subject", subject)
        head += "Message-ID: <\(id)>\r\n"
        head += "MIME-Version: 1.0\r\n"
        head += "Content-Language: \(language.rawValue)\r\n"
        for header in headers {
            head += try Self.extra(header)
        }
        let textPart = QuotedPrintable.encode(text)
        guard let html else {
            return head + Self.partHeaders("text/plain") + "\r\n" + textPart + "\r\n"
        }
        let boundary = Self.boundary(for: id)
        return head
            + "Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n"
            + "\r\n"
            + "--\(boundary)\r\n" + Self.partHeaders("text/plain") + "\r\n" + textPart + "\r\n"
            + "--\(boundary)\r\n" + Self.partHeaders("text/html") + "\r\n" + QuotedPrintable.encode(html) + "\r\n"
            + "--\(boundary)--\r\n"
    }

    private static func partHeaders(_ type: String) -> String {
        "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
    }

    /// `=_` cannot occur in quoted-printable text (an `=` is always followed by two hex digits or
    /// a line end), so the parts never contain the boundary. Made from the Message-ID, so the same
    /// message is written the same way each time it is sent.
    static func boundary(for messageID: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in messageID.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return "=_maillage_" + String(hash, radix: 16)
    }

    /// `left@right`, both dot-atoms (RFC 5322 §3.6.4 without the rarely used literal forms).
    static func checked(messageID: String) throws(MailFormatError) -> String {
        guard let at = messageID.lastIndex(of: "@"),
              MailAddress.isDotAtom(messageID[..<at]), MailAddress.isDotAtom(messageID[messageID.index(after: at)...]),
              messageID.utf8.count <= 900
        else { throw .invalidMessageID(messageID) }
        return messageID
    }

    private static func extra(_ header: Header) throws(MailFormatError) -> String {
        // RFC 5322 §3.6.8: printable ASCII except the colon.
        guard !header.name.isEmpty, header.name.utf8.count <= 76,
              header.name.utf8.allSatisfy({ (33...126).contains($0) && $0 != UInt8(ascii: ":") })
        else { throw .invalidHeaderName(header.name) }
        guard !reservedHeaders.contains(header.name.lowercased()) else { throw .reservedHeader(header.name) }
        try MailHeaderText.refuseLineBreaks(header.name, header.value)
        guard header.value.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) || $0 == "\t" }) else {
            throw .nonASCIIHeader(field: header.name)
        }
        return try MailHeaderText.field(header.name, pieces: header.value.split(separator: " ", omittingEmptySubsequences: false).map(String.init))
    }
}
