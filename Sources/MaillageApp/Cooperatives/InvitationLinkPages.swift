import Fluent
import MaillageCore
import Plot
import Vapor

/// `/invitations/:token`, the link of the mail. The token is the permission: whoever holds it
/// reads the invitation. Anonymous: create an account (the address pre-filled) or log in, and
/// come back here. Signed in: the membership request, pre-filled with the board's offer.
enum InvitationLinkPages {
    @Sendable static func show(_ req: Request) async throws -> Response {
        let invitation = try await found(req)
        if let refusal = Invitations.closed(invitation) { return closedPage(req, invitation, refusal) }
        let state = FormState(values: ["college": invitation.$college.id?.uuidString ?? "", "shares": "\(invitation.shares)"])
        return try await view(req, invitation, state: state)
    }

    @Sendable static func accept(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let invitation = try await found(req)
        struct AnswerForm: Content { var college: String?; var shares: String?; var message: String? }
        let form = try req.content.decode(AnswerForm.self)
        let values = ["college": form.college ?? "", "shares": form.shares ?? "", "message": form.message ?? ""]
        let coop = invitation.cooperative
        do {
            let shares = try MembershipRequestFields.shares(form.shares, in: coop)
            let college = try MembershipRequestFields.college(form.college)
            switch try await Invitations.accept(invitation, request: .init(college: college, shares: shares, message: form.message),
                                                 user: user, on: req.db) {
            case .member:
                return req.done(Localized(fr: "Bienvenue ! Vous êtes sociétaire de \(coop.name).", en: "Welcome! You are a member of \(coop.name)."),
                                goTo: "/c/\(coop.slug)")
            case .requested:
                return req.done(Localized(fr: "Votre demande d’adhésion est envoyée au conseil.", en: "Your membership request was sent to the board."),
                                goTo: "/c/\(coop.slug)")
            }
        } catch let error as DomainError where [InvitationRules.alreadyUsed.code, InvitationRules.withdrawn.code,
                                                InvitationRules.expired.code, Invitations.archived.code].contains(error.code) {
            return closedPage(req, invitation, error)
        } catch {
            let state = try FormState(refused: error, values: values)
            let kind = (error as? DomainError)?.kind
            return try await view(req, invitation, state: state,
                                  status: kind == .conflict ? .conflict : kind == .forbidden ? .forbidden : .unprocessableEntity)
        }
    }

    private static func found(_ req: Request) async throws -> Invitation {
        guard let invitation = try await Invitations.find(token: req.parameters.get("token") ?? "", on: req.db) else {
            throw Problem.notFound(Invitations.word)
        }
        return invitation
    }

    private static func path(_ req: Request) -> String { "/invitations/" + (req.parameters.get("token") ?? "") }

    /// Used, withdrawn, expired, or the cooperative archived: said plainly, 410 — the link existed.
    static func closedPage(_ req: Request, _ invitation: Invitation, _ refusal: DomainError) -> Response {
        let t = req.t
        let coop = invitation.cooperative
        return Layout.page(req, title: t("Invitation à rejoindre \(coop.name)", "Invitation to join \(coop.name)"), status: .gone,
            .h1(.text(t("Invitation à rejoindre \(coop.name)", "Invitation to join \(coop.name)"))),
            .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t(refusal.message))),
            .if(coop.isPublic, .p(.a(.href("/c/\(coop.slug)"), .text(t("Voir la page de \(coop.name)", "See the page of \(coop.name)"))))))
    }

    static func view(_ req: Request, _ invitation: Invitation, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t
        let coop = invitation.cooperative
        let here = path(req)
        let colleges = coop.colleges.sorted { $0.position < $1.position }
        var offer: [String] = []
        if let college = invitation.college { offer.append(t("Collège proposé : \(college.name)", "College offered: \(college.name)")) }
        if coop.form.hasShareCapital {
            offer.append(t("Parts sociales suggérées : \(invitation.shares) × \(Euros.format(cents: coop.shareNominalCents, .fr)) = \(Euros.format(cents: MembershipRules.capital(shares: invitation.shares, nominalCents: coop.shareNominalCents), .fr))",
                           "Suggested shares: \(invitation.shares) × \(Euros.format(cents: coop.shareNominalCents, .en)) = \(Euros.format(cents: MembershipRules.capital(shares: invitation.shares, nominalCents: coop.shareNominalCents), .en))"))
        }
        offer.append(t("Valable jusqu’au \(DateText.day(invitation.expiresAt, .fr)) (\(InvitationRules.remaining(until: invitation.expiresAt, now: Date()).fr))",
                       "Valid until \(DateText.day(invitation.expiresAt, .en)) (\(InvitationRules.remaining(until: invitation.expiresAt, now: Date()).en))"))
        return Layout.page(req, title: t("Invitation à rejoindre \(coop.name)", "Invitation to join \(coop.name)"), status: status,
            .h1(.text(t("Invitation à rejoindre \(coop.name)", "Invitation to join \(coop.name)"))),
            .p(.text(t("\(invitation.invitedBy.displayName), pour le conseil, vous invite à devenir sociétaire.",
                       "\(invitation.invitedBy.displayName), for the board, invites you to become a member."))),
            .unwrap(invitation.message.isEmpty ? nil : invitation.message) { .blockquote(.p(.text($0))) },
            .ul(.forEach(offer) { .li(.text($0)) }),
            .p(.class("keep-lines"), .text(coop.description)),
            .p(.a(.href("/c/\(coop.slug)"), .text(t("La page de la coopérative", "The cooperative's page")))),
            try await answer(req, invitation, colleges: colleges, state: state, here: here))
    }

    /// What the reader does next: sign up or log in, or answer with the request form.
    private static func answer(_ req: Request, _ invitation: Invitation, colleges: [College], state: FormState, here: String) async throws -> Node<HTML.BodyContext> {
        let t = req.t
        let coop = invitation.cooperative
        guard let user = req.user else {
            let signUp = FormState(values: ["email": invitation.email])
            return .section(
                .attribute(named: "aria-labelledby", value: "signup-title"),
                .h2(.id("signup-title"), .text(t("Créer mon compte", "Create my account"))),
                .p(.text(t("Un seul compte pour toutes les coopératives du territoire. Après la confirmation de votre adresse, vous revenez ici pour adhérer.",
                           "One account for every cooperative of the territory. Once your address is confirmed, you come back here to join."))),
                Form.post(req, action: "/signup",
                    .input(.type(.hidden), .name("next"), .value(here)),
                    Form.field("email", label: t("Adresse e-mail", "Email address"), state: signUp, t, type: .email, autocomplete: "email"),
                    Form.field("display_name", label: t("Nom affiché", "Display name"), state: signUp, t, required: false,
                               hint: t("Ce que les autres sociétaires verront.", "What other members will see."), autocomplete: "name"),
                    Form.field("password", label: t("Mot de passe", "Password"), state: signUp, t, type: .password,
                               hint: t("Au moins \(Validate.passwordMinimumLength) caractères.", "At least \(Validate.passwordMinimumLength) characters."),
                               autocomplete: "new-password"),
                    Form.submit(t("Créer mon compte", "Create my account"))),
                .h2(.text(t("J’ai déjà un compte", "I already have an account"))),
                .p(.a(.class("button"), .href("/login" + loginNext(here)), .text(t("Me connecter pour répondre", "Log in to answer")))))
        }
        if let mine = try await Cooperatives.membership(of: user.requireID(), in: coop.requireID(), on: req.db), mine.memberStatus == .active {
            return .p(.class("notice"), .text(t("Vous êtes déjà sociétaire de \(coop.name).", "You are already a member of \(coop.name).")),
                      .text(" "), .a(.href("/c/\(coop.slug)"), .text(t("Aller à sa page", "Go to its page"))))
        }
        let sameAddress = invitation.email == user.email.lowercased()
        let explanation: String
        if sameAddress && !user.emailConfirmed {
            explanation = t("Confirmez d’abord votre adresse : suivez le lien du courriel reçu à l’inscription, il vous ramène ici.",
                            "Confirm your address first: follow the link in the mail you got when signing up; it brings you back here.")
        } else if sameAddress {
            explanation = t("Le conseil vous a invité·e à cette adresse : votre adhésion est acceptée dès l’envoi, dans le collège proposé.",
                            "The board invited you at this address: your membership is approved as soon as you send this, in the college offered.")
        } else {
            explanation = t("Cette invitation a été envoyée à une autre adresse que celle de votre compte : votre demande ira au conseil, qui la validera.",
                            "This invitation was sent to another address than your account's: your request goes to the board, who will decide.")
        }
        return .section(
            .attribute(named: "aria-labelledby", value: "answer-title"),
            .h2(.id("answer-title"), .text(t("Adhérer", "Join"))),
            .p(.class("notice"), .text(explanation)),
            Form.post(req, action: here,
                Form.summary(state, t),
                .if(!colleges.isEmpty,
                    Form.select("college", label: t("Votre catégorie de sociétaire (collège)", "Your member category (college)"), state: state, t,
                                options: [("", t("— choisir —", "— choose —"))] + colleges.map { ($0.id?.uuidString ?? "", $0.name) })),
                .if(coop.form.hasShareCapital,
                    Form.field("shares", label: t("Nombre de parts sociales souscrites", "Number of shares subscribed"), state: state, t, type: .number,
                               hint: t("\(Euros.format(cents: coop.shareNominalCents, .fr)) la part ; votre voix compte pour une, quel que soit ce nombre.",
                                       "\(Euros.format(cents: coop.shareNominalCents, .en)) per share; your vote counts as one whatever this number."),
                               extra: [.attribute(named: "min", value: "1"), .attribute(named: "step", value: "1")])),
                Form.textarea("message", label: t("Un mot pour le conseil", "A word for the board"), state: state, t, rows: 3, required: false),
                Form.submit(t("Adhérer à \(coop.name)", "Join \(coop.name)"))))
    }

    /// `?next=` for the login link (the same encoding as the sign-up's return path).
    private static func loginNext(_ here: String) -> String {
        "?next=" + (here.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }
}
