import Fluent
import MaillageCore
import Plot
import Vapor

/// What a thread is about: one thread per subject (a loan, an offer, a vote), in one cooperative.
struct ThreadSubject: Sendable, Hashable {
    let kind: String
    let id: UUID
    let cooperativeID: UUID
}

/// What the subject's module decides about its thread for the person asking. Kernel applies it
/// and knows nothing else of the subject.
struct ThreadAccess: Sendable {
    var subject: ThreadSubject
    /// The cooperative's slug, for the thread's addresses.
    var slug: String
    var canRead: Bool
    var canPost: Bool
    /// Why the person cannot write, said instead of the form.
    var whyNot: Localized? = nil
    /// Between named parties (a loan): a person blocked by one of them cannot write there.
    var isPrivate: Bool = false
    /// Told of every message (the listing's author, both sides of a loan), besides earlier writers.
    var participants: [UUID] = []
    /// The page that shows the thread; "#messages" is added.
    var page: String
    /// What the thread is about, for notices: "le prêt « Perceuse »".
    var about: Localized
    /// Who may be named with `@Prénom Nom`: the people who may read the thread.
    var mentionable: @Sendable (any Database) async throws -> [UUID] = { _ in [] }
}

/// How a module answers for its subjects' threads, so the one set of thread routes serves all.
struct ThreadKind: Sendable {
    let kind: String
    /// The access of the signed-in person to the subject's thread, in the cooperative `slug`;
    /// throws not found when the subject is not there.
    let access: @Sendable (_ req: Request, _ subject: UUID) async throws -> ThreadAccess
    /// The subject's page again, showing what was typed and what to fix.
    let page: @Sendable (_ req: Request, _ subject: UUID, _ state: FormState, _ status: HTTPResponseStatus) async throws -> Response
    /// The address of the subject's page in the cooperative `slug` (for the moderation queue).
    let path: @Sendable (_ slug: String, _ subject: UUID) -> String
}

/// How threads name people and tell them of a message (set where the modules are assembled).
struct ThreadServices: Sendable {
    let names: @Sendable (Set<UUID>, any Database) async throws -> [UUID: String]
    let notify: @Sendable (UUID, Localized, String, any Database) async throws -> Void
    /// Tells a cooperative's staff and board (a message reported to them).
    let notifyStaff: @Sendable (UUID, Localized, String, any Database) async throws -> Void
}

enum Threads {
    static let erasedBody = "(message effacé)"

    struct MessageForm: Content { var body: String? }
    struct ReportForm: Content { var reason: String? }

    static func routes(_ routes: any RoutesBuilder) {
        routes.post("c", ":slug", "threads", ":kind", ":subject", "messages", use: post)
        routes.post("c", ":slug", "thread-messages", ":message", "report", use: report)
        routes.post("c", ":slug", "thread-messages", ":message", "block", use: block)
        routes.post("c", ":slug", "thread-messages", ":message", "unblock", use: unblock)
        BlockedPeople.routes(routes)
    }

    // MARK: the thread on its subject's page

    /// The thread and its form, for the subject's page. Contact details never appear: a
    /// message shows its author's display name only.
    static func section(_ req: Request, access: ThreadAccess, state: FormState = FormState(),
                        title: Localized = Localized(fr: "Messages", en: "Messages")) async throws -> Node<HTML.BodyContext> {
        guard access.canRead else { return .empty }
        // Only the thread's own refusals: the page may hold other forms with their own.
        var errors = ValidationErrors()
        for error in state.errors.errors where error.field == "body" || error.field == "reason" { errors.add(error) }
        let state = FormState(values: state.values, errors: errors)
        let t = req.t, language = req.language
        let me = req.user?.id
        let messages = try await ThreadStore.messages(of: access.subject, on: req.db)
        let blocked: Set<UUID> = if let me { try await ThreadStore.blocked(by: me, on: req.db) } else { [] }
        let names = try await Modules.threadServices.names(Set(messages.map(\.authorID)), req.db)
        let base = "/c/\(access.slug)"
        func tools(_ message: ThreadMessage) -> Node<HTML.BodyContext> {
            guard let me, message.authorID != me, message.hiddenAt == nil else { return .empty }
            return .details(.class("thread-tools"),
                .summary(.text(t("Signaler ou bloquer", "Report or block"))),
                Form.post(req, action: "\(base)/thread-messages/\(message.id)/report",
                    .div(.class("field"),
                         .label(.for("reason-\(message.id)"), .text(t("Pourquoi signaler ce message à l’équipe ?", "Why report this message to the staff?"))),
                         .textarea(.id("reason-\(message.id)"), .name("reason"), .rows(2), .required(true))),
                    .button(.type(.submit), .text(t("Signaler", "Report")))),
                Form.post(req, action: "\(base)/thread-messages/\(message.id)/block",
                    .p(.class("hint"), .text(t("Vous ne verrez plus ses messages, et cette personne ne pourra plus vous écrire en privé.",
                                               "You will no longer see their messages, and they can no longer write to you in private."))),
                    .button(.type(.submit), .class("danger"), .text(t("Bloquer \(names[message.authorID] ?? "")", "Block \(names[message.authorID] ?? "")")))))
        }
        func item(_ message: ThreadMessage) -> Node<HTML.ListContext> {
            let head: Node<HTML.BodyContext> = .p(.strong(.text(names[message.authorID] ?? "")),
                                                  .span(.class("when"), .text(" " + DateText.short(message.at, language))))
            if message.hiddenAt != nil {
                return .li(.class("hidden"), head, .p(.em(.text(t("Message masqué par l’équipe de la coopérative.", "Message hidden by the cooperative's staff.")))))
            }
            if blocked.contains(message.authorID) {
                return .li(.class("hidden"), .p(.em(.text(t("Message d’une personne que vous avez bloquée.", "Message from someone you blocked.")))),
                    Form.post(req, action: "\(base)/thread-messages/\(message.id)/unblock",
                              .button(.type(.submit), .class("link"), .text(t("Débloquer cette personne", "Unblock this person")))))
            }
            return .li(.id("m-\(message.id)"), head, .p(.text(message.body)), tools(message))
        }
        let form: Node<HTML.BodyContext>
        if access.canPost {
            form = Form.post(req, action: "\(base)/threads/\(access.subject.kind)/\(access.subject.id)/messages",
                Form.summary(state, t),
                Form.textarea("body", label: t("Écrire un message", "Write a message"), state: state, t, rows: 3,
                              hint: t("Pour prévenir quelqu’un qui peut lire ce fil, écrivez @ suivi de son nom, par exemple @Camille Martin.",
                                      "To alert someone who can read this thread, write @ and their name, e.g. @Camille Martin.")),
                Form.submit(t("Envoyer", "Send")))
        } else {
            form = .unwrap(access.whyNot) { .p(.class("hint"), .text(t($0))) }
        }
        return .section(.class("thread"), .attribute(named: "aria-labelledby", value: "messages"),
            .h2(.id("messages"), .text(t(title))),
            messages.isEmpty ? .p(.text(t("Aucun message.", "No message."))) : .ul(.class("thread"), .forEach(messages) { item($0) }),
            blocked.isEmpty ? .empty : .p(.class("hint"), .a(.href(BlockedPeople.path), .text(t("Personnes que vous avez bloquées (\(blocked.count))",
                                                                                                 "People you blocked (\(blocked.count))")))),
            form)
    }

    // MARK: routes shared by every subject

    private static func kind(_ req: Request) throws -> ThreadKind {
        guard let name = req.parameters.get("kind"), let kind = Modules.threadKind(name) else { throw Problem.notFound }
        return kind
    }

    private static func me(_ req: Request) throws -> UUID {
        guard let id = req.user?.id else { throw Problem.signInRequired }
        return id
    }

    /// The subject's access, refused (not found) to whoever may not read the thread or asks
    /// from another cooperative's address.
    private static func readable(_ req: Request, _ kind: ThreadKind, _ subject: UUID) async throws -> ThreadAccess {
        let access = try await kind.access(req, subject)
        guard access.canRead, access.slug == req.parameters.get("slug") else { throw Problem.notFound }
        return access
    }

    static let blockedWriter = DomainError(.forbidden, code: "blocked", field: "body",
                                           fr: "Cette personne ne souhaite plus recevoir vos messages.",
                                           en: "This person no longer wishes to receive your messages.")

    @Sendable static func post(_ req: Request) async throws -> Response {
        let me = try me(req)
        let kind = try kind(req)
        guard let subject = req.parameters.get("subject", as: UUID.self) else { throw Problem.notFound }
        let access = try await readable(req, kind, subject)
        let form = try req.content.decode(MessageForm.self)
        do {
            try await write(form.body ?? "", by: me, access: access, on: req.db)
        } catch let error as DomainError where error.kind != .notFound {
            return try await kind.page(req, subject, try FormState(refused: error, values: ["body": form.body ?? ""]), error.status)
        }
        return req.done(Localized(fr: "Message envoyé.", en: "Message sent."), goTo: access.page + "#messages")
    }

    /// Writes a message and tells the thread's people: its participants and earlier writers
    /// (never the author, never who blocked the author), and those named with `@`.
    static func write(_ text: String, by author: UUID, access: ThreadAccess, on db: any Database, now: Date = Date()) async throws {
        guard access.canPost else {
            throw access.whyNot.map { DomainError(.forbidden, code: "forbidden", fr: $0.fr, en: $0.en) } ?? Problem.forbidden
        }
        let body = try ThreadRules.message(text)
        let blockers = try await ThreadStore.blockers(of: author, on: db)
        if access.isPrivate, access.participants.contains(where: { $0 != author && blockers.contains($0) }) { throw blockedWriter }
        let mentionable = try await access.mentionable(db)
        let names = try await Modules.threadServices.names(Set(mentionable + [author]), db)
        let authorName = names[author] ?? ""
        let excerpt = body.count > 80 ? String(body.prefix(80)) + "…" : body
        let link = access.page + "#messages"
        try await db.writeTransaction { db in
            let thread = try await ThreadStore.openThread(of: access.subject, at: now, on: db)
            let writers = try await ThreadStore.writers(of: thread, on: db)
            try await ThreadStore.insert(body: body, by: author, in: thread, at: now, on: db)
            let told = ThreadRules.recipients(participants: access.participants, writers: writers, author: author, blockedBy: blockers)
            for person in told {
                try await Modules.threadServices.notify(person, Localized(fr: "Message de \(authorName) sur \(access.about.fr) : « \(excerpt) »",
                                                                          en: "Message from \(authorName) on \(access.about.en): “\(excerpt)”"), link, db)
            }
            let candidates = mentionable.map { Mentions.Candidate(id: $0, name: names[$0] ?? "") }
            for person in Mentions.find(in: body, among: candidates) where person != author && !told.contains(person) && !blockers.contains(person) {
                try await Modules.threadServices.notify(person, Localized(fr: "\(authorName) vous cite sur \(access.about.fr) : « \(excerpt) »",
                                                                          en: "\(authorName) mentioned you on \(access.about.en): “\(excerpt)”"), link, db)
            }
        }
    }

    /// The message named in the address, with its subject's access for the signed-in person.
    private static func message(_ req: Request) async throws -> (ThreadMessage, ThreadAccess, ThreadKind) {
        guard let id = req.parameters.get("message", as: UUID.self), let (message, subject) = try await ThreadStore.message(id, on: req.db),
              let kind = Modules.threadKind(subject.kind)
        else { throw Problem.notFound }
        let access = try await readable(req, kind, subject.id)
        guard access.subject == subject else { throw Problem.notFound }
        return (message, access, kind)
    }

    static let ownMessage = DomainError(.invalid, code: "own_message", field: "reason", fr: "C’est votre propre message.", en: "This is your own message.")

    @Sendable static func report(_ req: Request) async throws -> Response {
        let me = try me(req)
        let (message, access, kind) = try await message(req)
        do {
            guard message.authorID != me else { throw ownMessage }
            let reason = try ThreadRules.reportReason(try req.content.decode(ReportForm.self).reason ?? "")
            try await ThreadStore.report(message.id, in: access.subject.cooperativeID, by: me, reason: reason, on: req.db)
            try await Modules.threadServices.notifyStaff(access.subject.cooperativeID,
                Localized(fr: "Un message a été signalé : « \(reason) ». À examiner dans la file de modération.",
                          en: "A message was reported: “\(reason)”. To look at in the moderation queue."),
                "/c/\(access.slug)/moderation", req.db)
        } catch let error as DomainError {
            return try await kind.page(req, access.subject.id, try FormState(refused: error, values: [:]), .unprocessableEntity)
        }
        return req.done(Localized(fr: "Message signalé à l’équipe de la coopérative, qui décidera de le masquer ou non.",
                                  en: "Message reported to the cooperative's staff, who will decide whether to hide it."), goTo: access.page + "#messages")
    }

    @Sendable static func block(_ req: Request) async throws -> Response {
        let me = try me(req)
        let (message, access, kind) = try await message(req)
        guard message.authorID != me else {
            return try await kind.page(req, access.subject.id, try FormState(refused: ownMessage, values: [:]), .unprocessableEntity)
        }
        try await ThreadStore.block(message.authorID, by: me, on: req.db)
        return req.done(Localized(fr: "Personne bloquée : vous ne verrez plus ses messages.", en: "Person blocked: you will no longer see their messages."),
                        goTo: access.page + "#messages")
    }

    @Sendable static func unblock(_ req: Request) async throws -> Response {
        let me = try me(req)
        let (message, access, _) = try await message(req)
        try await ThreadStore.unblock(message.authorID, by: me, on: req.db)
        return req.done(Localized(fr: "Personne débloquée.", en: "Person unblocked."), goTo: access.page + "#messages")
    }
}
