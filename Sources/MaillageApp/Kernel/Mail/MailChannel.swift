import Fluent
import Foundation
import MaillageCore
import Plot
import Vapor

/// What a module asks to mail: words in the person's language, and at most one thing to do
/// (a link), written once and sent as text and as HTML.
struct MailContent: Sendable, Codable, Equatable {
    var to: String
    var toName: String?
    var language: Language
    var subject: String
    var greeting: String
    var paragraphs: [String]
    var action: Action?
    /// Said last, in small type: why the person gets this mail.
    var footer: String
    /// A receipt's lines (what was bought and for how much), after the paragraphs; a line with
    /// `total` set closes them, in bold.
    var items: [Item]?
    /// The one-click unsubscribe address of a notification mail (RFC 8058): sent as the
    /// `List-Unsubscribe` and `List-Unsubscribe-Post` headers, so a mail program offers the button.
    var unsubscribe: String? = nil

    struct Action: Sendable, Codable, Equatable {
        var label: String
        var url: String
    }

    struct Item: Sendable, Codable, Equatable {
        var label: String
        var amount: String
        var total: Bool? = nil
    }

    var text: String {
        var parts = [greeting] + paragraphs
        if let items, !items.isEmpty { parts.append(items.map { $0.label + (language == .fr ? " : " : ": ") + $0.amount }.joined(separator: "\n")) }
        if let action { parts.append(action.label + (language == .fr ? " :\n" : ":\n") + action.url) }
        parts.append("-- \n" + footer)
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// Plot escapes every text: a name or a title typed by someone cannot become markup.
    var html: String {
        HTML(
            .attribute(named: "lang", value: language.rawValue),
            .head(.meta(.charset(.utf8)), .title(subject)),
            .body(
                .p(.text(greeting)),
                .forEach(paragraphs) { .p(.text($0)) },
                .unwrap(items) { items in
                    .table(.style("border-collapse:collapse"), .forEach(items) { item in
                        .tr(.td(.style("padding:.2em 1em .2em 0"), item.total == true ? .strong(.text(item.label)) : .text(item.label)),
                            .td(.style("text-align:right;white-space:nowrap"), item.total == true ? .strong(.text(item.amount)) : .text(item.amount)))
                    })
                },
                .unwrap(action) { action in
                    .p(.a(.href(action.url), .style("display:inline-block;padding:.6em 1em;background:#1d5e3a;color:#fff;text-decoration:none;border-radius:4px"),
                          .text(action.label)))
                },
                .unwrap(action) { action in .p(.small(.text(action.url))) },
                .hr(),
                .p(.small(.text(footer)))
            )
        ).render()
    }
}

/// The mail channel. With `SMTP_URL` set, each message goes to that server; without it, mail
/// stays in the outbox, held for the operators' mailbox page, so every flow (a password link,
/// a confirmation) works on a fresh install and in the demo.
struct MailChannel: OutboxChannel {
    let name = MailChannel.channelName
    static let channelName = "mail"
    /// Two mails at a time to one domain: polite to small hosts, enough for a cooperative's volume.
    let perDestinationLimit = 2
    let smtp: SMTPConfiguration?
    let sender: MailAddress

    /// Without a server every mail is held for the mailbox: the outbox writes it so at once.
    var holdsEverything: Bool { smtp == nil }

    /// The envelope a module writes in its transaction.
    static func envelope(_ content: MailContent) throws -> OutboxEnvelope {
        let payload = String(decoding: try JSONEncoder().encode(content), as: UTF8.self)
        return try envelope(to: content.to, name: content.toName, subject: content.subject, payload: payload)
    }

    /// The envelope of a mail its template writes out when it goes: `data` names what it reads.
    static func envelope(to email: String, name: String?, subject: String, template: MailTemplate, data: some Encodable) throws -> OutboxEnvelope {
        let payload = TemplatedMail(template: template.name, data: String(decoding: try JSONEncoder().encode(data), as: UTF8.self))
        return try envelope(to: email, name: name, subject: subject, payload: String(decoding: try JSONEncoder().encode(payload), as: UTF8.self))
    }

    private static func envelope(to email: String, name: String?, subject: String, payload: String) throws -> OutboxEnvelope {
        let address: MailAddress
        do { address = try MailAddress(email, displayName: name) } catch {
            // An address the site accepted but mail cannot carry (a quote, a letter outside ASCII).
            throw DomainError(.invalid, code: "invalid_email", field: "email",
                              fr: "Aucun courriel ne peut partir vers cette adresse ; vérifiez-la.",
                              en: "No mail can be sent to this address; check it.")
        }
        return OutboxEnvelope(channel: channelName, destination: address.address, destinationKey: address.domain.lowercased(),
                              summary: subject, payload: payload, signer: nil)
    }

    /// The mail as it goes: its Message-ID is made from the outbox row, so a resend is the same mail.
    func message(for row: OutboxMessage, content: MailContent) throws -> MailMessage {
        MailMessage(from: sender, to: [try MailAddress(content.to, displayName: content.toName)], subject: content.subject,
                           text: content.text, html: content.html, language: content.language,
                           messageID: MailMessage.messageID(unique: row.id.uuidString.lowercased(), from: sender),
                           date: row.createdAt, headers: [.init("Auto-Submitted", "auto-generated")] + Self.unsubscribeHeaders(content.unsubscribe))
    }

    /// RFC 8058: the address to POST `List-Unsubscribe=One-Click` to, and the header saying so.
    static func unsubscribeHeaders(_ url: String?) -> [MailMessage.Header] {
        guard let url else { return [] }
        return [.init("List-Unsubscribe", "<\(url)>"), .init("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
    }

    func deliver(_ row: OutboxMessage, app: Application) async -> DeliveryOutcome {
        // Held mail is written out when an operator opens it, not here: the sender shares the
        // machine with the requests that wrote the mail.
        guard let smtp else { return .held("no SMTP_URL: kept for the operators' mailbox") }
        let content: MailContent
        do { content = try await MailContent.of(payload: row.payload, app: app) }
        catch is DecodingError { return .permanentFailure("the mail cannot be read: its payload is not a mail") }
        catch let error as MailTemplateError { return .permanentFailure(error.description) }
        // What a template reads may be out of reach for a moment (the database): tried again later.
        catch { return .transientFailure("the mail cannot be written yet: \(error)") }
        let message: MailMessage
        do { message = try self.message(for: row, content: content) } catch { return .permanentFailure("the mail cannot be written: \(error)") }
        do {
            let client = try SMTPClient(smtp)
            try await client.send(message)
            return .delivered("accepted by \(smtp.host)")
        } catch let error as SMTPError {
            return error.isPermanent ? .permanentFailure(error.description) : .transientFailure(error.description)
        } catch {
            return .transientFailure(String(describing: error))
        }
    }

    /// From the environment: `SMTP_URL`, `MAIL_FROM`, `SMTP_CA_FILE`. Without `MAIL_FROM`, mail is
    /// signed `no-reply@` the host of `BASE_URL` (or `localhost`).
    /// Mail kept for the mailbox, signed as the instance: the default of tests and fresh installs.
    static let held = MailChannel(smtp: nil, sender: try! MailAddress("no-reply@localhost.localdomain", displayName: "Maillage"))

    static func fromEnvironment(_ env: [String: String], baseURL: String?) throws -> MailChannel {
        let smtp: SMTPConfiguration?
        do { smtp = try SMTPConfiguration.fromEnvironment(env) } catch { throw Abort(.internalServerError, reason: error.description) }
        if let smtp { return MailChannel(smtp: smtp, sender: smtp.sender) }
        let host = baseURL.flatMap { URLComponents(string: $0)?.host } ?? "localhost"
        let fallback = "Maillage <no-reply@\(host.contains(".") ? host : "localhost.localdomain")>"
        let from = env["MAIL_FROM"].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
        do { return MailChannel(smtp: nil, sender: try MailAddress(parsing: from)) }
        catch { return MailChannel(smtp: nil, sender: try MailAddress(parsing: fallback)) }
    }
}

/// How modules send mail: `Mail.send(content, on: tx)` in the transaction of what causes it.
enum Mail {
    static func send(_ content: MailContent, on db: any Database) async throws {
        try await Outbox.enqueue(try MailChannel.envelope(content), on: db)
    }
}
