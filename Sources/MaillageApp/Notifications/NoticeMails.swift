import Fluent
import Foundation
import MaillageCore
import SQLKit
import Vapor

/// The mails notices become: one at once for a kind the person wants so, one digest a day for the
/// kinds they gather. Both are templates (`MailTemplate`): the outbox row names the notice or the
/// digest, and the mail is written when it goes, in the person's language, from what is stored
/// then (a name taken out of a notice by an erasure is not mailed). Each carries its one-click
/// unsubscribe link (RFC 8058).
enum NoticeMails {
    struct AtOnceData: Codable { var notice: UUID }
    struct DigestData: Codable { var digest: UUID }

    static var templates: [MailTemplate] { [atOnceTemplate, digestTemplate] }

    /// Written in the transaction of the notice.
    static func mailAtOnce(_ notice: Notice, kind: NoticeKind, on db: any Database) async throws {
        guard let person = try await User.find(notice.$user.id, on: db), person.emailConfirmed else { return }
        let t = Translator(language: language(of: person))
        try await Outbox.enqueue(try MailChannel.envelope(to: person.email, name: person.displayName,
                                                          subject: t("Notification : ", "Notification: ") + t(kind.label),
                                                          template: atOnceTemplate, data: AtOnceData(notice: try notice.requireID())), on: db)
    }

    static let atOnceTemplate = MailTemplate(name: "notifications.at-once") { data, db in
        let stored = try JSONDecoder().decode(AtOnceData.self, from: data)
        guard let notice = try await Notice.find(stored.notice, on: db), let person = try await User.find(notice.$user.id, on: db)
        else { throw Problem.notFound(Localized(fr: "Notification", en: "Notification")) }
        let kind = notice.kind.flatMap(NoticeKind.init(rawValue:)) ?? .messages
        let language = language(of: person), t = Translator(language: language)
        let base = PublicAddress.baseURL(db)
        let text = t(notice.textFR, notice.textEN)
        let unsubscribe = try unsubscribeURL(UnsubscribeLink(user: person.requireID(), kinds: [kind]), base: base)
        return MailContent(
            to: person.email, toName: person.displayName, language: language,
            subject: text.count > 120 ? String(text.prefix(119)) + "…" : text,
            greeting: t("Bonjour \(person.displayName),", "Hello \(person.displayName),"),
            paragraphs: [text],
            action: .init(label: t("Voir", "Open"), url: base + Inbox.openPath(notice)),
            footer: footer(kinds: [kind], digest: false, unsubscribe: unsubscribe, base: base, t),
            unsubscribe: unsubscribe)
    }

    static let digestTemplate = MailTemplate(name: "notifications.digest") { data, db in
        let stored = try JSONDecoder().decode(DigestData.self, from: data)
        let (person, digest) = try await DailyDigest.contents(stored.digest, on: db)
        let language = language(of: person), t = Translator(language: language)
        let base = PublicAddress.baseURL(db)
        let unsubscribe = try unsubscribeURL(UnsubscribeLink(user: person.requireID(), kinds: digest.kinds), base: base)
        var paragraphs: [String] = []
        for day in digest.days {
            let heading = DateText.longDay(day.day, language)
            paragraphs.append(heading.prefix(1).uppercased() + heading.dropFirst())
            for entry in day.entries {
                paragraphs.append("• " + DateText.time(entry.createdAt, language) + " — " + t(entry.text) + "\n  " + base + "/notifications/\(entry.id.uuidString)/open")
            }
        }
        if digest.more > 0 {
            paragraphs.append(t("… et \(digest.more) autres, dans le site.", "… and \(digest.more) more, in the site."))
        }
        let count = digest.count
        return MailContent(
            to: person.email, toName: person.displayName, language: language,
            subject: t("Votre résumé Maillage : \(count) nouveauté\(count > 1 ? "s" : "")", "Your Maillage digest: \(count) new item\(count > 1 ? "s" : "")"),
            greeting: t("Bonjour \(person.displayName),", "Hello \(person.displayName),"),
            paragraphs: [t("Voici ce qui vous concerne depuis votre dernier résumé.", "Here is what concerns you since your last digest.")] + paragraphs,
            action: .init(label: t("Tout voir dans le site", "See everything in the site"), url: base + "/account"),
            footer: footer(kinds: digest.kinds, digest: true, unsubscribe: unsubscribe, base: base, t),
            unsubscribe: unsubscribe)
    }

    static func footer(kinds: [NoticeKind], digest: Bool, unsubscribe: String, base: String, _ t: Translator) -> String {
        let names = kinds.map { "« " + $0.label.fr + " »" }.joined(separator: ", ")
        let namesEN = kinds.map { "“" + $0.label.en + "”" }.joined(separator: ", ")
        return digest
            ? t("Vous recevez ce résumé quotidien pour \(names), comme vous l’avez choisi. Ne plus le recevoir (ces notifications restent dans le site) : \(unsubscribe) — tout régler : \(base)/account/notifications",
                "You get this daily digest for \(namesEN), as you chose. Stop it (these notifications stay in the site): \(unsubscribe) — all settings: \(base)/account/notifications")
            : t("Vous recevez ce courriel parce que les notifications \(names) vous sont envoyées aussitôt. Ne plus les recevoir par courriel : \(unsubscribe) — tout régler : \(base)/account/notifications",
                "You get this mail because \(namesEN) notifications are mailed to you at once. Stop these mails: \(unsubscribe) — all settings: \(base)/account/notifications")
    }

    static func language(of person: User) -> Language {
        person.language.flatMap(Language.init(rawValue:)) ?? .fr
    }

    // MARK: One-click unsubscribe links

    static let signatureContext = "notifications.unsubscribe"

    static func token(_ link: UnsubscribeLink) throws -> String {
        link.signedText + "." + (try InstanceSeal.signature(of: link.signedText, context: signatureContext))
    }

    static func unsubscribeURL(_ link: UnsubscribeLink, base: String) throws -> String {
        base + "/unsubscribe/" + (try token(link))
    }

    /// The link a token stands for, when the instance signed it; nil for anything else.
    static func verified(_ token: String) -> UnsubscribeLink? {
        guard let parsed = UnsubscribeLink.parse(token),
              InstanceSeal.verify(parsed.signature, of: parsed.signedText, context: signatureContext) else { return nil }
        return parsed.link
    }
}
