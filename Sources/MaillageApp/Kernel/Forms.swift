import MaillageCore
import Plot
import Vapor

/// What a form shows back: the values typed and, after a refusal, what to fix next to each field.
struct FormState: Sendable {
    var values: [String: String] = [:]
    var errors = ValidationErrors()

    init(values: [String: String] = [:], errors: ValidationErrors = ValidationErrors()) {
        self.values = values
        self.errors = errors
    }

    /// Keeps the person's input after a refusal (never the password).
    init(refused error: any Error, values: [String: String]) throws {
        self.values = values.filter { !$0.key.contains("password") }
        switch error {
        case let one as DomainError: errors.add(one)
        case let many as ValidationErrors: errors = many
        default: throw error
        }
    }

    subscript(_ name: String) -> String { values[name] ?? "" }
}

enum Form {
    /// A POST form with its CSRF token and its key of one use (`FormSubmissions`): sent twice,
    /// it is applied once.
    static func post<C: HTML.BodyContext>(_ req: Request, action: String, _ nodes: Node<HTML.FormContext>...) -> Node<C> {
        FormLabels.remember(action: action, language: req.language, nodes: nodes)
        return post(token: req.csrfToken, action: action, [.input(.type(.hidden), .name(FormSubmissions.field), .value(FormSubmissions.newKey()))] + nodes)
    }

    /// A POST form carrying `token` (a page rendered once for many visitors puts a marker here).
    static func post<C: HTML.BodyContext>(token: String, action: String, _ nodes: [Node<HTML.FormContext>]) -> Node<C> {
        .form(
            .action(action), .method(.post),
            .input(.type(.hidden), .name(CSRFMiddleware.field), .value(token)),
            .group(nodes)
        )
    }

    /// Errors that belong to no single field, read first by screen readers.
    static func summary(_ state: FormState, _ t: Translator) -> Node<HTML.FormContext> {
        guard !state.errors.isEmpty else { return .empty }
        return .div(
            .class("form-errors"), .attribute(named: "role", value: "alert"), .id("form-errors"),
            .p(.strong(.text(t("Le formulaire n’a pas été enregistré :", "The form was not saved:")))),
            .ul(.forEach(state.errors.errors) { error in
                .li(.if(error.field != nil, .a(.href("#\(error.field ?? "")"), .text(t(error.message))), else: .text(t(error.message))))
            })
        )
    }

    static func field(_ name: String, label: String, state: FormState, _ t: Translator, type: HTMLInputType = .text,
                      required: Bool = true, hint: String? = nil, autocomplete: String? = nil,
                      extra: [Attribute<HTML.InputContext>] = []) -> Node<HTML.FormContext> {
        let error = state.errors.message(for: name)
        var attributes: [Attribute<HTML.InputContext>] = [
            .type(type), .id(name), .name(name), .value(type == .password ? "" : state[name]),
            .attribute(named: "autocomplete", value: autocomplete),
            .attribute(named: "aria-describedby", value: describedBy(name, hint: hint, error: error)),
            .attribute(named: "aria-invalid", value: error == nil ? nil : "true"),
        ]
        if required { attributes.append(.required(true)) }
        attributes.append(contentsOf: extra)
        return .div(
            .class(error == nil ? "field" : "field has-error"),
            .label(.for(name), .text(label), .if(!required, .span(.class("optional"), .text(t(" (facultatif)", " (optional)"))))),
            .unwrap(hint) { .p(.class("hint"), .id("\(name)-hint"), .text($0)) },
            .unwrap(error) { .p(.class("field-error"), .id("\(name)-error"), .text(t($0))) },
            .selfClosedElement(named: "input", attributes: attributes)
        )
    }

    static func textarea(_ name: String, label: String, state: FormState, _ t: Translator, rows: Int = 5,
                         required: Bool = true, hint: String? = nil) -> Node<HTML.FormContext> {
        let error = state.errors.message(for: name)
        return .div(
            .class(error == nil ? "field" : "field has-error"),
            .label(.for(name), .text(label), .if(!required, .span(.class("optional"), .text(t(" (facultatif)", " (optional)"))))),
            .unwrap(hint) { .p(.class("hint"), .id("\(name)-hint"), .text($0)) },
            .unwrap(error) { .p(.class("field-error"), .id("\(name)-error"), .text(t($0))) },
            .textarea(.id(name), .name(name), .rows(rows), .required(required),
                      .attribute(named: "aria-invalid", value: error == nil ? nil : "true"),
                      .attribute(named: "aria-describedby", value: describedBy(name, hint: hint, error: error)),
                      .text(state[name]))
        )
    }

    static func select(_ name: String, label: String, state: FormState, _ t: Translator,
                       options: [(value: String, label: String)], required: Bool = true,
                       hint: String? = nil) -> Node<HTML.FormContext> {
        let error = state.errors.message(for: name)
        return .div(
            .class(error == nil ? "field" : "field has-error"),
            .label(.for(name), .text(label)),
            .unwrap(hint) { .p(.class("hint"), .id("\(name)-hint"), .text($0)) },
            .unwrap(error) { .p(.class("field-error"), .id("\(name)-error"), .text(t($0))) },
            .select(.id(name), .attribute(named: "name", value: name),
                    .attribute(named: "aria-invalid", value: error == nil ? nil : "true"),
                    .attribute(named: "aria-describedby", value: describedBy(name, hint: hint, error: error)),
                    .forEach(options) { option($0.value, $0.label, selected: state[name] == $0.value) })
        )
    }

    /// Links a control to its hint and its error, so screen readers announce them.
    static func describedBy(_ name: String, hint: String?, error: Localized?) -> String? {
        let ids = [hint.map { _ in "\(name)-hint" }, error.map { _ in "\(name)-error" }].compactMap { $0 }
        return ids.isEmpty ? nil : ids.joined(separator: " ")
    }

    static func option(_ value: String, _ label: String, selected: Bool) -> Node<HTML.SelectContext> {
        .element(named: "option", nodes: [
            .attribute(named: "value", value: value, ignoreIfValueIsEmpty: false),
            selected ? .attribute(named: "selected") : .empty,
            .text(label),
        ])
    }

    static func checkbox(_ name: String, value: String, label: String, checked: Bool, id: String) -> Node<HTML.FormContext> {
        .div(
            .class("check"),
            .input(.type(.checkbox), .id(id), .name(name), .value(value), .checked(checked)),
            .label(.for(id), .text(label))
        )
    }

    static func submit(_ label: String) -> Node<HTML.FormContext> {
        .button(.type(.submit), .class("primary"), .text(label))
    }
}
