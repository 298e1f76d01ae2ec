import Fluent
import MaillageCore
import Plot
import Vapor

/// Creating a cooperative, its public page, asking to join it.
enum CooperativePages {
    @Sendable static func newPage(_ req: Request) async throws -> Response {
        let state = FormState(values: ["legal_form": "", "share_nominal": "20", "charter_governance": "yes"])
        return newView(req, state: state)
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(CooperativeForm.self)
        do {
            let coop = try await Cooperatives.create(try form.draft(), creator: user, on: req.db)
            return req.done(Localized(fr: "La coopérative est créée. Vous en êtes membre du conseil.", en: "The cooperative is created. You are on its board."),
                            goTo: "/c/\(coop.slug)")
        } catch {
            return newView(req, state: try FormState(refused: error, values: form.values), status: .unprocessableEntity)
        }
    }

    @Sendable static func editPage(_ req: Request) async throws -> Response {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        try await Cooperatives.require(.board, try req.requireUser(), in: coop, on: req.db)
        return editView(req, coop: coop, state: FormState(values: CooperativeForm.prefilled(from: coop, language: req.language)))
    }

    @Sendable static func update(_ req: Request) async throws -> Response {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        try await Cooperatives.require(.board, try req.requireUser(), in: coop, on: req.db)
        var form = try req.content.decode(CooperativeForm.self)
        form.legal_form = coop.legalForm
        form.share_nominal = String(coop.shareNominalCents / 100) + "." + String(format: "%02d", coop.shareNominalCents % 100)
        form.colleges = coop.colleges.map(\.name).joined(separator: "\n")
        do {
            try await Cooperatives.update(coop, with: try form.draft(), on: req.db)
            return req.done(Localized(fr: "Modifications enregistrées.", en: "Changes saved."), goTo: "/c/\(coop.slug)")
        } catch {
            return editView(req, coop: coop, state: try FormState(refused: error, values: form.values), status: .unprocessableEntity)
        }
    }

    static func newView(_ req: Request, state: FormState, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t
        return Layout.page(req, title: t("Créer une coopérative", "Create a cooperative"), status: status,
            .h1(.text(t("Créer une coopérative", "Create a cooperative"))),
            .p(.text(t("Vous en deviendrez le premier membre du conseil d’administration ; vous pourrez ensuite accepter les demandes d’adhésion.",
                       "You will become its first board member; you can then approve membership requests."))),
            CooperativeForm.view(req, action: "/cooperatives", state: state, editing: false))
    }

    static func editView(_ req: Request, coop: Cooperative, state: FormState, status: HTTPResponseStatus = .ok) -> Response {
        let t = req.t
        return Layout.page(req, title: t("Modifier \(coop.name)", "Edit \(coop.name)"), status: status,
            .h1(.text(t("Modifier \(coop.name)", "Edit \(coop.name)"))),
            CooperativeForm.view(req, action: "/c/\(coop.slug)/edit", state: state, editing: true))
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        return try await showView(req, coop: coop, joinState: FormState(values: ["shares": "1"]))
    }

    @Sendable static func join(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        struct JoinForm: Content { var college: String?; var shares: String?; var message: String? }
        let form = try req.content.decode(JoinForm.self)
        let values = ["college": form.college ?? "", "shares": form.shares ?? "", "message": form.message ?? ""]
        do {
            let shares = try MembershipRequestFields.shares(form.shares, in: coop)
            let college = try MembershipRequestFields.college(form.college)
            _ = try await Joining.ask(.init(college: college, shares: shares, message: form.message), user: user, coop: coop, on: req.db)
            return req.done(Localized(fr: "Votre demande d’adhésion est envoyée au conseil.", en: "Your membership request was sent to the board."),
                            goTo: "/c/\(coop.slug)")
        } catch {
            return try await showView(req, coop: coop, joinState: FormState(refused: error, values: values), status: .unprocessableEntity)
        }
    }

    /// Leaving asks first: what happens to the shares, the vote, the role.
    @Sendable static func leaveQuestion(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        guard let mine = try await Cooperatives.membership(of: user.requireID(), in: coop.requireID(), on: req.db),
              mine.memberStatus == .active else {
            throw Problem.notFound(Cooperatives.membershipWord)
        }
        let t = req.t
        let value = MembershipRules.capital(shares: mine.shares, nominalCents: coop.shareNominalCents)
        let plural = mine.shares > 1 ? "s" : ""
        var consequences = [t("Vous perdez votre voix et vos accès de sociétaire de \(coop.name) ; vous pourrez demander à revenir.",
                              "You lose your vote and your member access to \(coop.name); you may ask to come back later.")]
        if coop.form.hasShareCapital && mine.shares > 0 {
            consequences.append(t("Vos \(mine.shares) part\(plural) sociale\(plural) (\(Euros.format(cents: value, .fr))) vous seront remboursées ; si le capital passait sous le quart du plus haut atteint, le remboursement attendrait de nouvelles souscriptions.",
                                  "Your \(mine.shares) share\(plural) (\(Euros.format(cents: value, .en))) will be paid back; if the capital would fall below a quarter of its highest, the payback waits for new subscriptions."))
        }
        if mine.memberRole != .member {
            consequences.append(t("Votre rôle (\(t(mine.memberRole.label))) prend fin.", "Your role (\(t(mine.memberRole.label))) ends."))
        }
        return Confirmation.page(req, title: t("Quitter \(coop.name)", "Leave \(coop.name)"), consequences: consequences,
                                 action: "/c/\(coop.slug)/leave", button: t("Quitter la coopérative", "Leave the cooperative"),
                                 back: "/c/\(coop.slug)")
    }

    /// The member leaves, from this page. Refused (the last board member) → the page again, saying why.
    @Sendable static func leave(_ req: Request) async throws -> Response {
        let user = try req.requireUser()
        let coop = try await Cooperatives.find(slug: req.parameters.get("slug") ?? "", on: req.db)
        guard let mine = try await Cooperatives.membership(of: user.requireID(), in: coop.requireID(), on: req.db) else {
            throw Problem.notFound(Cooperatives.membershipWord)
        }
        guard req.isConfirmed else { return req.askFirst("/c/\(coop.slug)/leave") }
        do {
            try await Leaving.leave(try mine.requireID(), by: user, coop: coop, on: req.db)
            return req.done(Localized(fr: "Vous avez quitté la coopérative. Vos parts sociales vous seront remboursées selon les statuts.",
                                      en: "You left the cooperative. Your shares will be paid back under the statutes."), goTo: "/c/\(coop.slug)")
        } catch let error as DomainError where error.kind == .conflict {
            return try await showView(req, coop: coop, joinState: FormState(refused: error, values: [:]), status: .conflict)
        }
    }

    /// Said to those who see a cooperative that is not public: why, and what happens next.
    private static func standing(_ req: Request, _ coop: Cooperative) -> Node<HTML.BodyContext> {
        let t = req.t
        if coop.archivedAt != nil {
            return .p(.class("members-only"), .text(t("Coopérative archivée par son conseil : elle n’est plus publique ; ses registres sont gardés.",
                                                      "Cooperative archived by its board: it is no longer public; its records are kept.")))
        }
        switch coop.reviewState {
        case .approved: return .empty
        case .pending:
            return .p(.class("members-only"), .text(t("En attente de validation par les opérateurs de l’instance : seuls ses membres la voient pour l’instant.",
                                                      "Awaiting approval by the instance's operators: only its members see it for now.")))
        case .refused:
            return .p(.class("members-only"), .text(t("Refusée par les opérateurs de l’instance", "Refused by the instance's operators")
                                                    + (coop.reviewReason.map { t(" : « \($0) ».", ": “\($0)”.") } ?? ".")))
        }
    }

    static func showView(_ req: Request, coop: Cooperative, joinState: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t
        let coopID = try coop.requireID()
        var mine: Membership?
        if let user = req.user { mine = try await Cooperatives.membership(of: user.requireID(), in: coopID, on: req.db) }
        let members = try await Cooperatives.activeMemberCount(of: coopID, on: req.db)
        let charter = CharterAssessment(coop.charter.compactMap(\.item))
        let colleges = coop.colleges.sorted { $0.position < $1.position }
        return Layout.page(req, title: coop.name, status: status,
            .h1(.text(coop.name)),
            standing(req, coop),
            .p(.class("meta"),
               .span(.text(t(coop.form.label))), .text(" · "),
               .span(.text([coop.postalCode, coop.commune].filter { !$0.isEmpty }.joined(separator: " "))), .text(" · "),
               .span(.text(t("\(members) sociétaire\(members > 1 ? "s" : "")", "\(members) member\(members == 1 ? "" : "s")")))),
            .p(.class("keep-lines"), .text(coop.description)),
            .ul(.class("tags"), .forEach(coop.activityList) { .li(.text(t($0.label))) }),
            .unwrap(coop.website.isEmpty ? nil : coop.website) { site in .p(.a(.href(site), .attribute(named: "rel", value: "noopener"), .text(site))) },
            .section(
                .attribute(named: "aria-labelledby", value: "charter-title"),
                .h2(.id("charter-title"), .text(t("Charte des plateformes coopératives", "Cooperative platform charter"))),
                CharterViews.badge(charter, t),
                CharterViews.charterList(charter, t, detailed: true)
            ),
            .section(
                .attribute(named: "aria-labelledby", value: "join-title"),
                .h2(.id("join-title"), .text(t("Sociétariat", "Membership"))),
                .if(coop.form.hasShareCapital,
                    .p(.text(t("Valeur d’une part sociale : \(Euros.format(cents: coop.shareNominalCents, .fr)). Une personne = une voix, quel que soit le nombre de parts.",
                               "Value of one share: \(Euros.format(cents: coop.shareNominalCents, .en)). One person = one vote, whatever the number of shares.")))),
                .if(!colleges.isEmpty, .group(
                    .p(.text(t("Collèges de vote :", "Voting colleges:"))),
                    .ul(.forEach(colleges) { .li(.text($0.name)) }))),
                activityLinks(req, coop: coop, member: mine?.memberStatus == .active),
                joinBlock(req, coop: coop, mine: mine, colleges: colleges, state: joinState)
            )
        )
    }

    /// Where each of the cooperative's activities lives, and its published accounts.
    private static func activityLinks(_ req: Request, coop: Cooperative, member: Bool) -> Node<HTML.BodyContext> {
        let t = req.t, base = "/c/\(coop.slug)"
        var links: [(String, String)] = []
        for activity in coop.activityList {
            switch activity {
            case .food: links.append(("\(base)/food", t("Produits locaux : commander", "Local food: order")))
            case .lending: links.append(("\(base)/lending", t("Objets à emprunter", "Items to borrow")))
            case .exchange: links.append(("\(base)/exchange", t("Offres et demandes de services", "Offers and wants of services")))
            case .barter where member: links.append(("\(base)/barter", t("Réseau de troc", "Barter network")))
            default: break
            }
        }
        if member { links.append(("\(base)/money", t("Mes comptes", "My accounts"))) }
        links.append(("\(base)/transparency", t("Comptes publics (transparence)", "Public accounts (transparency)")))
        return .nav(.attribute(named: "aria-label", value: t("Activités", "Activities")),
                    .h2(.text(t("Activités", "Activities"))),
                    .ul(.forEach(links) { .li(.a(.href($0.0), .text($0.1))) }))
    }

    private static func joinBlock(_ req: Request, coop: Cooperative, mine: Membership?, colleges: [College], state: FormState) -> Node<HTML.BodyContext> {
        let t = req.t
        guard req.user != nil else {
            return .p(.a(.href("/login?next=/c/\(coop.slug)"), .text(t("Connectez-vous", "Log in"))),
                      .text(t(" ou ", " or ")), .a(.href("/signup?next=/c/\(coop.slug)"), .text(t("créez un compte", "create an account"))),
                      .text(t(" pour demander à rejoindre cette coopérative.", " to ask to join this cooperative.")))
        }
        if let mine, mine.memberStatus != .declined && mine.memberStatus != .left {
            return .div(
                .p(.class("notice"), .text(t("Votre adhésion : ", "Your membership: ") + t(mine.memberStatus.label)
                   + (mine.memberStatus == .active ? " · " + t(mine.memberRole.label) : ""))),
                .if(mine.memberStatus == .active,
                    .p(.a(.class("button"), .href("/c/\(coop.slug)/votes"), .text(t("Votes et décisions", "Votes and decisions"))))),
                .if(mine.memberStatus == .active && mine.memberRole >= .staff,
                    .p(.a(.class("button"), .href("/c/\(coop.slug)/manage"), .text(t("Gérer les sociétaires", "Manage members"))),
                       .if(mine.memberRole == .board, .group(.text(" "), .a(.class("button"), .href("/c/\(coop.slug)/edit"), .text(t("Modifier la fiche", "Edit the page"))))))),
                .if(mine.memberStatus == .active, leaveForm(req, coop: coop, mine: mine, state: state))
            )
        }
        return Form.post(req, action: "/c/\(coop.slug)/join",
            .h3(.text(t("Demander à rejoindre", "Ask to join"))),
            .if(mine?.memberStatus == .left, .p(.text(t("Vous avez quitté cette coopérative ; vous pouvez demander à y revenir.",
                                                          "You left this cooperative; you may ask to come back.")))),
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
            Form.submit(t("Envoyer ma demande", "Send my request"))
        )
    }

    /// Leaving, for an active member: the way to the question that says what happens.
    private static func leaveForm(_ req: Request, coop: Cooperative, mine: Membership, state: FormState) -> Node<HTML.BodyContext> {
        let t = req.t
        return .div(.class("leave"),
            .h3(.text(t("Quitter la coopérative", "Leave the cooperative"))),
            .if(!state.errors.isEmpty, .div(.class("form-errors"), .attribute(named: "role", value: "alert"),
                                            .ul(.forEach(state.errors.errors) { .li(.text(t($0.message))) }))),
            .p(.text(t("Vous pouvez partir quand vous le souhaitez ; la page suivante dit ce qu’il advient de vos parts et de votre voix avant de confirmer.",
                       "You may leave whenever you wish; the next page says what happens to your shares and your vote before you confirm."))),
            Confirmation.ask(t("Quitter la coopérative…", "Leave the cooperative…"), at: "/c/\(coop.slug)/leave"))
    }
}
