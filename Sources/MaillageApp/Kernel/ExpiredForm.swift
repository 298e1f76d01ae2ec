import MaillageCore
import Plot
import Vapor

/// A page form whose anti-forgery token no longer matches (the session ended, or the page was
/// opened long ago): nothing is applied, and nothing typed is lost. The person gets what they
/// typed back, in a form to the same address with a fresh token, and a line saying why.
/// Passwords are not sent back; a file cannot be (an upload is refused as before).
enum ExpiredForm {
    /// The recovery page, or nil when the post is not a plain page form (JSON, upload, API).
    static func page(_ req: Request) -> Response? {
        guard req.headers.contentType == .urlEncodedForm, !req.url.path.hasPrefix("/api/"),
              let body = req.body.string else { return nil }
        let typed = fields(body).filter { name, _ in
            name != CSRFMiddleware.field && name != FormSubmissions.field && !name.lowercased().contains("password")
        }
        let t = req.t
        let labels = FormLabels.labels(for: req.url.path, language: req.language)
        return Layout.page(req, title: t("Formulaire expiré", "Form expired"), status: .forbidden,
            .h1(.text(t("Formulaire expiré", "Form expired"))),
            .div(.class("form-errors"), .attribute(named: "role", value: "alert"),
                 .p(.text(t("Ce formulaire avait expiré (session terminée ou page ouverte depuis longtemps) : rien n’a été enregistré.",
                            "This form had expired (the session ended or the page was open for a long time): nothing was saved.")))),
            .p(.text(t("Voici ce que vous aviez saisi. Vérifiez-le, puis renvoyez-le. Si vous n’êtes plus connecté·e, connectez-vous dans un autre onglet avant de renvoyer.",
                       "Here is what you had typed. Check it, then send it again. If you are no longer logged in, log in in another tab before sending."))),
            Form.post(req, action: req.url.path + (req.url.query.map { "?" + $0 } ?? ""),
                .forEach(Array(typed.enumerated())) { index, field in
                    control(field.name, label: labels[field.name], value: field.value, index: index)
                },
                Form.submit(t("Renvoyer", "Send again")))
        )
    }

    /// The pairs of a url-encoded body, in order (a name may come several times: check boxes).
    static func fields(_ body: String) -> [(name: String, value: String)] {
        let decode = { (text: Substring) in String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
        return body.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts.first.map(decode), !name.isEmpty else { return nil }
            return (name, parts.count == 2 ? decode(parts[1]) : "")
        }
    }

    /// A field the form drew is shown with its own label; otherwise (a form not drawn since the
    /// instance started) with its name made readable.
    private static func control(_ name: String, label: String?, value: String, index: Int) -> Node<HTML.FormContext> {
        let id = "recovered-\(index)"
        let label = label ?? name.replacingOccurrences(of: "_", with: " ")
        return .div(.class("field"),
            .label(.for(id), .text(label)),
            value.contains("\n") || value.count > 80
                ? .textarea(.id(id), .name(name), .rows(5), .text(value))
                : .input(.type(.text), .id(id), .name(name), .value(value)))
    }
}
