import Fluent
import MaillageCore
import Plot
import Vapor

/// The board's desk: approve or decline requests, manage roles. Staff can read it.
enum ManagePages {
    @Sendable static func show(_ req: Request) async throws -> Response {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        let me = try await Cooperatives.require(.staff, try req.requireUser(), in: coop, on: req.db)
        return try await view(req, coop: coop, me: me, problem: nil)
    }

    @Sendable static func decide(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        let approve = req.parameters.get("decision") == "approve"
        guard approve || req.parameters.get("decision") == "decline" else { throw Problem.notFound }
        do {
            _ = try await Joining.decide(id, approve: approve, by: user, coop: coop, on: req.db)
            return req.done(approve ? Localized(fr: "Demande acceptée : la personne est sociétaire.", en: "Request approved: the person is a member.")
                                    : Localized(fr: "Demande refusée.", en: "Request declined."), goTo: "/c/\(coop.slug)/manage")
        } catch let error as DomainError where error.kind == .conflict {
            let me = try await Cooperatives.require(.staff, user, in: coop, on: req.db)
            return try await view(req, coop: coop, me: me, problem: error, status: .conflict)
        }
    }

    @Sendable static func changeRole(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        struct RoleForm: Content { var role: String? }
        let form = try req.content.decode(RoleForm.self)
        do {
            guard let role = MemberRole(rawValue: form.role ?? "") else {
                throw DomainError(.invalid, code: "invalid_role", field: "role", fr: "Rôle inconnu.", en: "Unknown role.")
            }
            _ = try await Joining.changeRole(id, to: role, by: user, coop: coop, on: req.db)
            return req.done(Localized(fr: "Rôle changé.", en: "Role changed."), goTo: "/c/\(coop.slug)/manage#members")
        } catch let error as DomainError where error.kind == .conflict || error.kind == .invalid {
            let me = try await Cooperatives.require(.staff, user, in: coop, on: req.db)
            return try await view(req, coop: coop, me: me, problem: error, status: .unprocessableEntity)
        }
    }

    /// Staff recording a member's departure (announced by letter, at the assembly): first the
    /// question, which says what the departure does and asks for the reason.
    @Sendable static func departureQuestion(_ req: Request) async throws -> Response {
        let (coop, me, member) = try await departureParties(req)
        return try departurePage(req, coop: coop, me: me, member: member, reason: "", problem: nil)
    }

    @Sendable static func recordDeparture(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let (coop, me, member) = try await departureParties(req)
        let memberID = try member.requireID()
        guard req.isConfirmed else { return req.askFirst("/c/\(coop.slug)/members/\(memberID)/leave") }
        let reason = (try? req.content.get(String.self, at: "reason")) ?? ""
        do {
            try await Leaving.leave(memberID, by: user, reason: reason, coop: coop, on: req.db)
            return req.done(Localized(fr: "Départ de \(member.user.displayName) enregistré ; la raison lui a été envoyée.",
                                      en: "\(member.user.displayName)'s departure recorded; the reason was sent to them."),
                            goTo: "/c/\(coop.slug)/manage#members")
        } catch let error as DomainError where error.kind == .invalid {
            return try departurePage(req, coop: coop, me: me, member: member, reason: reason, problem: error, status: .unprocessableEntity)
        } catch let error as DomainError where error.kind == .conflict {
            return try await view(req, coop: coop, me: me, problem: error, status: .conflict)
        }
    }

    /// The cooperative, the staff member acting, and the member whose departure is recorded.
    private static func departureParties(_ req: Request) async throws -> (Cooperative, Membership, Membership) {
        let user = try req.requireUser()
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        let me = try await Cooperatives.require(.staff, user, in: coop, on: req.db)
        guard let id = req.parameters.get("id", as: UUID.self),
              let member = try await Membership.query(on: req.db).filter(\.$id == id).filter(\.$cooperative.$id == coop.requireID())
                .with(\.$user).first()
        else { throw Problem.notFound(Cooperatives.membershipWord) }
        return (coop, me, member)
    }

    private static func departurePage(_ req: Request, coop: Cooperative, me: Membership, member: Membership, reason: String,
                                      problem: DomainError?, status: HTTPResponseStatus = .ok) throws -> Response {
        let t = req.t
        let name = member.user.displayName
        let memberID = try member.requireID()
        // Asked by the wrong person or about someone already gone: said before the form, not after.
        let refusal: DomainError? = member.memberStatus != .active
            ? DomainError(.conflict, code: "not_an_active_member", fr: "\(name) n’est plus sociétaire.", en: "\(name) is no longer a member.")
            : member.$user.id == me.$user.id
            ? DomainError(.forbidden, code: "own_departure", fr: "Votre propre départ se fait depuis la page de la coopérative.",
                          en: "Your own departure is done from the cooperative's page.")
            : MembershipRules.mayRecordDeparture(by: me.memberRole, of: member.memberRole) ? nil : MembershipRules.boardOnlyDeparture
        if let refusal {
            return Layout.page(req, title: t("Enregistrer un départ", "Record a departure"), status: refusal.kind == .conflict ? .conflict : .forbidden,
                .h1(.text(t("Enregistrer le départ de \(name)", "Record the departure of \(name)"))),
                .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t(refusal.message))),
                .p(.a(.href("/c/\(coop.slug)/manage#members"), .text(t("← Retour aux sociétaires", "← Back to the members")))))
        }
        let value = MembershipRules.capital(shares: member.shares, nominalCents: coop.shareNominalCents)
        var consequences = [t("\(name) ne sera plus sociétaire de \(coop.name) : sa voix et ses accès de sociétaire cessent aussitôt.",
                              "\(name) will no longer be a member of \(coop.name): their vote and member access end at once.")]
        if coop.form.hasShareCapital && member.shares > 0 {
            let plural = member.shares > 1 ? "s" : ""
            consequences.append(t("Ses \(member.shares) part\(plural) sociale\(plural) (\(Euros.format(cents: value, .fr))) lui seront remboursées selon les règles du capital (plus tard si le capital passait sous le minimum fixé par les statuts).",
                                  "Their \(member.shares) share\(plural) (\(Euros.format(cents: value, .en))) will be paid back under the capital rules (later if the capital would fall below its floor)."))
        }
        if member.memberRole != .member {
            consequences.append(t("Son rôle (\(t(member.memberRole.label))) lui est retiré.", "Their role (\(t(member.memberRole.label))) is withdrawn."))
        }
        consequences.append(t("La raison est notée au registre des sociétaires et envoyée à \(name).",
                              "The reason goes into the register of members and is sent to \(name)."))
        var state = FormState(values: ["reason": reason])
        if let problem { state.errors.add(problem) }
        return Confirmation.page(req, title: t("Enregistrer le départ de \(name)", "Record the departure of \(name)"),
                                 consequences: consequences, action: "/c/\(coop.slug)/members/\(memberID)/leave",
                                 button: t("Enregistrer le départ", "Record the departure"), back: "/c/\(coop.slug)/manage#members",
                                 status: status,
                                 fields: [Form.summary(state, t),
                                          Form.textarea("reason", label: t("Raison du départ", "Reason for the departure"), state: state, t, rows: 3,
                                                        hint: t("Par exemple : lettre de démission du 3 mars ; décision de l’assemblée générale.",
                                                                "For example: resignation letter of 3 March; decision of the general assembly."))])
    }

    static func view(_ req: Request, coop: Cooperative, me: Membership, problem: DomainError?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t
        let all = try await Cooperatives.members(of: coop, on: req.db)
        try await AccessLog.record(actor: try req.requireUser(), subjects: all.map { $0.$user.id }, what: "members-list", coop: coop, on: req.db)
        let pending = all.filter { $0.memberStatus == .pending }
        // Members in French dictionary order of their names (Émilie among the E's).
        let active = all.filter { $0.memberStatus == .active }
            .sorted { (SearchText.sortKey($0.user.displayName), $0.user.displayName) < (SearchText.sortKey($1.user.displayName), $1.user.displayName) }
        let isBoard = me.memberRole == .board
        let reports = try await ThreadStore.openReports(in: try coop.requireID(), on: req.db).count
        let capital = active.reduce(Int64(0)) { $0 + MembershipRules.capital(shares: $1.shares, nominalCents: coop.shareNominalCents) }
        return Layout.page(req, title: t("Sociétaires — \(coop.name)", "Members — \(coop.name)"), status: status,
            .p(.a(.href("/c/\(coop.slug)"), .text("← " + coop.name))),
            .h1(.text(t("Sociétaires", "Members"))),
            .p(.a(.href("/c/\(coop.slug)/moderation"), .text(t("Messages signalés", "Reported messages") + " (\(reports))"))),
            .if(isBoard, .p(.a(.href("/c/\(coop.slug)/invitations"), .text(t("Inviter des personnes par courriel", "Invite people by email"))))),
            .if(isBoard, .p(.a(.href("/c/\(coop.slug)/security"), .text(t("Sécurité : double authentification du conseil et de l’équipe", "Security: two-factor authentication of the board and staff"))))),
            .if(isBoard && coop.archivedAt == nil, .p(.class("actions"),
                Confirmation.ask(t("Archiver la coopérative…", "Archive the cooperative…"), at: "/c/\(coop.slug)/archive"))),
            .unwrap(problem) { .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t($0.message))) },
            .p(.text(t.count(active.count, "sociétaire actif", "sociétaires actifs", "active member", "active members") + " · "
                      + t.count(active.count, "voix", "voix", "vote", "votes") + t(" (une par personne)", " (one per person)")),
               .if(coop.form.hasShareCapital, .text(t(" · capital souscrit : \(Euros.format(cents: capital, .fr))",
                                                      " · subscribed capital: \(Euros.format(cents: capital, .en))")))),
            .section(
                .attribute(named: "aria-labelledby", value: "pending-title"),
                .h2(.id("pending-title"), .text(t("Demandes en attente (\(pending.count))", "Pending requests (\(pending.count))"))),
                .if(pending.isEmpty, .p(.text(t("Aucune demande en attente.", "No pending request."))),
                    else: StackedTable.node(.table(
                        .thead(.tr(.th(.text(t("Personne", "Person"))), .th(.text(t("Collège", "College"))), .th(.text(t("Parts", "Shares"))),
                                   .th(.text(t("Message", "Message"))), .th(.text(t("Demandé le", "Requested"))), .th(.text(t("Décision", "Decision"))))),
                        .tbody(.forEach(pending) { member in
                            .tr(.td(.text(member.user.displayName)), .td(.text(member.college?.name ?? "—")), .td(.text("\(member.shares)")),
                                .td(.text(member.message)), .td(.text(DateText.short(member.requestedAt, req.language))),
                                .td(.if(isBoard, .div(.class("actions"),
                                    Form.post(req, action: "/c/\(coop.slug)/members/\(member.id?.uuidString ?? "")/approve",
                                              .button(.type(.submit), .class("primary"),
                                                      .attribute(named: "aria-label", value: t("Accepter \(member.user.displayName)", "Approve \(member.user.displayName)")),
                                                      .text(t("Accepter", "Approve")))),
                                    Form.post(req, action: "/c/\(coop.slug)/members/\(member.id?.uuidString ?? "")/decline",
                                              .button(.type(.submit), .class("danger"),
                                                      .attribute(named: "aria-label", value: t("Refuser \(member.user.displayName)", "Decline \(member.user.displayName)")),
                                                      .text(t("Refuser", "Decline"))))),
                                    else: .text(t("réservé au conseil", "board only")))))
                        })
                    )))
            ),
            .section(
                .id("members"),
                .attribute(named: "aria-labelledby", value: "members-title"),
                .h2(.id("members-title"), .text(t("Sociétaires actifs", "Active members"))),
                StackedTable.node(.table(
                    .thead(.tr(.th(.text(t("Personne", "Person"))), .th(.text(t("Collège", "College"))), .th(.text(t("Parts", "Shares"))),
                               .th(.text(t("Voix", "Votes"))), .th(.text(t("Rôle", "Role"))), .th(.text(t("Départ", "Departure"))))),
                    .tbody(.forEach(active) { member in
                        .tr(.td(.text(member.user.displayName)), .td(.text(member.college?.name ?? "—")), .td(.text("\(member.shares)")),
                            .td(.text("\(MembershipRules.votes(shares: member.shares, status: member.memberStatus))")),
                            .td(.if(isBoard, roleForm(req, coop: coop, member: member), else: .text(t(member.memberRole.label)))),
                            .td(departureCell(req, coop: coop, me: me, member: member)))
                    })
                ))
            )
        )
    }

    /// The way to a departure, where the reader may record it: not their own (that is leaving, from
    /// the cooperative's page), and a board or staff member's only for the board.
    private static func departureCell(_ req: Request, coop: Cooperative, me: Membership, member: Membership) -> Node<HTML.BodyContext> {
        let t = req.t
        if member.$user.id == me.$user.id { return .text(t("(vous)", "(you)")) }
        guard MembershipRules.mayRecordDeparture(by: me.memberRole, of: member.memberRole) else {
            return .text(t("réservé au conseil", "board only"))
        }
        return Confirmation.ask(t("Enregistrer son départ", "Record departure"), at: "/c/\(coop.slug)/members/\(member.id?.uuidString ?? "")/leave",
                                ariaLabel: t("Enregistrer le départ de \(member.user.displayName)", "Record the departure of \(member.user.displayName)"))
    }

    private static func roleForm(_ req: Request, coop: Cooperative, member: Membership) -> Node<HTML.BodyContext> {
        let t = req.t
        let id = "role-\(member.id?.uuidString ?? "")"
        return Form.post(req, action: "/c/\(coop.slug)/members/\(member.id?.uuidString ?? "")/role",
            .div(.class("inline"),
                 .label(.class("visually-hidden"), .for(id), .text(t("Rôle de \(member.user.displayName)", "Role of \(member.user.displayName)"))),
                 .select(.id(id), .attribute(named: "name", value: "role"), .forEach(MemberRole.allCases) {
                     Form.option($0.rawValue, t($0.label), selected: member.memberRole == $0)
                 }),
                 .button(.type(.submit), .text(t("Changer", "Change"))))
        )
    }
}

enum MembershipViews {
    static func table(_ memberships: [Membership], _ t: Translator) -> Node<HTML.BodyContext> {
        StackedTable.node(.table(
            .thead(.tr(.th(.text(t("Coopérative", "Cooperative"))), .th(.text(t("Statut", "Status"))), .th(.text(t("Rôle", "Role"))),
                       .th(.text(t("Collège", "College"))), .th(.text(t("Parts", "Shares"))), .th(.text(t("Voix", "Votes"))))),
            .tbody(.forEach(memberships) { membership in
                .tr(.td(.a(.href("/c/\(membership.cooperative.slug)"), .text(membership.cooperative.name))),
                    .td(.text(t(membership.memberStatus.label))),
                    .td(.text(membership.memberStatus == .active ? t(membership.memberRole.label) : "—")),
                    .td(.text(membership.college?.name ?? "—")),
                    .td(.text("\(membership.shares)")),
                    .td(.text("\(MembershipRules.votes(shares: membership.shares, status: membership.memberStatus))")))
            })
        ))
    }
}

extension MembershipViews {
    /// The person's memberships, on their account page.
    static func accountSection(_ req: Request, user: User) async throws -> Node<HTML.BodyContext> {
        let t = req.t
        let memberships = try await Membership.query(on: req.db).filter(\.$user.$id == user.requireID())
            .with(\.$cooperative).with(\.$college).all()
        return
        .section(
            .attribute(named: "aria-labelledby", value: "memberships-title"),
            .h2(.id("memberships-title"), .text(t("Mes adhésions", "My memberships"))),
            .if(memberships.isEmpty,
                .p(.text(t("Vous n’êtes encore sociétaire d’aucune coopérative. ", "You are not a member of any cooperative yet. ")),
                   .a(.href("/"), .text(t("Voir l’annuaire", "See the directory")))),
                else: MembershipViews.table(memberships, t))
        )
    }
}
