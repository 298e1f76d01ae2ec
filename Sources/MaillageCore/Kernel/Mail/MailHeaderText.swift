import Foundation

/// How header values are written: RFC 2047 encoded-words for what is not plain ASCII, and
/// RFC 5322 folding so that no line is longer than the mail line limits.
public enum MailHeaderText {
    /// A line holding an encoded-word may not be longer than this (RFC 2047 §2); plain header
    /// lines are kept to it as well, under RFC 5322's recommended 78.
    public static let foldWidth = 76
    /// RFC 5322 §2.1.1: no line of a message may be longer.
    public static let lineLimit = 998

    private static let wordStart = "=?UTF-8?B?"
    private static let wordEnd = "?="
    /// The longest encoded-word (RFC 2047 §2).
    public static let encodedWordLimit = 75

    /// `text` as RFC 2047 encoded-words (`=?UTF-8?B?…?=`), each at most `room` characters long
    /// (and at most 75), the first at most `firstRoom`. Words end on character boundaries, so each
    /// one decodes to whole characters; a reader joins them back without the spaces between them.
    public static func encodedWords(_ text: String, firstRoom: Int = encodedWordLimit, room: Int = encodedWordLimit) -> [String] {
        // Base64 writes 3 bytes as 4 characters; the markers take 12.
        func capacity(_ room: Int) -> Int { max(0, (min(room, encodedWordLimit) - wordStart.count - wordEnd.count) / 4 * 3) }
        let fullCapacity = capacity(room)
        var limit = capacity(firstRoom) >= 4 ? capacity(firstRoom) : fullCapacity
        var words: [String] = []
        var chunk: [UInt8] = []
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append(wordStart + Data(chunk).base64EncodedString() + wordEnd)
            chunk = []
            limit = fullCapacity
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > limit { flush() }
            if bytes.count <= limit {
                chunk += bytes
            } else {
                // A character longer than a word (a long emoji sequence) is cut between its scalars.
                for scalar in character.unicodeScalars {
                    let scalarBytes = Array(String(scalar).utf8)
                    if chunk.count + scalarBytes.count > limit { flush() }
                    chunk += scalarBytes
                }
            }
        }
        flush()
        return words
    }

    /// A word longer than this is encoded: encoded-words can be cut anywhere, a plain word cannot,
    /// and its line must stay under `lineLimit`.
    static let longestPlainWord = 900

    /// Whether a text (a subject, a display name) must be encoded: anything beyond printable
    /// ASCII, or a `=?` a reader would take for the start of an encoded-word, or a word too long
    /// for a line.
    public static func needsEncoding(_ text: String) -> Bool {
        text.unicodeScalars.contains { !(0x20...0x7E).contains($0.value) }
            || text.contains("=?")
            || text.split(separator: " ").contains { $0.utf8.count > longestPlainWord }
    }

    /// `Name: value` with the value's pieces laid out greedily on lines of at most `foldWidth`
    /// characters (a piece longer than that gets a line of its own), each line break (`CRLF` and one space) standing for the space between two
    /// pieces, so unfolding gives back the value. Empty pieces (runs of spaces) never start a line:
    /// a folded line of spaces only is not allowed. Each line ends with CRLF.
    public static func field(_ name: String, pieces: [String]) throws(MailFormatError) -> String {
        var lines: [String] = [name + ":"]
        var lineHasPiece = false
        for piece in pieces {
            let current = lines[lines.count - 1]
            if lineHasPiece, !piece.isEmpty, current.utf8.count + 1 + piece.utf8.count > foldWidth {
                lines.append(" " + piece)
            } else {
                lines[lines.count - 1] = current + " " + piece
            }
            lineHasPiece = true
        }
        guard lines.allSatisfy({ $0.utf8.count <= lineLimit }) else { throw .headerTooLong(field: name) }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// An unstructured value (a subject): as it is, folded at its spaces, when it is printable
    /// ASCII; otherwise encoded-words, all of the text inside them.
    public static func unstructured(_ name: String, _ value: String) throws(MailFormatError) -> String {
        try refuseLineBreaks(name, value)
        guard needsEncoding(value) else {
            return try field(name, pieces: value.split(separator: " ", omittingEmptySubsequences: false).map(String.init))
        }
        return try field(name, pieces: encodedWords(value, firstRoom: foldWidth - name.count - 2, room: foldWidth - 1))
    }

    /// The pieces of a mailbox in an address header: its display name (atoms, a quoted string or
    /// encoded-words), then `<address>`; a bare address when it has no name. A quoted string may
    /// be folded at its spaces too (RFC 5322 §3.2.4 allows folding white space inside it).
    public static func mailboxPieces(_ mailbox: MailAddress, firstRoom: Int) -> [String] {
        guard let name = mailbox.displayName else { return [mailbox.address] }
        let address = "<" + mailbox.address + ">"
        func encoded() -> [String] { encodedWords(name, firstRoom: firstRoom, room: foldWidth - 1) + [address] }
        if needsEncoding(name) { return encoded() }
        let atoms = name.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if atoms.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(MailAddress.isAtext) }) {
            return atoms + [address]
        }
        let escaped = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var quoted = escaped.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        quoted[0] = "\"" + quoted[0]
        quoted[quoted.count - 1] += "\""
        // Escaping may have doubled a long word past what a line holds.
        if quoted.contains(where: { $0.utf8.count > longestPlainWord }) { return encoded() }
        return quoted + [address]
    }

    /// An address header (`From`, `To`, `Reply-To`): the mailboxes separated by commas.
    public static func addressList(_ name: String, _ mailboxes: [MailAddress]) throws(MailFormatError) -> String {
        var pieces: [String] = []
        for (index, mailbox) in mailboxes.enumerated() {
            var mine = mailboxPieces(mailbox, firstRoom: index == 0 ? foldWidth - name.count - 2 : foldWidth - 1)
            if index < mailboxes.count - 1 { mine[mine.count - 1] += "," }
            pieces += mine
        }
        return try field(name, pieces: pieces)
    }

    static func refuseLineBreaks(_ name: String, _ value: String) throws(MailFormatError) {
        if value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) { throw .lineBreakInHeader(field: name) }
    }
}
