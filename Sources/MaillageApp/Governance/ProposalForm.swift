import MaillageCore
import Plot
import Vapor

/// The "put to the vote" form: decoding, and showing it again with what was typed.
struct ProposalForm: Content {
    var title: String?
    var body: String?
    var method: String?
    var options: String?
    var opens_at: String?
    var closes_at: String?
    var secret: String?
    var quorum: String?
    var majority: String?
    var weighted: String?

    static func methodLabel(_ method: TallyMethod) -> Localized {
        switch method {
        case .consent: Localized(fr: "Consentement (d’accord / abstention / pas d’accord / blocage)", en: "Consent (agree / abstain / disagree / block)")
        case .singleChoice: Localized(fr: "Choix unique", en: "Single choice")
        case .approval: Localized(fr: "Approbation (plusieurs choix possibles)", en: "Approval (any number of options)")
        case .majorityJudgment: Localized(fr: "Jugement majoritaire (une mention par option)", en: "Majority judgment (grade each option)")
        case .schulze: Localized(fr: "Classement (méthode de Schulze)", en: "Ranking (Schulze method)")
        case .meetingTime: Localized(fr: "Date de réunion (oui / peut-être / non par créneau)", en: "Meeting time (yes / maybe / no per slot)")
        }
    }

    func draft(now: Date) throws -> ProposalDraft {
        var errors = ValidationErrors()
        let method = TallyMethod(rawValue: self.method ?? "")
        if method == nil {
            errors.add(DomainError(.invalid, code: "invalid_method", field: "method", fr: "Choisissez une méthode de vote.", en: "Choose a voting method."))
        }
        func date(_ raw: String?, field: String) -> Date? {
            guard let raw, !raw.isEmpty else { return nil }
            if let parsed = DateText.localInput.date(from: raw) { return parsed }
            errors.add(DomainError(.invalid, code: "invalid_date", field: field,
                                   fr: "Date et heure attendues, par exemple 2026-12-01T18:00.", en: "A date and time is expected, e.g. 2026-12-01T18:00."))
            return nil
        }
        let opens = date(opens_at, field: "opens_at") ?? now
        let closes = date(closes_at, field: "closes_at")
        if closes == nil && errors.message(for: "closes_at") == nil {
            errors.add(DomainError(.invalid, code: "missing_field", field: "closes_at", fr: "Indiquez la date de clôture.", en: "Give the closing date."))
        }
        let majority = RequiredMajority(rawValue: self.majority ?? "simple") ?? .simple
        let draft = ProposalDraft(title: title ?? "", body: body ?? "", method: method ?? .singleChoice,
                                  options: (options ?? "").split(whereSeparator: \.isNewline).map(String.init),
                                  opensAt: opens, closesAt: closes ?? now, secret: secret != nil, quorum: quorum ?? VoteFloors.standard.quorum.description,
                                  majority: majority, weightedByCollege: weighted != nil)
        do { _ = try draft.validated(now: now) } catch let many as ValidationErrors { many.errors.forEach { errors.add($0) } } catch let one as DomainError { errors.add(one) }
        try errors.throwIfAny()
        return draft
    }

    var values: [String: String] {
        ["title": title ?? "", "body": body ?? "", "method": method ?? "", "options": options ?? "",
         "opens_at": opens_at ?? "", "closes_at": closes_at ?? "", "secret": secret ?? "", "quorum": quorum ?? VoteFloors.standard.quorum.description,
         "majority": majority ?? "simple", "weighted": weighted ?? ""]
    }

    /// The form filled with a stored vote, for the board to change it before it opens.
    static func values(of proposal: Proposal) -> [String: String] {
        ["title": proposal.title, "body": proposal.body, "method": proposal.method, "options": proposal.options.joined(separator: "\n"),
         "opens_at": DateText.localInput.string(from: proposal.opensAt), "closes_at": DateText.localInput.string(from: proposal.closesAt),
         "secret": proposal.secret ? "on" : "", "quorum": proposal.quorum, "majority": proposal.majority, "weighted": proposal.weighted ? "on" : ""]
    }

    static func view(_ req: Request, coop: Cooperative, state: FormState, hasColleges: Bool, action: String? = nil,
                     submit: String? = nil) -> Node<HTML.BodyContext> {
        let t = req.t
        return Form.post(req, action: action ?? "/c/\(coop.slug)/votes",
            Form.summary(state, t),
            Form.field("title", label: t("Question posée", "Question"), state: state, t),
            Form.textarea("body", label: t("Texte de la proposition", "Text of the proposal"), state: state, t, rows: 6, required: false),
            Form.select("method", label: t("Méthode de vote", "Voting method"), state: state, t,
                        options: [("", t("— choisir —", "— choose —"))] + TallyMethod.allCases.map { ($0.rawValue, t(methodLabel($0))) }),
            Form.textarea("options", label: t("Options, une par ligne", "Options, one per line"), state: state, t, rows: 5, required: false,
                          hint: t("Sans objet pour le consentement. Pour une date de réunion, un créneau par ligne.",
                                  "Not used for consent. For a meeting time, one slot per line.")),
            Form.field("opens_at", label: t("Ouverture (heure de Paris)", "Opens (Paris time)"), state: state, t, type: .datetimeLocal, required: false,
                       hint: t("Laisser vide pour ouvrir maintenant. Format 2026-12-01T18:00.", "Leave empty to open now. Format 2026-12-01T18:00.")),
            Form.field("closes_at", label: t("Clôture (heure de Paris)", "Closes (Paris time)"), state: state, t, type: .datetimeLocal),
            Form.select("quorum", label: t("Quorum (part des sociétaires qui doivent voter)", "Quorum (share of members who must vote)"), state: state, t,
                        options: [("0", t("Aucun (sondage de date seulement)", "None (meeting-time poll only)")), ("1/5", "1/5"), ("1/4", "1/4"), ("1/3", "1/3"), ("1/2", "1/2")]),
            Form.select("majority", label: t("Majorité requise", "Required majority"), state: state, t,
                        options: [("simple", t("Simple", "Simple")), ("two-thirds", t("Deux tiers (statuts, affectation des excédents)", "Two thirds (statutes, allocation of surplus)"))]),
            Form.checkbox("secret", value: "on", label: t("Bulletin secret (non modifiable, résultats cachés jusqu’à la clôture)", "Secret ballot (cannot be changed, results hidden until close)"),
                          checked: !state["secret"].isEmpty, id: "secret"),
            hasColleges ? Form.checkbox("weighted", value: "on", label: t("Pondérer par collège de vote", "Weight by voting college"),
                                        checked: !state["weighted"].isEmpty, id: "weighted") : .empty,
            Form.submit(submit ?? t("Soumettre au vote", "Put to the vote"))
        )
    }
}
