import Foundation
import MaillageCore
import Plot
import Vapor

/// The result of a closed vote, read from the stored tally report.
enum ResultViews {
    static func section(_ req: Request, coop: Cooperative, proposal: Proposal, isBoard: Bool, statement: FormState? = nil) -> Node<HTML.BodyContext> {
        let t = req.t
        guard let result = proposal.result, let outcome = proposal.outcome else {
            if proposal.phase() == .cancelled { return .empty }
            if proposal.phase() == .closed {
                // Between the closing time and the job's count (at most half a minute).
                return .p(.class("notice"), .attribute(named: "role", value: "status"),
                          .text(t("Vote clos : dépouillement en cours, le résultat s’affiche dans moins d’une minute.",
                                  "Vote closed: counting in progress, the result appears within a minute.")))
            }
            return proposal.secret ? .p(.text(t("Résultats cachés jusqu’à la clôture.", "Results hidden until the vote closes."))) : .empty
        }
        let report = (try? JSONSerialization.jsonObject(with: Data(result.utf8))) as? [String: Any] ?? [:]
        let ranking = report["ranking"] as? [[String]] ?? []
        let id = proposal.id?.uuidString ?? ""
        return .section(
            .attribute(named: "aria-labelledby", value: "result-title"),
            .h2(.id("result-title"), .text(t("Résultat", "Result"))),
            .p(.strong(.text(outcome.adopted && outcome.majorityReached == nil ? t("Quorum atteint.", "Quorum reached.")
                             : outcome.adopted ? t("Quorum et majorité atteints.", "Quorum and majority reached.")
                                             : !outcome.quorumReached ? t("Quorum non atteint : la décision n’est pas valable.", "Quorum not reached: the decision is not valid.")
                                             : t("Majorité non atteinte : proposition rejetée.", "Majority not reached: proposal rejected.")))),
            .if(proposal.tallyMethod == .consent,
                .p(.text(t("Issue : ", "Outcome: ") + consentOutcome(report["outcome"] as? String, t))),
                else: .ol(.class("ranking"), .forEach(ranking) { group in .li(.text(group.joined(separator: t(" = ", " = ")))) })),
            proposal.tallyMethod == .majorityJudgment ? meritProfile(result, t) : details(report, method: proposal.tallyMethod, t),
            .if(!outcome.blocks.isEmpty, .group(.h3(.text(t("Blocages et leurs raisons", "Blocks and their reasons"))),
                                                 .ul(.forEach(outcome.blocks) { .li(.text($0)) }))),
            .unwrap(proposal.outcomeStatement) { .div(.class("notice"), .h3(.text(t("Décision du conseil", "Board’s statement"))), .p(.text($0))) },
            .when(isBoard, Form.post(req, action: "/c/\(coop.slug)/votes/\(id)/statement",
                Form.textarea("statement", label: t("Énoncé de la décision (conseil)", "Statement of the decision (board)"),
                              state: statement ?? FormState(values: ["statement": proposal.outcomeStatement ?? ""]), t, rows: 3),
                Form.submit(t("Enregistrer l’énoncé", "Save the statement")))),
            .p(.a(.href("/c/\(coop.slug)/votes/\(id)/ballots.json"), .text(t("Fichier des bulletins (anonymisé)", "Ballot file (anonymised)"))),
               .text(t(" — il ne nomme personne ; chacun peut le télécharger et refaire le compte.",
                       " — it names no one; anyone may download it and count again.")))
        )
    }

    static func consentOutcome(_ raw: String?, _ t: Translator) -> String {
        switch raw {
        case "passed": t("adoptée", "passed")
        case "blocked": t("bloquée", "blocked")
        default: t("rejetée", "rejected")
        }
    }

    /// Majority judgment: each option's share of each grade as a stacked bar, the same figures in
    /// a table, and why options with the same majority grade are in the order shown.
    static func meritProfile(_ result: String, _ t: Translator) -> Node<HTML.BodyContext> {
        guard let report = try? JSONDecoder().decode(TallyReport.MajorityJudgment.self, from: Data(result.utf8)) else { return .empty }
        let labels = (GradeScale.named(grades: report.grades) ?? GradeScale(labels: (0..<report.grades).map {
            Localized(fr: "Mention \($0)", en: "Grade \($0)") })).labels.map { t($0) }
        let order = report.ranking.flatMap { $0 }.compactMap { name in report.options.first { $0.name == name } }
        let explanations = MajorityJudgment.tieBreaks(report).map { t($0.sentence(grades: report.grades)) }
        let weighted = MeritProfileChart.isWeighted(report)
        return .group(
            .table(.caption(.text(t("Mention majoritaire de chaque option, dans l’ordre du classement", "Majority grade of each option, in ranking order"))),
                   .thead(.tr(.th(.attribute(named: "scope", value: "col"), .text(t("Option", "Option"))),
                              .th(.attribute(named: "scope", value: "col"), .text(t("Mention majoritaire", "Majority grade"))))),
                   .tbody(.forEach(order) { option in
                       .tr(.th(.attribute(named: "scope", value: "row"), .text(option.name)),
                           .td(.text(option.majorityGrade.map { labels.indices.contains($0) ? labels[$0] : String($0) } ?? "—")))
                   })),
            .if(!explanations.isEmpty, .div(.class("tie-breaks"), .h3(.text(t("Départage", "Tie-break"))),
                                              .forEach(explanations) { .p(.text($0)) })),
            .h3(.id("merit-profile"), .text(t("Profil de mérite", "Merit profile"))),
            .p(.class("hint"), .text(t("Part de chaque mention reçue par chaque option, de « \(labels.last ?? "") » (à gauche) à « \(labels.first ?? "") » (à droite). Le trait marque la moitié des votants : la mention qui le traverse est la mention majoritaire.",
                                       "Share of each grade each option received, from “\(labels.last ?? "")” (left) to “\(labels.first ?? "")” (right). The line marks half of the voters: the grade it crosses is the majority grade."))),
            .div(.class("chart-box"), .raw(MeritProfileChart.svg(order, labels: labels, judges: report.judges,
                                       title: t("Profil de mérite", "Merit profile"),
                                       description: order.map { option in
                                           option.name + " : " + MeritProfileChart.shares(option.tally, judges: report.judges).enumerated().reversed()
                                               .filter { $0.element.count > 0 }
                                               .map { "\(labels[$0.offset]) \(MeritProfileChart.percent($0.element.share, t))" }.joined(separator: ", ")
                                       }.joined(separator: " ; ")))),
            StackedTable.node(.table(.class("merit-profile"),
                   .caption(.text(t("Profil de mérite : part et nombre de chaque mention, par option", "Merit profile: share and number of each grade, per option"))),
                   .thead(.tr(.th(.attribute(named: "scope", value: "col"), .text(t("Option", "Option"))),
                              .forEach(labels.indices.reversed()) { .th(.attribute(named: "scope", value: "col"), .class("num"), .text(labels[$0])) })),
                   .tbody(.forEach(order) { option in
                       let shares = MeritProfileChart.shares(option.tally, judges: report.judges)
                       return .tr(.th(.attribute(named: "scope", value: "row"), .text(option.name)),
                                  .forEach(shares.indices.reversed()) { grade in
                                      .td(.class("num"), .text(MeritProfileChart.percent(shares[grade].share, t)
                                                               + (weighted ? "" : " (\(shares[grade].count))")))
                                  })
                   }))),
            .p(.class("hint"), .text(weighted
                ? t("Vote pondéré par collège : chaque part tient compte du poids du collège de chaque votant·e.",
                    "Vote weighted by college: each share takes the weight of each voter’s college into account.")
                : t("Entre parenthèses : le nombre de votant·e·s (\(report.judges) en tout).", "In brackets: the number of voters (\(report.judges) in all)."))))
    }

    private static func details(_ report: [String: Any], method: TallyMethod, _ t: Translator) -> Node<HTML.BodyContext> {
        switch method {
        case .majorityJudgment:
            let options = report["options"] as? [[String: Any]] ?? []
            return .table(.thead(.tr(.th(.text(t("Option", "Option"))), .th(.text(t("Mention majoritaire", "Majority grade"))))),
                          .tbody(.forEach(options) { option in
                              let label = option["majority_grade_label"] as? [String: String]
                              return .tr(.td(.text(option["name"] as? String ?? "")),
                                         .td(.text(label.map { t($0["fr"] ?? "", $0["en"] ?? "") } ?? "—")))
                          }))
        case .singleChoice, .approval, .meetingTime:
            let options = report["options"] as? [[String: Any]] ?? []
            return .table(.thead(.tr(.th(.text(t("Option", "Option"))), .th(.text(t("Voix", "Votes"))))),
                          .tbody(.forEach(options) { option in
                              .tr(.td(.text(option["name"] as? String ?? "")), .td(.text("\(option["votes"] ?? option["yes"] ?? "")")))
                          }))
        case .consent:
            let counts = report["counts"] as? [String: Any] ?? [:]
            return .ul(.forEach(ConsentPosition.allCases) { position in .li(.text("\(t(position.label)) : \(counts[position.rawValue] ?? 0)")) })
        case .schulze:
            return .unwrap(report["condorcet_winner"] as? String) { .p(.text(t("Vainqueur de Condorcet : ", "Condorcet winner: ") + $0)) }
        }
    }
}
