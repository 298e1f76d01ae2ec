import Fluent
import MaillageCore
import Plot
import Vapor

/// The people a person blocked, in one list, each with its way back: a block made under one
/// message is otherwise only undone from a message of that person, which may be long gone.
enum BlockedPeople {
    static let path = "/account/blocks"

    static func routes(_ routes: any RoutesBuilder) {
        routes.get("account", "blocks", use: page)
        routes.post("account", "blocks", ":person", "unblock", use: unblock)
    }

    @Sendable static func page(_ req: Request) async throws -> Response {
        let t = req.t
        guard let me = req.user?.id else { return req.redirect(to: "/login?next=%2Faccount%2Fblocks") }
        let blocked = try await ThreadStore.blocked(by: me, on: req.db)
        let names = try await Modules.threadServices.names(blocked, req.db)
        let people = blocked.map { (id: $0, name: names[$0] ?? "") }.sorted { SearchText.sortKey($0.name) < SearchText.sortKey($1.name) }
        return Layout.page(req, title: t("Personnes bloquées", "Blocked people"),
            .p(.a(.href("/account"), .text("← " + t("Mon compte", "My account")))),
            .h1(.text(t("Personnes bloquées", "Blocked people"))),
            .p(.text(t("Vous ne voyez pas leurs messages, et elles ne peuvent pas vous écrire en privé (un prêt, par exemple). Elles ne savent pas que vous les avez bloquées.",
                       "You do not see their messages, and they cannot write to you in private (a loan, for instance). They are not told you blocked them."))),
            people.isEmpty
                ? .p(.id("no-blocks"), .text(t("Vous n’avez bloqué personne.", "You have not blocked anyone.")))
                : .ul(.class("blocked-people"), .forEach(people) { person in
                    .li(.class("inline"), .span(.text(person.name)),
                        Form.post(req, action: "\(path)/\(person.id)/unblock",
                                  .button(.type(.submit), .text(t("Débloquer \(person.name)", "Unblock \(person.name)")))))
                }))
    }

    @Sendable static func unblock(_ req: Request) async throws -> Response {
        guard let me = req.user?.id else { throw Problem.signInRequired }
        guard let person = req.parameters.get("person", as: UUID.self) else { throw Problem.notFound }
        try await ThreadStore.unblock(person, by: me, on: req.db)
        return req.done(Localized(fr: "Personne débloquée.", en: "Person unblocked."), goTo: path)
    }
}
