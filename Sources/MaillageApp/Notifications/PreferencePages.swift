import Fluent
import MaillageCore
import Plot
import Vapor

/// `/account/notifications`: for each kind of notice, how the person hears of it — a table of
/// radio buttons that works without JavaScript and becomes one card per kind on a phone.
enum PreferencePages {
    static let path = "/account/notifications"

    @Sendable static func show(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let preferences = try await NoticeChoices.preferences(of: user.requireID(), on: req.db)
        return page(req, preferences: preferences, state: FormState())
    }

    static func page(_ req: Request, preferences: NoticePreferences, state: FormState, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t
        let title = t("Comment être prévenu·e", "How you are told")
        return Layout.page(req, title: title, status: status,
            .h1(.text(title)),
            .p(.text(t("Tout ce qui vous concerne apparaît dans le site, sur votre compte. Choisissez en plus, pour chaque sujet, un courriel dès que ça arrive ou un résumé par jour (envoyé le matin s’il y a du nouveau).",
                       "Everything that concerns you appears in the site, on your account. For each subject you may also choose a mail as soon as it happens, or one digest a day (sent in the morning when there is something new)."))),
            Form.post(req, action: path,
                Form.summary(state, t),
                .raw(StackedTable.node(table(preferences, state: state, t)).render()),
                Form.submit(t("Enregistrer mes choix", "Save my choices"))),
            .p(.a(.href("/account"), .text(t("Retour à mon compte", "Back to my account")))))
    }

    static func table(_ preferences: NoticePreferences, state: FormState, _ t: Translator) -> Node<HTML.BodyContext> {
        .table(.class("notification-choices"),
            .caption(.text(t("Un choix par sujet", "One choice per subject"))),
            .thead(.tr(.th(.attribute(named: "scope", value: "col"), .text(t("Sujet", "Subject"))),
                       .forEach(NoticeChannel.allCases) { .th(.attribute(named: "scope", value: "col"), .text(t($0.label))) })),
            .tbody(.forEach(preferences.all) { row in
                let chosen = state.values[row.kind.rawValue].flatMap(NoticeChannel.init(rawValue:)) ?? row.channel
                return .tr(
                    .th(.attribute(named: "scope", value: "row"), .id("kind-\(row.kind.rawValue)"),
                        .text(t(row.kind.label)), .br(), .small(.text(t(row.kind.explanation)))),
                    .forEach(NoticeChannel.allCases) { channel in
                        .td(.if(row.kind.channels.contains(channel),
                            .label(.class("choice"),
                                   .input(.type(.radio), .name(row.kind.rawValue), .value(channel.rawValue), .checked(chosen == channel)),
                                   .span(.class("visually-hidden"), .text(t(row.kind.label) + " : " + t(channel.label)))),
                            else: .group(.span(.attribute(named: "aria-hidden", value: "true"), .text("—")),
                                        .span(.class("visually-hidden"), .text(t("non proposé", "not offered"))))))
                    })
            }))
    }

    struct Choices: Decodable {
        var values: [String: String]
        init(from decoder: any Decoder) throws { values = try [String: String](from: decoder) }
    }

    @Sendable static func save(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let userID = try user.requireID()
        let given = (try? req.content.decode(Choices.self).values) ?? [:]
        var preferences = try await NoticeChoices.preferences(of: userID, on: req.db)
        do {
            preferences = try apply(given, to: preferences, ignoringOthers: true)
        } catch {
            let state = try FormState(refused: error, values: given)
            return page(req, preferences: preferences, state: state, status: .unprocessableEntity)
        }
        try await NoticeChoices.save(preferences, of: userID, on: req.db)
        return req.done(Localized(fr: "Vos choix de notifications sont enregistrés.", en: "Your notification choices are saved."), goTo: path)
    }

    /// The choices sent (kind → channel) on top of the current ones. The page's form also sends
    /// its own fields (`_csrf`, `_once`): names that are no kind are skipped there, refused by the API.
    static func apply(_ given: [String: String], to current: NoticePreferences, ignoringOthers: Bool) throws -> NoticePreferences {
        var preferences = current
        var problems = ValidationErrors()
        for (name, value) in given.sorted(by: { $0.key < $1.key }) {
            guard let kind = NoticeKind(rawValue: name) else {
                if !ignoringOthers { problems.add(NoticePreferences.unknownKind(name)) }
                continue
            }
            guard let channel = NoticeChannel(rawValue: value) else {
                problems.add(NoticePreferences.unknownChannel(value, kind: name))
                continue
            }
            _ = try problems.collect { try preferences.set(channel, for: kind) }
        }
        if !problems.isEmpty { throw problems }
        return preferences
    }
}
