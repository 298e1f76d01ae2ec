import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/moderation`: the messages members reported, for the cooperative's staff and board.
/// They hide a message (its author is told, the thread says it was hidden) or dismiss the report.
enum ModerationPages {
    @Sendable static func queue(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req, minimum: .staff)
        let t = req.t, language = req.language
        let reports = try await ThreadStore.openReports(in: try coop.requireID(), on: req.db)
        let names = try await Modules.threadServices.names(Set(reports.flatMap { [$0.authorID, $0.reporterID] }), req.db)
        let base = "/c/\(coop.slug)/moderation"
        return Layout.page(req, title: t("Messages signalés — \(coop.name)", "Reported messages — \(coop.name)"),
            .p(.a(.href("/c/\(coop.slug)"), .text("← " + coop.name))),
            .h1(.text(t("Messages signalés", "Reported messages"))),
            .p(.text(t("Masquer un message le retire du fil pour tout le monde et prévient son auteur·e ; classer le signalement laisse le message en place.",
                       "Hiding a message takes it out of the thread for everyone and tells its author; dismissing the report leaves the message in place."))),
            reports.isEmpty ? .p(.id("no-reports"), .text(t("Aucun signalement en attente.", "No report waiting."))) : .ul(.class("reports"), .forEach(reports) { report in
                .li(.id("report-\(report.id)"),
                    .p(.strong(.text(names[report.authorID] ?? "")), .text(" — "),
                       .a(.href((Modules.threadKind(report.kind)?.path(coop.slug, report.subjectID) ?? "/c/\(coop.slug)") + "#messages"),
                          .text(t("voir le fil", "see the thread")))),
                    .blockquote(.p(.text(report.body))),
                    .p(.text(t("Signalé par \(names[report.reporterID] ?? "") le ", "Reported by \(names[report.reporterID] ?? "") on ") + DateText.short(report.at, language)
                             + t(" : ", ": ") + report.reason)),
                    .div(.class("actions"),
                        Form.post(req, action: "\(base)/\(report.id)/hide",
                                  .button(.type(.submit), .class("danger"), .text(t("Masquer le message", "Hide the message")))),
                        Form.post(req, action: "\(base)/\(report.id)/dismiss",
                                  .button(.type(.submit), .text(t("Classer le signalement", "Dismiss the report"))))))
            }))
    }

    @Sendable static func hide(_ req: Request) async throws -> Response { try await decide(req, hide: true) }
    @Sendable static func dismiss(_ req: Request) async throws -> Response { try await decide(req, hide: false) }

    private static func decide(_ req: Request, hide: Bool) async throws -> Response {
        let (coop, user, _) = try await Cooperatives.memberContext(req, minimum: .staff)
        guard let id = req.parameters.get("report", as: UUID.self) else { throw Problem.notFound }
        let coopID = try coop.requireID(), staff = try user.requireID()
        let back = "/c/\(coop.slug)/moderation"
        let decided = try await req.db.writeTransaction { db -> Bool in
            guard let (message, author) = try await ThreadStore.decide(report: id, in: coopID, hide: hide, by: staff, on: db) else { return false }
            if hide, let (_, subject) = try await ThreadStore.message(message, on: db) {
                let page = (Modules.threadKind(subject.kind)?.path(coop.slug, subject.id) ?? "/c/\(coop.slug)") + "#messages"
                try await Inbox.notify(author, Localized(fr: "L’équipe de \(coop.name) a masqué un de vos messages, signalé par un·e membre.",
                                                         en: "The staff of \(coop.name) hid one of your messages, reported by a member."),
                                       link: page, kind: .moderation, on: db)
            }
            return true
        }
        guard decided else {
            return req.done(Localized(fr: "Ce signalement était déjà traité.", en: "This report was already dealt with."), goTo: back)
        }
        return req.done(hide ? Localized(fr: "Message masqué ; son auteur·e est prévenu·e.", en: "Message hidden; its author is told.")
                             : Localized(fr: "Signalement classé ; le message reste visible.", en: "Report dismissed; the message stays visible."), goTo: back)
    }
}
