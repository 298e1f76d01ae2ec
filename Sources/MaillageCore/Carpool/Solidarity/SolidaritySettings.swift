import Foundation

/// One question of a structure's eligibility form (income, age, no car, a document seen…).
public struct EligibilityField: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable { case text, choice, checkbox, date, file }

    public var key: String
    public var label: String
    public var kind: Kind
    public var required: Bool
    /// The answers offered, for a `choice`.
    public var choices: [String]

    public init(key: String, label: String, kind: Kind, required: Bool, choices: [String] = []) {
        self.key = key
        self.label = label
        self.kind = kind
        self.required = required
        self.choices = choices
    }
}

/// What a structure running solidarity transport decides: why people may ask for a trip, who is
/// eligible, what a kilometre is paid to volunteers, how long closed cases are kept.
public struct SolidaritySettings: Sendable, Hashable {
    public var reasons: [String]
    public var fields: [EligibilityField]
    public var centsPerKm: Int64
    public var retentionYears: Int

    /// Two years after a case closes: long enough to answer a question about it, short enough
    /// for data about people's health appointments and income (CNIL: keep no longer than needed).
    public static let defaultRetentionYears = 2
    /// 0,32 € per km: the rate volunteers' associations commonly pay; each structure sets its own.
    public static let defaultCentsPerKm: Int64 = 32

    public static let standard = SolidaritySettings(
        reasons: ["Rendez-vous médical", "Démarche administrative", "Entretien d’embauche", "Courses, marché", "Visite à un proche"],
        fields: [EligibilityField(key: "no_car", label: "Pas de véhicule ni de transport en commun adapté", kind: .checkbox, required: true),
                 EligibilityField(key: "situation", label: "Situation", kind: .choice, required: true,
                                  choices: ["Personne âgée", "Demandeur·se d’emploi", "Minima sociaux", "Handicap", "Autre"]),
                 EligibilityField(key: "birth_date", label: "Date de naissance", kind: .date, required: false),
                 EligibilityField(key: "proof", label: "Justificatif de ressources", kind: .file, required: false)],
        centsPerKm: defaultCentsPerKm, retentionYears: defaultRetentionYears)

    public init(reasons: [String], fields: [EligibilityField], centsPerKm: Int64, retentionYears: Int) {
        self.reasons = reasons
        self.fields = fields
        self.centsPerKm = centsPerKm
        self.retentionYears = retentionYears
    }

    /// Reads the settings form: one reason a line; one field a line as `kind|label|required` with
    /// choices after a fourth bar, separated by `;` (`choice|Situation|oui|Retraité;Autre`).
    public static func check(reasons: String, fields: String, rate: String, retentionYears: String) throws -> SolidaritySettings {
        var errors = ValidationErrors()
        let reasonList = lines(reasons)
        if reasonList.isEmpty {
            errors.add(DomainError(.invalid, code: "no_reason", field: "reasons",
                                   fr: "Indiquez au moins un motif de déplacement.", en: "Give at least one trip reason."))
        }
        let fieldList = try errors.collect { try parseFields(fields) } ?? []
        let cents = try errors.collect { try MileageAllowance.parseRate(rate) } ?? 0
        let years = Int(retentionYears.trimmingCharacters(in: .whitespaces))
        if years == nil || !(1...10).contains(years!) {
            errors.add(DomainError(.invalid, code: "invalid_retention", field: "retention_years",
                                   fr: "La conservation va de 1 à 10 ans.", en: "Retention is 1 to 10 years."))
        }
        try errors.throwIfAny()
        return SolidaritySettings(reasons: reasonList, fields: fieldList, centsPerKm: cents, retentionYears: years ?? defaultRetentionYears)
    }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func parseFields(_ text: String) throws -> [EligibilityField] {
        var keys = Set<String>()
        return try lines(text).enumerated().map { index, line in
            let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count >= 2, let kind = EligibilityField.Kind(rawValue: parts[0].lowercased()), !parts[1].isEmpty else {
                throw DomainError(.invalid, code: "invalid_field", field: "fields",
                                  fr: "Ligne \(index + 1) : écrivez « type|intitulé|oui ou non » (types : text, choice, checkbox, date, file).",
                                  en: "Line \(index + 1): write “type|label|yes or no” (types: text, choice, checkbox, date, file).")
            }
            let required = parts.count > 2 && ["oui", "yes", "o", "y", "1", "true"].contains(parts[2].lowercased())
            let choices = parts.count > 3 ? parts[3].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            if kind == .choice && choices.isEmpty {
                throw DomainError(.invalid, code: "choice_without_answers", field: "fields",
                                  fr: "Ligne \(index + 1) : donnez les réponses possibles après un quatrième « | », séparées par « ; ».",
                                  en: "Line \(index + 1): give the possible answers after a fourth “|”, separated by “;”.")
            }
            var key = "f\(index + 1)"
            while keys.contains(key) { key += "_" }
            keys.insert(key)
            return EligibilityField(key: key, label: parts[1], kind: kind, required: required, choices: choices)
        }
    }

    /// The fields as the settings form shows them again.
    public var fieldsText: String {
        fields.map { field in
            ([field.kind.rawValue, field.label, field.required ? "oui" : "non"] + (field.choices.isEmpty ? [] : [field.choices.joined(separator: ";")]))
                .joined(separator: "|")
        }.joined(separator: "\n")
    }
}

/// A person's answers to the eligibility form, checked against it.
public enum Eligibility {
    /// Keeps the answers of the form's fields only; a required field left empty, a choice not
    /// offered or a date that is not one is refused on its field. A `file` field records that the
    /// coordinator saw the document (and which), never the document itself: a structure needs to
    /// know a proof was shown, not to keep a copy of someone's income statement.
    public static func check(_ answers: [String: String], against fields: [EligibilityField]) throws -> [String: String] {
        var errors = ValidationErrors()
        var kept: [String: String] = [:]
        for field in fields {
            let value = (answers[field.key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty {
                if field.required {
                    errors.add(DomainError(.invalid, code: "required", field: field.key,
                                           fr: field.kind == .checkbox ? "Cette case doit être cochée." : "Ce champ est obligatoire.",
                                           en: field.kind == .checkbox ? "This box must be ticked." : "This field is required."))
                }
                continue
            }
            switch field.kind {
            case .choice where !field.choices.contains(value):
                errors.add(CarpoolErrors.unknownChoice(field.key))
            case .date where LocalDate(iso: value) == nil:
                errors.add(CarpoolErrors.date(field.key))
            case .text where value.count > 500, .file where value.count > 500:
                errors.add(DomainError(.invalid, code: "too_long", field: field.key, fr: "500 caractères au plus.", en: "500 characters at most."))
            default:
                kept[field.key] = field.kind == .checkbox ? "oui" : value
            }
        }
        try errors.throwIfAny()
        return kept
    }
}
