import Fluent
import MaillageCore
import Vapor

/// Any subject's thread through the API, with the same access as its page: who may read it
/// reads it, who may write writes (and the same people are told). A program sees what the page
/// shows: hidden messages without their text, a blocked person's messages folded away.
enum ThreadAPI {
    struct Author: Content { var id: UUID; var name: String }
    struct Message: Content {
        var id: UUID
        var author: Author
        /// Absent when the staff hid the message or the reader blocked its author.
        var body: String?
        var at: Date
        var hidden: Bool
        var fromBlocked: Bool
    }
    struct Thread: Content {
        var kind: String
        var subject: UUID
        var page: String
        var canPost: Bool
        /// Why the reader cannot write, when they cannot.
        var whyNot: String?
        var messages: [Message]
    }
    struct MessageInput: Content { var body: String? }

    static func routes(_ api: any RoutesBuilder) {
        api.get("cooperatives", ":slug", "threads", ":kind", ":subject", use: show)
        api.post("cooperatives", ":slug", "threads", ":kind", ":subject", "messages", use: post)
    }

    /// The subject's access for the token's person; not found for whoever may not read it.
    private static func access(_ req: Request) async throws -> ThreadAccess {
        guard req.user?.id != nil else { throw Problem.signInRequired }
        guard let name = req.parameters.get("kind"), let kind = Modules.threadKind(name),
              let subject = req.parameters.get("subject", as: UUID.self) else { throw Problem.notFound }
        let access = try await kind.access(req, subject)
        guard access.canRead, access.slug == req.parameters.get("slug") else { throw Problem.notFound }
        return access
    }

    @Sendable static func show(_ req: Request) async throws -> Thread {
        try await thread(req, access: try await access(req))
    }

    @Sendable static func post(_ req: Request) async throws -> Response {
        let access = try await access(req)
        let input = try req.content.decode(MessageInput.self)
        guard let me = req.user?.id else { throw Problem.signInRequired }
        try await Threads.write(input.body ?? "", by: me, access: access, on: req.db)
        return try await thread(req, access: access).encodeResponse(status: .created, for: req)
    }

    private static func thread(_ req: Request, access: ThreadAccess) async throws -> Thread {
        let messages = try await ThreadStore.messages(of: access.subject, on: req.db)
        let blocked: Set<UUID> = if let me = req.user?.id { try await ThreadStore.blocked(by: me, on: req.db) } else { [] }
        let names = try await Modules.threadServices.names(Set(messages.map(\.authorID)), req.db)
        return Thread(kind: access.subject.kind, subject: access.subject.id, page: access.page, canPost: access.canPost,
                      whyNot: access.canPost ? nil : access.whyNot.map { req.t($0) },
                      messages: messages.map { message in
                          let hidden = message.hiddenAt != nil, fromBlocked = blocked.contains(message.authorID)
                          return Message(id: message.id, author: Author(id: message.authorID, name: names[message.authorID] ?? ""),
                                         body: hidden || fromBlocked ? nil : message.body, at: message.at, hidden: hidden, fromBlocked: fromBlocked)
                      })
    }

    static var openAPI: OpenAPIFragment {
        let base = "/api/v1/cooperatives/{slug}/threads/{kind}/{subject}"
        let parameters = [OAS.slug,
                          OAS.pathParameter("kind", OAS.string("What the thread is about", enum: ["loan", "offer-want", "barter-offer", "vote"])),
                          OAS.pathParameter("subject", OAS.uuid)]
        let message = OAS.object(["id": OAS.uuid, "author": OAS.object(["id": OAS.uuid, "name": OAS.string()], required: ["id", "name"]),
                                  "body": OAS.string("Absent when hidden by the staff or written by someone the reader blocked"),
                                  "at": OAS.dateTime, "hidden": ["type": "boolean"], "fromBlocked": ["type": "boolean"]],
                                 required: ["id", "author", "at", "hidden", "fromBlocked"])
        let thread = OAS.object(["kind": OAS.string(), "subject": OAS.uuid, "page": OAS.string("The subject's page on the site"),
                                 "canPost": ["type": "boolean"], "whyNot": OAS.string("Why the reader cannot write"),
                                 "messages": OAS.array(OAS.ref("ThreadMessage"))],
                                required: ["kind", "subject", "page", "canPost", "messages"])
        return OpenAPIFragment(
            paths: [
                base: ["get": OAS.operation("getThread", "A subject's thread (a loan, an offer or want, a barter offer, a vote), for who may read it",
                    tag: "Threads", secured: true, parameters: parameters, responses: OAS.ok("The thread", OAS.ref("Thread")), errorCodes: [401, 404])],
                "\(base)/messages": ["post": OAS.operation("postThreadMessage", "Write in a thread; its people are told, and those named with @",
                    tag: "Threads", secured: true, parameters: parameters, body: OAS.object(["body": OAS.string(min: 1, max: 2000)], required: ["body"]),
                    responses: OAS.ok("Posted", OAS.ref("Thread"), status: 201), errorCodes: [401, 403, 404])],
            ],
            schemas: ["Thread": thread, "ThreadMessage": message])
    }
}
