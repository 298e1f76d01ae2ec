import MaillageCore
import Plot
import Vapor

enum AboutPages {
    /// A readable index of the API, generated from the same document as `/api/openapi.json`.
    @Sendable static func apiDocs(_ req: Request) async throws -> Response {
        let t = req.t
        let document = OpenAPIDocument.build(for: Modules.all, serverURL: nil)
        var operations: [(path: String, method: String, summary: String, secured: Bool)] = []
        if case .object(let paths)? = document["paths"] {
            for (path, item) in paths {
                guard case .object(let methods) = item else { continue }
                for (method, op) in methods {
                    let summary: String
                    if case .string(let s)? = op["summary"] { summary = s } else { summary = "" }
                    var secured = false
                    if case .array(let s)? = op["security"] { secured = !s.isEmpty }
                    operations.append((path, method.uppercased(), summary, secured))
                }
            }
        }
        operations.sort { ($0.path, $0.method) < ($1.path, $1.method) }
        return Layout.page(req, title: t("API ouverte", "Open API"),
            .h1(.text(t("API ouverte", "Open API"))),
            .p(.text(t("Description OpenAPI 3.1 : ", "OpenAPI 3.1 description: ")), .a(.href("/api/openapi.json"), .text("/api/openapi.json"))),
            .p(.text(t("Authentification : créez un jeton sur la page « Mon compte », puis envoyez l’en-tête Authorization: Bearer mlg_…",
                       "Authentication: create a token on the “My account” page, then send the header Authorization: Bearer mlg_…"))),
            .table(
                .thead(.tr(.th(.text(t("Méthode", "Method"))), .th(.text(t("Chemin", "Path"))), .th(.text(t("Rôle", "Purpose"))), .th(.text(t("Jeton", "Token"))))),
                .tbody(.forEach(operations) { op in
                    .tr(.td(.code(.text(op.method))), .td(.code(.text(op.path))), .td(.text(op.summary)),
                        .td(.text(op.secured ? t("requis", "required") : t("public", "public"))))
                })
            )
        )
    }
}
