import Foundation

/// The rules of a conversation thread, whatever it is about (a loan, an offer, a vote).
public enum ThreadRules {
    public static let maximumLength = 2_000
    public static let maximumReasonLength = 1_000

    /// A message as stored: trimmed, 1 to 2000 characters, no NUL (SQLite's length() stops at it
    /// and PostgreSQL refuses it in a text column).
    public static func message(_ text: String) throws -> String {
        let clean = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maximumLength).contains(clean.unicodeScalars.count) else {
            throw DomainError(.invalid, code: "invalid_message", field: "body",
                              fr: "Un message compte de 1 à \(maximumLength) caractères.",
                              en: "A message has 1 to \(maximumLength) characters.")
        }
        guard !clean.unicodeScalars.contains("\u{0}") else {
            throw DomainError(.invalid, code: "invalid_message", field: "body",
                              fr: "Ce message contient un caractère invisible interdit.", en: "This message holds a forbidden invisible character.")
        }
        return clean
    }

    /// Why a message is reported, as the staff will read it.
    public static func reportReason(_ text: String) throws -> String {
        let clean = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maximumReasonLength).contains(clean.unicodeScalars.count), !clean.unicodeScalars.contains("\u{0}") else {
            throw DomainError(.invalid, code: "report_reason", field: "reason",
                              fr: "Dites en quelques mots (1 000 caractères au plus) ce qui ne va pas.",
                              en: "Say in a few words (1,000 characters at most) what is wrong.")
        }
        return clean
    }

    /// Who may be notified of a new message: the thread's participants and earlier writers, but
    /// never its author, and never someone who blocked the author.
    public static func recipients(participants: [UUID], writers: [UUID], author: UUID, blockedBy: Set<UUID>) -> [UUID] {
        var seen = Set<UUID>()
        return (participants + writers).filter { $0 != author && !blockedBy.contains($0) && seen.insert($0).inserted }
    }
}

/// `@Prénom Nom` in a message names a person who may read the thread. The rule: after an `@`,
/// the longest name among those people that follows it, ignoring case and accents, and not
/// followed by a letter or digit (so `@Anne` does not name "Anne Marie", and `@Annette` does not
/// name "Anne"). Spaces inside a name may be one or several. Only people offered as candidates
/// are ever found, so a mention never reaches someone outside the thread.
public enum Mentions {
    public struct Candidate: Sendable, Hashable {
        public let id: UUID
        public let name: String
        public init(id: UUID, name: String) { self.id = id; self.name = name }
    }

    public static func find(in text: String, among candidates: [Candidate]) -> [UUID] {
        let body = Array(fold(text))
        let names = candidates.compactMap { candidate -> (UUID, [Character])? in
            let folded = Array(fold(candidate.name))
            return folded.isEmpty ? nil : (candidate.id, folded)
        }.sorted { $0.1.count > $1.1.count }
        var found: [UUID] = []
        for (index, character) in body.enumerated() where character == "@" {
            // An address (someone@example.org) is no mention.
            if index > 0, body[index - 1].isLetter || body[index - 1].isNumber { continue }
            let rest = body[(index + 1)...]
            guard let match = names.first(where: { name in
                rest.starts(with: name.1) && (rest.count == name.1.count || !isNamePart(rest[rest.startIndex + name.1.count]))
            }) else { continue }
            if !found.contains(match.0) { found.append(match.0) }
        }
        return found
    }

    private static func isNamePart(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "-" || character == "'" || character == "’"
    }

    /// Lower case, no accents, runs of spaces as one.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
    }
}
