import Fluent
import MaillageCore
import Plot
import Vapor

/// The board's pages on one vote: change it before it opens, cancel it (asked first) before it closes.
enum VoteBoardPages {
    private static func context(_ req: Request) async throws -> (Cooperative, User, Proposal) {
        let (coop, user, _) = try await Cooperatives.memberContext(req, minimum: .board)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        return (coop, user, try await Votes.find(id, in: coop, on: req.db))
    }

    @Sendable static func editPage(_ req: Request) async throws -> Response {
        let (coop, _, proposal) = try await context(req)
        return try await editView(req, coop: coop, proposal: proposal, state: FormState(values: ProposalForm.values(of: proposal)))
    }

    @Sendable static func edit(_ req: Request) async throws -> Response {
        let (coop, user, proposal) = try await context(req)
        let form = try req.content.decode(ProposalForm.self)
        do {
            let now = Date()
            try await Votes.edit(proposal, to: try form.draft(now: now), in: coop, by: user, floors: req.application.maillage.voteFloors,
                                 on: req.db, now: now)
            let notice = proposal.phase(at: now) == .open
                ? Localized(fr: "Vote modifié et ouvert : les sociétaires sont prévenus.", en: "Vote changed and opened: members have been told.")
                : Localized(fr: "Vote modifié. Il ouvrira le \(DateText.short(proposal.opensAt, .fr)).",
                            en: "Vote changed. It opens on \(DateText.short(proposal.opensAt, .en)).")
            return req.done(notice, goTo: "/c/\(coop.slug)/votes/\(try proposal.requireID())")
        } catch {
            return try await editView(req, coop: coop, proposal: proposal, state: try FormState(refused: error, values: form.values),
                                      status: (error as? DomainError)?.kind == .conflict ? .conflict : .unprocessableEntity)
        }
    }

    static func editView(_ req: Request, coop: Cooperative, proposal: Proposal, state: FormState,
                         status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t
        let id = try proposal.requireID()
        let hasColleges = try await coop.$colleges.query(on: req.db).count() > 0
        let editable = proposal.fixedTerms != true && proposal.schedule.isEditable(at: Date(), electorateTaken: proposal.electorateTakenAt != nil)
        return Layout.page(req, title: t("Modifier le vote", "Change the vote"), status: status,
            .p(.a(.href("/c/\(coop.slug)/votes/\(id)"), .text("← " + proposal.title))),
            .h1(.text(t("Modifier le vote", "Change the vote"))),
            editable
                ? .group(.p(.class("hint"), .text(t("Tant que le vote n’est pas ouvert, tout se modifie. À l’ouverture, la liste des votants est arrêtée et le vote ne change plus.",
                                                    "Until the vote opens, everything can change. At opening, the list of voters is fixed and the vote no longer changes."))),
                         ProposalForm.view(req, coop: coop, state: state, hasColleges: hasColleges, action: "/c/\(coop.slug)/votes/\(id)/edit",
                                           submit: t("Enregistrer les modifications", "Save the changes")))
                : .p(.class("error-message"), .attribute(named: "role", value: "alert"),
                     .text(t(proposal.fixedTerms == true ? Votes.fixedTerms.message : Votes.notEditable.message))))
    }

    @Sendable static func cancelPage(_ req: Request) async throws -> Response {
        let (coop, _, proposal) = try await context(req)
        return try await cancelView(req, coop: coop, proposal: proposal, typed: "")
    }

    @Sendable static func cancel(_ req: Request) async throws -> Response {
        let (coop, user, proposal) = try await context(req)
        let path = "/c/\(coop.slug)/votes/\(try proposal.requireID())"
        guard req.isConfirmed else { return req.askFirst(path + "/cancel") }
        struct CancelForm: Content { var reason: String? }
        let reason = try req.content.decode(CancelForm.self).reason
        do {
            try await Votes.cancel(proposal, reason: reason, in: coop, by: user, on: req.db)
            return req.done(Localized(fr: "Vote annulé ; les sociétaires concernés sont prévenus, avec la raison.",
                                      en: "Vote cancelled; the members concerned have been told, with the reason."), goTo: path)
        } catch let error as DomainError {
            return try await cancelView(req, coop: coop, proposal: proposal, typed: reason ?? "", problem: error,
                                        status: error.kind == .conflict ? .conflict : .unprocessableEntity)
        } catch let errors as ValidationErrors {
            return try await cancelView(req, coop: coop, proposal: proposal, typed: reason ?? "", problem: errors.errors.first,
                                        status: .unprocessableEntity)
        }
    }

    /// The question before cancelling: what will not happen, in figures.
    static func cancelView(_ req: Request, coop: Cooperative, proposal: Proposal, typed: String, problem: DomainError? = nil,
                           status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t
        let id = try proposal.requireID()
        let cast = try await Votes.ballotsCast(proposal, on: req.db)
        let participation = try await Votes.participation(of: proposal, on: req.db)
        let ballots = cast == 0
            ? t("Aucun bulletin n’a encore été déposé.", "No ballot has been cast yet.")
            : cast == 1 ? t("1 bulletin déjà déposé ne sera pas dépouillé.", "1 ballot already cast will not be counted.")
            : t("\(cast) bulletins déjà déposés ne seront pas dépouillés.", "\(cast) ballots already cast will not be counted.")
        let told = proposal.awaitingBoard == true
            ? t("La personne qui l’a proposé est prévenue, avec votre raison.", "The person who proposed it is told, with your reason.")
            : t("Les \(participation.electorate) sociétaires qui \(participation.isFixed ? "pouvaient" : "pourraient") le voter sont prévenu·e·s, avec votre raison.",
                "The \(participation.electorate) members who \(participation.isFixed ? "could" : "would") vote on it are told, with your reason.")
        var state = FormState(values: ["reason": typed])
        if let problem { state = (try? FormState(refused: problem, values: ["reason": typed])) ?? state }
        return Confirmation.page(req, title: t("Annuler le vote « \(proposal.title) » ?", "Cancel the vote “\(proposal.title)”?"),
            consequences: [ballots,
                           t("Aucun résultat ne sera calculé ; le vote ne pourra plus être rouvert.", "No result will be computed; the vote cannot be reopened."),
                           told,
                           t("La raison est affichée sur la page du vote et dans la liste des votes.", "The reason is shown on the vote’s page and in the list of votes.")],
            action: "/c/\(coop.slug)/votes/\(id)/cancel", button: t("Annuler le vote", "Cancel the vote"), back: "/c/\(coop.slug)/votes/\(id)",
            status: status, problem: problem,
            fields: [Form.textarea("reason", label: t("Raison de l’annulation (affichée aux sociétaires)", "Reason for cancelling (shown to members)"),
                                   state: state, t, rows: 3)])
    }
}
