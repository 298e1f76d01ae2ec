import MaillageCore
import Plot
import Vapor

/// A cooperative's charter self-assessment: its badge and its answers on the five characteristics.
enum CharterViews {
    static func badge(_ charter: CharterAssessment, _ t: Translator) -> Node<HTML.BodyContext> {
        .p(.class("badge-charter badge-\(charter.badge.rawValue)"),
           .text(t(charter.badge.label)),
           .span(.class("score"), .text(t(" — \(charter.score)/10", " — \(charter.score)/10"))),
           .span(.class("dots"), .attribute(named: "aria-hidden", value: "true"),
                 .text(" " + charter.ordered.map { $0.answer == .yes ? "●" : $0.answer == .partly ? "◐" : "○" }.joined())))
    }

    static func charterList<C: HTML.BodyContext>(_ charter: CharterAssessment, _ t: Translator, detailed: Bool) -> Node<C> {
        .dl(.class("charter"), .forEach(charter.ordered) { item in
            .group(
                .dt(.text(t(item.characteristic.label)), .text(t(" : ", ": ")), .span(.class("answer answer-\(item.answer.rawValue)"), .text(t(item.answer.label)))),
                .dd(.if(item.evidence.isEmpty, .text(t("Pas de preuve fournie.", "No evidence given.")),
                        else: evidence(item.evidence)),
                    .if(detailed, .p(.class("hint"), .text(t(item.characteristic.question)))))
            )
        })
    }

    /// Evidence may be a link: show it as one, but only http(s).
    private static func evidence(_ text: String) -> Node<HTML.BodyContext> {
        if (text.hasPrefix("https://") || text.hasPrefix("http://")) && !text.contains(" ") {
            return .a(.href(text), .attribute(named: "rel", value: "noopener nofollow"), .text(text))
        }
        return .text(text)
    }
}
