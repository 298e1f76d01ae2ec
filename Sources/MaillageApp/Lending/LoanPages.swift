import Fluent
import MaillageCore
import Plot
import Vapor

/// `/c/<slug>/lending/loans…`: a member's loans and borrowings, one loan with its steps (accept,
/// handover and return confirmed by both, reviews) and its message thread; the staff overview.
enum LoanPages {
    struct MessageForm: Content { var body: String? }
    struct ReviewForm: Content {
        var rating: String?
        var text: String?
        var values: [String: String] { ["rating": rating ?? "", "text": text ?? ""] }
    }

    @Sendable static func mine(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let me = try access.memberID()
        let t = req.t, language = req.language, coop = access.coop
        let loans = try await LendingStore.loans(of: access.coopID, member: me, on: req.db)
        let items = try await LendingStore.items(ids: Set(loans.map(\.itemID)), on: req.db)
        let names = try await LendingAccess.names(Set(loans.flatMap { [$0.ownerID, $0.borrowerID] }), on: req.db)
        let myItems = try await LendingStore.search(try SearchQuery(), coop: access.coopID, limit: 500, on: req.db).map(\.0).filter { $0.ownerID == me }
        func table(_ rows: [LoanRow], other: (LoanRow) -> UUID) -> Node<HTML.BodyContext> {
            rows.isEmpty ? .p(.text(t("Aucun.", "None."))) : StackedTable.node(.table(
                .thead(.tr(.th(.text(t("Objet", "Item"))), .th(.text(t("Dates", "Dates"))), .th(.text(t("Avec", "With"))), .th(.text(t("État", "Status"))))),
                .tbody(.forEach(rows) { loan in
                    .tr(.td(.a(.href("/c/\(coop.slug)/lending/loans/\(loan.id)"), .text(items[loan.itemID]?.title ?? "?"))),
                        .td(.text(loan.period.map { DayText.period($0, language) } ?? "")),
                        .td(.text(names[other(loan)] ?? "")),
                        .td(.text(statusText(loan, t))))
                })))
        }
        return Layout.page(req, title: t("Mes prêts — \(coop.name)", "My loans — \(coop.name)"),
            .p(.a(.href("/c/\(coop.slug)/lending"), .text("← " + t("Objets à emprunter", "Items to borrow")))),
            .h1(.text(t("Mes prêts et emprunts", "My loans and borrowings"))),
            .section(.h2(.text(t("Demandes et prêts de mes objets", "Requests for and loans of my items"))),
                     table(loans.filter { $0.ownerID == me }, other: \.borrowerID)),
            .section(.h2(.text(t("Mes emprunts", "My borrowings"))), table(loans.filter { $0.borrowerID == me }, other: \.ownerID)),
            .section(.h2(.text(t("Mes objets", "My items"))),
                     myItems.isEmpty ? .p(.text(t("Vous ne prêtez encore rien.", "You lend nothing yet.")))
                        : .ul(.forEach(myItems) { .li(.a(.href("/c/\(coop.slug)/lending/items/\($0.id)"), .text($0.title))) })))
    }

    /// "accepté", or "en retard de 3 jours" for a loan not returned in time.
    static func statusText(_ row: LoanRow, _ t: Translator, now: Date = Date()) -> String {
        guard let loan = try? row.loan() else { return row.status }
        if loan.isOverdue(at: now, zone: LocalZone.paris) {
            let late = loan.daysLate(at: now, zone: LocalZone.paris)
            return t("en retard de \(late) jour\(late > 1 ? "s" : "")", "\(late) day\(late > 1 ? "s" : "") overdue")
        }
        return t(loan.status.label)
    }

    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let row = try await LendingStore.loan(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        return try await view(req, access: access, row: row, state: FormState())
    }

    static func view(_ req: Request, access: LendingAccess, row: LoanRow, state: FormState, notice: String? = nil,
                     status: HTTPResponseStatus = .ok) async throws -> Response {
        let me = try access.memberID()
        let loan = try await LendingStore.coreLoan(row, on: req.db)
        guard let actor = loan.actor(member: me, isStaff: access.isStaff) else { throw Problem.notFound(LendingWords.loan) }
        let t = req.t, language = req.language, coop = access.coop
        let item = try await LendingStore.item(row.itemID, in: access.coopID, on: req.db)
        let names = try await LendingAccess.names(Set([row.ownerID, row.borrowerID]), on: req.db)
        let thread = try await Threads.section(req, access: LoanThread.access(row, member: me, isStaff: access.isStaff, coopSlug: coop.slug, on: req.db),
                                               state: state)
        let showcase = item.atShowcase ? try await LendingStore.showcase(of: access.coopID, on: req.db)?.location : nil
        let base = "/c/\(coop.slug)/lending/loans/\(row.id)"
        func action(_ name: LendingStore.Action, _ label: String, danger: Bool = false) -> Node<HTML.BodyContext> {
            Form.post(req, action: "\(base)/\(name.rawValue)", .button(.type(.submit), .class(danger ? "danger" : "primary"), .text(label)))
        }
        var actions: [Node<HTML.BodyContext>] = []
        switch loan.status {
        case .requested:
            if actor != .borrower { actions += [action(.accept, t("Accepter", "Accept")), action(.decline, t("Refuser", "Decline"), danger: true)] }
            if actor != .owner { actions.append(action(.cancel, t("Annuler ma demande", "Cancel my request"), danger: true)) }
        case .accepted:
            if loan.handover[actor == .borrower ? .borrower : .owner] == nil {
                actions.append(action(.handover, actor == .borrower ? t("J’ai reçu l’objet", "I received the item") : t("J’ai remis l’objet", "I handed the item over")))
            }
            actions.append(action(.cancel, t("Annuler le prêt", "Cancel the loan"), danger: true))
        case .handedOver:
            if loan.giveBack[actor == .borrower ? .borrower : .owner] == nil {
                actions.append(action(.giveBack, actor == .borrower ? t("J’ai rendu l’objet", "I gave the item back") : t("J’ai récupéré l’objet", "I got the item back")))
            }
        default: break
        }
        func confirmed(_ date: Date?) -> String { date.map { t("confirmé le ", "confirmed on ") + DateText.short($0, language) } ?? t("en attente", "waiting") }
        let reviews = [loan.ownerReview, loan.borrowerReview].compactMap { $0 }
        let depositText = try await LoanDepositPages.summary(row, item: item, t, language, on: req.db)
        let depositClaim = try await LoanDepositPages.section(req, base: base, row: row, actor: actor, isStaff: access.isStaff, state: state)
        let canReview = actor != .staff && loan.status == .returned && (actor == .owner ? loan.ownerReview : loan.borrowerReview) == nil
        return Layout.page(req, title: t("Prêt — ", "Loan — ") + item.title, status: status,
            .p(.a(.href("/c/\(coop.slug)/lending/loans"), .text("← " + t("Mes prêts et emprunts", "My loans and borrowings")))),
            .h1(.text(t("Prêt : ", "Loan: ") + item.title)),
            .unwrap(notice) { .p(.class("notice"), .attribute(named: "role", value: "status"), .text($0)) },
            .dl(.class("figures"),
                .dt(.text(t("Objet", "Item"))), .dd(.a(.href("/c/\(coop.slug)/lending/items/\(item.id)"), .text(item.title))),
                .dt(.text(t("Dates", "Dates"))), .dd(.text(DayText.period(loan.period, language))),
                .dt(.text(t("État", "Status"))), .dd(.strong(.id("loan-status"), .text(statusText(row, t)))),
                .dt(.text(t("Propriétaire", "Owner"))), .dd(.text(names[row.ownerID] ?? "")),
                .dt(.text(t("Emprunteur·se", "Borrower"))), .dd(.text(names[row.borrowerID] ?? "")),
                .dt(.text(t("Caution", "Deposit"))), .dd(.id("deposit"), .text(depositText)),
                .dt(.text(t("Retrait et retour", "Pickup and return"))),
                .dd(.text(showcase.map { "\($0.name), \($0.address) — \($0.hours.text(language))" } ?? t("Chez le ou la propriétaire, à \(item.commune) (convenez de l’adresse par message)",
                                                                                                           "At the owner’s, in \(item.commune) (agree on the address by message)"))),
                .dt(.text(t("Remise", "Handover"))),
                .dd(.text(t("propriétaire : ", "owner: ") + confirmed(loan.handover.owner) + " · " + t("emprunteur·se : ", "borrower: ") + confirmed(loan.handover.borrower))),
                .dt(.text(t("Retour", "Return"))),
                .dd(.text(t("propriétaire : ", "owner: ") + confirmed(loan.giveBack.owner) + " · " + t("emprunteur·se : ", "borrower: ") + confirmed(loan.giveBack.borrower)))),
            refusal(state, t),
            actions.isEmpty ? .empty : .div(.class("actions"), .group(actions)),
            depositClaim,
            reviews.isEmpty && !canReview ? .empty : .section(.h2(.text(t("Avis", "Reviews"))),
                .ul(.forEach(reviews) { review in
                    .li(.strong(.text(String(repeating: "★", count: review.rating) + String(repeating: "☆", count: 5 - review.rating))),
                        .span(.class("visually-hidden"), .text(t(" \(review.rating) sur 5", " \(review.rating) out of 5"))),
                        .text(" " + (review.author == .owner ? t("du ou de la propriétaire", "by the owner") : t("de l’emprunteur·se", "by the borrower")) + " : " + review.text))
                }),
                canReview ? Form.post(req, action: "\(base)/review",
                    Form.select("rating", label: t("Note", "Rating"), state: state, t,
                                options: [("", t("— choisir —", "— choose —"))] + (1...5).reversed().map { ("\($0)", "\($0) / 5") }),
                    Form.textarea("text", label: t("Quelques mots", "A few words"), state: state, t, rows: 3, required: false,
                                  hint: t("500 caractères au plus.", "500 characters at most.")),
                    Form.submit(t("Laisser mon avis", "Leave my review"))) : .empty),
            thread)
    }

    @Sendable static func act(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let row = try await LendingStore.loan(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        guard let action = req.parameters.get("action").flatMap(LendingStore.Action.init(rawValue:)) else { throw Problem.notFound }
        let item = try await LendingStore.item(row.itemID, in: access.coopID, on: req.db)
        do {
            _ = try await LendingStore.act(action, on: row, by: try access.memberID(), isStaff: access.isStaff, itemTitle: item.title,
                                           coopSlug: access.coop.slug, db: req.db)
            let done: Localized = switch action {
            case .accept: Localized(fr: "Demande de prêt acceptée ; l’emprunteur est prévenu.", en: "Loan request accepted; the borrower is told.")
            case .decline: Localized(fr: "Demande de prêt refusée ; l’emprunteur est prévenu.", en: "Loan request declined; the borrower is told.")
            case .cancel: Localized(fr: "Prêt annulé.", en: "Loan cancelled.")
            case .handover: Localized(fr: "Remise de l’objet enregistrée.", en: "Handover recorded.")
            case .giveBack: Localized(fr: "Retour de l’objet enregistré.", en: "Return recorded.")
            }
            return req.done(done, goTo: "/c/\(access.coop.slug)/lending/loans/\(row.id)")
        } catch let error as DomainError where error.kind != .notFound {
            let fresh = try await LendingStore.loan(row.id, in: access.coopID, on: req.db)
            return try await view(req, access: access, row: fresh, state: try FormState(refused: error, values: [:]), status: error.status)
        }
    }

    @Sendable static func message(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let row = try await LendingStore.loan(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let form = try req.content.decode(MessageForm.self)
        do {
            try await LendingStore.post(message: form.body ?? "", on: row, by: try access.memberID(), isStaff: access.isStaff,
                                        coopSlug: access.coop.slug, db: req.db)
            return req.done(Localized(fr: "Message envoyé.", en: "Message sent."), goTo: "/c/\(access.coop.slug)/lending/loans/\(row.id)#messages")
        } catch let error as DomainError where error.kind == .invalid {
            return try await view(req, access: access, row: row, state: try FormState(refused: error, values: ["body": form.body ?? ""]),
                                  status: .unprocessableEntity)
        }
    }

    @Sendable static func review(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let row = try await LendingStore.loan(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let form = try req.content.decode(ReviewForm.self)
        do {
            try await LendingStore.review(row, by: try access.memberID(), rating: Int(form.rating ?? "") ?? 0, text: form.text ?? "",
                                          coopSlug: access.coop.slug, on: req.db)
            return req.done(Localized(fr: "Avis publié. Merci !", en: "Review published. Thank you!"), goTo: "/c/\(access.coop.slug)/lending/loans/\(row.id)")
        } catch let error as DomainError where error.kind != .notFound {
            return try await view(req, access: access, row: row, state: try FormState(refused: error, values: form.values), status: error.status)
        }
    }

    /// For staff: loans in progress, overdue ones, requests waiting, and items kept at the showcase.
    @Sendable static func staff(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true, minimum: .staff)
        let t = req.t, language = req.language, coop = access.coop, now = Date()
        let loans = try await LendingStore.loans(of: access.coopID, statuses: [.requested, .accepted, .handedOver], on: req.db)
        let items = try await LendingStore.items(ids: Set(loans.map(\.itemID)), on: req.db)
        let names = try await LendingAccess.names(Set(loans.flatMap { [$0.ownerID, $0.borrowerID] }), on: req.db)
        let overdue = loans.filter { (try? $0.loan().isOverdue(at: now, zone: LocalZone.paris)) == true }
        let running = loans.filter { $0.loanStatus == .handedOver && !overdue.map(\.id).contains($0.id) }
        let showcaseItems = try await LendingStore.search(try SearchQuery(), coop: access.coopID, limit: 1000, on: req.db).map(\.0).filter(\.atShowcase)
        let claims = try await LoanDepositPages.waiting(req, coop: access.coopID, slug: coop.slug)
        let away = Set(loans.filter { $0.loanStatus == .handedOver }.map(\.itemID))
        func table(_ rows: [LoanRow]) -> Node<HTML.BodyContext> {
            rows.isEmpty ? .p(.text(t("Aucun.", "None."))) : StackedTable.node(.table(
                .thead(.tr(.th(.text(t("Objet", "Item"))), .th(.text(t("Dates", "Dates"))), .th(.text(t("Propriétaire", "Owner"))),
                           .th(.text(t("Emprunteur·se", "Borrower"))), .th(.text(t("État", "Status"))))),
                .tbody(.forEach(rows) { loan in
                    .tr(.td(.a(.href("/c/\(coop.slug)/lending/loans/\(loan.id)"), .text(items[loan.itemID]?.title ?? "?"))),
                        .td(.text(loan.period.map { DayText.period($0, language) } ?? "")),
                        .td(.text(names[loan.ownerID] ?? "")), .td(.text(names[loan.borrowerID] ?? "")), .td(.text(statusText(loan, t, now: now))))
                })))
        }
        return Layout.page(req, title: t("Suivi des prêts — \(coop.name)", "Loans overview — \(coop.name)"),
            .p(.a(.href("/c/\(coop.slug)/lending"), .text("← " + t("Objets à emprunter", "Items to borrow")))),
            .h1(.text(t("Suivi des prêts", "Loans overview"))),
            .section(.h2(.text(t("En retard (\(overdue.count))", "Overdue (\(overdue.count))"))), table(overdue)),
            .section(.h2(.text(t("En cours (\(running.count))", "In progress (\(running.count))"))), table(running)),
            .section(.h2(.text(t("Acceptés, à remettre", "Accepted, to hand over"))), table(loans.filter { $0.loanStatus == .accepted })),
            .section(.h2(.text(t("Demandes en attente", "Requests waiting"))), table(loans.filter { $0.loanStatus == .requested })),
            claims,
            .section(.h2(.text(t("Objets au lieu vitrine", "Items at the showcase"))),
                     .ul(.forEach(showcaseItems) { item in
                         .li(.a(.href("/c/\(coop.slug)/lending/items/\(item.id)"), .text(item.title)),
                             .text(" — " + (away.contains(item.id) ? t("prêté", "on loan") : t("sur place", "on the shelf"))))
                     })))
    }
}

extension LoanPages {
    /// Why an action button was refused, read first by screen readers.
    static func refusal(_ state: FormState, _ t: Translator) -> Node<HTML.BodyContext> {
        guard !state.errors.isEmpty else { return .empty }
        return .div(.class("form-errors"), .attribute(named: "role", value: "alert"), .id("form-errors"),
                    .ul(.forEach(state.errors.errors) { .li(.text(t($0.message))) }))
    }
}
