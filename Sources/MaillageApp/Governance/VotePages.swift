import Fluent
import MaillageCore
import Plot
import Vapor

/// A cooperative's votes: the list, putting a question to the vote, voting, reading the result.
enum VotePages {
    @Sendable static func list(_ req: Request) async throws -> Response {
        let (coop, _, membership) = try await Cooperatives.memberContext(req)
        let t = req.t
        let proposals = try await Proposal.query(on: req.db).filter(\.$cooperative.$id == coop.requireID()).sort(\.$closesAt, .descending).all()
        let now = Date()
        func section(_ phase: ProposalPhase, _ title: String) -> Node<HTML.BodyContext> {
            let items = proposals.filter { $0.phase(at: now) == phase }
            return .section(.h2(.text(title)), .if(items.isEmpty, .p(.text(t("Aucun.", "None."))), else: .ul(.forEach(items) { proposal in
                .li(.a(.href("/c/\(coop.slug)/votes/\(proposal.id?.uuidString ?? "")"), .text(proposal.title)),
                    .text(" — " + t(ProposalForm.methodLabel(proposal.tallyMethod)) + " · " + when(proposal, phase: phase, req)),
                    .unwrap(phase == .cancelled ? proposal.cancelReason : nil) { .text(" — " + t("raison : ", "reason: ") + $0) })
            })))
        }
        return Layout.page(req, title: t("Votes — \(coop.name)", "Votes — \(coop.name)"),
            .p(.a(.href("/c/\(coop.slug)"), .text("← " + coop.name))),
            .h1(.text(t("Votes et décisions", "Votes and decisions"))),
            .p(.a(.class("button"), .href("/c/\(coop.slug)/votes/new"), .text(t("Soumettre une question au vote", "Put a question to the vote"))),
               .text(" "), .a(.href("/c/\(coop.slug)/decisions"), .text(t("Registre des décisions", "Decision log"))),
               .text(" · "), .a(.href("/c/\(coop.slug)/assemblies"), .text(t("Assemblées générales", "General assemblies"))),
               .if(membership.memberRole == .board,
                   .group(.text(" · "), .a(.href("/c/\(coop.slug)/colleges"), .text(t("Poids des collèges", "College weights")))))),
            section(.open, t("Votes ouverts", "Open votes")),
            section(.scheduled, t("À venir", "Upcoming")),
            section(.proposed, t("Propositions en attente du conseil", "Proposals waiting for the board")),
            section(.closed, t("Clos", "Closed")),
            section(.cancelled, t("Annulés", "Cancelled")))
    }

    /// The one time a vote's line shows, read from the same schedule as its state.
    static func when(_ proposal: Proposal, phase: ProposalPhase, _ req: Request) -> String {
        let t = req.t, schedule = proposal.schedule
        switch phase {
        case .proposed: return t("clôture proposée ", "proposed close ") + DateText.short(schedule.closesAt, req.language)
        case .scheduled: return t("ouvre le ", "opens ") + DateText.short(schedule.opensAt, req.language)
        case .open: return t("clôture ", "closes ") + DateText.short(schedule.endsAt, req.language)
        case .closed: return t("clos le ", "closed ") + DateText.short(schedule.endsAt, req.language)
        case .cancelled: return t("annulé le ", "cancelled ") + DateText.short(schedule.endsAt, req.language)
        }
    }

    @Sendable static func newPage(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req)
        let closes = DateText.localInput.string(from: Date().addingTimeInterval(7 * 86_400))
        return try await newView(req, coop: coop, state: FormState(values: ["closes_at": closes, "quorum": VoteFloors.standard.quorum.description,
                                                                             "majority": "simple"]))
    }

    @Sendable static func create(_ req: Request) async throws -> Response {
        let (coop, user, _) = try await Cooperatives.memberContext(req)
        let form = try req.content.decode(ProposalForm.self)
        do {
            let proposal = try await Votes.create(try form.draft(now: Date()), by: user, in: coop, floors: req.application.maillage.voteFloors,
                                                  on: req.db)
            return req.done(createdNotice(proposal), goTo: "/c/\(coop.slug)/votes/\(try proposal.requireID())")
        } catch {
            return try await newView(req, coop: coop, state: try FormState(refused: error, values: form.values), status: .unprocessableEntity)
        }
    }

    /// What putting a question to the vote did, in the words of its state.
    static func createdNotice(_ proposal: Proposal) -> Localized {
        switch proposal.phase() {
        case .proposed: Localized(fr: "Proposition envoyée au conseil : il décide de l’ouvrir au vote.",
                                  en: "Proposal sent to the board: it decides whether to open it to the vote.")
        case .scheduled: Localized(fr: "Vote programmé : il ouvrira le \(DateText.short(proposal.opensAt, .fr)) et les sociétaires seront prévenus.",
                                   en: "Vote scheduled: it opens on \(DateText.short(proposal.opensAt, .en)) and members will be told.")
        default: Localized(fr: "Vote ouvert : les sociétaires sont prévenus.", en: "Vote open: members have been told.")
        }
    }

    static func newView(_ req: Request, coop: Cooperative, state: FormState, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t
        let hasColleges = try await coop.$colleges.query(on: req.db).count() > 0
        return Layout.page(req, title: t("Soumettre au vote", "Put to the vote"), status: status,
            .p(.a(.href("/c/\(coop.slug)/votes"), .text("← " + t("Votes", "Votes")))),
            .h1(.text(t("Soumettre une question au vote", "Put a question to the vote"))),
            ProposalForm.view(req, coop: coop, state: state, hasColleges: hasColleges))
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let (coop, user, membership) = try await Cooperatives.memberContext(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        return try await showView(req, coop: coop, user: user, membership: membership, proposal: try await Votes.find(id, in: coop, on: req.db), problem: nil)
    }

    @Sendable static func cast(_ req: Request) async throws -> Response {
        let (coop, user, membership) = try await Cooperatives.memberContext(req)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        let proposal = try await Votes.find(id, in: coop, on: req.db)
        do {
            try await Votes.cast(try BallotForm.ballot(from: req, for: proposal), on: proposal, by: user, on: req.db)
            return req.done(Localized(fr: "Votre bulletin est enregistré.", en: "Your ballot is recorded."), goTo: "/c/\(coop.slug)/votes/\(id)")
        } catch let error as DomainError {
            return try await showView(req, coop: coop, user: user, membership: membership, proposal: proposal, problem: error,
                                      ballot: BallotForm.typed(req, for: proposal), status: error.status)
        }
    }

    /// The board opens a vote a member proposed, with the closing time it chooses.
    @Sendable static func openProposed(_ req: Request) async throws -> Response {
        let (coop, user, membership) = try await Cooperatives.memberContext(req, minimum: .board)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        let proposal = try await Votes.find(id, in: coop, on: req.db)
        struct OpenForm: Content { var closes_at: String? }
        let typed = try req.content.decode(OpenForm.self).closes_at ?? ""
        do {
            let closes = typed.isEmpty ? nil : DateText.localInput.date(from: typed)
            if !typed.isEmpty && closes == nil {
                throw DomainError(.invalid, code: "invalid_date", field: "closes_at",
                                  fr: "Date et heure attendues, par exemple 2026-12-01T18:00.", en: "A date and time is expected, e.g. 2026-12-01T18:00.")
            }
            try await Votes.open(proposed: proposal, closesAt: closes, in: coop, by: user, floors: req.application.maillage.voteFloors, on: req.db)
            return req.done(createdNotice(proposal), goTo: "/c/\(coop.slug)/votes/\(id)")
        } catch {
            // The date typed stays in the field, and each problem is said beside it.
            let state = try FormState(refused: error, values: ["closes_at": typed])
            return try await showView(req, coop: coop, user: user, membership: membership, proposal: proposal, problem: error as? DomainError,
                                      opening: state, status: .unprocessableEntity)
        }
    }

    @Sendable static func statement(_ req: Request) async throws -> Response {
        let (coop, user, membership) = try await Cooperatives.memberContext(req, minimum: .board)
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Problem.notFound }
        let proposal = try await Votes.find(id, in: coop, on: req.db)
        guard proposal.closedAt != nil else { throw Votes.notOpen }
        struct StatementForm: Content { var statement: String? }
        let typed = try req.content.decode(StatementForm.self).statement
        let text: String
        do {
            text = try Validate.text(typed, field: "statement", label: Localized(fr: "Décision", en: "Decision"), range: 1...TextLimits.statement)
        } catch {
            return try await showView(req, coop: coop, user: user, membership: membership, proposal: proposal, problem: nil,
                                      statement: FormState(refused: error, values: ["statement": typed ?? ""]), status: .unprocessableEntity)
        }
        proposal.outcomeStatement = text
        try await proposal.save(on: req.db)
        return req.done(Localized(fr: "Énoncé de la décision enregistré.", en: "Statement of the decision saved."), goTo: "/c/\(coop.slug)/votes/\(id)")
    }

    /// A recorded ballot in words, as the voter chose it.
    static func readable(_ content: String, _ proposal: Proposal, _ t: Translator) -> String {
        let data = Data(content.utf8)
        switch proposal.tallyMethod {
        case .singleChoice:
            if content == "null" { return t("Vote blanc", "Blank vote") }
            return (try? JSONDecoder().decode(String.self, from: data)) ?? content
        case .approval:
            let names = (try? JSONDecoder().decode([String].self, from: data)) ?? []
            return names.isEmpty ? t("aucune option approuvée", "no option approved") : names.joined(separator: ", ")
        case .consent:
            guard let ballot = try? JSONDecoder().decode(ConsentBallot.self, from: data) else { return content }
            let reason = (ballot.reason ?? "").isEmpty ? "" : " — " + (ballot.reason ?? "")
            return t(ballot.position.label) + reason
        case .majorityJudgment:
            let grades = (try? JSONDecoder().decode([Int].self, from: data)) ?? []
            let labels = (GradeScale.named(grades: proposal.grades) ?? .standard).labels
            return zip(proposal.options, grades).map { "\($0.0) : \(labels.indices.contains($0.1) ? t(labels[$0.1]) : String($0.1))" }
                .joined(separator: " ; ")
        case .schulze, .meetingTime:
            return content
        }
    }

    static func showView(_ req: Request, coop: Cooperative, user: User, membership: Membership, proposal: Proposal,
                         problem: DomainError?, ballot: FormState = FormState(), statement: FormState? = nil,
                         opening: FormState? = nil, discussion: FormState = FormState(), status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t
        let proposalID = try proposal.requireID()
        let thread = try await Threads.section(req, access: VoteThread.access(coop, proposal), state: discussion,
                                               title: Localized(fr: "Discussion", en: "Discussion"))
        let now = Date(), schedule = proposal.schedule
        let phase = schedule.phase(at: now)
        let isBoard = membership.memberRole == .board
        let voter = try await ProposalVoter.query(on: req.db).filter(\.$proposal.$id == proposalID).filter(\.$user.$id == user.requireID()).first()
        let participation = try await Votes.participation(of: proposal, on: req.db)
        let mine = proposal.secret ? nil : try await Ballot.query(on: req.db).filter(\.$proposal.$id == proposalID).filter(\.$voter.$id == user.requireID()).first()
        // In an open consent vote, a block is shown to everyone at once, with its reason.
        var blocks: [String] = []
        if proposal.tallyMethod == .consent && !proposal.secret && proposal.closedAt == nil {
            blocks = try await Ballot.query(on: req.db).filter(\.$proposal.$id == proposalID).all().compactMap { ballot in
                guard let decoded = try? JSONDecoder().decode(ConsentBallot.self, from: Data(ballot.content.utf8)), decoded.position == .block else { return nil }
                return decoded.reason ?? ""
            }
        }
        let base = "/c/\(coop.slug)/votes/\(proposalID)"
        let editable = isBoard && proposal.fixedTerms != true && schedule.isEditable(at: now, electorateTaken: proposal.electorateTakenAt != nil)
        let cancellable = isBoard && schedule.isCancellable(at: now)
        return Layout.page(req, title: proposal.title, status: status,
            .p(.a(.href("/c/\(coop.slug)/votes"), .text("← " + t("Votes", "Votes")))),
            .unwrap(problem) { .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t($0.message))) },
            .h1(.text(proposal.title)),
            .p(.class("meta"), .text([t(phase.label), t(ProposalForm.methodLabel(proposal.tallyMethod)),
                                      proposal.secret ? t("bulletin secret", "secret ballot") : nil,
                                      t("du ", "from ") + DateText.short(schedule.opensAt, req.language) + t(" au ", " to ") + DateText.short(schedule.endsAt, req.language),
                                      proposal.quorum == "0" ? nil : t("quorum ", "quorum ") + proposal.quorum,
                                      proposal.requiredMajority == .twoThirds ? t("majorité des deux tiers", "two-thirds majority") : nil]
                .compactMap { $0 }.joined(separator: " · "))),
            .p(.text(proposal.body)),
            .unwrap(phase == .cancelled ? proposal.cancelReason : nil) { reason in
                .div(.class("notice"), .attribute(named: "role", value: "status"),
                     .p(.strong(.text(t("Vote annulé par le conseil le ", "Vote cancelled by the board on ") + DateText.short(schedule.endsAt, req.language) + "."))),
                     .p(.text(t("Raison : ", "Reason: ") + reason)),
                     .p(.text(t("Aucun résultat n’est calculé et aucun bulletin n’est plus accepté.", "No result is computed and no ballot is accepted any more."))))
            },
            .if(editable || cancellable, .p(.class("actions"),
                .if(editable, .a(.class("button"), .href(base + "/edit"), .text(t("Modifier ce vote", "Change this vote")))),
                .text(" "),
                .if(cancellable, Confirmation.ask(t("Annuler ce vote", "Cancel this vote"), at: base + "/cancel")))),
            .if(phase == .proposed, .div(.class("notice"), .attribute(named: "role", value: "status"),
                .p(.text(t("Proposé par un·e sociétaire : le conseil l’ouvre au vote, ou non. Rien n’est décidé tant qu’il n’est pas ouvert.",
                           "Proposed by a member: the board opens it to the vote, or not. Nothing is decided until it opens."))),
                .if(membership.memberRole == .board, Form.post(req, action: "/c/\(coop.slug)/votes/\(proposalID)/open",
                    Form.field("closes_at", label: t("Clôture (heure de Paris)", "Closes (Paris time)"),
                               state: opening ?? FormState(values: ["closes_at": DateText.localInput.string(from: max(proposal.closesAt,
                                   Date().addingTimeInterval(req.application.maillage.voteFloors.minimumDuration + 3_600)))]),
                               t, type: .datetimeLocal),
                    .button(.type(.submit), .text(t("Ouvrir ce vote", "Open this vote"))))))),
            .if(!proposal.options.isEmpty, .ol(.forEach(proposal.options) { .li(.text($0)) })),
            .if(phase != .cancelled || participation.isFixed, .p(.text(t(participation.sentence)))),
            .if(!blocks.isEmpty, .div(.class("form-errors"), .attribute(named: "role", value: "status"),
                .p(.strong(.text(t("Blocage en cours :", "Current block:")))), .ul(.forEach(blocks) { .li(.text($0)) }))),
            .if(phase == .open && voter != nil && !(proposal.secret && voter?.votedAt != nil), .section(
                .h2(.text(mine == nil ? t("Votre vote", "Your vote") : t("Modifier votre vote", "Change your vote"))),
                .unwrap(mine) { .p(.text(t("Bulletin enregistré : ", "Recorded ballot: ")), .code(.text(readable($0.content, proposal, t)))) },
                BallotForm.view(req, coop: coop, proposal: proposal, state: ballot))),
            .if(proposal.secret && voter?.votedAt != nil, .p(.class("notice"), .text(t("Vous avez voté (bulletin secret).", "You have voted (secret ballot).")))),
            .if(phase == .open && voter == nil, .p(.text(t("Vous ne faisiez pas partie des sociétaires à l’ouverture : vous ne votez pas.",
                                                          "You were not a member when the vote opened: you do not vote.")))),
            ResultViews.section(req, coop: coop, proposal: proposal, isBoard: isBoard, statement: statement),
            thread)
    }
}
