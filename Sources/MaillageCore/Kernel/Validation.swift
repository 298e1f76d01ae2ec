import Foundation

/// Input rules shared by every module: emails, passwords, slugs, plain text.
public enum Validate {
    public static let passwordMinimumLength = 10
    public static let passwordMaximumLength = 128

    /// Normalised email (trimmed, lowercased) or an error. Deliberately simple:
    /// one `@`, a dot in the domain, no spaces; the confirmation mail is the real proof.
    public static func email(_ raw: String, field: String = "email") throws(DomainError) -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty,
              parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace })
        else {
            throw DomainError(.invalid, code: "invalid_email", field: field,
                              fr: "Cette adresse e-mail n’est pas valide (exemple : nom@domaine.fr).",
                              en: "This email address is not valid (example: name@domain.org).")
        }
        return email
    }

    public static func password(_ raw: String, field: String = "password") throws(DomainError) {
        guard raw.count >= passwordMinimumLength else {
            throw DomainError(.invalid, code: "password_too_short", field: field,
                              fr: "Le mot de passe doit compter au moins \(passwordMinimumLength) caractères.",
                              en: "The password must be at least \(passwordMinimumLength) characters long.")
        }
        guard raw.count <= passwordMaximumLength else {
            throw DomainError(.invalid, code: "password_too_long", field: field,
                              fr: "Le mot de passe ne peut dépasser \(passwordMaximumLength) caractères.",
                              en: "The password cannot exceed \(passwordMaximumLength) characters.")
        }
    }

    /// Slugs appear in URLs: lowercase ASCII letters, digits and single hyphens.
    public static func slug(_ raw: String, field: String = "slug") throws(DomainError) -> String {
        let slug = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = slug.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
        guard (3...60).contains(slug.count), allowed, !slug.hasPrefix("-"), !slug.hasSuffix("-"),
              !slug.contains("--")
        else {
            throw DomainError(.invalid, code: "invalid_slug", field: field,
                              fr: "L’identifiant d’adresse doit compter 3 à 60 caractères : lettres minuscules sans accent, chiffres et tirets.",
                              en: "The URL name must be 3 to 60 characters: lowercase letters, digits and hyphens.")
        }
        return slug
    }

    /// Proposes a slug from a name: "Les Paniers d'Été" → "les-paniers-d-ete".
    public static func suggestedSlug(from name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR")).lowercased()
        var slug = ""
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug.append("-")
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return String(slug.prefix(60))
    }

    /// A required single-line text, trimmed, with a length range.
    public static func text(_ raw: String?, field: String, label: Localized, range: ClosedRange<Int>) throws(DomainError) -> String {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty || range.lowerBound == 0 else {
            throw DomainError(.invalid, code: "missing_field", field: field,
                              fr: "Le champ « \(label.fr) » est obligatoire.",
                              en: "The field “\(label.en)” is required.")
        }
        guard range.contains(text.count) else {
            throw DomainError(.invalid, code: "invalid_length", field: field,
                              fr: "Le champ « \(label.fr) » doit compter entre \(range.lowerBound) et \(range.upperBound) caractères.",
                              en: "The field “\(label.en)” must be between \(range.lowerBound) and \(range.upperBound) characters.")
        }
        return text
    }
}
