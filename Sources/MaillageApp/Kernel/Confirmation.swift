import MaillageCore
import Plot
import Vapor

/// A destructive action asks first. Its button is a link to a page (GET) that states what will
/// happen ("her 5 shares will be redeemed"); only that page's form carries `confirmed=yes`.
/// A post without it (an old page, a hand-made request) changes nothing: it is sent to the question.
enum Confirmation {
    static let field = "confirmed"

    /// The button that opens the question, in place of the form that used to act at once.
    static func ask(_ label: String, at path: String, ariaLabel: String? = nil) -> Node<HTML.BodyContext> {
        .a(.class("button danger"), .href(path),
           .attribute(named: "aria-label", value: ariaLabel),
           .text(label))
    }

    /// The question: what the action does and what it cannot undo, the button that does it, and
    /// a way back that changes nothing. `fields` go into the form (a reason to give, for example).
    static func page(_ req: Request, title: String, consequences: [String], action: String, button: String,
                     back: String, status: HTTPResponseStatus = .ok, problem: DomainError? = nil,
                     fields: [Node<HTML.FormContext>] = []) -> Response {
        let t = req.t
        return Layout.page(req, title: title, status: status,
            .h1(.text(title)),
            .unwrap(problem) { .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t($0.message))) },
            .div(.class("confirm"),
                 .p(.strong(.text(t("Avant de confirmer :", "Before you confirm:")))),
                 .ul(.forEach(consequences) { .li(.text($0)) })),
            Form.post(req, action: action,
                .input(.type(.hidden), .name(field), .value("yes")),
                .group(fields),
                .div(.class("actions"),
                     .button(.type(.submit), .class("danger"), .text(button)),
                     .a(.href(back), .text(t("Annuler, revenir sans rien changer", "Cancel, go back without changing anything")))))
        )
    }
}

extension Request {
    /// Whether the post comes from the confirmation page (`Confirmation.page`).
    var isConfirmed: Bool { (try? content.get(String.self, at: Confirmation.field)) == "yes" }

    /// The answer to a destructive post that did not come from its question: 303 to the question.
    func askFirst(_ path: String) -> Response { redirect(to: path, redirectType: .normal) }
}
