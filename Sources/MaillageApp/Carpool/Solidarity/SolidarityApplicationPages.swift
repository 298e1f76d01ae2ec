import Fluent
import MaillageCore
import Plot
import SQLKit
import Vapor

/// A person without a car applies for solidarity transport themselves, with the structure's
/// eligibility form (a coordinator can still do it for someone on the phone). The application
/// waits for the coordinators' decision; the person sees where it stands, and why if refused —
/// their own record only, never anyone else's.
enum SolidarityApplicationPages {
    static func routes(_ routes: any RoutesBuilder) {
        routes.get("apply", use: show)
        routes.post("apply", use: apply)
    }

    /// The person's latest application to this structure, if any.
    static func latest(of person: UUID, in coop: UUID, on db: any Database) async throws -> SolidarityBeneficiaries.Row? {
        try await db.sql.select().columns(SolidarityBeneficiaries.columns).from(Solidarity.beneficiariesTable)
            .where("cooperative_id", .equal, SQLBind(coop)).where("user_id", .equal, SQLBind(person))
            .orderBy(SQLOrderBy(expression: SQLColumn("created_at"), direction: SQLDirection.descending))
            .first(decoding: SolidarityBeneficiaries.Row.self)
    }

    static let alreadyApplied = DomainError(.conflict, code: "already_applied",
        fr: "Vous avez déjà une demande en cours ou acceptée auprès de cette structure.",
        en: "You already have an application pending or accepted with this structure.")

    @Sendable static func show(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req)
        let user = try req.requireUser()
        return try await page(req, access: access, state: FormState(values: ["name": user.displayName]), person: try user.requireID())
    }

    static func page(_ req: Request, access: CarpoolAccess, state: FormState, person: UUID, status: HTTPResponseStatus = .ok) async throws -> Response {
        let t = req.t, language = req.language, home = SolidarityPages.base(access)
        let settings = try await Solidarity.settings(of: access.coopID, on: req.db)
        let mine = try await latest(of: person, in: access.coopID, on: req.db)
        let canApply = mine.map { $0.state == .refused } ?? true
        return Layout.page(req, title: t("Demander le transport solidaire", "Apply for solidarity transport"), status: status,
            .p(.a(.href(access.base), .text("← " + t("Covoiturage", "Carpooling")))),
            .h1(.text(t("Demander le transport solidaire", "Apply for solidarity transport"))),
            .p(.class("lead"), .text(t("Sans voiture ? Des bénévoles de \(access.coop.name) vous conduisent à un rendez-vous médical, un entretien, au marché. Vous leur remboursez seulement ce que la structure fixe — ou rien.",
                                       "No car? Volunteers of \(access.coop.name) drive you to a medical appointment, an interview, the market. You pay back only what the structure sets — or nothing."))),
            .unwrap(mine) { row in
                .section(.attribute(named: "aria-labelledby", value: "my-application"),
                    .h2(.id("my-application"), .text(t("Ma demande", "My application"))),
                    .p(.class("meta"), .text(t("Envoyée le \(DateText.day(row.created_at, language)) · \(t(row.state.label))",
                                               "Sent on \(DateText.day(row.created_at, language)) · \(t(row.state.label))"))),
                    row.state == .pending ? .p(.text(t("Un·e coordinateur·rice l’étudie et vous rappellera au \(row.phone).",
                                                       "A coordinator is looking at it and will call you back on \(row.phone)."))) : .empty,
                    row.state == .accepted ? .p(.text(t("Vous pouvez demander un trajet : appelez la structure, un·e coordinateur·rice l’enregistre et cherche un·e bénévole.",
                                                        "You can ask for a ride: call the structure; a coordinator records it and looks for a volunteer."))) : .empty,
                    row.state == .refused ? .p(.text(t("Motif : \(row.refusal_reason). Vous pouvez refaire une demande si votre situation a changé.",
                                                       "Reason: \(row.refusal_reason). You may apply again if your situation changed."))) : .empty)
            },
            canApply ? Form.post(req, action: "\(home)/apply",
                Form.summary(state, t),
                .p(.class("hint"), .text(t("Seul·es les coordinateur·rices de la structure lisent votre demande ; chaque ouverture est notée dans votre journal d’accès.",
                                           "Only the structure's coordinators read your application; each opening is written in your access log."))),
                Form.field("name", label: t("Nom et prénom", "Full name"), state: state, t, autocomplete: "name"),
                Form.field("phone", label: t("Téléphone", "Phone"), state: state, t, type: .tel, autocomplete: "tel"),
                Form.select("commune", label: t("Commune", "Commune"), state: state, t,
                            options: [("", t("— choisir —", "— choose —"))] + Communes.known.map { ($0.name, $0.name) }),
                Form.field("address", label: t("Adresse où vous prendre", "Address to pick you up"), state: state, t, required: false,
                           autocomplete: "street-address"),
                SolidarityBeneficiaryPages.eligibility(settings.fields, state: state, t),
                Form.submit(t("Envoyer ma demande", "Send my application"))) : .empty)
    }

    @Sendable static func apply(_ req: Request) async throws -> Response {
        let access = try await CarpoolAccess(req)
        let user = try req.requireUser()
        let person = try user.requireID()
        let settings = try await Solidarity.settings(of: access.coopID, on: req.db)
        let raw = (try? req.content.decode([String: String].self)) ?? [:]
        let keys = ["name", "phone", "commune", "address"] + settings.fields.map(\.key)
        let values = raw.filter { keys.contains($0.key) }
        do {
            if let mine = try await latest(of: person, in: access.coopID, on: req.db), mine.state != .refused { throw alreadyApplied }
            let draft = SolidarityBeneficiaries.Draft(name: values["name"] ?? "", phone: values["phone"] ?? "", commune: values["commune"] ?? "",
                                                      address: values["address"] ?? "", answers: values, account: user.email)
            let (checked, answers) = try SolidarityBeneficiaries.check(draft, settings: settings)
            _ = try await SolidarityBeneficiaries.register(checked, answers: answers, account: person, in: access.coopID, by: person, on: req.db)
            for coordinator in try await Cooperatives.members(of: access.coop, status: .active, on: req.db) where coordinator.memberRole >= .staff {
                try await Inbox.notify(coordinator.$user.id, Localized(fr: "Transport solidaire : une nouvelle demande d’inscription attend votre décision.",
                                                                       en: "Solidarity transport: a new application awaits your decision."),
                                       link: SolidarityPages.base(access), kind: .rides, on: req.db)
            }
            return req.done(Localized(fr: "Demande envoyée : un·e coordinateur·rice vous rappellera.", en: "Application sent: a coordinator will call you back."),
                            goTo: "\(SolidarityPages.base(access))/apply")
        } catch let error as DomainError where error.kind != .notFound {
            return try await page(req, access: access, state: try FormState(refused: error, values: values), person: person, status: error.status)
        } catch let many as ValidationErrors {
            return try await page(req, access: access, state: try FormState(refused: many, values: values), person: person, status: .unprocessableEntity)
        }
    }
}
