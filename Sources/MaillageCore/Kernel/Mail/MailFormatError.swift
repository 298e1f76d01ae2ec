/// Why a message cannot be written as mail. Each case is the sender's doing, never the server's:
/// the same message would be refused again, so it is not retried.
public enum MailFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A carriage return or line feed in a header's value: it would start a header of its own.
    case lineBreakInHeader(field: String)
    case invalidAddress(String, reason: String)
    case invalidDisplayName(reason: String)
    case invalidHeaderName(String)
    /// A header the message writes itself (`From`, `Subject`, `Content-Type`…), or `Bcc`.
    case reservedHeader(String)
    /// Extra headers are written as given, so they must be plain ASCII.
    case nonASCIIHeader(field: String)
    case invalidMessageID(String)
    /// A header that cannot be folded into lines of at most 998 characters.
    case headerTooLong(field: String)
    case noRecipient

    public var description: String {
        switch self {
        case .lineBreakInHeader(let field): "line break in the \(field) header"
        case .invalidAddress(let address, let reason): "invalid mail address \(Self.quoted(address)): \(reason)"
        case .invalidDisplayName(let reason): "invalid display name: \(reason)"
        case .invalidHeaderName(let name): "invalid header name \(Self.quoted(name))"
        case .reservedHeader(let name): "the header \(name) is written by the message itself"
        case .nonASCIIHeader(let field): "the \(field) header is not plain ASCII"
        case .invalidMessageID(let id): "invalid Message-ID \(Self.quoted(id))"
        case .headerTooLong(let field): "the \(field) header does not fold into lines of 998 characters"
        case .noRecipient: "a message needs at least one recipient"
        }
    }

    /// Shown with its control characters escaped, so a log line stays one line.
    private static func quoted(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { $0.properties.generalCategory == .control ? $0.escaped(asASCII: true) : String($0) }.joined() + "\""
    }
}
