import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/carpool/communities`: the cooperative's communities (a company, a school, an
/// event), joining and leaving one, and for its managers the people waiting for an answer.
/// Staff create communities and manage them all; a community's creator is its first manager.
enum CarpoolCommunityPages {
    struct CommunityForm: Content {
        var name: String?
        var description: String?
        var joining: String?
        var domains: String?
        var addresses: String?

        var draft: CommunityDraft {
            CommunityDraft(name: name ?? "", description: description ?? "", joining: joining ?? "", domains: domains ?? "", addresses: addresses ?? "")
        }
        var values: [String: String] {
            ["name": name ?? "", "description": description ?? "", "joining": joining ?? "", "domains": domains ?? "", "addresses": addresses ?? ""]
        }
    }

    static func pages(_ routes: any RoutesBuilder) {
        routes.get("c", ":slug", "carpool", "communities", use: list)
        routes.get("c", ":slug", "carpool", "communities", ":id", use: show)
        let members = routes.grouped(RequireLoginMiddleware()).grouped("c", ":slug", "carpool", "communities")
        members.post(use: create)
        members.post(":id", "join", use: join)
        members.get(":id", "leave", use: leaveQuestion)
        members.post(":id", "leave", use: leave)
        members.post(":id", "people", ":person", ":answer", use: answer)
        members.get(":id", "close", use: closeQuestion)
        members.post(":id", "close", use: close)
    }

    static func statusLabel(_ status: String?) -> Localized? {
        switch status {
        case "manager": Localized(fr: "Vous gérez cette communauté", en: "You manage this community")
        case "member": Localized(fr: "Vous en faites partie", en: "You are a member")
        case "waiting": Localized(fr: "Votre demande attend une réponse", en: "Your request is waiting for an answer")
        default: nil
        }
    }

    @Sendable static func list(_ req: Request) async throws -> Response {
        try await listView(req, access: try await CarpoolAccess(req), state: FormState(values: ["joining": CommunityJoining.open.rawValue]))
    }

    static func listView(_ req: Request, access: CarpoolAccess, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, base = access.base
        let communities = try await CarpoolCommunities.all(in: access.coopID, on: req.db)
        let counts = try await CarpoolCommunities.counts(in: access.coopID, on: req.db)
        let mine = try await CarpoolCommunities.statuses(of: access.isMember ? access.user?.id : nil, on: req.db)
        return Layout.page(req, title: t("Communautés — \(access.coop.name)", "Communities — \(access.coop.name)"), status: status,
            .p(.a(.href(base), .text("← " + t("Covoiturage", "Carpooling")))),
            .h1(.text(t("Communautés", "Communities"))),
            .p(.class("lead"), .text(t("Une entreprise, une école, un événement : les trajets publiés pour une communauté ne sont vus que par ses membres.",
                                       "A company, a school, an event: rides published for a community are seen by its members only."))),
            communities.isEmpty ? .p(.text(t("Aucune communauté pour l’instant.", "No community yet."))) : .ul(.class("cards"), .forEach(communities) { community in
                .li(.class("card"), .article(
                    .h2(.a(.href("\(base)/communities/\(community.id)"), .text(community.name))),
                    .p(.class("meta"), .text([t(community.mode.label), t.count(counts[community.id] ?? 0, "membre", "membres", "member", "members"),
                                              statusLabel(mine[community.id]).map { t($0) }].compactMap { $0 }.joined(separator: " · "))),
                    community.description.isEmpty ? .empty : .p(.text(community.description))))
            }),
            access.isStaff ? createForm(req, access: access, state: state) : .empty)
    }

    static func createForm(_ req: Request, access: CarpoolAccess, state: FormState) -> Node<HTML.BodyContext> {
        let t = req.t
        return .section(.attribute(named: "aria-labelledby", value: "new-community"),
            .h2(.id("new-community"), .text(t("Créer une communauté", "Create a community"))),
            Form.post(req, action: "\(access.base)/communities",
                Form.summary(state, t),
                Form.field("name", label: t("Nom", "Name"), state: state, t),
                Form.textarea("description", label: t("Description", "Description"), state: state, t, rows: 3, required: false),
                Form.select("joining", label: t("Qui peut la rejoindre", "Who may join"), state: state, t,
                            options: CommunityJoining.allCases.map { ($0.rawValue, t($0.label)) }),
                Form.field("domains", label: t("Domaines des adresses", "Address domains"), state: state, t, required: false,
                           hint: t("Pour « Adresses d’un domaine » : par exemple chantiers.fr, séparés par des virgules.",
                                   "For “Addresses of a domain”: for example chantiers.fr, separated by commas.")),
                Form.textarea("addresses", label: t("Adresses admises", "Addresses allowed"), state: state, t, rows: 3, required: false,
                              hint: t("Pour « Adresses d’une liste » : une adresse par ligne.", "For “Addresses on a list”: one address per line.")),
                Form.submit(t("Créer la communauté", "Create the community"))))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let form = try req.content.decode(CommunityForm.self)
        do {
            let id = try await CarpoolCommunities.create(form.draft, by: try access.memberID(), in: access.coopID, on: req.db)
            return req.done(Localized(fr: "Communauté créée.", en: "Community created."), goTo: "\(access.base)/communities/\(id)")
        } catch {
            return try await listView(req, access: access, state: try FormState(refused: error, values: form.values),
                                      status: (error as? DomainError)?.status ?? .unprocessableEntity)
        }
    }

    /// Whether the reader manages `community`: its managers, and the cooperative's staff.
    static func manages(_ access: CarpoolAccess, _ status: String?) -> Bool { access.isStaff || (access.isMember && status == "manager") }

    @Sendable static func show(_ req: Request) async throws -> Response {
        try await showView(req, access: try await CarpoolAccess(req))
    }

    /// The community's page; `problem` is a refused join, leave or answer, said at the top.
    static func showView(_ req: Request, access: CarpoolAccess, problem: DomainError? = nil) async throws -> Response {
        let t = req.t, base = access.base, language = req.language
        let community = try await CarpoolCommunities.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let people = try await CarpoolCommunities.members(of: community.id, on: req.db)
        let mine = access.isMember ? people.first { $0.user_id == access.user?.id }?.status : nil
        let manages = manages(access, mine)
        let names = manages ? try await CarpoolAccess.names(Set(people.map(\.user_id)), on: req.db) : [:]
        let path = "\(base)/communities/\(community.id)"
        let rule: String = switch community.mode {
        case .open: t("Tout membre de la coopérative peut la rejoindre.", "Any member of the cooperative may join.")
        case .approval: t("Les responsables acceptent chaque demande.", "Its managers accept each request.")
        case .domain: t("Pour les adresses en ", "For addresses at ") + community.domainList.map { "@" + $0 }.joined(separator: ", ")
            + t(" (l’adresse de votre compte, confirmée).", " (your account's address, confirmed).")
        case .list: t("Pour les adresses de sa liste (l’adresse de votre compte, confirmée).", "For the addresses on its list (your account's address, confirmed).")
        }
        let why = access.isMember ? Node<HTML.BodyContext>.empty
            : try await MembersOnly.why(req, coop: access.coop, action: Localized(fr: "rejoindre une communauté", en: "join a community"))
        return Layout.page(req, title: community.name + " — " + access.coop.name, status: problem?.status ?? .ok,
            .p(.a(.href("\(base)/communities"), .text("← " + t("Communautés", "Communities")))),
            .h1(.text(community.name)),
            .unwrap(problem) { .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t($0.message))) },
            community.description.isEmpty ? .empty : .p(.class("keep-lines"), .text(community.description)),
            .p(.text(rule)),
            .p(.text(t.count(people.filter { $0.status != "waiting" }.count, "membre", "membres", "member", "members"))),
            .unwrap(statusLabel(mine)) { .p(.class("notice"), .text(t($0))) },
            why,
            access.isMember && mine == nil ? Form.post(req, action: "\(path)/join",
                Form.submit(community.mode == .approval ? t("Demander à rejoindre", "Ask to join") : t("Rejoindre", "Join"))) : .empty,
            mine != nil ? .p(.class("actions"), Confirmation.ask(mine == "waiting" ? t("Retirer ma demande", "Withdraw my request") : t("Quitter la communauté", "Leave the community"),
                                                                 at: "\(path)/leave")) : .empty,
            manages ? peopleSection(req, people: people, names: names, path: path, language: language) : .empty,
            access.isStaff ? .p(.class("actions"), Confirmation.ask(t("Fermer la communauté", "Close the community"), at: "\(path)/close")) : .empty)
    }

    static func peopleSection(_ req: Request, people: [CommunityMemberRow], names: [UUID: String], path: String, language: Language) -> Node<HTML.BodyContext> {
        let t = req.t
        let waiting = people.filter { $0.status == "waiting" }, inside = people.filter { $0.status != "waiting" }
        return .group(
            waiting.isEmpty ? .empty : .section(.attribute(named: "aria-labelledby", value: "waiting"),
                .h2(.id("waiting"), .text(t("Demandes en attente", "Waiting requests"))),
                .ul(.forEach(waiting) { person in
                    let name = names[person.user_id] ?? ""
                    return .li(.text(name + " — " + DateText.short(person.joined_at, language) + " "),
                        Form.post(req, action: "\(path)/people/\(person.user_id)/approve",
                                  .button(.type(.submit), .attribute(named: "aria-label", value: t("Accepter \(name)", "Accept \(name)")), .text(t("Accepter", "Accept")))),
                        Form.post(req, action: "\(path)/people/\(person.user_id)/decline",
                                  .button(.type(.submit), .attribute(named: "aria-label", value: t("Refuser \(name)", "Decline \(name)")), .text(t("Refuser", "Decline")))))
                })),
            .section(.attribute(named: "aria-labelledby", value: "people"),
                .h2(.id("people"), .text(t("Membres de la communauté", "Community members"))),
                .ul(.forEach(inside) { person in
                    .li(.text((names[person.user_id] ?? "") + (person.status == "manager" ? t(" (responsable)", " (manager)") : "")))
                })))
    }

    @Sendable static func join(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let user = try req.requireUser()
        let community = try await CarpoolCommunities.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let outcome: CommunityJoining.Outcome
        do {
            outcome = try await CarpoolCommunities.join(community, person: try access.memberID(), email: user.email, emailConfirmed: user.emailConfirmed,
                                                        slug: access.coop.slug, on: req.db)
        } catch let error as DomainError {
            return try await showView(req, access: access, problem: error)
        }
        return req.done(outcome == .joined ? Localized(fr: "Vous avez rejoint « \(community.name) ».", en: "You joined “\(community.name)”.")
                                           : Localized(fr: "Demande envoyée aux responsables.", en: "Request sent to the managers."),
                        goTo: "\(access.base)/communities/\(community.id)")
    }

    @Sendable static func leaveQuestion(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let t = req.t
        let community = try await CarpoolCommunities.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let path = "\(access.base)/communities/\(community.id)"
        return Confirmation.page(req, title: t("Quitter « \(community.name) » ?", "Leave “\(community.name)”?"),
            consequences: [t("Vous ne verrez plus les trajets réservés à cette communauté.", "You will no longer see the rides kept for this community."),
                           community.mode == .approval ? t("Pour revenir, il faudra de nouveau l’accord des responsables.", "To come back you will need the managers' approval again.")
                                                       : t("Vous pourrez la rejoindre de nouveau.", "You may join it again.")],
            action: "\(path)/leave", button: t("Quitter la communauté", "Leave the community"), back: path)
    }

    @Sendable static func leave(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let community = try await CarpoolCommunities.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let path = "\(access.base)/communities/\(community.id)"
        guard req.isConfirmed else { return req.askFirst("\(path)/leave") }
        do {
            try await CarpoolCommunities.leave(community, person: try access.memberID(), on: req.db)
        } catch let error as DomainError {
            return try await showView(req, access: access, problem: error)
        }
        return req.done(Localized(fr: "Vous avez quitté « \(community.name) ».", en: "You left “\(community.name)”."), goTo: path)
    }

    @Sendable static func answer(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true)
        let community = try await CarpoolCommunities.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let mine = try await CarpoolCommunities.statuses(of: try access.memberID(), on: req.db)[community.id]
        guard manages(access, mine) else { throw Problem.forbidden }
        guard let person = req.parameters.get("person", as: UUID.self), let answer = req.parameters.get("answer"),
              ["approve", "decline"].contains(answer) else { throw Problem.notFound(CarpoolCommunities.word) }
        do {
            try await CarpoolCommunities.answer(community, person: person, approve: answer == "approve", slug: access.coop.slug, on: req.db)
        } catch let error as DomainError {
            return try await showView(req, access: access, problem: error)
        }
        return req.done(answer == "approve" ? Localized(fr: "Demande acceptée.", en: "Request accepted.") : Localized(fr: "Demande refusée.", en: "Request declined."),
                        goTo: "\(access.base)/communities/\(community.id)")
    }

    @Sendable static func closeQuestion(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let t = req.t
        let community = try await CarpoolCommunities.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let path = "\(access.base)/communities/\(community.id)"
        return Confirmation.page(req, title: t("Fermer « \(community.name) » ?", "Close “\(community.name)”?"),
            consequences: [t("La communauté disparaît des listes et ses membres la quittent.", "The community leaves the lists and its members leave it."),
                           t("Les trajets publiés pour elle ne sont plus vus que par leurs auteur·es.", "Rides published for it are then seen by their authors only.")],
            action: "\(path)/close", button: t("Fermer la communauté", "Close the community"), back: path)
    }

    @Sendable static func close(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req, member: true, minimum: .staff)
        let community = try await CarpoolCommunities.find(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        guard req.isConfirmed else { return req.askFirst("\(access.base)/communities/\(community.id)/close") }
        try await CarpoolCommunities.close(community.id, in: access.coopID, on: req.db)
        return req.done(Localized(fr: "Communauté fermée.", en: "Community closed."), goTo: "\(access.base)/communities")
    }
}
