import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/:slug/invitations`: the board invites people by email, follows its invitations and
/// withdraws one that should no longer open the door.
enum InvitationPages {
    struct InviteForm: Content {
        var email: String?
        var college: String?
        var shares: String?
        var message: String?
        var language: String?

        var values: [String: String] {
            ["email": email ?? "", "college": college ?? "", "shares": shares ?? "", "message": message ?? "", "language": language ?? "fr"]
        }
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let (coop, _) = try await board(req)
        return try await view(req, coop: coop, state: FormState(values: ["shares": "1", "language": req.language.rawValue]))
    }

    @Sendable static func invite(_ req: Request) async throws -> Response {
        let (coop, user) = try await board(req)
        let form = try req.content.decode(InviteForm.self)
        do {
            let shares = try MembershipRequestFields.shares(form.shares, in: coop)
            let college = try MembershipRequestFields.college(form.college)
            let offer = Invitations.Offer(email: form.email ?? "", college: college, shares: shares, message: form.message,
                                          language: Language(rawValue: form.language ?? "") ?? req.language)
            let (invitation, _) = try await Invitations.invite(offer, by: user, coop: coop, baseURL: PublicAddress.baseURL(req), on: req.db)
            return req.done(Localized(fr: "Invitation envoyée à \(invitation.email).", en: "Invitation sent to \(invitation.email)."),
                            goTo: "/c/\(coop.slug)/invitations")
        } catch {
            let state = try FormState(refused: error, values: form.values)
            let status: HTTPResponseStatus = (error as? DomainError)?.kind == .conflict ? .conflict : .unprocessableEntity
            return try await view(req, coop: coop, state: state, status: status)
        }
    }

    /// Withdrawing asks first: the link in the mail stops working.
    @Sendable static func withdrawQuestion(_ req: Request) async throws -> Response {
        let (coop, _) = try await board(req)
        let invitation = try await Invitations.one(try invitationID(req), in: try coop.requireID(), on: req.db)
        let t = req.t
        if let refusal = Invitations.closed(invitation) {
            return Layout.page(req, title: t("Retirer une invitation", "Withdraw an invitation"), status: .conflict,
                .h1(.text(t("Retirer l’invitation envoyée à \(invitation.email)", "Withdraw the invitation sent to \(invitation.email)"))),
                .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t(refusal.message))),
                .p(.a(.href("/c/\(coop.slug)/invitations"), .text(t("← Retour aux invitations", "← Back to the invitations")))))
        }
        return Confirmation.page(req, title: t("Retirer l’invitation envoyée à \(invitation.email)", "Withdraw the invitation sent to \(invitation.email)"),
            consequences: [t("Le lien du courriel envoyé à \(invitation.email) cessera aussitôt de fonctionner ; la personne qui l’ouvrira lira que l’invitation est retirée.",
                             "The link in the mail sent to \(invitation.email) stops working at once; whoever opens it will read that the invitation was withdrawn."),
                           t("Vous pourrez inviter cette adresse de nouveau plus tard.", "You may invite this address again later.")],
            action: "/c/\(coop.slug)/invitations/\(try invitation.requireID())/withdraw",
            button: t("Retirer l’invitation", "Withdraw the invitation"), back: "/c/\(coop.slug)/invitations")
    }

    @Sendable static func withdraw(_ req: Request) async throws -> Response {
        let (coop, user) = try await board(req)
        let id = try invitationID(req)
        guard req.isConfirmed else { return req.askFirst("/c/\(coop.slug)/invitations/\(id)/withdraw") }
        do {
            let invitation = try await Invitations.withdraw(id, by: user, coop: coop, on: req.db)
            return req.done(Localized(fr: "Invitation à \(invitation.email) retirée.", en: "Invitation to \(invitation.email) withdrawn."),
                            goTo: "/c/\(coop.slug)/invitations")
        } catch let error as DomainError where error.kind == .conflict {
            return try await view(req, coop: coop, state: FormState(values: ["shares": "1", "language": req.language.rawValue]),
                                  problem: error, status: .conflict)
        }
    }

    private static func board(_ req: Request) async throws -> (Cooperative, User) {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        let user = try req.requireUser()
        try await Cooperatives.require(.board, user, in: coop, on: req.db)
        return (coop, user)
    }

    private static func invitationID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound(Invitations.word) }
        return id
    }

    static func view(_ req: Request, coop: Cooperative, state: FormState, problem: DomainError? = nil,
                     status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t
        let now = Date()
        let all = try await Invitations.list(of: coop, on: req.db)
        let pending = all.filter { $0.state(now: now) == .pending }
        let recent = all.filter { $0.state(now: now) != .pending }.prefix(30)
        let colleges = coop.colleges.sorted { $0.position < $1.position }
        return Layout.page(req, title: t("Invitations — \(coop.name)", "Invitations — \(coop.name)"), status: status,
            .p(.a(.href("/c/\(coop.slug)/manage"), .text(t("← Sociétaires", "← Members")))),
            .h1(.text(t("Inviter à rejoindre \(coop.name)", "Invite people to join \(coop.name)"))),
            .p(.text(t("La personne reçoit un courriel avec un lien valable 14 jours. Si elle adhère avec cette adresse, son adhésion est acceptée aussitôt : le conseil a déjà dit oui.",
                       "The person gets a mail with a link valid for 14 days. If they join with this address, their membership is approved at once: the board has already said yes."))),
            .unwrap(problem) { .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t($0.message))) },
            .section(
                .attribute(named: "aria-labelledby", value: "invite-title"),
                .h2(.id("invite-title"), .text(t("Nouvelle invitation", "New invitation"))),
                Form.post(req, action: "/c/\(coop.slug)/invitations",
                    Form.summary(state, t),
                    Form.field("email", label: t("Adresse e-mail de la personne", "The person's email address"), state: state, t, type: .email,
                               autocomplete: "off"),
                    .if(!colleges.isEmpty,
                        Form.select("college", label: t("Collège proposé", "College offered"), state: state, t,
                                    options: [("", t("— choisir —", "— choose —"))] + colleges.map { ($0.id?.uuidString ?? "", $0.name) })),
                    .if(coop.form.hasShareCapital,
                        Form.field("shares", label: t("Parts sociales suggérées", "Suggested shares"), state: state, t, type: .number,
                                   hint: t("\(Euros.format(cents: coop.shareNominalCents, .fr)) la part ; la personne choisit le nombre en adhérant (au moins une).",
                                           "\(Euros.format(cents: coop.shareNominalCents, .en)) per share; the person chooses the number when joining (at least one)."),
                                   extra: [.attribute(named: "min", value: "1"), .attribute(named: "step", value: "1")])),
                    Form.textarea("message", label: t(Invitations.messageLabel), state: state, t, rows: 3, required: false,
                                  hint: t("Cité dans le courriel.", "Quoted in the mail.")),
                    Form.select("language", label: t("Langue du courriel", "Language of the mail"), state: state, t,
                                options: [("fr", "Français"), ("en", "English")]),
                    Form.submit(t("Envoyer l’invitation", "Send the invitation"))
                )
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "pending-invitations-title"),
                .h2(.id("pending-invitations-title"), .text(t("Invitations en attente (\(pending.count))", "Pending invitations (\(pending.count))"))),
                .if(pending.isEmpty, .p(.text(t("Aucune invitation en attente.", "No pending invitation."))),
                    else: StackedTable.node(.table(
                        .thead(.tr(.th(.text(t("Adresse", "Address"))), .th(.text(t("Collège", "College"))), .th(.text(t("Parts", "Shares"))),
                                   .th(.text(t("Envoyée le", "Sent"))), .th(.text(t("Expiration", "Expiry"))), .th(.text(t("Par", "By"))),
                                   .th(.text(t("Retirer", "Withdraw"))))),
                        .tbody(.forEach(pending) { invitation in
                            .tr(.td(.text(invitation.email)), .td(.text(invitation.college?.name ?? "—")), .td(.text("\(invitation.shares)")),
                                .td(.text(DateText.short(invitation.createdAt, req.language))),
                                .td(.text(t(InvitationRules.remaining(until: invitation.expiresAt, now: now)))),
                                .td(.text(invitation.invitedBy.displayName)),
                                .td(Confirmation.ask(t("Retirer…", "Withdraw…"), at: "/c/\(coop.slug)/invitations/\(invitation.id?.uuidString ?? "")/withdraw",
                                                     ariaLabel: t("Retirer l’invitation envoyée à \(invitation.email)", "Withdraw the invitation sent to \(invitation.email)"))))
                        })
                    )))
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "recent-invitations-title"),
                .h2(.id("recent-invitations-title"), .text(t("Invitations récentes", "Recent invitations"))),
                .if(recent.isEmpty, .p(.text(t("Aucune invitation acceptée, retirée ou expirée pour l’instant.", "No invitation accepted, withdrawn or expired yet."))),
                    else: StackedTable.node(.table(
                        .thead(.tr(.th(.text(t("Adresse", "Address"))), .th(.text(t("État", "State"))), .th(.text(t("Le", "On"))),
                                   .th(.text(t("Sociétaire", "Member"))), .th(.text(t("Invitée par", "Invited by"))))),
                        .tbody(.forEach(Array(recent)) { (invitation: Invitation) -> Node<HTML.TableContext> in
                            let state = invitation.state(now: now)
                            let when = state == .accepted ? invitation.acceptedAt : state == .withdrawn ? invitation.withdrawnAt : invitation.expiresAt
                            return .tr(.td(.text(invitation.email)), .td(.class("invitation-\(state.rawValue)"), .text(t(state.label))),
                                       .td(.text(DateText.short(when, req.language))),
                                       .td(.text(invitation.acceptedBy?.displayName ?? "—")),
                                       .td(.text(invitation.invitedBy.displayName)))
                        })
                    )))
            )
        )
    }
}
