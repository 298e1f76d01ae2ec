import Fluent
import MaillageCore
import Plot
import Vapor

/// The signed-in person's home: what concerns them, their memberships, their API tokens.
enum AccountHome {
    struct TokenForm: Content { var name: String? }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await render(req, newToken: nil, tokenState: FormState())
    }

    @Sendable static func createToken(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(TokenForm.self)
        do {
            let secret = try await Tokens.create(for: user, name: form.name, on: req.db)
            return try await render(req, newToken: secret, tokenState: FormState())
        } catch {
            return try await render(req, newToken: nil, tokenState: FormState(refused: error, values: ["name": form.name ?? ""]), status: .unprocessableEntity)
        }
    }

    @Sendable static func revokeToken(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        try await Tokens.revoke(id, of: user, on: req.db)
        return req.redirect(to: "/account#tokens", redirectType: .normal)
    }

    static func render(_ req: Request, newToken: String?, tokenState: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let userID = try user.requireID()
        let t = req.t
        let tokens = try await AccessToken.query(on: req.db).filter(\.$user.$id == userID).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).all()
        var sections: [Node<HTML.BodyContext>] = []
        for module in Modules.all { if let section = try await module.accountSection(req, user: user) { sections.append(section) } }
        return Layout.page(req, title: t("Mon compte", "My account"), status: status,
            .h1(.text(t("Bonjour \(user.displayName)", "Hello \(user.displayName)"))),
            .if(req.query[String.self, at: "welcome"] != nil,
                .p(.class("notice"), .attribute(named: "role", value: "status"),
                   .text(t("Votre compte est créé. Parcourez l’annuaire pour rejoindre une coopérative.",
                           "Your account is ready. Browse the directory to join a cooperative.")))),
            .group(sections),
            .section(
                .id("tokens"),
                .attribute(named: "aria-labelledby", value: "tokens-title"),
                .h2(.id("tokens-title"), .text(t("Jetons d’accès à l’API", "API access tokens"))),
                .p(.text(t("Un jeton permet à un programme d’agir en votre nom via l’API ", "A token lets a program act on your behalf through the ")),
                   .a(.href("/api/docs"), .text("/api/v1")),
                   .text(t(". Il n’est affiché qu’une fois ; nous n’en gardons qu’une empreinte.", " API. It is shown once; we keep only a fingerprint of it."))),
                .unwrap(newToken) { secret in
                    .div(.class("notice"), .attribute(named: "role", value: "status"),
                         .p(.strong(.text(t("Copiez ce jeton maintenant, il ne sera plus affiché :", "Copy this token now, it will not be shown again:")))),
                         .p(.code(.id("new-token"), .text(secret))))
                },
                .if(!tokens.isEmpty, .table(
                    .caption(.text(t("Jetons actifs", "Active tokens"))),
                    .thead(.tr(.th(.text(t("Nom", "Name"))), .th(.text(t("Début", "Starts with"))), .th(.text(t("Créé", "Created"))),
                               .th(.text(t("Dernier usage", "Last used"))), .th(.text(t("Action", "Action"))))),
                    .tbody(.forEach(tokens) { token in
                        .tr(.td(.text(token.name)), .td(.code(.text(token.hint))), .td(.text(DateText.short(token.createdAt, req.language))),
                            .td(.text(token.lastUsedAt.map { DateText.short($0, req.language) } ?? t("jamais", "never"))),
                            .td(Form.post(req, action: "/account/tokens/\(token.id?.uuidString ?? "")/revoke",
                                          .button(.type(.submit), .class("danger"), .text(t("Révoquer", "Revoke"))))))
                    })
                )),
                Form.post(req, action: "/account/tokens",
                    Form.summary(tokenState, t),
                    Form.field("name", label: t("Nom du jeton", "Token name"), state: tokenState, t,
                               hint: t("Par exemple : « script de la caisse ».", "For example: “till script”.")),
                    Form.submit(t("Créer un jeton", "Create a token"))
                )
            )
        )
    }
}

