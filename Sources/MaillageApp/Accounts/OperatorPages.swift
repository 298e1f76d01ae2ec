import Fluent
import MaillageCore
import Plot
import Vapor

/// The operators' desk: the mailbox (mail kept when no mail server is set) and what the outbox
/// could not deliver, with each attempt and a way to send it again.
enum OperatorPages {
    @Sendable static func desk(_ req: Request) async throws -> Response {
        let t = req.t
        let counts = try await OutboxQueries.counts(on: req.db)
        let failed = try await OutboxQueries.list([.failed], on: req.db)
        let pending = try await OutboxQueries.list([.pending], limit: 50, on: req.db)
        let smtpSet = req.application.maillage.mail.smtp != nil
        return Layout.page(req, title: t("Exploitation de l’instance", "Running the instance"),
            .h1(.text(t("Exploitation de l’instance", "Running the instance"))),
            .p(.text(smtpSet
                ? t("Les courriels partent par le serveur de courriel configuré (SMTP_URL).", "Mail goes out through the configured mail server (SMTP_URL).")
                : t("Aucun serveur de courriel n’est configuré (SMTP_URL) : les courriels sont gardés dans la boîte ci-dessous, sans être envoyés.",
                    "No mail server is configured (SMTP_URL): mail is kept in the mailbox below, not sent."))),
            .ul(
                .li(.a(.href("/operators/mailbox"), .text(t("Boîte aux lettres de l’instance", "The instance's mailbox"))),
                    .text(" — " + t.count(counts[.held] ?? 0, "courriel gardé", "courriels gardés", "mail kept", "mails kept"))),
                .li(.text(t("En attente d’envoi : ", "Waiting to be sent: ") + "\(counts[.pending] ?? 0)")),
                .li(.text(t("Envoyés (gardés 30 jours, sans leur contenu) : ", "Sent (kept 30 days, without their content): ") + "\(counts[.sent] ?? 0)")),
                .li(.text(t("En échec : ", "Failed: ") + "\(counts[.failed] ?? 0)"))
            ),
            .h2(.id("failed"), .text(t("Envois en échec", "Failed deliveries"))),
            failed.isEmpty ? .p(.text(t("Aucun.", "None."))) : table(req, failed, retry: true),
            .h2(.text(t("En attente ou en nouvel essai", "Waiting or being retried"))),
            pending.isEmpty ? .p(.text(t("Aucun.", "None."))) : table(req, pending, retry: false)
        )
    }

    @Sendable static func mailbox(_ req: Request) async throws -> Response {
        let t = req.t
        let held = try await OutboxQueries.list([.held, .pending, .sent], channel: MailChannel.channelName, limit: 200, on: req.db)
        return Layout.page(req, title: t("Boîte aux lettres de l’instance", "The instance's mailbox"),
            .h1(.text(t("Boîte aux lettres de l’instance", "The instance's mailbox"))),
            .p(.text(t("Les courriels de l’instance, les plus récents d’abord. Sans serveur de courriel, ils restent ici : c’est là qu’on lit un lien de mot de passe oublié sur une installation de démonstration.",
                       "The instance's mail, newest first. Without a mail server it stays here: this is where a forgotten-password link is read on a demo install."))),
            held.isEmpty ? .p(.text(t("Aucun courriel.", "No mail."))) : table(req, held, retry: false)
        )
    }

    @Sendable static func message(_ req: Request) async throws -> Response {
        let t = req.t
        guard let id = req.parameters.get("id", as: UUID.self), let (row, payload) = try await OutboxQueries.find(id, on: req.db)
        else { throw Problem.notFound }
        let attempts = try await OutboxQueries.attempts(of: id, on: req.db)
        let mail = row.channel == MailChannel.channelName ? try? await MailContent.of(payload: payload, app: req.application) : nil
        return Layout.page(req, title: row.summary,
            .h1(.text(row.summary)),
            .dl(
                .dt(.text(t("À", "To"))), .dd(.text(row.destination)),
                .dt(.text(t("État", "Status"))), .dd(.text(statusLabel(row.status, t))),
                .dt(.text(t("Écrit le", "Written on"))), .dd(.text(DateText.short(row.created_at, req.language)))
            ),
            .unwrap(mail) { mail in
                .section(.attribute(named: "aria-label", value: t("Contenu du courriel", "Mail content")),
                         .pre(.class("mail-text"), .text(mail.text)))
            },
            .if(mail == nil && row.status == OutboxStatus.sent.rawValue,
                .p(.text(t("Le contenu d’un message envoyé n’est pas gardé.", "The content of a sent message is not kept.")))),
            .h2(.text(t("Tentatives", "Attempts"))),
            attempts.isEmpty ? .p(.text(t("Aucune tentative pour l’instant.", "No attempt yet."))) : StackedTable.node(.table(
                .thead(.tr(.th(.text(t("Quand", "When"))), .th(.text(t("Résultat", "Outcome"))), .th(.text(t("Détail", "Detail"))))),
                .tbody(.forEach(attempts) { attempt in
                    .tr(.td(.text(DateText.short(attempt.attempted_at, req.language))), .td(.text(attempt.outcome)), .td(.text(attempt.detail)))
                })
            )),
            .p(.a(.href("/operators"), .text(t("Retour", "Back"))))
        )
    }

    @Sendable static func retry(_ req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        try await OutboxQueries.retry(id, on: req.db)
        return req.done(Localized(fr: "Message remis en file : il repart au prochain passage.", en: "Message queued again: it goes out on the next round."),
                        goTo: "/operators#failed")
    }

    static func statusLabel(_ status: String, _ t: Translator) -> String {
        switch OutboxStatus(rawValue: status) {
        case .pending: t("en attente", "waiting")
        case .held: t("gardé (non envoyé)", "kept (not sent)")
        case .sent: t("envoyé", "sent")
        case .failed: t("en échec", "failed")
        case nil: status
        }
    }

    static func table(_ req: Request, _ rows: [OutboxQueries.Row], retry: Bool) -> Node<HTML.BodyContext> {
        let t = req.t
        return StackedTable.node(.table(
            .thead(.tr(.th(.text(t("Écrit le", "Written on"))), .th(.text(t("À", "To"))), .th(.text(t("Objet", "Subject"))),
                       .th(.text(t("État", "Status"))), .th(.text(t("Essais", "Attempts"))),
                       .if(retry, .th(.text(t("Action", "Action")))))),
            .tbody(.forEach(rows) { row in
                .tr(.td(.text(DateText.short(row.created_at, req.language))), .td(.text(row.destination)),
                    .td(.a(.href("/operators/outbox/\(row.id.uuidString)"), .text(row.summary))),
                    .td(.text(statusLabel(row.status, t) + (row.last_error.map { " — " + $0 } ?? ""))), .td(.text("\(row.attempts)")),
                    .if(retry, .td(Form.post(req, action: "/operators/outbox/\(row.id.uuidString)/retry",
                                             .button(.type(.submit), .text(t("Renvoyer", "Send again")))))))
            })
        ))
    }
}
