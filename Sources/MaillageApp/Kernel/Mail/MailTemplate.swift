import Fluent
import Foundation
import Vapor

/// A mail written out when it is sent or read in the mailbox, not when its cause is written: the
/// outbox row holds only what names it (an order's id), so the transaction that causes it — a
/// checkout — adds a few bytes and formats nothing. What it names is still there when it goes:
/// the records a template reads (an order and its snapshot of the basket) are not edited after.
struct MailTemplate: Sendable {
    let name: String
    /// Writes the mail from the data `Mail.envelope(template:…)` stored, reading what it names.
    let render: @Sendable (_ data: Data, _ db: any Database) async throws -> MailContent
}

/// The payload of a templated mail: which template, with what (its own JSON).
struct TemplatedMail: Codable, Sendable {
    var template: String
    var data: String
}

enum MailTemplateError: Error, CustomStringConvertible {
    case unknown(String)
    var description: String {
        switch self { case .unknown(let name): "no mail template named \(name) in this instance" }
    }
}

extension Application {
    private struct MailTemplatesKey: StorageKey { typealias Value = [String: MailTemplate] }
    /// The modules' templates (`MaillageModule.mailTemplates`), by name.
    var mailTemplates: [String: MailTemplate] {
        get { storage[MailTemplatesKey.self] ?? [:] }
        set { storage[MailTemplatesKey.self] = newValue }
    }
}

extension MailContent {
    /// The mail a payload stands for: written as it was sent (`Mail.send`), or by its template.
    static func of(payload: String, app: Application) async throws -> MailContent {
        let bytes = Data(payload.utf8)
        if let templated = try? JSONDecoder().decode(TemplatedMail.self, from: bytes) {
            guard let template = app.mailTemplates[templated.template] else { throw MailTemplateError.unknown(templated.template) }
            return try await template.render(Data(templated.data.utf8), app.db)
        }
        return try JSONDecoder().decode(MailContent.self, from: bytes)
    }
}
