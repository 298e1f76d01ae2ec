import MaillageCore
import Plot
import Vapor

/// The create / edit form of a cooperative: decoding what was posted, and showing it again.
struct CooperativeForm: Content {
    var name: String?
    var slug: String?
    var legal_form: String?
    var commune: String?
    var postal_code: String?
    var description: String?
    var website: String?
    var activities: [String]?
    var colleges: String?
    var share_nominal: String?
    var founder_college: String?
    var charter_governance: String?
    var charter_value_sharing: String?
    var charter_data_ethics: String?
    var charter_commons: String?
    var charter_inter_cooperation: String?
    var evidence_governance: String?
    var evidence_value_sharing: String?
    var evidence_data_ethics: String?
    var evidence_commons: String?
    var evidence_inter_cooperation: String?

    static func key(_ characteristic: Characteristic) -> String { characteristic.rawValue.replacingOccurrences(of: "-", with: "_") }

    func answer(_ characteristic: Characteristic) -> (String?, String?) {
        switch characteristic {
        case .governance: (charter_governance, evidence_governance)
        case .valueSharing: (charter_value_sharing, evidence_value_sharing)
        case .dataEthics: (charter_data_ethics, evidence_data_ethics)
        case .commons: (charter_commons, evidence_commons)
        case .interCooperation: (charter_inter_cooperation, evidence_inter_cooperation)
        }
    }

    /// The draft, or the problems found while reading the form itself (unknown choices, bad amount).
    func draft() throws -> CooperativeDraft {
        var errors = ValidationErrors()
        let form = LegalForm(rawValue: legal_form ?? "")
        if form == nil {
            errors.add(DomainError(.invalid, code: "invalid_legal_form", field: "legal_form",
                                   fr: "Choisissez une forme juridique.", en: "Choose a legal form."))
        }
        var cents: Int64 = 0
        if form?.hasShareCapital ?? true {
            if let parsed = Euros.parseCents(share_nominal ?? "") { cents = parsed } else {
                errors.add(DomainError(.invalid, code: "invalid_share_value", field: "share_nominal",
                                       fr: "Indiquez la valeur d’une part en euros, par exemple 20 ou 20,50.",
                                       en: "Give a share’s value in euros, for example 20 or 20.50."))
            }
        }
        let charter = Characteristic.allCases.map { characteristic -> CharterItem in
            let (answer, evidence) = self.answer(characteristic)
            return CharterItem(characteristic, CharterAnswer(rawValue: answer ?? "") ?? .no,
                               evidence: (evidence ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let draft = CooperativeDraft(
            name: name ?? "", slug: slug ?? "", legalForm: form ?? .other, commune: commune ?? "",
            postalCode: postal_code ?? "", description: description ?? "", website: website ?? "",
            activities: Activity.list(from: (activities ?? []).joined(separator: ",")),
            colleges: (colleges ?? "").split(whereSeparator: \.isNewline).map(String.init),
            shareNominalCents: cents, charter: charter)
        do {
            _ = try draft.validated()
        } catch let many as ValidationErrors {
            many.errors.forEach { errors.add($0) }
        } catch let one as DomainError {
            errors.add(one)
        }
        try errors.throwIfAny()
        return draft
    }

    /// Values to put back in the form.
    var values: [String: String] {
        var values: [String: String] = [
            "name": name ?? "", "slug": slug ?? "", "legal_form": legal_form ?? "", "commune": commune ?? "",
            "postal_code": postal_code ?? "", "description": description ?? "", "website": website ?? "",
            "activities": (activities ?? []).joined(separator: ","), "colleges": colleges ?? "",
            "share_nominal": share_nominal ?? "", "founder_college": founder_college ?? "",
        ]
        for characteristic in Characteristic.allCases {
            let (answer, evidence) = self.answer(characteristic)
            values["charter_\(Self.key(characteristic))"] = answer ?? ""
            values["evidence_\(Self.key(characteristic))"] = evidence ?? ""
        }
        return values
    }

    static func prefilled(from coop: Cooperative, language: Language) -> [String: String] {
        var values: [String: String] = [
            "name": coop.name, "slug": coop.slug, "legal_form": coop.legalForm, "commune": coop.commune,
            "postal_code": coop.postalCode, "description": coop.description, "website": coop.website,
            "activities": coop.activities, "colleges": coop.colleges.sorted { $0.position < $1.position }.map(\.name).joined(separator: "\n"),
            "share_nominal": Euros.format(cents: coop.shareNominalCents, language),
        ]
        for entry in coop.charter {
            let key = entry.characteristic.replacingOccurrences(of: "-", with: "_")
            values["charter_\(key)"] = entry.answer
            values["evidence_\(key)"] = entry.evidence
        }
        return values
    }

    static func view(_ req: Request, action: String, state: FormState, editing: Bool) -> Node<HTML.BodyContext> {
        let t = req.t
        let chosen = Set(state["activities"].split(separator: ",").map(String.init))
        return Form.post(req, action: action,
            Form.summary(state, t),
            .fieldset(
                .element(named: "legend", nodes: [.text(t("Identité", "Identity"))]),
                Form.field("name", label: t("Nom", "Name"), state: state, t, autocomplete: "organization"),
                editing ? .empty : Form.field("slug", label: t("Adresse dans Maillage", "URL name"), state: state, t, required: false,
                           hint: t("Minuscules, chiffres et tirets ; laissé vide, il est tiré du nom. Exemple : paniers-de-la-sevre.",
                                   "Lowercase letters, digits and hyphens; left empty, it is made from the name. Example: paniers-de-la-sevre.")),
                editing ? .empty : Form.select("legal_form", label: t("Forme juridique", "Legal form"), state: state, t,
                            options: [("", t("— choisir —", "— choose —"))] + LegalForm.allCases.map { ($0.rawValue, t($0.label)) }),
                Form.field("commune", label: t("Commune", "Town"), state: state, t,
                           extra: [.attribute(named: "list", value: "communes")]),
                .element(named: "datalist", nodes: [.id("communes"), .forEach(Communes.known) {
                    .selfClosedElement(named: "option", attributes: [Attribute<HTML.FormContext>.attribute(named: "value", value: $0.name)])
                }]),
                Form.field("postal_code", label: t("Code postal", "Postal code"), state: state, t, required: false,
                           extra: [.attribute(named: "inputmode", value: "numeric"), .attribute(named: "maxlength", value: "5")]),
                Form.textarea("description", label: t("Ce que fait la coopérative", "What the cooperative does"), state: state, t,
                              hint: t("10 à 2 000 caractères.", "10 to 2,000 characters.")),
                Form.field("website", label: t("Site web", "Website"), state: state, t, type: .url, required: false)
            ),
            .fieldset(
                .element(named: "legend", nodes: [.text(t("Activités sur la plateforme", "Activities on the platform"))]),
                .unwrap(state.errors.message(for: "activities")) { .p(.class("field-error"), .id("activities"), .text(t($0))) },
                .forEach(Activity.allCases) { activity in
                    Form.checkbox("activities[]", value: activity.rawValue, label: t(activity.label),
                                  checked: chosen.contains(activity.rawValue), id: "activity-\(activity.rawValue)")
                }
            ),
            editing ? .empty : .fieldset(
                .element(named: "legend", nodes: [.text(t("Sociétariat", "Membership"))]),
                Form.textarea("colleges", label: t("Collèges de vote (un par ligne)", "Voting colleges (one per line)"), state: state, t, rows: 4,
                              required: false,
                              hint: t("Catégories de sociétaires, par exemple : Producteurs, Mangeurs, Salariés. Une SCIC en compte au moins 3.",
                                      "Member categories, for example: Producers, Eaters, Employees. A SCIC has at least 3.")),
                Form.field("share_nominal", label: t("Valeur nominale d’une part sociale (€)", "Nominal value of one share (€)"), state: state, t,
                           required: false, hint: t("Par exemple 20. Sans objet pour une association.", "For example 20. Not applicable to an association."),
                           extra: [.attribute(named: "inputmode", value: "decimal")])
            ),
            .fieldset(
                .element(named: "legend", nodes: [.text(t("Charte : auto-évaluation sur les cinq caractéristiques", "Charter: self-assessment on the five characteristics"))]),
                .forEach(Characteristic.allCases) { characteristic in
                    charterQuestion(characteristic, state: state, t)
                }
            ),
            Form.submit(editing ? t("Enregistrer", "Save") : t("Créer la coopérative", "Create the cooperative"))
        )
    }

    private static func charterQuestion(_ characteristic: Characteristic, state: FormState, _ t: Translator) -> Node<HTML.FormContext> {
        let key = Self.key(characteristic)
        let current = state["charter_\(key)"].isEmpty ? "no" : state["charter_\(key)"]
        return .div(
            .class("charter-question"),
            .fieldset(
                .element(named: "legend", nodes: [.strong(.text(t(characteristic.label))), .text(" — " + t(characteristic.question))]),
                .div(.class("radios"), .forEach(CharterAnswer.allCases) { answer in
                    .div(.class("check"),
                         .input(.type(.radio), .id("charter_\(key)_\(answer.rawValue)"), .name("charter_\(key)"),
                                .value(answer.rawValue), .checked(current == answer.rawValue)),
                         .label(.for("charter_\(key)_\(answer.rawValue)"), .text(t(answer.label))))
                })
            ),
            Form.field("evidence_\(key)", label: t("Preuve (texte court ou lien)", "Evidence (short text or link)"), state: state, t, required: false)
        )
    }
}
