import MaillageCore
import Plot
import Vapor

/// The ballot as a form: one set of fields per method, read back into the ballot JSON the tally reads.
enum BallotForm {
    static let incomplete = DomainError(.invalid, code: "incomplete_ballot", field: "ballot",
                                        fr: "Bulletin incomplet : répondez pour chaque option.", en: "Incomplete ballot: answer for every option.")

    static func ballot(from req: Request, for proposal: Proposal) throws -> Data {
        let options = proposal.options
        func field(_ name: String) -> String? {
            (try? req.content.get(String.self, at: name)).flatMap { $0.isEmpty ? nil : $0 }
        }
        let value: Any
        switch proposal.tallyMethod {
        case .majorityJudgment:
            value = try options.indices.map { index -> Int in
                guard let grade = field("grade_\(index)").flatMap(Int.init) else { throw incomplete }
                return grade
            }
        case .schulze:
            var groups: [Int: [String]] = [:]
            for (index, option) in options.enumerated() {
                if let rank = field("rank_\(index)").flatMap(Int.init) { groups[rank, default: []].append(option) }
            }
            // An empty ranking would count as "all tied": a voter who ranks nothing has not voted yet.
            guard !groups.isEmpty else { throw incomplete }
            value = ["ranking": groups.keys.sorted().map { groups[$0]! }]
        case .approval:
            let chosen = Set((try? req.content.get([String].self, at: "approve")) ?? [])
            value = options.enumerated().filter { chosen.contains(String($0.offset)) }.map(\.element)
        case .singleChoice:
            // A blank vote is a choice the voter makes, never what an empty form means.
            guard let choice = field("choice") else { throw incomplete }
            if choice == "blank" {
                value = NSNull()
            } else {
                guard let index = Int(choice), options.indices.contains(index) else { throw incomplete }
                value = options[index]
            }
        case .consent:
            guard let position = field("position") else { throw incomplete }
            value = ["position": position, "reason": field("reason") ?? ""]
        case .meetingTime:
            value = try options.indices.map { index -> String in
                guard let answer = field("slot_\(index)") else { throw incomplete }
                return answer
            }
        }
        return try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
    }

    /// What the person had ticked and typed, to show the form again as they left it after a refusal.
    static func typed(_ req: Request, for proposal: Proposal) -> FormState {
        var values: [String: String] = [:]
        var names = ["choice", "position", "reason"]
        for index in proposal.options.indices { names += ["grade_\(index)", "rank_\(index)", "slot_\(index)"] }
        for name in names { if let value = try? req.content.get(String.self, at: name) { values[name] = value } }
        values["approve"] = ((try? req.content.get([String].self, at: "approve")) ?? []).joined(separator: ",")
        return FormState(values: values)
    }

    static func view(_ req: Request, coop: Cooperative, proposal: Proposal, state: FormState = FormState()) -> Node<HTML.BodyContext> {
        let t = req.t
        let options = proposal.options
        let id = proposal.id?.uuidString ?? ""
        let fields: Node<HTML.FormContext>
        switch proposal.tallyMethod {
        case .majorityJudgment:
            let scale = (GradeScale.named(grades: proposal.grades) ?? .standard).labels
            fields = .forEach(Array(options.enumerated())) { index, option in
                radios("grade_\(index)", legend: option, state: state, choices: scale.enumerated().reversed().map { (String($0.offset), t($0.element)) })
            }
        case .schulze:
            fields = .group(
                .p(.class("hint"), .text(t("1 = votre premier choix. Même rang = à égalité. Les options non classées partagent la dernière place.",
                                           "1 = your first choice. Same rank = tied. Unranked options share the last place."))),
                .forEach(Array(options.enumerated())) { index, option in
                    Form.select("rank_\(index)", label: option, state: state, t,
                                options: [("", t("non classée", "unranked"))] + options.indices.map { (String($0 + 1), String($0 + 1)) })
                })
        case .approval:
            fields = .fieldset(.element(named: "legend", nodes: [.text(t("Cochez chaque option que vous approuvez", "Tick every option you approve"))]),
                               .forEach(Array(options.enumerated())) { index, option in
                                   Form.checkbox("approve[]", value: String(index), label: option,
                                                 checked: state["approve"].split(separator: ",").contains(Substring(String(index))), id: "approve-\(index)")
                               })
        case .singleChoice:
            fields = radios("choice", legend: t("Votre choix", "Your choice"), state: state,
                            choices: options.enumerated().map { (String($0.offset), $0.element) } + [("blank", t("Vote blanc", "Blank vote"))])
        case .consent:
            fields = .group(
                radios("position", legend: t("Votre position", "Your position"), state: state, choices: ConsentPosition.allCases.map { ($0.rawValue, t($0.label)) }),
                Form.textarea("reason", label: t("Raison (obligatoire pour un blocage)", "Reason (required for a block)"), state: state, t, rows: 3, required: false))
        case .meetingTime:
            fields = .forEach(Array(options.enumerated())) { index, slot in
                radios("slot_\(index)", legend: slot, state: state, choices: Availability.allCases.map { ($0.rawValue, t(availabilityLabel($0))) })
            }
        }
        return Form.post(req, action: "/c/\(coop.slug)/votes/\(id)/ballot", fields, Form.submit(t("Voter", "Vote")))
    }

    static func availabilityLabel(_ availability: Availability) -> Localized {
        switch availability {
        case .yes: Localized(fr: "Oui", en: "Yes")
        case .maybe: Localized(fr: "Peut-être", en: "Maybe")
        case .no: Localized(fr: "Non", en: "No")
        }
    }

    private static func radios(_ name: String, legend: String, state: FormState, choices: [(String, String)]) -> Node<HTML.FormContext> {
        .fieldset(
            .element(named: "legend", nodes: [.text(legend)]),
            .div(.class("radios"), .forEach(Array(choices.enumerated())) { index, choice in
                .div(.class("check"),
                     .input(.type(.radio), .id("\(name)-\(index)"), .name(name), .value(choice.0), .checked(state[name] == choice.0)),
                     .label(.for("\(name)-\(index)"), .text(choice.1)))
            })
        )
    }
}
