import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/delivery/stores/<store>/connect`: what a store's software needs — its API tokens
/// (made here, shown once, revocable), its webhook (address, a secret shown once, the log of
/// the calls), and a CSV import of deliveries. The store's people and the staff use it.
enum DeliveryAPIPages {
    static func routes(_ signedIn: any RoutesBuilder) {
        signedIn.get("stores", ":store", "connect", use: show)
        signedIn.post("stores", ":store", "tokens", use: createToken)
        signedIn.post("stores", ":store", "tokens", ":token", "revoke", use: revokeToken)
        signedIn.post("stores", ":store", "webhook", use: setWebhook)
        signedIn.post("stores", ":store", "webhook", "remove", use: removeWebhook)
        signedIn.on(.POST, "stores", ":store", "import", body: .collect(maxSize: "4mb"), use: importCSV)
        signedIn.get("stores", ":store", "import", "template.csv", use: template)
    }

    static func store(_ req: Request) async throws -> (DeliveryAccess, DeliveryStoreRow) {
        let access = try await DeliveryAccess(req, signedIn: true)
        return (access, try await access.store(req.parameters.get("store", as: UUID.self), on: req.db))
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let (access, store) = try await store(req)
        return try await view(req, access: access, store: store, report: DeliveryCSVImport.Outcome.take(from: req, store: store.id))
    }

    static func view(_ req: Request, access: DeliveryAccess, store: DeliveryStoreRow, report: DeliveryCSVImport.Outcome? = nil,
                     tokenState: FormState = FormState(), hookState: FormState = FormState(), importError: DomainError? = nil,
                     status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, db = req.db
        let here = "\(access.base)/stores/\(store.id)"
        let tokens = try await DeliveryAPITokens.all(of: store.id, on: db)
        let hook = try await DeliveryWebhooks.setting(of: store.id, on: db)
        let calls = try await DeliveryWebhooks.calls(of: store.id, on: db)
        let api = PublicAddress.baseURL(req) + "/api/v1/cooperatives/\(access.coop.slug)/delivery"
        var hookValues = hookState
        if hookValues.values.isEmpty, let hook { hookValues.values = ["webhook_url": hook.url] }
        return Layout.page(req, title: t("Connecter un logiciel — \(store.name)", "Connect software — \(store.name)"), status: status,
            .p(.a(.href(here), .text("← " + store.name))),
            .h1(.text(t("Connecter votre logiciel", "Connect your software"))),
            .p(.text(t("Votre logiciel commande, vérifie le prix, lit et annule vos livraisons par l’API : ",
                       "Your software orders, checks the price, reads and cancels your deliveries through the API: ")),
               .code(.text(api)), .text(t(" (documentée dans ", " (documented in ")), .a(.href("/api/openapi.json"), .text("OpenAPI")), .text(").")),
            .section(.h2(.text(t("Jetons d’API", "API tokens"))),
                .p(.text(t("Chaque jeton n’atteint que ce magasin ; envoyez-le dans l’en-tête X-Delivery-Token. Il n’est montré qu’une fois ; un jeton révoqué est refusé aussitôt.",
                           "Each token reaches this store only; send it in the X-Delivery-Token header. It is shown once; a revoked token is refused at once."))),
                .if(tokens.isEmpty, .p(.text(t("Aucun jeton pour l’instant.", "No token yet.")))),
                .ul(.forEach(tokens) { token in
                    .li(.strong(.text(token.name)), .text(t(" — créé le ", " — made on ") + DateText.short(token.created_at, language)),
                        .unwrap(token.last_used_at) { .text(t(", utilisé le ", ", used on ") + DateText.short($0, language)) },
                        .if(token.revoked_at != nil, .text(t(" — révoqué", " — revoked")),
                            else: Form.post(req, action: "\(here)/tokens/\(token.id)/revoke", Form.submit(t("Révoquer « \(token.name) »", "Revoke “\(token.name)”")))))
                }),
                Form.post(req, action: "\(here)/tokens",
                    Form.summary(tokenState, t),
                    Form.field("token_name", label: t("Nom du jeton (le logiciel qui s’en sert)", "Token name (the software using it)"), state: tokenState, t),
                    Form.submit(t("Créer un jeton", "Make a token")))),
            .section(.h2(.text(t("Webhook", "Webhook"))),
                .p(.text(t("À chaque changement d’une de vos livraisons (delivery.started, delivery.completed, delivery.failed, delivery.cancelled), nous envoyons un POST JSON à cette adresse, signé dans l’en-tête X-Maillage-Signature : sha256=<HMAC-SHA256 du corps avec votre secret>. Un appel sans réponse est réessayé, de plus en plus espacé.",
                           "On each change of one of your deliveries (delivery.started, delivery.completed, delivery.failed, delivery.cancelled), we POST JSON to this address, signed in the X-Maillage-Signature header: sha256=<HMAC-SHA256 of the body with your secret>. A call left unanswered is tried again, further and further apart."))),
                Form.post(req, action: "\(here)/webhook",
                    Form.summary(hookState, t),
                    Form.field("webhook_url", label: t("Adresse de votre logiciel", "Your software's address"), state: hookValues, t, type: .url,
                               hint: t("L’enregistrer donne un nouveau secret, montré une fois.", "Saving it gives a new secret, shown once.")),
                    Form.submit(t("Enregistrer et recevoir un secret", "Save and get a secret"))),
                .if(hook != nil, Form.post(req, action: "\(here)/webhook/remove", Form.submit(t("Ne plus envoyer d’appels", "Stop sending calls")))),
                .h3(.text(t("Derniers appels", "Latest calls"))),
                .if(calls.isEmpty, .p(.text(t("Aucun appel pour l’instant.", "No call yet.")))),
                .if(!calls.isEmpty, .table(
                    .thead(.tr(.th(.text(t("Quand", "When"))), .th(.text(t("Évènement", "Event"))), .th(.text(t("Livraison", "Delivery"))),
                               .th(.text(t("État", "Status"))), .th(.text(t("Essais", "Attempts"))), .th(.text(t("Dernière erreur", "Last error"))))),
                    .tbody(.forEach(calls) { call in
                        .tr(.td(.text(DateText.short(call.createdAt, language))), .td(.code(.text(call.event))),
                            .td(.a(.href("\(access.base)/deliveries/\(call.deliveryID)"), .text(String(call.deliveryID.uuidString.prefix(8))))),
                            .td(.text(callStatus(call.status, t))), .td(.text(String(call.attempts))), .td(.text(call.lastError ?? "")))
                    })))),
            .section(.h2(.text(t("Importer des livraisons (CSV)", "Import deliveries (CSV)"))),
                .p(.text(t("Une livraison par ligne ; les colonnes sont les champs du formulaire de commande. ", "One delivery per line; the columns are the order form's fields. ")),
                   .a(.href("\(here)/import/template.csv"), .text(t("Télécharger le modèle", "Download the template"))),
                   .text(t(". Au plus \(DeliveryCSVImport.maximumRowsOverHTTP) lignes par envoi.", ". At most \(DeliveryCSVImport.maximumRowsOverHTTP) lines per upload."))),
                .unwrap(report) { $0.report(t) },
                .unwrap(importError) { error in .div(.class("form-errors"), .attribute(named: "role", value: "alert"), .p(.text(t(error.message)))) },
                .form(.action("\(here)/import"), .method(.post), .enctype(.multipartData),
                      .input(.type(.hidden), .name(CSRFMiddleware.field), .value(req.csrfToken)),
                      .input(.type(.hidden), .name(FormSubmissions.field), .value(FormSubmissions.newKey())),
                      .div(.class("field"), .label(.for("file"), .text(t("Fichier CSV (UTF-8, séparateur , ou ;)", "CSV file (UTF-8, separator , or ;)"))),
                           .input(.type(.file), .id("file"), .name("file"), .attribute(named: "accept", value: "text/csv,.csv"), .required(true))),
                      .button(.type(.submit), .class("primary"), .text(t("Importer", "Import"))))))
    }

    static func callStatus(_ status: String, _ t: Translator) -> String {
        switch status {
        case "sent": t("reçu", "received")
        case "pending": t("en attente d’un nouvel essai", "waiting to be tried again")
        case "failed": t("abandonné", "given up")
        case "held": t("retenu", "held")
        default: t("effacé du journal", "purged from the log")
        }
    }

    @Sendable static func createToken(_ req: Request) async throws -> Response {
        let (access, store) = try await store(req)
        let values = try req.content.decode([String: String].self)
        do {
            let made = try await DeliveryAPITokens.create(name: values["token_name"] ?? "", store: store.id, by: access.user?.id, on: req.db)
            return req.done(Localized(fr: "Jeton créé : \(made.token) — copiez-le maintenant, il ne sera plus affiché.",
                                      en: "Token made: \(made.token) — copy it now, it will not be shown again."),
                            goTo: "\(access.base)/stores/\(store.id)/connect")
        } catch {
            return try await view(req, access: access, store: store, tokenState: FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    @Sendable static func revokeToken(_ req: Request) async throws -> Response {
        let (access, store) = try await store(req)
        guard let id = req.parameters.get("token", as: UUID.self),
              try await DeliveryAPITokens.all(of: store.id, on: req.db).contains(where: { $0.id == id }) else { throw Problem.notFound }
        try await DeliveryAPITokens.revoke(id, of: store.id, on: req.db)
        return req.done(Localized(fr: "Jeton révoqué.", en: "Token revoked."), goTo: "\(access.base)/stores/\(store.id)/connect")
    }

    @Sendable static func setWebhook(_ req: Request) async throws -> Response {
        let (access, store) = try await store(req)
        let values = try req.content.decode([String: String].self)
        do {
            let secret = try await DeliveryWebhooks.set(values["webhook_url"] ?? "", for: store.id, on: req.db)
            return req.done(Localized(fr: "Webhook enregistré. Son secret : \(secret) — copiez-le maintenant, il ne sera plus affiché.",
                                      en: "Webhook saved. Its secret: \(secret) — copy it now, it will not be shown again."),
                            goTo: "\(access.base)/stores/\(store.id)/connect")
        } catch {
            return try await view(req, access: access, store: store, hookState: FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    @Sendable static func removeWebhook(_ req: Request) async throws -> Response {
        let (access, store) = try await store(req)
        try await DeliveryWebhooks.remove(for: store.id, on: req.db)
        return req.done(Localized(fr: "Plus aucun appel ne sera envoyé.", en: "No more calls will be sent."), goTo: "\(access.base)/stores/\(store.id)/connect")
    }

    struct ImportForm: Content { var file: File }

    static let noFile = DomainError(.invalid, code: "file_missing", field: "file", fr: "Choisissez un fichier CSV.", en: "Choose a CSV file.")

    @Sendable static func importCSV(_ req: Request) async throws -> Response {
        let (access, store) = try await store(req)
        guard let form = try? req.content.decode(ImportForm.self), form.file.data.readableBytes > 0 else {
            return try await view(req, access: access, store: store, importError: noFile, status: .unprocessableEntity)
        }
        let text = String(decoding: Data(buffer: form.file.data), as: UTF8.self)
        let outcome: DeliveryCSVImport.Outcome
        do {
            outcome = try await DeliveryCSVImport.run(csv: text, store: store, by: access.actor(req, channel: "import"),
                                                      maximumRows: DeliveryCSVImport.maximumRowsOverHTTP, on: req.db)
        } catch let error as DomainError {
            return try await view(req, access: access, store: store, importError: error, status: .unprocessableEntity)
        }
        // The deliveries are ordered: the report goes on a page of its own (POST → 303 → GET), so
        // reloading it shows the report again without ordering the file a second time.
        outcome.keep(in: req, store: store.id)
        return req.redirect(to: "\(access.base)/stores/\(store.id)/connect", redirectType: .normal)
    }

    @Sendable static func template(_ req: Request) async throws -> Response {
        _ = try await store(req)
        return CSVResponse.make(DeliveryCSVImport.template, filename: "livraisons-modele.csv")
    }
}
