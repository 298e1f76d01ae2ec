import Foundation

/// How text is made searchable: case and accents folded ("Évier" → "evier"), split into words,
/// small words dropped, a plural "s"/"x" removed ("perceuses" → "perceuse"). The same function
/// prepares the stored column and the query, so they always agree.
public enum SearchText {
    /// Words too common to narrow a search, French and English.
    static let stopWords: Set<String> = [
        "a", "au", "aux", "avec", "ce", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou",
        "par", "pour", "sur", "un", "une", "and", "for", "of", "the", "to", "with",
    ]

    /// Lowercase, without accents or ligatures: "Œuvre à l'Été" → "oeuvre a l'ete".
    public static func fold(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .lowercased()
        guard folded.contains(where: { "œæß".contains($0) }) else { return folded }
        return folded.replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "æ", with: "ae")
            .replacingOccurrences(of: "ß", with: "ss")
    }

    /// The words of a text, folded and stemmed, in order, stop words removed.
    public static func tokens(_ text: String) -> [String] {
        fold(text).split(whereSeparator: { !($0.isLetter || $0.isNumber) }).compactMap { word in
            let token = String(word)
            guard !stopWords.contains(token) else { return nil }
            return stem(token)
        }
    }

    /// Drops one plural ending from words of more than three letters, the same on both sides.
    static func stem(_ word: String) -> String {
        guard word.count > 3, let last = word.last, last == "s" || last == "x" else { return word }
        return String(word.dropLast())
    }

    /// The value of an indexed search column: distinct tokens between spaces, with a space at
    /// each end — " perceuse percussion outil " — so `LIKE '% perc%'` finds words starting so.
    public static func indexed(_ texts: [String]) -> String {
        var seen = Set<String>(), ordered: [String] = []
        for token in texts.flatMap(tokens) where seen.insert(token).inserted { ordered.append(token) }
        return " " + ordered.joined(separator: " ") + " "
    }

    /// The distinct words of an indexed search text (" pomme gala fruit " → ["pomme", "gala", "fruit"]),
    /// one row each in a word index.
    public static func words(ofIndexed text: String) -> [String] {
        var seen = Set<String>()
        return text.split(separator: " ").map(String.init).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// Whether every query token starts a word of the indexed text (what the `LIKE`s ask).
    public static func matches(tokens: [String], indexed: String) -> Bool {
        tokens.allSatisfy { indexed.contains(" " + $0) }
    }

    /// The smallest string above every word that starts with `prefix`, in byte (UTF-8) order:
    /// the last character moved one code point up. With it, "words starting with perc" is the
    /// index range `word >= 'perc' AND word < 'perd'`, which both engines walk in an index
    /// (SQLite's BINARY collation, PostgreSQL's "C").
    public static func prefixUpperBound(_ prefix: String) -> String {
        var scalars = Array(prefix.unicodeScalars)
        while let last = scalars.popLast() {
            var next = last.value + 1
            if (0xD800...0xDFFF).contains(next) { next = 0xE000 } // no scalar in the surrogate range
            if let scalar = Unicode.Scalar(next) {
                scalars.append(scalar)
                var out = String.UnicodeScalarView()
                out.append(contentsOf: scalars)
                return String(out)
            }
        }
        return "\u{10FFFF}"
    }
}
