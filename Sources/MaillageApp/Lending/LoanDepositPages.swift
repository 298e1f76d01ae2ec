import Fluent
import MaillageCore
import Plot
import Vapor

/// The deposit on a loan's page (its state, the owner's claim form, staff's decision) and the
/// staff's list of claims waiting. Plain forms: everything works without JavaScript.
enum LoanDepositPages {
    struct ClaimForm: Content {
        var reason: String?
        var note: String?
        var values: [String: String] { ["reason": reason ?? "", "note": note ?? ""] }
    }

    /// "30,00 € — retenue sur l’avoir de l’emprunteur·se".
    static func summary(_ row: LoanRow, item: LendingItemRow, _ t: Translator, _ language: Language, on db: any Database) async throws -> String {
        let state = try await LoanDeposits.state(of: row, depositCents: item.depositCents, on: db)
        guard state != .none else { return t(state.label) }
        return Euros.format(cents: item.depositCents, language) + " — " + t(state.label)
    }

    /// The claim as it stands, the owner's form while one may be filed, staff's two buttons.
    static func section(_ req: Request, base: String, row: LoanRow, actor: LoanActor, isStaff: Bool, state: FormState) async throws -> Node<HTML.BodyContext> {
        let t = req.t
        let claim = try await LoanDepositClaims.claim(of: row.id, on: req.db)
        let held = try await LoanDeposits.held(for: row.id, on: req.db)?.status == .open
        if let claim {
            let decide: Node<HTML.BodyContext> = isStaff && claim.claimStatus == .open ? .div(.class("actions"),
                Form.post(req, action: "\(claimsBase(base))/\(claim.id)/uphold",
                          .button(.type(.submit), .class("danger"), .text(t("Verser la caution au ou à la propriétaire", "Pay the deposit to the owner")))),
                Form.post(req, action: "\(claimsBase(base))/\(claim.id)/reject",
                          .button(.type(.submit), .class("primary"), .text(t("Refuser : rendre la caution", "Reject: release the deposit"))))) : .empty
            return .section(.h2(.id("deposit-claim"), .text(t("Réclamation sur la caution", "Deposit claim"))),
                .p(.strong(.text(t(claim.claimReason.label))), .text(" — " + t(claim.claimStatus.label))),
                claim.note.isEmpty ? .empty : .p(.text(claim.note)), decide)
        }
        guard actor == .owner, held, row.loanStatus == .handedOver else { return .empty }
        return .section(.h2(.id("deposit-claim"), .text(t("Garder la caution ?", "Keep the deposit?"))),
            .p(.text(t("Objet abîmé ou pas rendu : demandez à l’équipe de vous verser la caution. Faites-le avant de confirmer le retour.",
                       "Item damaged or not returned: ask the staff to pay you the deposit. Do so before confirming the return."))),
            LoanPages.refusal(state, t),
            Form.post(req, action: "\(base)/deposit-claim",
                Form.select("reason", label: t("Motif", "Reason"), state: state, t,
                            options: DepositClaimReason.allCases.map { ($0.rawValue, t($0.label)) }),
                Form.textarea("note", label: t("Ce qui s’est passé", "What happened"), state: state, t, rows: 3, required: false,
                              hint: t("1 000 caractères au plus.", "1,000 characters at most.")),
                Form.submit(t("Demander la caution", "Claim the deposit"))))
    }

    /// `/c/<slug>/lending/loans/<id>` → `/c/<slug>/lending/deposit-claims`.
    private static func claimsBase(_ loanPath: String) -> String {
        guard let range = loanPath.range(of: "/loans/") else { return loanPath }
        return String(loanPath[..<range.lowerBound]) + "/deposit-claims"
    }

    @Sendable static func file(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true)
        let row = try await LendingStore.loan(req.parameters.get("id", as: UUID.self), in: access.coopID, on: req.db)
        let form = try req.content.decode(ClaimForm.self)
        do {
            guard let reason = DepositClaimReason(rawValue: form.reason ?? "") else {
                throw DomainError(.invalid, code: "invalid_reason", field: "reason", fr: "Choisissez un motif.", en: "Choose a reason.")
            }
            _ = try await LoanDepositClaims.file(row, by: try access.memberID(), reason: reason, note: form.note ?? "",
                                                 coopSlug: access.coop.slug, on: req.db)
            return req.done(Localized(fr: "Demande de retenue envoyée à l’équipe ; la caution reste bloquée jusqu’à sa décision.",
                                      en: "Claim sent to the staff; the deposit stays held until they decide."),
                            goTo: "/c/\(access.coop.slug)/lending/loans/\(row.id)#deposit-claim")
        } catch let error as DomainError where error.kind != .notFound {
            return try await LoanPages.view(req, access: access, row: row, state: try FormState(refused: error, values: form.values), status: error.status)
        }
    }

    /// Staff uphold or reject; a second decision is refused (the claim is settled once).
    @Sendable static func settle(_ req: Request) async throws -> Response {
        let access = try await LendingAccess(req, member: true, minimum: .staff)
        guard let claimID = req.parameters.get("claim", as: UUID.self),
              let uphold = ["uphold": true, "reject": false][req.parameters.get("decision") ?? ""] else { throw Problem.notFound }
        let claim = try await LoanDepositClaims.settle(claimID, uphold: uphold, by: try access.memberID(), coop: access.coopID,
                                                       coopSlug: access.coop.slug, on: req.db)
        return req.done(uphold ? Localized(fr: "Retenue accordée ; les deux personnes sont prévenues.", en: "Claim upheld; both people have been told.")
                               : Localized(fr: "Retenue refusée ; la caution est rendue.", en: "Claim rejected; the deposit is given back."),
                        goTo: "/c/\(access.coop.slug)/lending/loans/\(claim.loanID)#deposit-claim")
    }

    /// On the staff overview: claims waiting for a decision.
    static func waiting(_ req: Request, coop: UUID, slug: String) async throws -> Node<HTML.BodyContext> {
        let t = req.t, language = req.language
        let claims = try await LoanDepositClaims.open(in: coop, on: req.db)
        return .section(.h2(.text(t("Réclamations de caution (\(claims.count))", "Deposit claims (\(claims.count))"))),
            claims.isEmpty ? .p(.text(t("Aucune.", "None."))) : .ul(.forEach(claims) { claim in
                .li(.a(.href("/c/\(slug)/lending/loans/\(claim.loanID)#deposit-claim"), .text(t(claim.claimReason.label))),
                    .text(" — " + DateText.short(claim.filedAt, language)))
            }))
    }
}
