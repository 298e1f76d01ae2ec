import Foundation

/// A mailbox: an address and the name shown beside it (`Maillage <no-reply@example.org>`).
///
/// The address is checked when the value is made, so every `MailAddress` can go into a header or
/// an SMTP command as it is: plain ASCII (the client does not use SMTPUTF8), a dot-atom local
/// part and a host name, nothing that could end a command or a header (no space, no angle
/// bracket, no line break).
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// `local@domain`, without angle brackets.
    public let address: String
    /// Any text without control characters; encoded as RFC 2047 words when it is not plain ASCII.
    public let displayName: String?

    public init(_ address: String, displayName: String? = nil) throws(MailFormatError) {
        try Self.check(address: address)
        if let displayName {
            if displayName.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) {
                throw .invalidDisplayName(reason: "line break")
            }
            if displayName.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw .invalidDisplayName(reason: "control character")
            }
        }
        self.address = address
        let trimmed = displayName?.trimmingCharacters(in: .whitespaces)
        self.displayName = trimmed?.isEmpty == false ? trimmed : nil
    }

    /// Reads `Name <local@domain>`, `"Name, with comma" <local@domain>` or `local@domain`, as
    /// written in a setting such as `MAIL_FROM`.
    public init(parsing text: String) throws(MailFormatError) {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard text.hasSuffix(">"), let open = text.lastIndex(of: "<") else {
            try self.init(text)
            return
        }
        let address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        var name = text[..<open].trimmingCharacters(in: .whitespaces)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            var unquoted = ""
            var escaping = false
            for character in name.dropFirst().dropLast() {
                if !escaping, character == "\\" { escaping = true; continue }
                escaping = false
                unquoted.append(character)
            }
            name = unquoted
        }
        try self.init(address, displayName: name.isEmpty ? nil : name)
    }

    /// The part after the `@`: the host a Message-ID of this sender names.
    public var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }

    public var description: String { displayName.map { "\($0) <\(address)>" } ?? address }

    /// RFC 5322 `atext`: what a dot-atom may hold besides dots.
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-/=?^_`{|}~".utf8).contains(byte)
        }
    }

    /// A dot-atom: atoms of `atext` joined by single dots.
    static func isDotAtom(_ text: Substring) -> Bool {
        !text.isEmpty && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { atom in
            !atom.isEmpty && atom.utf8.allSatisfy(isAtext)
        }
    }

    /// A host name: labels of letters, digits and inner hyphens, at most 63 characters each.
    public static func isHostName(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.count <= 253 && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
        }
    }

    private static func check(address: String) throws(MailFormatError) {
        func refuse(_ reason: String) -> MailFormatError { .invalidAddress(address, reason: reason) }
        guard address.unicodeScalars.allSatisfy(\.isASCII) else { throw refuse("not plain ASCII") }
        guard address.utf8.count <= 254 else { throw refuse("longer than 254 characters") }
        guard let at = address.lastIndex(of: "@") else { throw refuse("no @") }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        guard local.utf8.count <= 64 else { throw refuse("local part longer than 64 characters") }
        guard isDotAtom(local) else { throw refuse("the part before @ is not a dot-atom") }
        guard isHostName(domain) else { throw refuse("the part after @ is not a host name") }
    }
}
