import Fluent
import MaillageCore
import Plot
import SQLKit
import Vapor

/// The instance operators' queue of cooperatives waiting to appear (`/operators/cooperatives`),
/// and a board archiving its cooperative. A new cooperative is seen only by its members and the
/// operators until approved; a refusal says why to its board.
enum ReviewPages {
    @Sendable static func queue(_ req: Request) async throws -> Response {
        try await queueView(req, problem: nil)
    }

    static func queueView(_ req: Request, problem: DomainError?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t
        let waiting = try await Cooperative.query(on: req.db).filter(\.$review == CooperativeReview.pending.rawValue)
            .sort(\.$createdAt).with(\.$charter).all()
        var founders: [UUID: String] = [:]
        for coop in waiting {
            let board = try await Cooperatives.members(of: coop, status: .active, on: req.db).first { $0.memberRole == .board }
            founders[try coop.requireID()] = board.map { "\($0.user.displayName) <\($0.user.email)>" }
        }
        return Layout.page(req, title: t("Coopératives à valider", "Cooperatives to approve"), status: status,
            .p(.a(.href("/operators"), .text(t("← Exploitation de l’instance", "← Running the instance")))),
            .h1(.text(t("Coopératives à valider", "Cooperatives to approve"))),
            .p(.class("hint"), .text(t("Une coopérative créée n’est visible que de ses membres tant qu’elle n’est pas validée. Vérifiez qu’elle existe vraiment (statuts, site, contact) avant de la rendre publique.",
                                       "A cooperative just created is seen only by its members until approved. Check it really exists (statutes, website, contact) before making it public."))),
            .unwrap(problem) { .p(.class("error-message"), .attribute(named: "role", value: "alert"), .text(t($0.message))) },
            .if(waiting.isEmpty, .p(.text(t("Aucune coopérative n’attend.", "No cooperative is waiting."))),
                else: .ul(.class("cards"), .forEach(waiting) { coop in
                    let id = coop.id?.uuidString ?? ""
                    return .li(.class("card"), .article(
                        .h2(.a(.href("/c/\(coop.slug)"), .text(coop.name))),
                        .p(.class("meta"), .text([t(coop.form.label), coop.commune, coop.postalCode,
                                                  coop.createdAt.map { t("créée le ", "created ") + DateText.short($0, req.language) }]
                                                  .compactMap { $0 }.joined(separator: " · "))),
                        .p(.class("text"), .text(coop.description)),
                        .unwrap(coop.website.isEmpty ? nil : coop.website) { .p(.text(t("Site : ", "Website: ")), .a(.href($0), .attribute(named: "rel", value: "noopener"), .text($0))) },
                        .unwrap(founders[coop.id ?? UUID()] ?? nil) { .p(.text(t("Fondateur·rice : ", "Founder: ") + $0)) },
                        .div(.class("actions"),
                             Form.post(req, action: "/operators/cooperatives/\(id)/approve",
                                       .button(.type(.submit), .class("primary"),
                                               .attribute(named: "aria-label", value: t("Valider \(coop.name)", "Approve \(coop.name)")),
                                               .text(t("Valider", "Approve")))),
                             Form.post(req, action: "/operators/cooperatives/\(id)/refuse",
                                       Form.field("reason", label: t("Raison du refus (envoyée au conseil)", "Reason for refusing (sent to the board)"),
                                                  state: FormState(), t, required: false),
                                       .button(.type(.submit), .class("danger"), .text(t("Refuser", "Refuse")))))))
                })),
            try await TestCooperatives.section(req))
    }

    @Sendable static func approve(_ req: Request) async throws -> Response { try await decide(req, approve: true) }
    @Sendable static func refuse(_ req: Request) async throws -> Response { try await decide(req, approve: false) }

    private static func decide(_ req: Request, approve: Bool) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self), let coop = try await Cooperative.find(id, on: req.db) else {
            throw Problem.notFound(Cooperatives.cooperativeWord)
        }
        let reason = (try? req.content.get(String.self, at: "reason")) ?? ""
        do {
            let kept = try CooperativeReview.decide(current: coop.reviewState, approve: approve, reason: reason)
            let status = approve ? CooperativeReview.approved : .refused
            // Decided once, even if two operators click at the same moment.
            let changed = try await req.db.sql.update(Cooperative.schema)
                .set("review", to: SQLBind(status.rawValue)).set("review_reason", to: SQLBind(kept))
                .set("reviewed_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(id)).where("review", .equal, SQLBind(CooperativeReview.pending.rawValue))
                .returning("id").all()
            guard !changed.isEmpty else { throw CooperativeReview.alreadyReviewed }
            let text = approve
                ? Localized(fr: "\(coop.name) est validée : elle apparaît dans l’annuaire et chacun peut demander à la rejoindre.",
                            en: "\(coop.name) is approved: it appears in the directory and anyone may ask to join.")
                : Localized(fr: "\(coop.name) n’a pas été validée par les opérateurs de l’instance : « \(kept ?? "") ».",
                            en: "\(coop.name) was not approved by the instance's operators: “\(kept ?? "")”.")
            try await Cooperatives.notifyBoard(of: coop, on: req.db, link: "/c/\(coop.slug)", kind: .membership, text)
            return req.done(approve ? Localized(fr: "\(coop.name) validée.", en: "\(coop.name) approved.")
                                    : Localized(fr: "\(coop.name) refusée ; son conseil a la raison.", en: "\(coop.name) refused; its board has the reason."),
                            goTo: "/operators/cooperatives")
        } catch let error as DomainError where error.kind == .invalid || error.kind == .conflict {
            return try await queueView(req, problem: error, status: error.kind == .invalid ? .unprocessableEntity : .conflict)
        }
    }

    // MARK: archiving, by the board

    @Sendable static func archiveQuestion(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req, minimum: .board)
        let t = req.t
        let members = try await Cooperatives.activeMemberCount(of: coop.requireID(), on: req.db)
        return Confirmation.page(req, title: t("Archiver \(coop.name)", "Archive \(coop.name)"),
            consequences: [t("\(coop.name) disparaît de l’annuaire et de ses pages publiques ; plus personne ne peut demander à la rejoindre.",
                             "\(coop.name) leaves the directory and its public pages; nobody can ask to join any more."),
                           t("Ses registres (sociétaires, votes, comptes) sont gardés ; ses \(members) sociétaires sont prévenus et la voient encore.",
                             "Its records (members, votes, accounts) are kept; its \(members) members are told and can still see it.")],
            action: "/c/\(coop.slug)/archive", button: t("Archiver la coopérative", "Archive the cooperative"), back: "/c/\(coop.slug)/manage")
    }

    @Sendable static func archive(_ req: Request) async throws -> Response {
        let (coop, _, _) = try await Cooperatives.memberContext(req, minimum: .board)
        guard req.isConfirmed else { return req.askFirst("/c/\(coop.slug)/archive") }
        let changed = try await req.db.sql.update(Cooperative.schema).set("archived_at", to: SQLBind(Date()))
            .where("id", .equal, SQLBind(try coop.requireID())).where("archived_at", .is, SQLLiteral.null).returning("id").all()
        if !changed.isEmpty {
            for member in try await Cooperatives.members(of: coop, status: .active, on: req.db) {
                try await Inbox.notify(member.$user.id, Localized(fr: "\(coop.name) est archivée par son conseil : elle n’est plus publique ; ses registres sont gardés.",
                                                                  en: "\(coop.name) was archived by its board: it is no longer public; its records are kept."),
                                       link: "/c/\(coop.slug)", kind: .membership, on: req.db)
            }
        }
        return req.done(Localized(fr: "Coopérative archivée ; les sociétaires sont prévenus.", en: "Cooperative archived; the members have been told."),
                        goTo: "/c/\(coop.slug)")
    }
}
