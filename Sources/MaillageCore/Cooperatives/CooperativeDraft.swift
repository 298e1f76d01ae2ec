import Foundation

/// What a person fills in to create (or edit) a cooperative, before it is stored.
public struct CooperativeDraft: Sendable, Hashable {
    public var name: String
    public var slug: String
    public var legalForm: LegalForm
    public var commune: String
    public var postalCode: String
    public var description: String
    public var website: String
    public var activities: [Activity]
    public var colleges: [String]
    public var shareNominalCents: Int64
    public var charter: [CharterItem]

    public init(name: String, slug: String, legalForm: LegalForm, commune: String, postalCode: String = "",
                description: String, website: String = "", activities: [Activity], colleges: [String],
                shareNominalCents: Int64, charter: [CharterItem]) {
        self.name = name
        self.slug = slug
        self.legalForm = legalForm
        self.commune = commune
        self.postalCode = postalCode
        self.description = description
        self.website = website
        self.activities = activities
        self.colleges = colleges
        self.shareNominalCents = shareNominalCents
        self.charter = charter
    }

    /// Checks every field and returns the cleaned draft, or every problem at once.
    public func validated() throws -> CooperativeDraft {
        var errors = ValidationErrors()
        var clean = self
        func check<T>(_ body: () throws -> T) -> T? {
            do { return try body() } catch let error as DomainError { errors.add(error); return nil } catch { return nil }
        }
        clean.name = check { try Validate.text(name, field: "name", label: Localized(fr: "Nom", en: "Name"), range: 2...120) } ?? name
        clean.slug = check { try Validate.slug(slug.isEmpty ? Validate.suggestedSlug(from: name) : slug) } ?? slug
        clean.commune = check { try Validate.text(commune, field: "commune", label: Localized(fr: "Commune", en: "Town"), range: 1...100) } ?? commune
        clean.description = check { try Validate.text(description, field: "description", label: Localized(fr: "Description", en: "Description"), range: 10...2000) } ?? description
        clean.postalCode = postalCode.trimmingCharacters(in: .whitespaces)
        if !clean.postalCode.isEmpty && !(clean.postalCode.count == 5 && clean.postalCode.allSatisfy(\.isNumber)) {
            errors.add(DomainError(.invalid, code: "invalid_postal_code", field: "postal_code",
                                   fr: "Le code postal compte 5 chiffres.", en: "A French postal code has 5 digits."))
        }
        clean.website = website.trimmingCharacters(in: .whitespaces)
        if !clean.website.isEmpty && !(clean.website.hasPrefix("https://") || clean.website.hasPrefix("http://")) || clean.website.count > 300 {
            errors.add(DomainError(.invalid, code: "invalid_url", field: "website",
                                   fr: "Le site doit commencer par https:// ou http://.", en: "The website must start with https:// or http://."))
        }
        if activities.isEmpty {
            errors.add(DomainError(.invalid, code: "activity_required", field: "activities",
                                   fr: "Choisissez au moins une activité.", en: "Choose at least one activity."))
        }
        clean.colleges = colleges.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if Set(clean.colleges.map { $0.lowercased() }).count != clean.colleges.count {
            errors.add(DomainError(.invalid, code: "duplicate_college", field: "colleges",
                                   fr: "Deux collèges portent le même nom.", en: "Two colleges have the same name."))
        }
        if clean.colleges.contains(where: { $0.count > 80 }) || clean.colleges.count > 12 {
            errors.add(DomainError(.invalid, code: "invalid_colleges", field: "colleges",
                                   fr: "Au plus 12 collèges, de 80 caractères chacun.", en: "At most 12 colleges of 80 characters each."))
        }
        if clean.colleges.count < legalForm.minimumColleges {
            // SCIC: at least three categories of members (Loi 47-1775 art. 19 septies).
            errors.add(DomainError(.invalid, code: "scic_needs_three_colleges", field: "colleges",
                                   fr: "Une SCIC réunit au moins 3 catégories de sociétaires : indiquez au moins 3 collèges.",
                                   en: "A SCIC gathers at least 3 member categories: list at least 3 colleges."))
        }
        if legalForm.hasShareCapital {
            if shareNominalCents < 1 || shareNominalCents > 100_000_00 {
                errors.add(DomainError(.invalid, code: "invalid_share_value", field: "share_nominal",
                                       fr: "La valeur nominale d’une part doit être comprise entre 0,01 € et 100 000 €.",
                                       en: "A share’s nominal value must be between €0.01 and €100,000."))
            }
        } else {
            clean.shareNominalCents = 0
        }
        _ = check { try CharterAssessment.validate(charter) }
        try errors.throwIfAny()
        return clean
    }
}
